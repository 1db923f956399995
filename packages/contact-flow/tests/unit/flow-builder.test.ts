import { describe, expect, it } from "vitest";
import { disconnect, message } from "../../src/flow-actions.ts";
import { FlowBuilder, InvalidFlowError } from "../../src/flow-builder.ts";

describe("FlowBuilder", () => {
  it("refuses to build a flow the validator finds fault with, listing the findings", () => {
    // Prepare
    const builder = new FlowBuilder().add(
      message("greet", { text: "Hi" }, { next: "gone", onError: "bye" }),
      disconnect("bye"),
    );

    // Act
    const build = () => builder.build("greet");

    // Assess
    expect(build).toThrow(InvalidFlowError);
    expect(() => build()).toThrow(/dangling_next_action/);
  });

  it("refuses the same identifier twice", () => {
    expect(() => new FlowBuilder().add(disconnect("bye"), disconnect("bye"))).toThrow(/added twice/);
  });

  it("builds a flow-language document starting where it is told", () => {
    // Act
    const flow = new FlowBuilder()
      .add(message("greet", { text: "Hi" }, { next: "bye", onError: "bye" }), disconnect("bye"))
      .build("greet");

    // Assess
    expect(flow).toEqual({
      Version: "2019-10-30",
      StartAction: "greet",
      Actions: [
        {
          Parameters: { Text: "Hi" },
          Identifier: "greet",
          Type: "MessageParticipant",
          Transitions: { NextAction: "bye", Errors: [{ NextAction: "bye", ErrorType: "NoMatchingError" }] },
        },
        { Parameters: {}, Identifier: "bye", Type: "DisconnectParticipant", Transitions: {} },
      ],
    });
  });
});

import { describe, expect, it } from "vitest";
import { disconnect, message, setLanguage, setVoice } from "../../src/flow-actions.ts";
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

describe("the console metadata FlowBuilder writes", () => {
  const CONSOLE_UUID = "0b6f3c1e-7d2a-4c55-9e8f-3a1b2c4d5e6f";
  const built = () =>
    new FlowBuilder()
      .add(
        setVoice("voice", { name: "Joanna", engine: "Neural" }, "language"),
        setLanguage("language", "en-US", { next: CONSOLE_UUID, onError: CONSOLE_UUID }),
        message(CONSOLE_UUID, { text: "Hi" }, { next: "bye", onError: "bye" }),
        disconnect("bye"),
      )
      .build("voice", { name: "layout" });
  const metadataOf = (id: string) =>
    (built().Metadata as { ActionMetadata: Record<string, Record<string, unknown>> }).ActionMetadata[id];

  it("writes lower-camel layout keys and isFriendlyName on friendly identifiers only (MGW; deepgram/amazon-connect-integration sample_contact_flow.json)", () => {
    // Act
    const metadata = built().Metadata;

    // Assess
    expect(metadata).toMatchObject({ entryPointPosition: { x: expect.any(Number), y: expect.any(Number) } });
    expect(metadataOf("bye")).toMatchObject({ position: expect.any(Object), isFriendlyName: true });
    expect(metadataOf(CONSOLE_UUID)).toEqual({ position: expect.any(Object) });
  });

  it("lays out Set voice with its language as one block, as the seed 000 export does", () => {
    // Act
    const voice = metadataOf("voice");
    const language = metadataOf("language");

    // Assess
    expect(voice).toEqual({
      position: expect.any(Object),
      isFriendlyName: true,
      children: ["language"],
      overrideConsoleVoice: true,
      fragments: { SetContactData: "language" },
      overrideLanguageAttribute: true,
    });
    expect(language).toEqual({ position: voice?.position, isFriendlyName: true, dynamicParams: [] });
  });
});

import { describe, expect, it } from "vitest";
import { renderTimeline } from "../../src/render-timeline.ts";
import { act, emulatorOn, eventsOf, hangUp, next, rawFlow, speak, spoken } from "./harness.ts";

/**
 * Issue 14: no flow makes the emulator throw a timeline away. Whatever stops it (a type it does not run, a
 * parameter the action cannot run without, a bug in its own code), the call ends with an `emulator-error`
 * event naming the action, and `ended` resolves with everything that happened before.
 */
const run = (...actions: Parameters<typeof rawFlow>) => emulatorOn({}).run(rawFlow(...actions));

describe("a flow the emulator cannot go on with", () => {
  it("ends the call at an action type it does not know, with the type and identifier, keeping what came before", async () => {
    // Act
    const { ended } = await run(
      speak("greet", "Hello.", "odd"),
      act("odd", "FrobnicateContact", {}, next("end")),
      hangUp(),
    );

    // Assess
    expect(spoken(ended)).toEqual(["Hello."]);
    expect(ended.endReason).toBe("emulator-error");
    expect(ended.emulatorError).toMatchObject({
      code: "unsupported_action",
      identifier: "odd",
      type: "FrobnicateContact",
    });
    expect(eventsOf(ended, "emulator-error")[0]?.message).toContain('type "FrobnicateContact"');
    expect(renderTimeline(ended)).toContain("FrobnicateContact");
  });

  it("says why for a flow-language type that needs a service the emulator does not have", async () => {
    // Act
    const { ended } = await run(
      act("view", "ShowView", { ViewResource: { Id: "v" } }, next("end")),
      hangUp(),
    );

    // Assess
    expect(ended.emulatorError).toMatchObject({ code: "unsupported_action", type: "ShowView" });
    expect(ended.emulatorError?.message).toMatch(/needs .*view/);
  });

  it.each([
    ["Wait", { ContinueExecution: "TRUE" }],
    ["InvokeLambdaFunction", { InvocationTimeLimitSeconds: "3" }],
    ["Loop", {}],
    ["TransferToFlow", {}],
    ["UpdateContactMediaStreamingBehavior", { MediaStreamType: "Audio" }],
  ])(
    "ends the call with invalid_parameter when a %s lacks a parameter it cannot run without",
    async (type, parameters) => {
      // Act
      const { ended } = await run(
        speak("greet", "Hello.", "it"),
        act("it", type, parameters, next("end")),
        hangUp(),
      );

      // Assess
      expect(spoken(ended)).toEqual(["Hello."]);
      expect(ended.emulatorError).toMatchObject({ code: "invalid_parameter", identifier: "it", type });
    },
  );

  it("ends the call with internal_error when code running inside a block crashes, naming the action", async () => {
    // Prepare: a Lex simulation that fails with a TypeError, as a bug would, rather than a LexTurnFailedError.
    const { run: runWithBot } = emulatorOn(
      {},
      {
        lex: () => {
          throw new TypeError("Cannot read properties of undefined (reading 'intent')");
        },
      },
    );
    const flow = rawFlow(
      speak("greet", "Hello.", "ask"),
      act(
        "ask",
        "ConnectParticipantWithLexBot",
        {
          Text: "Your question?",
          LexV2Bot: { AliasArn: "arn:aws:lex:us-west-2:111122223333:bot-alias/B/A" },
        },
        { NextAction: "end", Errors: [{ NextAction: "end", ErrorType: "NoMatchingError" }] },
      ),
      hangUp(),
    );

    // Act
    const { ended } = await runWithBot(flow, { turns: [{ say: "hello" }] });

    // Assess
    expect(spoken(ended)).toEqual(["Hello.", "Your question?"]);
    expect(eventsOf(ended, "caller-input")).toHaveLength(1);
    expect(ended.emulatorError).toMatchObject({ code: "internal_error", identifier: "ask" });
    expect(ended.emulatorError?.message).toContain("TypeError: Cannot read properties");
  });

  it("ends the call with missing_branch when an action raises an error it has no branch for", async () => {
    // Act: a Compare with no match and neither NoMatchingCondition nor NoMatchingError.
    const { ended } = await run(
      act("check", "Compare", { ComparisonValue: "$.Attributes.x" }, { Conditions: [] }),
      hangUp(),
    );

    // Assess
    expect(ended.emulatorError).toMatchObject({ code: "missing_branch", identifier: "check" });
  });

  it("ends the call with flow_spins when actions loop without time passing", async () => {
    // Act
    const { ended } = await run(
      act("a", "UpdateContactAttributes", { Attributes: { x: "1" } }, next("b")),
      act("b", "UpdateContactAttributes", { Attributes: { x: "2" } }, next("a")),
    );

    // Assess
    expect(ended.emulatorError).toMatchObject({ code: "flow_spins" });
    expect(ended.attributes).toEqual({ x: "2" });
  });
});

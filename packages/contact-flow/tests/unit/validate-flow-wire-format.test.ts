import { describe, expect, it } from "vitest";
import { action, BYE, error, findings, summary, when } from "./wire-format.fixtures.ts";

/** The validator's rules about the console's wire format; the sources cited per test are listed in wire-format.fixtures.ts. */

describe("Play prompt and transfer to flow, as real exports write them", () => {
  it("only warns about a MessageParticipant exported with Errors: [] (GM sample_ab_test)", () => {
    // Prepare
    const prompt = action(
      "MessageParticipant",
      { Text: "Now rolling." },
      { NextAction: BYE, Errors: [], Conditions: [] },
    );

    // Act
    const issues = findings(prompt);

    // Assess
    expect(issues).toEqual([
      expect.objectContaining({ code: "missing_error_branch", severity: "warning", identifier: "step" }),
    ]);
  });

  it("accepts a TransferToFlow with a NextAction beside NoMatchingError (GM sample_ab_test)", () => {
    expect(
      summary(
        action("TransferToFlow", {
          ContactFlowId: "arn:aws:connect:us-west-2:111122223333:instance/i/contact-flow/f",
        }),
      ),
    ).toEqual([]);
  });

  it("only warns about a TransferToFlow with no NextAction (every export has one)", () => {
    // Prepare
    const transfer = action("TransferToFlow", { ContactFlowId: "f" }, { Errors: [error("NoMatchingError")] });

    // Act, Assess
    expect(summary(transfer)).toEqual(["warning missing_next_action"]);
  });
});

describe("Get customer input and Store customer input", () => {
  const menu = (InputTimeLimitSeconds: unknown) =>
    action(
      "GetParticipantInput",
      { StoreInput: "False", InputTimeLimitSeconds, Text: "Press 1." },
      {
        NextAction: BYE,
        Conditions: [when("1")],
        Errors: [error("InputTimeLimitExceeded"), error("NoMatchingCondition"), error("NoMatchingError")],
      },
    );

  it.each(["5", "60", "300"])(
    "accepts an InputTimeLimitSeconds of %s (the seed's 5 and 60; issue 14's export has 300; the reference sets no maximum)",
    (seconds) => {
      expect(summary(menu(seconds))).toEqual([]);
    },
  );

  it.each([["0"], ["2.5"], ["$.Attributes.wait"]])(
    "refuses an InputTimeLimitSeconds of %s, saying what it must be (the reference: a static integer larger than zero)",
    (seconds) => {
      expect(findings(menu(seconds))).toEqual([
        expect.objectContaining({
          code: "invalid_parameter",
          message: expect.stringContaining("whole number of seconds of at least 1"),
        }),
      ]);
    },
  );

  const stored = (errors: string[], parameters: Record<string, unknown> = {}) =>
    action(
      "GetParticipantInput",
      {
        StoreInput: "True",
        InputTimeLimitSeconds: "6",
        Text: "Key in the number.",
        InputValidation: { CustomValidation: { MaximumLength: "20" } },
        ...parameters,
      },
      { NextAction: BYE, Errors: errors.map(error) },
    );

  it("accepts stored input with NoMatchingError only (GM sample_secure_input_with_no_agent)", () => {
    expect(summary(stored(["NoMatchingError"]))).toEqual([]);
  });

  it("refuses an InputTimeLimitExceeded branch on stored input: the live API rejects it (MGW)", () => {
    expect(findings(stored(["InputTimeLimitExceeded", "NoMatchingError"]))).toEqual([
      expect.objectContaining({
        code: "unexpected_error_branch",
        severity: "error",
        message: expect.stringMatching(/InputTimeLimitExceeded.*rejects it.*Timeout/),
      }),
    ]);
  });

  it("refuses a NoMatchingCondition branch on stored input (the reference: only when StoreInput is False)", () => {
    expect(summary(stored(["NoMatchingCondition", "NoMatchingError"]))).toEqual([
      "error unexpected_error_branch",
    ]);
  });

  it("refuses an InvalidPhoneNumber branch on a menu (the reference: only with StoreInput and phone validation)", () => {
    // Prepare
    const withPhone = {
      ...menu("5"),
      Transitions: {
        ...menu("5").Transitions,
        Errors: [...(menu("5").Transitions.Errors ?? []), error("InvalidPhoneNumber")],
      },
    };

    // Act, Assess
    expect(summary(withPhone)).toEqual(["error unexpected_error_branch"]);
  });

  it("refuses InputEncryption without CustomValidation (MGW)", () => {
    expect(
      summary(
        stored(["NoMatchingError"], {
          InputValidation: { PhoneNumberValidation: { NumberFormat: "E164" } },
          InputEncryption: { EncryptionKeyId: "k", Key: "c" },
        }),
      ),
    ).toEqual(["error invalid_parameter"]);
  });

  it.each([
    ["4", []],
    ["21", ["error invalid_parameter"]],
  ])(
    "checks an InterdigitTimeLimitSeconds of %s against 1–20 (AWS store-customer-input page)",
    (seconds, expected) => {
      expect(
        summary(
          stored(["NoMatchingError"], {
            DTMFConfiguration: { InputTerminationSequence: "#", InterdigitTimeLimitSeconds: seconds },
          }),
        ),
      ).toEqual(expected);
    },
  );
});

describe("Wait", () => {
  const wait = (parameters: Record<string, unknown>, operands = ["WaitCompleted"]) =>
    action("Wait", parameters, {
      NextAction: BYE,
      Conditions: operands.map((operand) => when(operand)),
      Errors: [error("NoMatchingError")],
    });

  it('accepts TimeLimitSeconds "30" with a WaitCompleted condition (S6)', () => {
    expect(summary(wait({ TimeLimitSeconds: "30" }))).toEqual([]);
  });

  it("refuses TimeoutSeconds, naming the live API's rejection and the name to use (MGW)", () => {
    expect(findings(wait({ TimeoutSeconds: "30" }))).toEqual([
      expect.objectContaining({
        code: "invalid_parameter",
        severity: "error",
        message: expect.stringMatching(/TimeoutSeconds.*rejects.*TimeLimitSeconds/),
      }),
    ]);
  });

  it("refuses ContinueExecution without MinimumWaitTimeSeconds (MGW: required in that mode)", () => {
    // Prepare
    const keepRunning = { TimeLimitSeconds: "40", ContinueExecution: "TRUE" };

    // Act
    const without = findings(wait(keepRunning, ["WaitCompleted", "Continue"]));
    const withMinimum = summary(
      wait({ ...keepRunning, MinimumWaitTimeSeconds: "1" }, ["WaitCompleted", "Continue"]),
    );

    // Assess
    expect(without).toEqual([
      expect.objectContaining({
        code: "invalid_parameter",
        message: expect.stringContaining("MinimumWaitTimeSeconds"),
      }),
    ]);
    expect(withMinimum).toEqual([]);
  });

  it("requires a condition for each event in Events (MGW; the CustomerReturned export in S6)", () => {
    // Prepare
    const events = { Events: ["CustomerReturned"], TimeLimitSeconds: "900" };

    // Act, Assess
    expect(summary(wait(events))).toEqual(["error missing_condition"]);
    expect(summary(wait(events, ["CustomerReturned", "WaitCompleted"]))).toEqual([]);
  });
});

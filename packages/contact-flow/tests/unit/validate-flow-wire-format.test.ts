import { describe, expect, it } from "vitest";
import type { FlowAction, FlowDocument } from "../../src/flow-language.ts";
import { type FlowIssue, validateFlow } from "../../src/validate-flow.ts";

/**
 * The validator's rules about the console's wire format. Sources, cited per test:
 * - MGW: mgaffigan/pulumi-amazon-connect docs/wire-format-checks.md @ 05a26ef7 (what the live CreateContactFlow
 *   API rejected and required);
 * - GM sample_ab_test / sample_secure_input: GoodMeasuresLLC/connect
 *   environments/staging/contact_flows/sample_ab_test.json, sample_secure_input_with_no_agent.json @ 8139c58a
 *   (AWS sample flows as exported from an instance and deployed with CreateContactFlow);
 * - S6: a public Terraform file embedding console exports (Wait with TimeLimitSeconds; repository not known);
 * - the seed: src/reference/seed-000-flow.json, a console export;
 * - issue 14: the real export it reports (InputTimeLimitSeconds "300").
 */

const BYE = "bye";
const hangUp: FlowAction = {
  Parameters: {},
  Identifier: BYE,
  Type: "DisconnectParticipant",
  Transitions: {},
};
const action = (
  Type: string,
  Parameters: Record<string, unknown>,
  Transitions: FlowAction["Transitions"] = {
    NextAction: BYE,
    Errors: [{ NextAction: BYE, ErrorType: "NoMatchingError" }],
  },
  Identifier = "step",
): FlowAction => ({ Parameters, Identifier, Type, Transitions });
const flowOf = (...actions: FlowAction[]): FlowDocument => ({
  Version: "2019-10-30",
  StartAction: actions[0]?.Identifier ?? "none",
  Actions: [...actions, hangUp],
});
const when = (operand: string, next = BYE, Operator: string = "Equals") => ({
  NextAction: next,
  Condition: { Operator, Operands: [operand] } as never,
});
const error = (ErrorType: string) => ({ NextAction: BYE, ErrorType });
const findings = (...actions: FlowAction[]): FlowIssue[] => validateFlow(flowOf(...actions));
const summary = (...actions: FlowAction[]) =>
  findings(...actions).map((issue) => `${issue.severity} ${issue.code}`);

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

describe("values Connect never accepts", () => {
  it("refuses an empty string as a parameter value, nested ones included, naming the path (MGW)", () => {
    // Prepare
    const attributes = action("UpdateContactAttributes", {
      Attributes: { turn: "" },
      TargetContact: "Current",
    });

    // Act
    const issues = findings(attributes);

    // Assess
    expect(issues).toEqual([
      expect.objectContaining({
        code: "invalid_parameter",
        message: expect.stringContaining("Attributes.turn is an empty string"),
      }),
    ]);
  });

  it("refuses an empty string as a condition operand (MGW: 'Invalid branch')", () => {
    // Prepare
    const check = action(
      "Compare",
      { ComparisonValue: "$.External.status" },
      { NextAction: BYE, Conditions: [when("")], Errors: [error("NoMatchingCondition")] },
    );

    // Act, Assess
    expect(summary(check)).toEqual(["error invalid_condition"]);
  });

  it("refuses a condition with two operands (MGW: Equals rejects a second operand)", () => {
    // Prepare
    const check = action(
      "Compare",
      { ComparisonValue: "$.External.status" },
      {
        NextAction: BYE,
        Conditions: [{ NextAction: BYE, Condition: { Operator: "Equals", Operands: ["a", "b"] } }],
        Errors: [error("NoMatchingCondition")],
      },
    );

    // Act, Assess
    expect(summary(check)).toEqual(["error invalid_condition"]);
  });

  it("accepts the undocumented KeyExists operator (MGW)", () => {
    // Prepare
    const check = action(
      "Compare",
      { ComparisonValue: "$.External.answer" },
      {
        NextAction: BYE,
        Conditions: [when("true", BYE, "KeyExists")],
        Errors: [error("NoMatchingCondition")],
      },
    );

    // Act, Assess
    expect(summary(check)).toEqual([]);
  });

  it.each([
    ["a number", { LoopCount: 2 }],
    ["a boolean", { LoopCount: true }],
  ])("refuses %s where every export writes a string (MGW)", (_label, parameters) => {
    // Prepare
    const again = action("Loop", parameters, {
      NextAction: BYE,
      Conditions: [when("ContinueLooping"), when("DoneLooping")],
    });

    // Act
    const issues = findings(again);

    // Assess
    expect(issues).toContainEqual(
      expect.objectContaining({
        code: "invalid_parameter",
        message: expect.stringContaining("LoopCount must be a string"),
      }),
    );
  });
});

describe("flow control", () => {
  const looping = (Transitions: FlowAction["Transitions"]) => action("Loop", { LoopCount: "2" }, Transitions);

  it("refuses a Loop without a NextAction: Connect rejects any non-terminal action without one (MGW)", () => {
    expect(findings(looping({ Conditions: [when("ContinueLooping"), when("DoneLooping")] }))).toEqual([
      expect.objectContaining({
        code: "missing_next_action",
        severity: "error",
        message: expect.stringContaining("rejects"),
      }),
    ]);
  });

  it("refuses a Loop condition other than ContinueLooping/DoneLooping (MGW: exactly these two)", () => {
    expect(
      summary(
        looping({
          NextAction: BYE,
          Conditions: [when("ContinueLooping"), when("DoneLooping"), when("Again")],
        }),
      ),
    ).toEqual(["error unexpected_condition"]);
  });

  it("accepts a DistributeByPercentage with no Parameters key (GM sample_ab_test)", () => {
    // Prepare
    const { Parameters: _none, ...split } = action(
      "DistributeByPercentage",
      {},
      {
        NextAction: BYE,
        Conditions: [when("4", BYE, "NumberLessThan"), when("10", BYE, "NumberLessThan")],
        Errors: [error("NoMatchingCondition")],
      },
    );

    // Act, Assess
    expect(summary(split as FlowAction)).toEqual([]);
  });

  const hours = (operands: string[]) =>
    action(
      "CheckHoursOfOperation",
      { HoursOfOperationId: "arn:aws:connect:us-west-2:111122223333:instance/i/operating-hours/h" },
      {
        NextAction: BYE,
        Conditions: operands.map((operand) => when(operand)),
        Errors: [error("NoMatchingError")],
      },
    );

  it("accepts CheckHoursOfOperation with True, False and NoMatchingError (the S5 export's shape)", () => {
    expect(summary(hours(["True", "False"]))).toEqual([]);
  });

  it("requires both the True and the False branch of CheckHoursOfOperation (every export has both; MGW: only these)", () => {
    expect(summary(hours(["True"]))).toEqual(["error missing_condition"]);
  });

  it("refuses a CheckHoursOfOperation branch other than True/False (MGW: no override branches)", () => {
    expect(summary(hours(["True", "False", "Override"]))).toEqual(["error unexpected_condition"]);
  });

  it("accepts a flow module's custom branches as conditions (MGW)", () => {
    // Prepare
    const module = action(
      "InvokeFlowModule",
      { FlowModuleId: "m:$LATEST" },
      {
        NextAction: BYE,
        Conditions: [when("Verified")],
        Errors: [error("NoMatchingCondition"), error("NoMatchingError")],
      },
    );

    // Act, Assess
    expect(summary(module)).toEqual([]);
  });
});

describe("Lambda results, event hooks and voices", () => {
  it("refuses LoadLambdaFunctionResult's InvocationId and accepts LambdaInvocationId (issue 14's export)", () => {
    // Prepare
    const load = (parameters: Record<string, unknown>) =>
      action("LoadLambdaFunctionResult", parameters, {
        NextAction: BYE,
        Errors: [error("InProgress"), error("NoMatchingError")],
      });

    // Act, Assess
    expect(findings(load({ InvocationId: "$.LambdaInvocation.InvocationId" }))).toEqual([
      expect.objectContaining({
        code: "invalid_parameter",
        message: expect.stringContaining("LambdaInvocationId"),
      }),
    ]);
    expect(summary(load({ LambdaInvocationId: "$.LambdaInvocation.InvocationId" }))).toEqual([]);
  });

  it("refuses UpdateContactEventHooks with two hooks (MGW: exactly one entry)", () => {
    // Prepare
    const hooks = (EventHooks: Record<string, string>) => action("UpdateContactEventHooks", { EventHooks });

    // Act, Assess
    expect(summary(hooks({ CustomerQueue: "arn:q" }))).toEqual([]);
    expect(summary(hooks({ CustomerQueue: "arn:q", CustomerRemaining: "arn:r" }))).toEqual([
      "error invalid_parameter",
    ]);
  });

  it.each([
    ["the export's Neural", { TextToSpeechEngine: "Neural", TextToSpeechStyle: "Conversational" }, []],
    ["MGW's neural", { TextToSpeechEngine: "neural", TextToSpeechStyle: "None" }, []],
    ["an engine Polly lacks", { TextToSpeechEngine: "Fast" }, ["error invalid_parameter"]],
    ["a LanguageCode (MGW: not a parameter here)", { LanguageCode: "en-US" }, ["error invalid_parameter"]],
  ])("checks a voice with %s", (_label, parameters, expected) => {
    // Prepare
    const voice = action(
      "UpdateContactTextToSpeechVoice",
      { TextToSpeechVoice: "Joanna", ...parameters },
      { NextAction: BYE },
    );

    // Act, Assess
    expect(summary(voice)).toEqual(expected);
  });
});

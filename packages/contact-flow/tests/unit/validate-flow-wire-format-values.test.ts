import { describe, expect, it } from "vitest";
import type { FlowAction } from "../../src/flow-language.ts";
import { action, BYE, error, findings, summary, when } from "./wire-format.fixtures.ts";

/** The validator's rules about the console's wire format; the sources cited per test are listed in wire-format.fixtures.ts. */

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

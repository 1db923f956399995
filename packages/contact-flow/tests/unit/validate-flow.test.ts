import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { FlowAction, FlowDocument } from "../../src/flow-language.ts";
import { buildHoldlineFlow } from "../../src/holdline/holdline-flows.ts";
import { SEED_000_FLOW } from "../../src/reference/seed-000-flow.ts";
import { validateFlow } from "../../src/validate-flow.ts";
import { options, VARIANTS } from "./flows.fixtures.ts";

const SEED_POST = new URL("../../../../../shared/seeds/000_1474d82c9ab70a34.txt", import.meta.url);

const message = (id: string, next: string): FlowAction => ({
  Parameters: { Text: "hello" },
  Identifier: id,
  Type: "MessageParticipant",
  Transitions: { NextAction: next, Errors: [{ NextAction: next, ErrorType: "NoMatchingError" }] },
});
const hangUp = (id = "bye"): FlowAction => ({
  Parameters: {},
  Identifier: id,
  Type: "DisconnectParticipant",
  Transitions: {},
});
const flowOf = (...actions: FlowAction[]): FlowDocument => ({
  Version: "2019-10-30",
  StartAction: actions[0]?.Identifier ?? "none",
  Actions: actions,
});
const codes = (flow: unknown) => validateFlow(flow).map((issue) => issue.code);

describe("validateFlow on real flows", () => {
  it("finds nothing wrong with the console export embedded in seed 000", () => {
    // Prepare
    const flow = SEED_000_FLOW;

    // Act
    const issues = validateFlow(flow);

    // Assess
    expect(issues).toEqual([]);
  });

  it.skipIf(!existsSync(SEED_POST))("keeps the seed fixture identical to the JSON in the seed post", () => {
    // Prepare
    const post = readFileSync(SEED_POST, "utf8");
    const start = post.indexOf('{ "Version": "2019-10-30"');

    // Act
    const embedded = JSON.parse(post.slice(start, post.indexOf("\n", start)).trim());

    // Assess
    expect(SEED_000_FLOW).toEqual(embedded);
  });

  it.each(VARIANTS)("finds nothing wrong with the generated $label flow", ({ strategy, prompts }) => {
    // Prepare
    const flow = buildHoldlineFlow(strategy, options(prompts));

    // Act
    const issues = validateFlow(flow);

    // Assess
    expect(issues).toEqual([]);
  });
});

describe("validateFlow findings", () => {
  it("reports a NextAction that names no action", () => {
    expect(codes(flowOf(message("greet", "nowhere")))).toContain("dangling_next_action");
  });

  it("reports an action no path reaches, as a warning", () => {
    // Prepare
    const flow = flowOf(message("greet", "bye"), hangUp(), message("orphan", "bye"));

    // Act
    const issues = validateFlow(flow);

    // Assess
    expect(issues).toEqual([
      expect.objectContaining({ code: "unreachable_action", identifier: "orphan", severity: "warning" }),
    ]);
  });

  it("reports an InvokeLambdaFunction without a NoMatchingError branch", () => {
    // Prepare
    const invoke: FlowAction = {
      Parameters: {
        LambdaFunctionARN: "arn:aws:lambda:us-east-1:1:function:f",
        InvocationTimeLimitSeconds: "8",
      },
      Identifier: "invoke",
      Type: "InvokeLambdaFunction",
      Transitions: { NextAction: "bye" },
    };

    // Act
    const issues = validateFlow(flowOf(invoke, hangUp()));

    // Assess
    expect(issues).toEqual([expect.objectContaining({ code: "missing_error_branch", identifier: "invoke" })]);
  });

  it("requires a timeout branch on a DTMF menu but not on stored input", () => {
    // Prepare
    const input = (store: string): FlowAction => ({
      Parameters: { StoreInput: store, InputTimeLimitSeconds: "5", Text: "Press 1" },
      Identifier: "input",
      Type: "GetParticipantInput",
      Transitions: {
        NextAction: "bye",
        Conditions:
          store === "True" ? [] : [{ NextAction: "bye", Condition: { Operator: "Equals", Operands: ["1"] } }],
        Errors: [
          { NextAction: "bye", ErrorType: "NoMatchingError" },
          ...(store === "True" ? [] : [{ NextAction: "bye", ErrorType: "NoMatchingCondition" }]),
        ],
      },
    });

    // Act
    const menu = validateFlow(flowOf(input("False"), hangUp()));
    const stored = validateFlow(flowOf(input("True"), hangUp()));

    // Assess
    expect(menu.map((issue) => issue.message)).toEqual([expect.stringContaining("InputTimeLimitExceeded")]);
    expect(stored).toEqual([]);
  });

  // Source: the flow-language reference, GetParticipantInput (awsdocs/amazon-connect-admin-guide
  // doc_source/participant-actions-getparticipantinput.md): with StoreInput absent or "False", "only the Equals
  // operator may be used on conditions. The values being compared must be static and be a single character -
  // 0-9 numeric, *, or #". The real console export of a menu (evidence-18 section 2) writes Equals ["1"].
  it("requires a DTMF menu's conditions to be Equals on one static key", () => {
    // Prepare
    const menu = (operator: string, operand: string): FlowAction => ({
      Parameters: { Text: "Press 1", StoreInput: "False", InputTimeLimitSeconds: "5" },
      Identifier: "menu",
      Type: "GetParticipantInput",
      Transitions: {
        NextAction: "bye",
        Conditions: [{ NextAction: "bye", Condition: { Operator: operator as never, Operands: [operand] } }],
        Errors: [
          { NextAction: "bye", ErrorType: "InputTimeLimitExceeded" },
          { NextAction: "bye", ErrorType: "NoMatchingCondition" },
          { NextAction: "bye", ErrorType: "NoMatchingError" },
        ],
      },
    });

    // Act
    const valid = ["1", "0", "9", "*", "#"].map((key) => validateFlow(flowOf(menu("Equals", key), hangUp())));
    const twoKeys = validateFlow(flowOf(menu("Equals", "12"), hangUp()));
    const reference = validateFlow(flowOf(menu("Equals", "$.Attributes.key"), hangUp()));
    const letter = validateFlow(flowOf(menu("Equals", "A"), hangUp()));
    const contains = validateFlow(flowOf(menu("TextContains", "1"), hangUp()));

    // Assess
    expect(valid).toEqual([[], [], [], [], []]);
    for (const issues of [twoKeys, reference, letter]) {
      expect(issues.map((issue) => [issue.code, issue.identifier])).toEqual([["invalid_condition", "menu"]]);
      expect(issues[0]?.message).toContain("one static key");
    }
    expect(contains.map((issue) => issue.message)).toEqual([expect.stringContaining("Equals only")]);
  });

  it("reports an action type it does not know, naming it", () => {
    // Prepare
    const odd: FlowAction = {
      Parameters: {},
      Identifier: "odd",
      Type: "TeleportCaller",
      Transitions: { NextAction: "bye" },
    };

    // Act
    const issues = validateFlow(flowOf(odd, hangUp()));

    // Assess
    expect(issues).toEqual([
      expect.objectContaining({
        code: "unknown_action_type",
        message: expect.stringContaining("TeleportCaller"),
      }),
    ]);
  });

  it.each([
    ["longer than 50 characters", "x".repeat(51)],
    ["containing a colon", "step:one"],
    ["containing a dollar sign", "$greet"],
    ["a reserved word", "constructor"],
  ])("rejects an identifier %s", (_label, identifier) => {
    expect(codes(flowOf(message(identifier, "bye"), hangUp()))).toEqual(["invalid_identifier"]);
  });

  it("accepts a 50-character identifier with spaces and unicode", () => {
    expect(codes(flowOf(message(`挨拶 ${"x".repeat(47)}`, "bye"), hangUp()))).toEqual([]);
  });

  it("reports the same identifier used twice", () => {
    expect(codes(flowOf(message("greet", "bye"), message("greet", "bye"), hangUp()))).toContain(
      "duplicate_identifier",
    );
  });

  it("reports a StartAction that names no action", () => {
    expect(codes({ ...flowOf(hangUp()), StartAction: "missing" })).toContain("missing_start_action");
  });

  it("reports a flow of more than 250 actions", () => {
    // Prepare
    const chain = Array.from({ length: 251 }, (_, index) =>
      message(`m${index}`, index === 250 ? "bye" : `m${index + 1}`),
    );

    // Act
    const found = codes(flowOf(...chain, hangUp()));

    // Assess
    expect(found).toEqual(["too_many_actions"]);
  });

  it("reports content over 256,000 characters", () => {
    // Prepare
    const long: FlowAction = { ...message("long", "bye"), Parameters: { Text: "a".repeat(256_001) } };

    // Act
    const found = codes(flowOf(long, hangUp()));

    // Assess
    expect(found).toEqual(["content_too_large"]);
  });

  it("reports a Loop without its DoneLooping condition", () => {
    // Prepare
    const again: FlowAction = {
      Parameters: { LoopCount: "2" },
      Identifier: "again",
      Type: "Loop",
      Transitions: {
        NextAction: "bye",
        Conditions: [{ NextAction: "bye", Condition: { Operator: "Equals", Operands: ["ContinueLooping"] } }],
      },
    };

    // Act
    const issues = validateFlow(flowOf(again, hangUp()));

    // Assess
    expect(issues).toEqual([
      expect.objectContaining({ code: "missing_condition", message: expect.stringContaining("DoneLooping") }),
    ]);
  });

  it("reports a Compare condition with an operator the language lacks", () => {
    // Prepare
    const check: FlowAction = {
      Parameters: { ComparisonValue: "$.External.status" },
      Identifier: "check",
      Type: "Compare",
      Transitions: {
        NextAction: "bye",
        Conditions: [{ NextAction: "bye", Condition: { Operator: "Matches" as never, Operands: ["done"] } }],
        Errors: [{ NextAction: "bye", ErrorType: "NoMatchingCondition" }],
      },
    };

    // Act
    const found = codes(flowOf(check, hangUp()));

    // Assess
    expect(found).toEqual(["invalid_condition"]);
  });

  it.each([
    ["SYNCHRONOUS", "9", ["invalid_parameter"]],
    ["SYNCHRONOUS", "8", []],
    ["ASYNCHRONOUS", "60", []],
    ["ASYNCHRONOUS", "61", ["invalid_parameter"]],
  ])("checks a %s invocation limit of %s seconds", (mode, seconds, expected) => {
    // Prepare
    const invoke: FlowAction = {
      Parameters: {
        LambdaFunctionARN: "arn:aws:lambda:us-east-1:1:function:f",
        InvocationTimeLimitSeconds: seconds,
        InvocationType: mode,
      },
      Identifier: "invoke",
      Type: "InvokeLambdaFunction",
      Transitions: { NextAction: "bye", Errors: [{ NextAction: "bye", ErrorType: "NoMatchingError" }] },
    };

    // Act
    const found = codes(flowOf(invoke, hangUp()));

    // Assess
    expect(found).toEqual(expected);
  });

  it("reports a disconnect that still has a NextAction", () => {
    expect(
      codes(flowOf(message("greet", "bye"), { ...hangUp(), Transitions: { NextAction: "greet" } })),
    ).toEqual(["unexpected_next_action"]);
  });

  it("rejects a document that is not a 2019-10-30 flow", () => {
    expect(codes("not a flow")).toEqual(["invalid_document"]);
    expect(codes({ ...flowOf(hangUp()), Version: "2020-01-01" })).toEqual(["unsupported_version"]);
  });
});

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { FlowAction, FlowDocument } from "../../src/flow-language.ts";
import { ACTION_IDS, buildHoldlineFlow } from "../../src/holdline/holdline-flows.ts";
import { SEED_000_FLOW } from "../../src/reference/seed-000-flow.ts";
import { validateFlow } from "../../src/validate-flow.ts";
import { consoleFlows } from "../support/console-flows.ts";
import { options, VARIANTS } from "./flows.fixtures.ts";

/**
 * The progressive-answer checks on flows written for these tests (tests/fixtures/progressive/: a polling-shaped
 * and a native-async-shaped flow that speak parts and ask for the next with a cursor), each broken one way.
 */
const FIXTURES = fileURLToPath(new URL("../fixtures/progressive/", import.meta.url));
const load = (name: "polling-parts" | "async-parts"): FlowDocument =>
  JSON.parse(readFileSync(`${FIXTURES}${name}.json`, "utf8"));

const PROGRESSIVE_CODES = ["missing_cursor_parameter", "missing_partial_branch", "missing_cursor_update"];
const progressiveIssues = (flow: unknown) =>
  validateFlow(flow).filter((issue) => PROGRESSIVE_CODES.includes(issue.code));

/** A copy of `flow` with the action `id` changed by `edit`. */
function editing(flow: FlowDocument, id: string, edit: (action: FlowAction) => FlowAction): FlowDocument {
  const copy = structuredClone(flow);
  const index = copy.Actions.findIndex((action) => action.Identifier === id);
  if (index < 0) throw new Error(`no action ${id}`);
  return { ...copy, Actions: copy.Actions.map((action, at) => (at === index ? edit(action) : action)) };
}

const withAttributes = (action: FlowAction, attributes: Record<string, string>): FlowAction => ({
  ...action,
  Parameters: { ...action.Parameters, LambdaInvocationAttributes: attributes },
});

const withoutCondition = (action: FlowAction, operand: string): FlowAction => ({
  ...action,
  Transitions: {
    ...action.Transitions,
    Conditions: (action.Transitions.Conditions ?? []).filter(
      (condition) => condition.Condition.Operands[0] !== operand,
    ),
  },
});

describe("validateFlow on progressive answers", () => {
  it.each(["polling-parts", "async-parts"] as const)("finds nothing wrong with the %s fixture", (name) => {
    expect(validateFlow(load(name))).toEqual([]);
  });

  it.each(VARIANTS)(
    "finds nothing wrong with the generated progressive $label flow",
    ({ strategy, prompts }) => {
      expect(validateFlow(buildHoldlineFlow(strategy, options(prompts)))).toEqual([]);
    },
  );

  it("does not apply to flows that neither send a cursor nor branch on partial", () => {
    // Act
    const others = [
      SEED_000_FLOW,
      ...consoleFlows().map(({ flow }) => flow),
      ...VARIANTS.map(({ strategy, prompts }) =>
        buildHoldlineFlow(strategy, { ...options(prompts), progressive: false }),
      ),
    ];

    // Assess
    for (const flow of others) expect(progressiveIssues(flow)).toEqual([]);
  });

  it("refuses a Lambda that is not sent the cursor, in a flow that branches on partial", () => {
    // Prepare
    const flow = editing(load("polling-parts"), "Ask for more parts", (action) =>
      withAttributes(action, { turn: "1" }),
    );

    // Act
    const issues = progressiveIssues(flow);

    // Assess
    expect(issues).toEqual([
      expect.objectContaining({
        code: "missing_cursor_parameter",
        identifier: "Ask for more parts",
        severity: "error",
      }),
    ]);
  });

  it("refuses a static cursor: the handler would answer the same parts again and again", () => {
    // Prepare
    const flow = editing(load("polling-parts"), "Ask for parts", (action) =>
      withAttributes(action, { turn: "1", cursor: "0" }),
    );

    // Act / Assess
    expect(progressiveIssues(flow).map((issue) => [issue.code, issue.identifier])).toEqual([
      ["missing_cursor_parameter", "Ask for parts"],
    ]);
  });

  it("refuses an asynchronous invocation without the cursor when its loaded result is branched on partial", () => {
    // Prepare
    const flow = editing(load("async-parts"), "Start the answer", (action) =>
      withAttributes(action, { turn: "1" }),
    );

    // Act / Assess
    expect(progressiveIssues(flow).map((issue) => [issue.code, issue.identifier])).toEqual([
      ["missing_cursor_parameter", "Start the answer"],
    ]);
  });

  it("refuses a status check without a partial branch in a flow that sends the cursor", () => {
    // Prepare
    const flow = editing(load("polling-parts"), "Check more parts", (action) =>
      withoutCondition(action, "partial"),
    );

    // Act / Assess
    expect(progressiveIssues(flow).map((issue) => [issue.code, issue.identifier])).toEqual([
      ["missing_partial_branch", "Check more parts"],
    ]);
  });

  it.each([
    [ACTION_IDS.checkStart, "polling"],
    [ACTION_IDS.checkStatus, "polling"],
    [ACTION_IDS.checkAnswer, "native-async"],
  ] as const)("refuses the generated flow with %s's partial branch removed", (id, strategy) => {
    // Prepare
    const flow = editing(buildHoldlineFlow(strategy, options()), id, (action) =>
      withoutCondition(action, "partial"),
    );

    // Act / Assess
    expect(progressiveIssues(flow).map((issue) => [issue.code, issue.identifier])).toEqual([
      ["missing_partial_branch", id],
    ]);
  });

  it.each([
    [ACTION_IDS.invokeStart, "polling"],
    [ACTION_IDS.invokeStatus, "polling"],
    [ACTION_IDS.invokeAnswer, "native-async"],
  ] as const)("refuses the generated flow with %s's cursor removed", (id, strategy) => {
    // Prepare
    const flow = editing(buildHoldlineFlow(strategy, options()), id, (action) => {
      const { cursor: _dropped, ...rest } = action.Parameters.LambdaInvocationAttributes as Record<
        string,
        string
      >;
      return withAttributes(action, rest);
    });

    // Act / Assess
    expect(progressiveIssues(flow).map((issue) => [issue.code, issue.identifier])).toEqual([
      ["missing_cursor_parameter", id],
    ]);
  });

  it.each([
    ["Keep parts heard", "from $.External.cursor"],
    ["Reset parts heard", 'to "0"'],
  ])("refuses a cursor attribute that no action sets %s", (id, missing) => {
    // Prepare: the update names another attribute, so the cursor's is never set that way.
    const flow = editing(load("polling-parts"), id, (action) => ({
      ...action,
      Parameters: { ...action.Parameters, Attributes: { somethingElse: "1" } },
    }));

    // Act
    const issues = progressiveIssues(flow);

    // Assess
    expect(issues.map((issue) => issue.code)).toEqual(["missing_cursor_update"]);
    expect(issues[0]?.message).toContain(`sets holdlineCursor ${missing}`);
  });
});

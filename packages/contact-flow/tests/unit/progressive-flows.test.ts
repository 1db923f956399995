import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { deriveBudget } from "@holdline/budget/timing-budget";
import { describe, expect, it } from "vitest";
import type { FlowAction, FlowDocument } from "../../src/flow-language.ts";
import { FLOW_LIMITS } from "../../src/flow-language.ts";
import { deriveFlowTiming, PARTS_LOOP_COUNT } from "../../src/holdline/flow-timing.ts";
import {
  ACTION_IDS,
  buildHoldlineFlow,
  buildNativeAsyncFlow,
  buildPollingFlow,
  FILLER,
  FILLER_ATTRIBUTE,
} from "../../src/holdline/holdline-flows.ts";
import { EN_US, JA_JP } from "../../src/holdline/prompt-packs.ts";
import { validateFlow } from "../../src/validate-flow.ts";
import { ARNS, FLOW_TEST_BUDGET, options, VARIANTS } from "./flows.fixtures.ts";

const ids = ACTION_IDS;

const action = (flow: FlowDocument, id: string): FlowAction => {
  const found = flow.Actions.find((candidate) => candidate.Identifier === id);
  if (found === undefined) throw new Error(`no action ${id}`);
  return found;
};
const conditionTargets = (step: FlowAction) =>
  Object.fromEntries((step.Transitions.Conditions ?? []).map((c) => [c.Condition.Operands[0], c.NextAction]));
const errorTargets = (step: FlowAction) =>
  Object.fromEntries((step.Transitions.Errors ?? []).map((e) => [e.ErrorType, e.NextAction]));

const GOLDEN_DIR = fileURLToPath(new URL("../fixtures/non-progressive/", import.meta.url));

describe("flows without progressive answers", () => {
  it.each(VARIANTS)(
    "are byte for byte the flows written before progressive answers ($label)",
    ({ strategy, prompts }) => {
      // Prepare: written by the builder at e5a51c6, before progressive answers, with the same options; the
      // native-async files written again when its hold-on prompt moved onto the one keep-running Wait (no two
      // Waits armed for one invocation: docs/contact-flow.md).
      const golden = readFileSync(join(GOLDEN_DIR, `holdline-${strategy}-${prompts.locale}.json`), "utf8");

      // Act
      const flow = buildHoldlineFlow(strategy, { ...options(prompts), progressive: false });

      // Assess
      expect(`${JSON.stringify(flow, null, 2)}\n`).toBe(golden);
    },
  );
});

describe("progressive answers in both flows", () => {
  it.each(VARIANTS)("are the default ($label)", ({ strategy, prompts }) => {
    // Act
    const byDefault = buildHoldlineFlow(strategy, options(prompts));

    // Assess
    expect(byDefault).toEqual(buildHoldlineFlow(strategy, { ...options(prompts), progressive: true }));
    expect(byDefault).not.toEqual(buildHoldlineFlow(strategy, { ...options(prompts), progressive: false }));
  });

  it.each(VARIANTS)(
    "pass the validator with no finding, well within Connect's action limit ($label)",
    ({ strategy, prompts }) => {
      // Act
      const flow = buildHoldlineFlow(strategy, options(prompts));

      // Assess
      expect(validateFlow(flow)).toEqual([]);
      expect(flow.Actions.length).toBeLessThanOrEqual(45);
      expect(flow.Actions.length).toBeLessThan(FLOW_LIMITS.maxActions);
    },
  );

  it.each([
    ["polling", ids.invokeStart],
    ["native-async", ids.invokeStart],
  ] as const)(
    "reset the cursor to 0 at each new turn, before the %s flow's first Lambda",
    (strategy, first) => {
      // Act
      const flow = buildHoldlineFlow(strategy, options());

      // Assess: both questions (the first, and each after "anything else?") go through the reset.
      expect(action(flow, ids.resetCursor)).toMatchObject({
        Type: "UpdateContactAttributes",
        Parameters: { Attributes: { holdlineCursor: "0" }, TargetContact: "Current" },
        Transitions: { NextAction: first },
      });
      for (const check of [ids.checkQuestion, ids.checkMore]) {
        expect(conditionTargets(action(flow, check)).ok).toBe(ids.resetCursor);
        expect(action(flow, check).Transitions.NextAction).toBe(ids.resetCursor);
      }
    },
  );

  it.each(VARIANTS)(
    "speak a partial, keep its cursor, then ask for the next parts with no filler ($label)",
    ({ strategy, prompts }) => {
      // Act
      const flow = buildHoldlineFlow(strategy, options(prompts));

      // Assess
      expect(action(flow, ids.sayPart)).toMatchObject({
        Parameters: { Text: "$.External.answer" },
        Transitions: { NextAction: ids.setCursor },
      });
      expect(action(flow, ids.setCursor)).toMatchObject({
        Parameters: { Attributes: { holdlineCursor: "$.External.cursor" }, TargetContact: "Current" },
        Transitions: { NextAction: ids.countParts },
      });
      const next = strategy === "polling" ? ids.invokeStatus : ids.invokeAnswer;
      expect(action(flow, ids.countParts).Parameters).toEqual({ LoopCount: String(PARTS_LOOP_COUNT) });
      expect(conditionTargets(action(flow, ids.countParts))).toEqual({
        ContinueLooping: next,
        DoneLooping: ids.sayCutShort,
      });
    },
  );

  it.each(VARIANTS)(
    "speak what is left of a completed answer, unless nothing came with it ($label)",
    ({ strategy, prompts }) => {
      // Act
      const check = action(buildHoldlineFlow(strategy, options(prompts)), ids.checkRemaining);

      // Assess: the flow language has no comparison with "" (mgaffigan/pulumi-amazon-connect
      // docs/wire-format-checks.md), so the handler counts the parts it sends, and the Compare's operand is a
      // literal, as in every real export (no JSONPath operand).
      expect(check.Parameters).toEqual({ ComparisonValue: "$.External.answerParts" });
      expect(conditionTargets(check)).toEqual({ "0": ids.nextTurn });
      expect(errorTargets(check)).toEqual({ NoMatchingCondition: ids.sayAnswer });
    },
  );

  it.each(VARIANTS)(
    "after an error with parts produced: what is left, then a short apology ($label)",
    ({ strategy, prompts }) => {
      // Act
      const flow = buildHoldlineFlow(strategy, options(prompts));

      // Assess
      const byPrompt = action(flow, ids.checkErrorPrompt);
      expect(byPrompt.Parameters).toEqual({ ComparisonValue: "$.External.errorPrompt" });
      expect(conditionTargets(byPrompt)).toEqual({ short: ids.checkUnheard });
      expect(errorTargets(byPrompt)).toEqual({ NoMatchingCondition: ids.sayError });
      expect(action(flow, ids.checkUnheard).Parameters).toEqual({
        ComparisonValue: "$.External.answerParts",
      });
      expect(conditionTargets(action(flow, ids.checkUnheard))).toEqual({ "0": ids.sayCutShort });
      expect(errorTargets(action(flow, ids.checkUnheard))).toEqual({ NoMatchingCondition: ids.sayUnheard });
      expect(action(flow, ids.sayUnheard)).toMatchObject({
        Parameters: { Text: "$.External.answer" },
        Transitions: { NextAction: ids.sayCutShort },
      });
      expect(action(flow, ids.sayCutShort)).toMatchObject({
        Parameters: { Text: prompts.errorAfterParts },
        Transitions: { NextAction: ids.nextTurn },
      });
    },
  );

  it("have a short apology in each prompt pack", () => {
    expect(JA_JP.errorAfterParts).toBe("申し訳ありません。続きをご用意できませんでした。");
    expect(EN_US.errorAfterParts).toBe("Sorry, I couldn't finish that answer.");
  });

  it("bound the parts loop by Connect's maximum LoopCount", () => {
    expect(deriveFlowTiming(FLOW_TEST_BUDGET).partsLoopCount).toBe(100);
    expect(deriveFlowTiming(deriveBudget()).partsLoopCount).toBe(100);
  });
});

describe("the progressive polling flow", () => {
  it("sends the cursor to connect-start and connect-status", () => {
    // Act
    const flow = buildPollingFlow(options(EN_US));

    // Assess
    expect(action(flow, ids.invokeStart).Parameters.LambdaInvocationAttributes).toEqual({
      question: "$.Lex.SessionAttributes.holdlineTranscript",
      turn: "$.Attributes.holdlineTurn",
      locale: "en-US",
      cursor: "$.Attributes.holdlineCursor",
    });
    expect(action(flow, ids.invokeStatus).Parameters.LambdaInvocationAttributes).toEqual({
      turn: "$.Attributes.holdlineTurn",
      cursor: "$.Attributes.holdlineCursor",
    });
  });

  it.each([
    [ids.checkStart, ids.sayAcknowledgement, ids.sayHoldOn],
    [ids.checkStatus, ids.countPolls, ids.countPolls],
  ])("%s branches on partial, and fills only in_progress", (id, filler, onNoMatch) => {
    // Act
    const check = action(buildPollingFlow(options()), id);

    // Assess
    expect(conditionTargets(check)).toEqual({
      partial: ids.sayPart,
      completed: ids.checkRemaining,
      error: ids.checkErrorPrompt,
      in_progress: filler,
    });
    expect(errorTargets(check)).toEqual({ NoMatchingCondition: onNoMatch });
  });

  it.each([EN_US, JA_JP])(
    "acknowledges a question connect-start has no part for yet, then long-polls for it at once ($locale)",
    (prompts) => {
      // Act
      const flow = buildPollingFlow(options(prompts));

      // Assess
      expect(action(flow, ids.sayAcknowledgement)).toMatchObject({
        Parameters: { Text: prompts.acknowledgement },
        Transitions: { NextAction: ids.invokeStatus },
      });
      expect(errorTargets(action(flow, ids.sayAcknowledgement))).toEqual({
        NoMatchingError: ids.invokeStatus,
      });
      // The hold-on prompt stays for a connect-start that failed or answered what the flow cannot read.
      expect(errorTargets(action(flow, ids.invokeStart))).toEqual({ NoMatchingError: ids.sayHoldOn });
    },
  );

  it("keeps the acknowledgement to a word or two: each second of it delays the first part", () => {
    expect(JA_JP.acknowledgement).toBe("はい");
    expect(EN_US.acknowledgement).toBe("Sure");
  });
});

describe("the progressive native-async flow", () => {
  it("invokes connect-start first, synchronously, to register the turn, then connect-answer whatever it answers", () => {
    // Act
    const flow = buildNativeAsyncFlow(options());
    const start = action(flow, ids.invokeStart);

    // Assess: the question's parameters, the synchronous limit, and connect-answer next on every outcome
    expect(start.Parameters).toEqual({
      LambdaFunctionARN: ARNS.start,
      InvocationTimeLimitSeconds: "8",
      InvocationType: "SYNCHRONOUS",
      LambdaInvocationAttributes: {
        question: "$.Lex.SessionAttributes.holdlineTranscript",
        turn: "$.Attributes.holdlineTurn",
        locale: "ja-JP",
        cursor: "$.Attributes.holdlineCursor",
      },
      ResponseValidation: { ResponseType: "STRING_MAP" },
    });
    expect(start.Transitions.NextAction).toBe(ids.invokeAnswer);
    expect(errorTargets(start)).toEqual({ NoMatchingError: ids.invokeAnswer });
  });

  it("invokes connect-answer asynchronously with the cursor, from one block for the first parts and the next", () => {
    // Act
    const flow = buildNativeAsyncFlow(options());
    const invoke = action(flow, ids.invokeAnswer);

    // Assess
    expect(invoke.Parameters).toEqual({
      LambdaFunctionARN: ARNS.answer,
      InvocationTimeLimitSeconds: "60",
      InvocationType: "ASYNCHRONOUS",
      LambdaInvocationAttributes: {
        question: "$.Lex.SessionAttributes.holdlineTranscript",
        turn: "$.Attributes.holdlineTurn",
        locale: "ja-JP",
        cursor: "$.Attributes.holdlineCursor",
      },
      ResponseValidation: { ResponseType: "STRING_MAP" },
    });
    expect(errorTargets(invoke)).toEqual({ NoMatchingError: ids.sayUnavailable });
    // One asynchronous invocation, for the first parts and the next; connect-start's is the only other.
    expect(
      flow.Actions.filter((step) => step.Type === "InvokeLambdaFunction").map((step) => step.Identifier),
    ).toEqual(expect.arrayContaining([ids.invokeAnswer, ids.invokeStart]));
    expect(flow.Actions.filter((step) => step.Type === "InvokeLambdaFunction")).toHaveLength(2);
    expect(
      flow.Actions.filter((step) => step.Parameters.InvocationType === "ASYNCHRONOUS").map(
        (step) => step.Identifier,
      ),
    ).toEqual([ids.invokeAnswer]);
  });

  it("branches on partial after loading the result", () => {
    // Act
    const check = action(buildNativeAsyncFlow(options()), ids.checkAnswer);

    // Assess
    expect(conditionTargets(check)).toEqual({
      partial: ids.sayPart,
      completed: ids.checkRemaining,
      error: ids.checkErrorPrompt,
    });
    expect(errorTargets(check)).toEqual({ NoMatchingCondition: ids.sayUnavailable });
  });

  it("lets a fast next part through with no filler, and answers a stall with 'still working' at once", () => {
    // Act
    const flow = buildNativeAsyncFlow(options(EN_US));

    // Assess
    // The cursor tells the turn's first request ("0": the hold-on path) from a request after a part.
    expect(action(flow, ids.invokeAnswer).Transitions.NextAction).toBe(ids.checkCursor);
    const byCursor = action(flow, ids.checkCursor);
    expect(byCursor.Parameters).toEqual({ ComparisonValue: "$.Attributes.holdlineCursor" });
    expect(conditionTargets(byCursor)).toEqual({ "0": ids.waitFastAnswer });
    expect(errorTargets(byCursor)).toEqual({ NoMatchingCondition: ids.waitFastNext });
    expect(action(flow, ids.waitFastNext).Parameters).toEqual({
      TimeLimitSeconds: "1",
      InterruptibleEvents: {
        LambdaReturned: { AsyncLambdaCompletionEvent: { Identifier: "$.LambdaInvocation.InvocationId" } },
      },
    });
    expect(conditionTargets(action(flow, ids.waitFastNext))).toEqual({
      WaitCompleted: ids.stalledNext,
      LambdaReturned: ids.loadAnswer,
    });
    // A stall: the one keep-running wait, its Continue branch told to say "still working" first.
    expect(action(flow, ids.stalledNext)).toMatchObject({
      Parameters: { Attributes: { [FILLER_ATTRIBUTE]: FILLER.stalled } },
      Transitions: { NextAction: ids.waitForAnswer },
    });
    expect(errorTargets(action(flow, ids.stalledNext))).toEqual({ NoMatchingError: ids.sayStalled });
    expect(conditionTargets(action(flow, ids.pickFiller))).toEqual({
      [FILLER.holdOn]: ids.sayHoldOn,
      [FILLER.stalled]: ids.sayStalled,
    });
    // No pause before it: the fast wait and the keep-running minimum already took their share of the silence.
    expect(action(flow, ids.sayStalled)).toMatchObject({
      Parameters: { Text: EN_US.stillWorking },
      Transitions: { NextAction: ids.fillerSaid },
    });
    expect(action(flow, ids.fillerSaid)).toMatchObject({
      Parameters: { Attributes: { [FILLER_ATTRIBUTE]: FILLER.paced } },
      Transitions: { NextAction: ids.waitForAnswer },
    });
  });

  it.each([
    ["the default budget", deriveBudget()],
    ["the tests' budget", FLOW_TEST_BUDGET],
  ])(
    "keeps the silence after a part before 'still working' within one handler wait (%s)",
    (_label, budget) => {
      // Act: after a part, the plain wait, then (if Connect holds the contact that long) the keep-running minimum.
      const timing = deriveFlowTiming(budget);

      // Assess
      expect(
        timing.fastAnswerWaitSeconds * 1_000 + timing.keepRunningMinimumWaitSeconds * 1_000,
      ).toBeLessThanOrEqual(timing.handlerWaitMs);
    },
  );

  it.each(VARIANTS)(
    "compare only with literal operands, as every real console export does ($label)",
    ({ strategy, prompts }) => {
      // Act
      const flow = buildHoldlineFlow(strategy, options(prompts));

      // Assess: no Compare case is a JSONPath (no real export shows one; docs/contact-flow.md)
      const operands = flow.Actions.filter((step) => step.Type === "Compare").flatMap((step) =>
        (step.Transitions.Conditions ?? []).flatMap((condition) => condition.Condition.Operands),
      );
      expect(operands.length).toBeGreaterThan(0);
      expect(operands.filter((operand) => operand.startsWith("$."))).toEqual([]);
    },
  );
});

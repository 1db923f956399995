import { deriveBudget, NATIVE_ASYNC_FIRST_WAITS_MS, type TimingBudget } from "@holdline/budget/timing-budget";
import {
  FLOW_PARAMETERS,
  LEX_BOT,
  TRANSCRIPT_PATH,
  TRANSCRIPT_STATUS,
  TRANSCRIPT_STATUS_PATH,
} from "@holdline/connect-contract/flow-contract";
import { describe, expect, it } from "vitest";
import type { FlowAction, FlowDocument } from "../../src/flow-language.ts";
import { deriveFlowTiming, InvalidTimingBudgetError } from "../../src/holdline/flow-timing.ts";
import {
  ACTION_IDS,
  buildHoldlineFlow,
  buildNativeAsyncFlow,
  buildPollingFlow,
  FILLER,
  FILLER_ATTRIBUTE,
} from "../../src/holdline/holdline-flows.ts";
import { EN_US, JA_JP } from "../../src/holdline/prompt-packs.ts";
import { SEED_000_FLOW } from "../../src/reference/seed-000-flow.ts";
import { ARNS, FLOW_TEST_BUDGET, FLOW_TEST_CHOICES, LEX_ALIAS, options, VARIANTS } from "./flows.fixtures.ts";

const action = (flow: FlowDocument, id: string): FlowAction => {
  const found = flow.Actions.find((candidate) => candidate.Identifier === id);
  if (found === undefined) throw new Error(`no action ${id}`);
  return found;
};
/** The flows as they were before progressive answers (`progressive: false`). */
const classic = (prompts = JA_JP) => ({ ...options(prompts), progressive: false });
const conditionTargets = (step: FlowAction) =>
  Object.fromEntries((step.Transitions.Conditions ?? []).map((c) => [c.Condition.Operands[0], c.NextAction]));
const errorTargets = (step: FlowAction) =>
  Object.fromEntries((step.Transitions.Errors ?? []).map((e) => [e.ErrorType, e.NextAction]));

describe("both Holdline flows", () => {
  it.each(VARIANTS)("start with flow logging enabled ($label)", ({ strategy, prompts }) => {
    // Act
    const flow = buildHoldlineFlow(strategy, options(prompts));

    // Assess
    expect(action(flow, flow.StartAction)).toMatchObject({
      Type: "UpdateFlowLoggingBehavior",
      Parameters: { FlowLoggingBehavior: "Enabled" },
    });
  });

  it("speak Japanese with Kazuha's neural voice, as the seed does", () => {
    // Act
    const flow = buildPollingFlow(options(JA_JP));

    // Assess
    expect(action(flow, ACTION_IDS.setVoice).Parameters).toEqual(
      action(SEED_000_FLOW, "6b6a5984-8096-4946-987b-54537088a266").Parameters,
    );
    expect(action(flow, ACTION_IDS.setLanguage).Parameters).toEqual({ LanguageCode: "ja-JP" });
  });

  it("speak English with a neural US voice", () => {
    // Act
    const flow = buildNativeAsyncFlow(options(EN_US));

    // Assess
    expect(action(flow, ACTION_IDS.setVoice).Parameters).toMatchObject({
      TextToSpeechVoice: "Joanna",
      TextToSpeechEngine: "Neural",
    });
  });

  it.each(VARIANTS)("write actions in the console export's key order ($label)", ({ strategy, prompts }) => {
    // Act
    const flow = buildHoldlineFlow(strategy, options(prompts));

    // Assess
    expect(Object.keys(flow)).toEqual(["Version", "StartAction", "Metadata", "Actions"]);
    for (const step of flow.Actions)
      expect(Object.keys(step)).toEqual(["Parameters", "Identifier", "Type", "Transitions"]);
  });

  it("capture the question with the given Lex bot alias and branch on its intents", () => {
    // Act
    const ask = action(buildPollingFlow(options()), ACTION_IDS.askQuestion);

    // Assess
    expect(ask.Parameters).toMatchObject({ LexV2Bot: { AliasArn: LEX_ALIAS }, Text: JA_JP.askQuestion });
    expect(conditionTargets(ask)).toEqual({
      [LEX_BOT.goodbyeIntent]: ACTION_IDS.sayGoodbye,
      [LEX_BOT.questionIntent]: ACTION_IDS.checkQuestion,
    });
    expect(errorTargets(ask)).toMatchObject({
      InputTimeLimitExceeded: ACTION_IDS.countNoInput,
      NoMatchingCondition: ACTION_IDS.checkQuestion,
    });
  });

  it.each([
    [ACTION_IDS.checkQuestion, ACTION_IDS.countNoInput],
    [ACTION_IDS.checkMore, ACTION_IDS.countUnclearMore],
  ])("%s branches on the code hook's transcript status", (checkId, reprompt) => {
    // Act
    const check = action(buildPollingFlow(classic()), checkId);

    // Assess
    expect(check.Parameters).toEqual({ ComparisonValue: TRANSCRIPT_STATUS_PATH });
    expect(conditionTargets(check)).toEqual({
      [TRANSCRIPT_STATUS.ok]: ACTION_IDS.invokeStart,
      [TRANSCRIPT_STATUS.empty]: reprompt,
      [TRANSCRIPT_STATUS.unintelligible]: reprompt,
      [TRANSCRIPT_STATUS.error]: ACTION_IDS.sayUnavailable,
    });
  });

  it("goes on to the answer when the bot sets no transcript status (a bot without the code hook)", () => {
    // Act
    const check = action(buildNativeAsyncFlow(classic()), ACTION_IDS.checkQuestion);

    // Assess
    expect(check.Transitions.NextAction).toBe(ACTION_IDS.invokeAnswer);
    expect(errorTargets(check)).toEqual({ NoMatchingCondition: ACTION_IDS.invokeAnswer });
  });

  it("asks again after an unclear 'anything else?' answer, then says goodbye", () => {
    // Act
    const flow = buildPollingFlow(options(EN_US));

    // Assess
    expect(action(flow, ACTION_IDS.countUnclearMore)).toMatchObject({
      Parameters: { LoopCount: "1" },
      Transitions: { NextAction: ACTION_IDS.sayGoodbye },
    });
    expect(conditionTargets(action(flow, ACTION_IDS.countUnclearMore))).toEqual({
      ContinueLooping: ACTION_IDS.sayUnclearMore,
      DoneLooping: ACTION_IDS.sayGoodbye,
    });
    expect(action(flow, ACTION_IDS.sayUnclearMore)).toMatchObject({
      Parameters: { Text: EN_US.noInput },
      Transitions: { NextAction: ACTION_IDS.askMore },
    });
  });

  it.each([0, 3])("bounds the re-prompts by the reprompts option (%i)", (reprompts) => {
    // Act
    const flow = buildPollingFlow({ ...options(), reprompts });

    // Assess
    for (const id of [ACTION_IDS.countNoInput, ACTION_IDS.countUnclearMore])
      expect(action(flow, id).Parameters).toEqual({ LoopCount: String(reprompts) });
  });

  it("speak the answer from $.External and carry the next turn in a contact attribute", () => {
    // Act
    const flow = buildNativeAsyncFlow(options());

    // Assess
    expect(action(flow, ACTION_IDS.sayAnswer).Parameters).toEqual({ Text: "$.External.answer" });
    expect(action(flow, ACTION_IDS.firstTurn).Parameters).toEqual({
      Attributes: { holdlineTurn: "1" },
      TargetContact: "Current",
    });
    expect(action(flow, ACTION_IDS.nextTurn).Parameters).toEqual({
      Attributes: { holdlineTurn: "$.External.nextTurn" },
      TargetContact: "Current",
    });
  });

  it.each(VARIANTS)(
    "write console metadata: isFriendlyName on every (named) action, Set voice + language as one block ($label)",
    ({ strategy, prompts }) => {
      // Act
      const flow = buildHoldlineFlow(strategy, options(prompts));
      const metadata = (flow.Metadata as { ActionMetadata: Record<string, Record<string, unknown>> })
        .ActionMetadata;

      // Assess: Holdline's identifiers are names, not console UUIDs, so each is flagged as the console flags them.
      for (const step of flow.Actions)
        expect(metadata[step.Identifier]).toMatchObject({ isFriendlyName: true });
      expect(metadata[ACTION_IDS.setVoice]).toMatchObject({
        children: [ACTION_IDS.setLanguage],
        fragments: { SetContactData: ACTION_IDS.setLanguage },
      });
      expect(metadata[ACTION_IDS.setLanguage]?.position).toEqual(metadata[ACTION_IDS.setVoice]?.position);
    },
  );

  it("omit the console metadata when no name is given", () => {
    expect(buildPollingFlow({ ...options(), name: undefined }).Metadata).toBeUndefined();
  });
});

describe("the polling flow", () => {
  it("invokes connect-start synchronously with the question, turn and locale", () => {
    // Act
    const start = action(buildPollingFlow(classic(EN_US)), ACTION_IDS.invokeStart);

    // Assess
    expect(start.Parameters).toEqual({
      LambdaFunctionARN: ARNS.start,
      InvocationTimeLimitSeconds: "8",
      InvocationType: "SYNCHRONOUS",
      LambdaInvocationAttributes: {
        [FLOW_PARAMETERS.question]: TRANSCRIPT_PATH,
        [FLOW_PARAMETERS.turn]: "$.Attributes.holdlineTurn",
        [FLOW_PARAMETERS.locale]: "en-US",
      },
      ResponseValidation: { ResponseType: "STRING_MAP" },
    });
  });

  it("takes its invocation limits from the budget", () => {
    // Act
    const flow = buildPollingFlow({
      ...options(),
      budget: deriveBudget({ syncBlockLimitSeconds: 5 }),
    });

    // Assess
    expect(action(flow, ACTION_IDS.invokeStart).Parameters.InvocationTimeLimitSeconds).toBe("5");
    expect(action(flow, ACTION_IDS.invokeStatus).Parameters.InvocationTimeLimitSeconds).toBe("5");
  });

  it("branches on $.External.status after connect-status, filling every other outcome with a prompt", () => {
    // Act
    const check = action(buildPollingFlow(classic()), ACTION_IDS.checkStatus);

    // Assess
    expect(check.Parameters).toEqual({ ComparisonValue: "$.External.status" });
    expect(conditionTargets(check)).toEqual({
      completed: ACTION_IDS.sayAnswer,
      error: ACTION_IDS.sayError,
      in_progress: ACTION_IDS.countPolls,
    });
    expect(errorTargets(check)).toEqual({ NoMatchingCondition: ACTION_IDS.countPolls });
  });

  it("says 'please wait' when connect-start fails or times out", () => {
    expect(errorTargets(action(buildPollingFlow(options()), ACTION_IDS.invokeStart))).toEqual({
      NoMatchingError: ACTION_IDS.sayHoldOn,
    });
  });

  it("bounds the poll loop by a safety net sized from the deadline, capped at Connect's 100", () => {
    // Act
    const net = action(buildPollingFlow(options()), ACTION_IDS.countPolls);
    const capped = action(
      buildPollingFlow({
        ...options(),
        budget: deriveBudget({ ...FLOW_TEST_CHOICES, answerDeadlineMs: 600_000 }),
      }),
      ACTION_IDS.countPolls,
    );

    // Assess
    expect(net.Parameters).toEqual({ LoopCount: "66" });
    expect(capped.Parameters).toEqual({ LoopCount: "100" });
  });
});

describe("the native-async flow", () => {
  it("invokes connect-answer asynchronously for up to 60 seconds", () => {
    // Act
    const invoke = action(buildNativeAsyncFlow(options()), ACTION_IDS.invokeAnswer);

    // Assess
    expect(invoke.Parameters).toMatchObject({
      LambdaFunctionARN: ARNS.answer,
      InvocationType: "ASYNCHRONOUS",
      InvocationTimeLimitSeconds: "60",
    });
  });

  it("keeps running while it waits for the invocation, playing a paced filler on Continue", () => {
    // Act
    const flow = buildNativeAsyncFlow(options(EN_US));
    const waiting = action(flow, ACTION_IDS.waitForAnswer);

    // Assess
    // TimeLimitSeconds, MinimumWaitTimeSeconds beside ContinueExecution: the names a console export of an
    // asynchronous flow carries (issue 14) and the live API requires (mgaffigan/pulumi-amazon-connect
    // docs/wire-format-checks.md: TimeoutSeconds "is rejected outright").
    expect(waiting.Parameters).toEqual({
      TimeLimitSeconds: "62",
      MinimumWaitTimeSeconds: "1",
      ContinueExecution: "TRUE",
      InterruptibleEvents: {
        LambdaReturned: { AsyncLambdaCompletionEvent: { Identifier: "$.LambdaInvocation.InvocationId" } },
      },
    });
    expect(conditionTargets(waiting)).toEqual({
      WaitCompleted: ACTION_IDS.sayUnavailable,
      LambdaReturned: ACTION_IDS.loadAnswer,
      Continue: ACTION_IDS.pickFiller,
    });
    expect(action(flow, ACTION_IDS.sayStillWorking).Parameters).toEqual({
      // The handlers' 2.5 s wait, less the 1 s MinimumWaitTimeSeconds that may precede each Continue.
      SSML: '<speak><break time="1500ms"/>Still working on it.</speak>',
    });
    expect(action(flow, ACTION_IDS.sayStillWorking).Transitions.NextAction).toBe(ACTION_IDS.waitForAnswer);
  });

  it.each([true, false])(
    "arms one keep-running Wait per invocation, never two (progressive: %s)",
    (progressive) => {
      // Act
      const flow = buildNativeAsyncFlow({ ...options(EN_US), progressive });

      // Assess: what Connect does with a keep-running Wait the flow left for another is not documented; two armed
      // for one invocation would leave the second's time limit to end the call mid-answer.
      const keepRunning = flow.Actions.filter(
        (step) => step.Type === "Wait" && step.Parameters.ContinueExecution !== undefined,
      );
      expect(keepRunning.map((step) => step.Identifier)).toEqual([ACTION_IDS.waitForAnswer]);
    },
  );

  it("plays the hold-on prompt first on the keep-running wait's Continue branch, then the paced filler", () => {
    // Act
    const flow = buildNativeAsyncFlow(classic(EN_US));

    // Assess
    expect(conditionTargets(action(flow, ACTION_IDS.waitFastAnswer))).toEqual({
      WaitCompleted: ACTION_IDS.holdOnNext,
      LambdaReturned: ACTION_IDS.loadAnswer,
    });
    expect(action(flow, ACTION_IDS.holdOnNext)).toMatchObject({
      Type: "UpdateContactAttributes",
      Parameters: { Attributes: { [FILLER_ATTRIBUTE]: FILLER.holdOn } },
      Transitions: { NextAction: ACTION_IDS.waitForAnswer },
    });
    // The attribute not set: the hold-on prompt anyway, before the wait rather than on it.
    expect(errorTargets(action(flow, ACTION_IDS.holdOnNext))).toEqual({
      NoMatchingError: ACTION_IDS.sayHoldOn,
    });
    const pick = action(flow, ACTION_IDS.pickFiller);
    expect(pick.Parameters).toEqual({ ComparisonValue: `$.Attributes.${FILLER_ATTRIBUTE}` });
    expect(conditionTargets(pick)).toEqual({ [FILLER.holdOn]: ACTION_IDS.sayHoldOn });
    expect(errorTargets(pick)).toEqual({ NoMatchingCondition: ACTION_IDS.sayStillWorking });
    expect(action(flow, ACTION_IDS.sayHoldOn)).toMatchObject({
      Parameters: { Text: EN_US.holdOn },
      Transitions: { NextAction: ACTION_IDS.fillerSaid },
    });
    expect(action(flow, ACTION_IDS.fillerSaid)).toMatchObject({
      Parameters: { Attributes: { [FILLER_ATTRIBUTE]: FILLER.paced } },
      Transitions: { NextAction: ACTION_IDS.waitForAnswer },
    });
  });

  it("loads the result with its InProgress and NoMatchingError branches", () => {
    // Act
    const load = action(buildNativeAsyncFlow(options()), ACTION_IDS.loadAnswer);

    // Assess
    // LambdaInvocationId, as the console export reported in issue 14 names it (not InvocationId).
    expect(load.Parameters).toEqual({ LambdaInvocationId: "$.LambdaInvocation.InvocationId" });
    expect(errorTargets(load)).toEqual({
      InProgress: ACTION_IDS.waitForAnswer,
      NoMatchingError: ACTION_IDS.sayUnavailable,
    });
  });
});

describe("the timing budget", () => {
  it("can be taken from @holdline/budget's derived budget, so flow and Lambdas share one", () => {
    // Prepare: the Lambdas' budget, with no recognition allowance so both handlers wait 2.6 s.
    const shared = deriveBudget({ recognitionMs: 0 });

    // Act
    const timing = deriveFlowTiming(shared);

    // Assess
    expect(timing).toMatchObject({
      syncInvocationLimitSeconds: 8,
      asyncInvocationLimitSeconds: 60,
      handlerWaitMs: 2_600,
    });
  });

  it("is required, and a budget deriveBudget made from other choices changes the flow", () => {
    // Prepare
    const { budget: _required, ...withoutBudget } = options();
    const shorter = deriveBudget({ ...FLOW_TEST_CHOICES, asyncBlockLimitSeconds: 30 });

    // Act
    // @ts-expect-error: no flow falls back silently to timings the Lambdas were not configured with
    const build = () => buildNativeAsyncFlow(withoutBudget);
    const flow = buildNativeAsyncFlow({ ...options(), budget: shorter });

    // Assess
    expect(build).toThrow();
    expect(action(flow, ACTION_IDS.invokeAnswer).Parameters.InvocationTimeLimitSeconds).toBe("30");
    expect(action(flow, ACTION_IDS.waitForAnswer).Parameters.TimeLimitSeconds).toBe("32");
  });

  it.each([
    ["the default budget", deriveBudget()],
    ["the tests' budget", FLOW_TEST_BUDGET],
    ["a 1.2 s handler wait", deriveBudget({ maxSilenceMs: 1_800, recognitionMs: 0 })],
  ])("leaves room for MinimumWaitTimeSeconds in every native-async silence (%s)", (_label, budget) => {
    // Act: whether the keep-running Wait holds the contact for its minimum before Continue is not documented,
    // so each silence before a prompt on Continue must fit one handler wait with the minimum added.
    const timing = deriveFlowTiming(budget);
    const minimumMs = timing.keepRunningMinimumWaitSeconds * 1_000;

    // Assess
    expect(timing.fillerPauseMs + minimumMs).toBeLessThanOrEqual(timing.handlerWaitMs);
    if (timing.handlerWaitMs >= 2_000)
      expect(timing.fastAnswerWaitSeconds * 1_000 + minimumMs).toBeLessThanOrEqual(timing.handlerWaitMs);
  });

  it("keeps connect-start's registering (native-async with progressive answers) and the waits after it within the first silence", () => {
    // Prepare: the budget counts the flow's first waits as NATIVE_ASYNC_FIRST_WAITS_MS; the flow derives them.
    const budget = deriveBudget();
    const timing = deriveFlowTiming(budget);
    const firstWaitsMs = (timing.fastAnswerWaitSeconds + timing.keepRunningMinimumWaitSeconds) * 1_000;

    // Assess: the same figure, and registering plus those waits fit the handlers' wait (one silence less
    // recognition and the round trip), as connect-start's fast path does in polling.
    expect(firstWaitsMs).toBe(NATIVE_ASYNC_FIRST_WAITS_MS);
    expect(budget.connectAnswer.progressive.registerWithinMs + firstWaitsMs).toBeLessThanOrEqual(
      timing.handlerWaitMs,
    );
  });

  const withBlockLimits = (sync: number, async: number): TimingBudget => ({
    ...FLOW_TEST_BUDGET,
    connectStart: { ...FLOW_TEST_BUDGET.connectStart, blockLimitSeconds: sync },
    connectStatus: { ...FLOW_TEST_BUDGET.connectStatus, blockLimitSeconds: sync },
    connectAnswer: { ...FLOW_TEST_BUDGET.connectAnswer, blockLimitSeconds: async },
  });

  it.each([
    ["a synchronous limit over 8 s", withBlockLimits(9, 60)],
    ["an asynchronous limit over 60 s", withBlockLimits(8, 61)],
    ["a silence gap with no room after its margin", deriveBudget({ maxSilenceMs: 1_200 })],
  ])("refuses %s", (_label, budget) => {
    expect(() => buildPollingFlow({ ...options(), budget })).toThrow(InvalidTimingBudgetError);
  });
});

import type { TimingBudget } from "@holdline/budget/timing-budget";

/** Numbers the flows are built from, all taken from the budget the Lambdas are configured from. */
export interface FlowTiming {
  /** `InvocationTimeLimitSeconds` of connect-start and connect-status (Connect allows 1–8). */
  readonly syncInvocationLimitSeconds: number;
  /** `InvocationTimeLimitSeconds` of connect-answer in the native-async flow (Connect allows 1–60). */
  readonly asyncInvocationLimitSeconds: number;
  /** How long connect-start (fast path) and connect-status (long-poll) wait: one silence each. */
  readonly handlerWaitMs: number;
  /** Safety net of the polling loop (a Loop block; the deadline is what normally ends it). */
  readonly pollLoopCount: number;
  /**
   * Progressive answers: safety net of the parts loop (a Loop block on the `partial` path: speak the parts,
   * ask for the next ones). A correct handler ends it with `completed` or `error`; see `PARTS_LOOP_COUNT`.
   */
  readonly partsLoopCount: number;
  /**
   * native-async: the keep-running Waits' `MinimumWaitTimeSeconds`, which the live API requires beside
   * `ContinueExecution` (1, as in the console export issue 14 reports).
   */
  readonly keepRunningMinimumWaitSeconds: number;
  /** native-async: a plain event wait before the first filler, so a fast answer needs none. */
  readonly fastAnswerWaitSeconds: number;
  /** native-async: the pause before each "still working" filler. */
  readonly fillerPauseMs: number;
  /** native-async: the Wait block's own timeout, past the invocation limit so the Lambda's failure arrives first. */
  readonly asyncWaitTimeoutSeconds: number;
}

export class InvalidTimingBudgetError extends Error {
  readonly code = "invalid_budget";

  constructor(message: string) {
    super(message);
    this.name = "InvalidTimingBudgetError";
  }
}

/**
 * The parts loop's bound: Connect's maximum `LoopCount`. A turn asks for parts again only after a `partial`,
 * and every `partial` carries every part the caller has not heard (at least one), so a turn takes at most
 * as many rounds as its answer has parts: the 3,000-character answer cap (adapters-connect's
 * `maxAnswerChars` default) allows at most 76 parts in en-US (a 12-character first part, then 40 each) and
 * 151 in ja-JP (6, then 20 each). Time bounds it more tightly: a part after the first takes at least about
 * 2.5 s to say and the model stops at the turn's deadline (60 s), after which one response carries the rest,
 * so about 26 rounds at most. Connect keeps a Loop counter for the whole contact and resets it only after
 * `DoneLooping`, so 100 lets at least three such worst-case turns through (a usual answer takes 2 to 5
 * rounds, so a call would need some twenty answered turns to reach it). On `DoneLooping` the caller hears
 * the short apology and "anything else?", and the counter starts over (docs/contact-flow.md).
 */
export const PARTS_LOOP_COUNT = 100;

const wholeIn = (value: number, min: number, max: number) =>
  Number.isInteger(value) && value >= min && value <= max;

/**
 * The flow's numbers from `@holdline/budget`'s `deriveBudget()`, so the flow and the Lambdas share one
 * budget. `deriveBudget` already refuses choices Connect cannot honour; this refuses a budget edited after.
 */
export function deriveFlowTiming(budget: TimingBudget): FlowTiming {
  const syncLimitSeconds = budget.connectStart.blockLimitSeconds;
  if (syncLimitSeconds !== budget.connectStatus.blockLimitSeconds) {
    throw new InvalidTimingBudgetError("connect-start and connect-status must share one block limit");
  }
  if (!wholeIn(syncLimitSeconds, 1, 8)) {
    throw new InvalidTimingBudgetError("the synchronous block limit must be a whole number from 1 to 8");
  }
  const asyncLimitSeconds = budget.connectAnswer.blockLimitSeconds;
  if (!wholeIn(asyncLimitSeconds, 1, 60)) {
    throw new InvalidTimingBudgetError("the asynchronous block limit must be a whole number from 1 to 60");
  }
  // One silence each: the shorter of the two handlers' waits.
  const handlerWaitMs = Math.min(budget.connectStart.waitMs, budget.connectStatus.waitMs);
  if (handlerWaitMs > budget.choices.maxSilenceMs || handlerWaitMs < 1_000) {
    throw new InvalidTimingBudgetError("the handlers' wait must be at least 1 s and within maxSilenceMs");
  }
  if (budget.policy.deadlineMs < budget.choices.maxSilenceMs) {
    throw new InvalidTimingBudgetError("the execution deadline must be at least maxSilenceMs");
  }
  // Connect keeps a Loop block's counter for the whole contact and resets it only after DoneLooping, so
  // the net is sized for a few long turns, not one.
  const pollLoopCount = Math.min(100, Math.ceil(budget.policy.deadlineMs / handlerWaitMs) * 3);
  // What MinimumWaitTimeSeconds does at run time is not documented (MGW: "runtime semantics are not"
  // verified). If it holds the contact in the Wait before each Continue, it adds to the silence before the
  // hold-on prompt and each filler; so both silences leave room for it and stay within one handler wait
  // whichever reading is right.
  const keepRunningMinimumWaitSeconds = 1;
  const roomMs = handlerWaitMs - keepRunningMinimumWaitSeconds * 1_000;
  return {
    syncInvocationLimitSeconds: syncLimitSeconds,
    asyncInvocationLimitSeconds: asyncLimitSeconds,
    handlerWaitMs,
    pollLoopCount,
    partsLoopCount: PARTS_LOOP_COUNT,
    keepRunningMinimumWaitSeconds,
    fastAnswerWaitSeconds: Math.max(1, Math.floor(roomMs / 1_000)),
    fillerPauseMs: Math.max(0, roomMs),
    asyncWaitTimeoutSeconds: asyncLimitSeconds + 2,
  };
}

/**
 * The offer of the answer by text message (docs/text-delivery.md): how the flow turns `afterSeconds` into
 * filler rounds, how long it listens for the key, how long connect-text-offer may take.
 */
export interface TextOfferTiming {
  /**
   * How many "still working" fillers the caller hears in a turn before the offer takes the next one's place
   * (at least 1: the offer never comes before a filler). A flow cannot read a clock, so the wait is counted in
   * rounds (a contact attribute, reset each turn); see `textOfferTiming`.
   */
  readonly fillerRounds: number;
  /** The estimate one round is counted as (a silence plus a filler), in ms. */
  readonly roundMs: number;
  /** The offer block's `InputTimeLimitSeconds`: the silence after its prompt, if no key comes. */
  readonly inputTimeLimitSeconds: number;
  /** `InvocationTimeLimitSeconds` of connect-text-offer (synchronous, Connect allows 1–8). */
  readonly invocationLimitSeconds: number;
}

/**
 * About how long "still working" (or "ただいま確認しております。") takes to say: the round estimate's speech.
 * Prompt lengths are not known to the builder; this is the en-US/ja-JP fillers' length at Polly's usual rate.
 */
export const FILLER_SPEECH_ESTIMATE_MS = 1_500;

/** Room left, after the offer's silence, for Connect to start the next prompt. */
const NEXT_PROMPT_MARGIN_MS = 500;

/** The most filler rounds counted before the offer: each round is one block of the flow. */
export const MAX_TEXT_OFFER_ROUNDS = 30;

/**
 * `afterSeconds` as filler rounds. The first round is the turn's start: connect-start's fast path and the
 * hold-on prompt (polling), or the fast wait and the hold-on prompt (native-async), counted as one round.
 * Each later round is one silence and one filler:
 *
 * - polling: connect-status's long-poll (at most `maxSilenceMs`, its wait plus the invocation overhead),
 *   then "still working";
 * - native-async: the keep-running Wait's minimum wait, the paced filler's pause, then "still working".
 *
 * So the offer comes about `(fillerRounds + 1) × roundMs` into the wait, `roundMs` off at most either way, and
 * later when a round takes longer (a long-poll cut short by a part is not a round: after a part, no offer).
 * The input window leaves the rest of one silence, less a margin, so the offer's prompt end and the next
 * sound (the filler every exit plays) are within `maxSilenceMs`.
 */
export function textOfferTiming(
  budget: TimingBudget,
  strategy: "polling" | "native-async",
  afterSeconds: number,
): TextOfferTiming {
  if (!Number.isFinite(afterSeconds) || afterSeconds < 1) {
    throw new InvalidTimingBudgetError("the text offer's afterSeconds must be at least 1");
  }
  const timing = deriveFlowTiming(budget);
  const invocationLimitSeconds = budget.connectTextOffer.blockLimitSeconds;
  if (!wholeIn(invocationLimitSeconds, 1, 8)) {
    throw new InvalidTimingBudgetError("connect-text-offer's block limit must be a whole number from 1 to 8");
  }
  const silenceMs =
    strategy === "polling"
      ? budget.choices.maxSilenceMs
      : timing.keepRunningMinimumWaitSeconds * 1_000 + timing.fillerPauseMs;
  const roundMs = silenceMs + FILLER_SPEECH_ESTIMATE_MS;
  const fillerRounds = Math.min(
    MAX_TEXT_OFFER_ROUNDS,
    Math.max(1, Math.round((afterSeconds * 1_000) / roundMs) - 1),
  );
  return {
    fillerRounds,
    roundMs,
    inputTimeLimitSeconds: Math.max(
      1,
      Math.floor((budget.choices.maxSilenceMs - NEXT_PROMPT_MARGIN_MS) / 1_000),
    ),
    invocationLimitSeconds,
  };
}

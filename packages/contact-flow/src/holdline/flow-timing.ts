/**
 * The one budget every timeout of a call derives from. The Lambdas' own timeouts must equal the
 * invocation limits below: a Lambda that times out before Connect stops waiting gets retried by Connect
 * (seed 001's double booking).
 */
export interface TimingBudget {
  /** `InvocationTimeLimitSeconds` of connect-start and connect-status (Connect allows 1–8). */
  readonly syncInvocationLimitSeconds: number;
  /** `InvocationTimeLimitSeconds` of connect-answer in the native-async flow (Connect allows 1–60). */
  readonly asyncInvocationLimitSeconds: number;
  /** How long after the question an answer is still useful (the execution deadline). */
  readonly totalDeadlineMs: number;
  /** Longest the caller may hear nothing while work runs; also the filler cadence. */
  readonly maxSilenceMs: number;
  /** Kept free inside each silence for invocation overhead and Lex latency. */
  readonly silenceMarginMs: number;
}

export const defaultTimingBudget: TimingBudget = {
  syncInvocationLimitSeconds: 8,
  asyncInvocationLimitSeconds: 60,
  totalDeadlineMs: 55_000,
  maxSilenceMs: 3_000,
  silenceMarginMs: 500,
};

/** Numbers the flows are built from. */
export interface FlowTiming {
  readonly syncInvocationLimitSeconds: number;
  readonly asyncInvocationLimitSeconds: number;
  /** How long connect-start (fast path) and connect-status (long-poll) wait: one silence each. */
  readonly handlerWaitMs: number;
  /** Safety net of the polling loop (a Loop block; the deadline is what normally ends it). */
  readonly pollLoopCount: number;
  /** native-async: a plain event wait before the first filler, so a fast answer needs none. */
  readonly fastAnswerWaitSeconds: number;
  /** native-async: the pause before each "still working" filler. */
  readonly fillerPauseMs: number;
  /** native-async: the Wait block's own timeout, past the invocation limit so the Lambda's failure arrives first. */
  readonly asyncWaitTimeoutSeconds: number;
}

/**
 * The parts of `@holdline/budget`'s `deriveBudget()` result the flows need, typed structurally so this
 * package imports nothing. Pass `fromHoldlineBudget(deriveBudget(choices))` to build a flow from the same
 * budget the Lambdas are configured from.
 */
export interface HoldlineBudgetLike {
  readonly choices: { readonly maxSilenceMs: number };
  readonly policy: { readonly deadlineMs: number };
  readonly connectStart: { readonly blockLimitSeconds: number; readonly waitMs: number };
  readonly connectStatus: { readonly blockLimitSeconds: number; readonly waitMs: number };
  readonly connectAnswer: { readonly blockLimitSeconds: number };
}

export function fromHoldlineBudget(budget: HoldlineBudgetLike): TimingBudget {
  if (budget.connectStart.blockLimitSeconds !== budget.connectStatus.blockLimitSeconds) {
    throw new InvalidTimingBudgetError("connect-start and connect-status must share one block limit");
  }
  return {
    syncInvocationLimitSeconds: budget.connectStart.blockLimitSeconds,
    asyncInvocationLimitSeconds: budget.connectAnswer.blockLimitSeconds,
    totalDeadlineMs: budget.policy.deadlineMs,
    maxSilenceMs: budget.choices.maxSilenceMs,
    silenceMarginMs:
      budget.choices.maxSilenceMs - Math.min(budget.connectStart.waitMs, budget.connectStatus.waitMs),
  };
}

export class InvalidTimingBudgetError extends Error {
  readonly code = "invalid_budget";

  constructor(message: string) {
    super(message);
    this.name = "InvalidTimingBudgetError";
  }
}

const wholeIn = (value: number, min: number, max: number) =>
  Number.isInteger(value) && value >= min && value <= max;

export function deriveFlowTiming(budget: TimingBudget): FlowTiming {
  if (!wholeIn(budget.syncInvocationLimitSeconds, 1, 8)) {
    throw new InvalidTimingBudgetError("syncInvocationLimitSeconds must be a whole number from 1 to 8");
  }
  if (!wholeIn(budget.asyncInvocationLimitSeconds, 1, 60)) {
    throw new InvalidTimingBudgetError("asyncInvocationLimitSeconds must be a whole number from 1 to 60");
  }
  if (budget.silenceMarginMs < 0 || budget.maxSilenceMs - budget.silenceMarginMs < 1_000) {
    throw new InvalidTimingBudgetError("maxSilenceMs must leave at least 1 s after silenceMarginMs");
  }
  if (budget.totalDeadlineMs < budget.maxSilenceMs) {
    throw new InvalidTimingBudgetError("totalDeadlineMs must be at least maxSilenceMs");
  }
  const handlerWaitMs = Math.min(
    budget.maxSilenceMs - budget.silenceMarginMs,
    budget.syncInvocationLimitSeconds * 1_000 - budget.silenceMarginMs,
  );
  // Connect keeps a Loop block's counter for the whole contact and resets it only after DoneLooping, so
  // the net is sized for a few long turns, not one.
  const pollLoopCount = Math.min(100, Math.ceil(budget.totalDeadlineMs / handlerWaitMs) * 3);
  return {
    syncInvocationLimitSeconds: budget.syncInvocationLimitSeconds,
    asyncInvocationLimitSeconds: budget.asyncInvocationLimitSeconds,
    handlerWaitMs,
    pollLoopCount,
    fastAnswerWaitSeconds: Math.max(1, Math.floor(handlerWaitMs / 1_000)),
    fillerPauseMs: handlerWaitMs,
    asyncWaitTimeoutSeconds: budget.asyncInvocationLimitSeconds + 2,
  };
}

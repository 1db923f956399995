import type { ExecutionStatus } from "@holdline/domain/execution/execution";
import { maximum, percentile } from "./sample-statistics.ts";

/** What the caller heard for the turn: the answer, the error prompt (with the code it was told), or neither. */
export type HeardOutcome =
  | { readonly kind: "answer" }
  /** The flow's error prompt, after a handler answered `error` with this `errorCode`. */
  | { readonly kind: "error"; readonly code: string }
  /** The flow's "unavailable" prompt: a Lambda block failed (e.g. `timeout`) or a safety net ran out. */
  | { readonly kind: "unavailable"; readonly cause: string }
  /** The call ended without any of the three. */
  | { readonly kind: "nothing" };

/** One model call, on the bench's clock (epoch ms); `answeredAt` unset when it failed or was aborted. */
export interface ModelCallTimes {
  readonly startedAt: number;
  readonly answeredAt?: number;
}

/** The execution as the store holds it once every call and every background invocation has finished. */
export interface StoredTurn {
  readonly status: ExecutionStatus;
  /** Claims so far: the model may be called at most once per claim. */
  readonly attempt: number;
  readonly errorCode?: string;
  readonly deadlineAt: number;
  readonly finishedAt?: number;
}

/** One caller's turn in a run of simultaneous calls: the raw facts the accounting is made of. */
export interface TurnRecord {
  /** `contact#turn`. */
  readonly key: string;
  readonly heard: HeardOutcome;
  /** When the caller started hearing the answer or the error prompt (epoch ms), if it did. */
  readonly heardAt?: number;
  readonly longestSilenceMs: number;
  /** Every model call made for this (contact, turn), traced by the question's number. */
  readonly modelCalls: readonly ModelCallTimes[];
  /** Absent when no execution was ever stored (the create never landed). */
  readonly stored?: StoredTurn;
  /** Invocations Connect gave up on at the block's time limit during this call. */
  readonly blockTimeouts: number;
  /** The model's answer → the Connect-facing handler returning `completed`, when answered. */
  readonly handlerOverheadMs?: number;
  /** The model's answer → the caller starting to hear it, when answered. */
  readonly heardOverheadMs?: number;
  /**
   * This turn's completion writes (`running → completed`) that did not land: when each ended (epoch ms) and
   * why (`store_unavailable`: no reply in time; `stale_version`: refused, another write came first).
   */
  readonly failedCompletions: readonly { readonly endAt: number; readonly code: string }[];
  /** The call's timeline and back-end notes in a few lines, for the report of a broken invariant. */
  readonly trace: readonly string[];
}

/** How an answer reaches the caller under the run's strategy: what may excuse an answer not heard. */
export interface DeliveryPath {
  /**
   * polling: the caller hears an answer only by a read of the store, so an answer the store would not take
   * cannot reach the caller. native-async: connect-answer holds the answer and returns it to Connect itself.
   */
  readonly answerOnlyThroughStore: boolean;
  /**
   * A worker that kept re-sending its completion until the deadline made its last try this close to it:
   * the longest pause between tries plus one store call.
   */
  readonly retryWindowMs: number;
}

/** What the store did during the run: how saturated it was. */
export interface StoreLoad {
  /** Store calls (each may be several DynamoDB requests with the SDK's retries). */
  readonly calls: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  /** Calls that ended in an error, by code (`store_unavailable`: no reply within the operation timeout). */
  readonly failures: Readonly<Record<string, number>>;
}

/** One level of the sweep for one strategy, accounted. */
export interface LevelSummary {
  readonly strategy: string;
  readonly calls: number;
  readonly wallMs: number;
  readonly eventLoopDelayP99Ms: number;
  readonly answered: number;
  /** Error prompts heard, by the `errorCode` the caller was told; "unavailable" prompts by their cause. */
  readonly errorPrompts: Readonly<Record<string, number>>;
  readonly unavailablePrompts: Readonly<Record<string, number>>;
  readonly nothingHeard: number;
  readonly longestSilenceP50Ms: number;
  readonly longestSilenceMaxMs: number;
  readonly modelCalls: number;
  /**
   * Turns for which the model produced an answer the caller never heard: the caller heard an error prompt,
   * or nothing, instead. Every one is an answer lost (see `invariantFailures`).
   */
  readonly answersLost: number;
  /** The lost answers by what the caller heard instead and what the store holds. */
  readonly answersLostBy: Readonly<Record<string, number>>;
  /** Answers the store would not take before the deadline (`answerUndeliverable`): reported, not lost. */
  readonly answersUndeliverable: number;
  /** Of the lost answers, those the store holds as `completed`: the caller was told otherwise meanwhile. */
  readonly completedNotHeard: number;
  /** Executions still `queued` or `running` when everything had finished: nothing will ever end them. */
  readonly turnsStranded: number;
  readonly turnsStrandedBy: Readonly<Record<string, number>>;
  /** (contact, turn)s whose model calls outnumber their claims. */
  readonly overCalled: number;
  readonly blockTimeouts: number;
  readonly handlerOverheadMs: readonly number[];
  readonly heardOverheadMs: readonly number[];
  readonly dynamodbRequests: number;
  readonly store: StoreLoad;
  /** A few traces per broken invariant, for the console. */
  readonly examples: readonly string[];
}

export interface LevelRun {
  readonly strategy: string;
  readonly delivery: DeliveryPath;
  readonly calls: number;
  readonly wallMs: number;
  /**
   * The p99 of the bench process's event-loop delay: the emulator, the handlers and the SDK share one thread,
   * so a timer (a prompt's end, a request timeout) fires this late when the process itself is saturated.
   */
  readonly eventLoopDelayP99Ms: number;
  readonly turns: readonly TurnRecord[];
  readonly dynamodbRequests: number;
  readonly store: StoreLoad;
}

/** Traces kept per broken invariant: the first turn of each way it broke, up to this many ways. */
const EXAMPLES_PER_INVARIANT = 4;

const bump = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** What the caller heard, in a few words: `answer`, `error store_unavailable`, `unavailable timeout`. */
export const describeHeard = (heard: HeardOutcome): string =>
  heard.kind === "error"
    ? `error ${heard.code}`
    : heard.kind === "unavailable"
      ? `unavailable (${heard.cause})`
      : heard.kind;

const storedAs = (stored: StoredTurn | undefined): string =>
  stored === undefined
    ? "not stored"
    : `${stored.status}${stored.errorCode === undefined ? "" : ` ${stored.errorCode}`}`;

const modelAnswered = (turn: TurnRecord) => turn.modelCalls.some((call) => call.answeredAt !== undefined);

/**
 * An answer the store would not take: polling only (the caller hears an answer through the store), the
 * caller heard `deadline_exceeded` and the store holds that, and every try to record the answer got no reply
 * (`store_unavailable`), the last within `retryWindowMs` of the deadline, i.e. the worker kept trying until
 * the deadline and the store never took the answer. Not a broken promise but the store's capacity: reported
 * apart. A completion refused because the deadline was declared meanwhile is not excused.
 */
export function answerUndeliverable(turn: TurnRecord, delivery: DeliveryPath): boolean {
  const { stored, failedCompletions } = turn;
  return (
    delivery.answerOnlyThroughStore &&
    modelAnswered(turn) &&
    turn.heard.kind === "error" &&
    turn.heard.code === "deadline_exceeded" &&
    stored?.status === "failed" &&
    stored.errorCode === "deadline_exceeded" &&
    failedCompletions.length > 0 &&
    failedCompletions.every((attempt) => attempt.code === "store_unavailable") &&
    Math.max(...failedCompletions.map((attempt) => attempt.endAt)) >=
      stored.deadlineAt - delivery.retryWindowMs
  );
}

/**
 * An answer is lost when the model returned it and the caller did not hear it (an error prompt, or nothing,
 * instead), unless the store would not take it until the deadline (`answerUndeliverable`). No exemption for
 * a caller told `deadline_exceeded` otherwise: the worker aborts its model call at the lease or the deadline,
 * so an answer that came back is one the system let finish; telling the caller "error" while it was on its
 * way (the deadline declared while a completion was in flight included), or finishing a model call nobody will
 * hear, is the defect.
 */
export const answerLost = (turn: TurnRecord, delivery: DeliveryPath): boolean =>
  turn.heard.kind !== "answer" && modelAnswered(turn) && !answerUndeliverable(turn, delivery);

/** Nothing is left to end an execution that is still queued or running once every invocation is over. */
export const stranded = (turn: TurnRecord): boolean =>
  turn.stored !== undefined && (turn.stored.status === "queued" || turn.stored.status === "running");

/** At most one model call per claim; an execution never stored has had no claim. */
export const overCalled = (turn: TurnRecord): boolean => turn.modelCalls.length > (turn.stored?.attempt ?? 0);

const example = (what: string, turn: TurnRecord) =>
  [
    `${what}: ${turn.key}, heard ${describeHeard(turn.heard)}, store ${storedAs(turn.stored)}, ${turn.modelCalls.length} model call(s)`,
    ...turn.trace.map((line) => `    ${line}`),
  ].join("\n");

function examplesOf(what: string, turns: readonly TurnRecord[], wayOf: (turn: TurnRecord) => string) {
  const firstOfEachWay = new Map<string, TurnRecord>();
  for (const turn of turns) if (!firstOfEachWay.has(wayOf(turn))) firstOfEachWay.set(wayOf(turn), turn);
  return [...firstOfEachWay.values()].slice(0, EXAMPLES_PER_INVARIANT).map((turn) => example(what, turn));
}

export function summarizeLevel(run: LevelRun): LevelSummary {
  const errorPrompts: Record<string, number> = {};
  const unavailablePrompts: Record<string, number> = {};
  const answersLostBy: Record<string, number> = {};
  const turnsStrandedBy: Record<string, number> = {};
  const examples: string[] = [];
  const lost = run.turns.filter((turn) => answerLost(turn, run.delivery));
  const undeliverable = run.turns.filter((turn) => answerUndeliverable(turn, run.delivery));
  const strandedTurns = run.turns.filter(stranded);
  const overCalledTurns = run.turns.filter(overCalled);
  for (const turn of run.turns) {
    if (turn.heard.kind === "error") bump(errorPrompts, turn.heard.code);
    if (turn.heard.kind === "unavailable") bump(unavailablePrompts, turn.heard.cause);
  }
  const lostAs = (turn: TurnRecord) => `heard ${describeHeard(turn.heard)}, ${storedAs(turn.stored)}`;
  const strandedAs = (turn: TurnRecord) => `${storedAs(turn.stored)}, heard ${describeHeard(turn.heard)}`;
  for (const turn of lost) bump(answersLostBy, lostAs(turn));
  for (const turn of strandedTurns) bump(turnsStrandedBy, strandedAs(turn));
  examples.push(
    ...examplesOf("answer lost", lost, lostAs),
    ...examplesOf("turn stranded", strandedTurns, strandedAs),
    ...examplesOf("more model calls than claims", overCalledTurns, (turn) => String(turn.modelCalls.length)),
  );
  const silences = run.turns.map((turn) => turn.longestSilenceMs);
  return {
    strategy: run.strategy,
    calls: run.calls,
    wallMs: run.wallMs,
    eventLoopDelayP99Ms: run.eventLoopDelayP99Ms,
    answered: run.turns.filter((turn) => turn.heard.kind === "answer").length,
    errorPrompts,
    unavailablePrompts,
    nothingHeard: run.turns.filter((turn) => turn.heard.kind === "nothing").length,
    longestSilenceP50Ms: percentile(silences, 50),
    longestSilenceMaxMs: maximum(silences),
    modelCalls: run.turns.reduce((sum, turn) => sum + turn.modelCalls.length, 0),
    answersLost: lost.length,
    answersLostBy,
    answersUndeliverable: undeliverable.length,
    completedNotHeard: lost.filter((turn) => turn.stored?.status === "completed").length,
    turnsStranded: strandedTurns.length,
    turnsStrandedBy,
    overCalled: overCalledTurns.length,
    blockTimeouts: run.turns.reduce((sum, turn) => sum + turn.blockTimeouts, 0),
    handlerOverheadMs: run.turns.flatMap((turn) =>
      turn.handlerOverheadMs === undefined ? [] : [turn.handlerOverheadMs],
    ),
    heardOverheadMs: run.turns.flatMap((turn) =>
      turn.heardOverheadMs === undefined ? [] : [turn.heardOverheadMs],
    ),
    dynamodbRequests: run.dynamodbRequests,
    store: run.store,
    examples,
  };
}

const breakdown = (counts: Readonly<Record<string, number>>) =>
  Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([what, count]) => `${count} ${what}`)
    .join("; ");

/**
 * The sweep's only failures: at every level, 0 answers lost, 0 turns stranded, 0 (contact, turn)s with more
 * model calls than claims. Unanswered calls, error prompts and long silences are reported, never failed:
 * they measure this machine under load, not a broken promise.
 */
export function invariantFailures(summary: LevelSummary): string[] {
  const where = `${summary.strategy}, ${summary.calls} simultaneous calls`;
  const failures: string[] = [];
  if (summary.answersLost > 0) {
    failures.push(
      `${where}: ${summary.answersLost} answers lost (the model answered, the caller never heard it: ${breakdown(summary.answersLostBy)})`,
    );
  }
  if (summary.turnsStranded > 0) {
    failures.push(
      `${where}: ${summary.turnsStranded} turns stranded (never terminal: ${breakdown(summary.turnsStrandedBy)})`,
    );
  }
  if (summary.overCalled > 0) {
    failures.push(`${where}: ${summary.overCalled} (contact, turn)s with more model calls than claims`);
  }
  return failures;
}

/** The store was saturated when some of its calls got no reply within the operation timeout. */
export const storeSaturated = (load: StoreLoad): boolean => (load.failures.store_unavailable ?? 0) > 0;

/** `3 store_unavailable, 1 deadline_exceeded`, most frequent first; "—" for none. */
export const countsText = (counts: Readonly<Record<string, number>>): string =>
  Object.keys(counts).length === 0 ? "—" : breakdown(counts);

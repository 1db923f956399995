import { describe, expect, it } from "vitest";
import {
  answerLost,
  answerUndeliverable,
  type DeliveryPath,
  invariantFailures,
  type LevelRun,
  overCalled,
  stranded,
  summarizeLevel,
  type TurnRecord,
} from "../../src/concurrency-accounting.ts";

const T0 = 1_800_000_000_000;
const DEADLINE = T0 + 60_000;
const POLLING: DeliveryPath = { answerOnlyThroughStore: true, retryWindowMs: 5_000 };
const NATIVE_ASYNC: DeliveryPath = { answerOnlyThroughStore: false, retryWindowMs: 5_000 };

/** A turn that went right: one claim, one model call, the answer heard. */
const answeredTurn = (n: number, changes: Partial<TurnRecord> = {}): TurnRecord => ({
  key: `c${n}#1`,
  heard: { kind: "answer" },
  heardAt: T0 + 1_500,
  longestSilenceMs: 1_000 + n,
  modelCalls: [{ startedAt: T0 + 500, answeredAt: T0 + 700 }],
  stored: { status: "completed", attempt: 1, deadlineAt: DEADLINE, finishedAt: T0 + 750 },
  blockTimeouts: 0,
  handlerOverheadMs: 100,
  heardOverheadMs: 800,
  failedCompletions: [],
  trace: [`0.5s store: turn 1: queued → running (attempt 1) by answer-worker (c${n})`],
  ...changes,
});

const run = (turns: readonly TurnRecord[], delivery = POLLING): LevelRun => ({
  strategy: "polling",
  delivery,
  calls: turns.length,
  wallMs: 5_000,
  eventLoopDelayP99Ms: 20,
  turns,
  dynamodbRequests: turns.length * 7,
  store: { calls: turns.length * 7, latencyP50Ms: 10, latencyP99Ms: 40, failures: {} },
});

describe("summarizeLevel", () => {
  it("counts a clean level: every call answered once, no invariant broken", () => {
    // Act
    const summary = summarizeLevel(run([answeredTurn(1), answeredTurn(2), answeredTurn(3)]));

    // Assess
    expect(summary).toMatchObject({
      answered: 3,
      modelCalls: 3,
      answersLost: 0,
      turnsStranded: 0,
      overCalled: 0,
      longestSilenceP50Ms: 1_002,
      longestSilenceMaxMs: 1_003,
      errorPrompts: {},
    });
    expect(summary.heardOverheadMs).toEqual([800, 800, 800]);
    expect(invariantFailures(summary)).toEqual([]);
  });

  it("counts error prompts by the code the caller was told, unavailable prompts by cause", () => {
    // Prepare: no execution stored, no model call: an error heard, nothing lost.
    const refused = (n: number, code: string): TurnRecord =>
      answeredTurn(n, { heard: { kind: "error", code }, modelCalls: [], stored: undefined });

    // Act
    const summary = summarizeLevel(
      run([
        refused(1, "store_unavailable"),
        refused(2, "store_unavailable"),
        refused(3, "execution_not_found"),
        answeredTurn(4, {
          heard: { kind: "unavailable", cause: "Lambda timeout" },
          modelCalls: [],
          stored: undefined,
        }),
        answeredTurn(5, { heard: { kind: "nothing" }, modelCalls: [], stored: undefined }),
      ]),
    );

    // Assess
    expect(summary.errorPrompts).toEqual({ store_unavailable: 2, execution_not_found: 1 });
    expect(summary.unavailablePrompts).toEqual({ "Lambda timeout": 1 });
    expect(summary.nothingHeard).toBe(1);
    expect(summary.answered).toBe(0);
    expect(invariantFailures(summary)).toEqual([]);
  });
});

describe("the invariants", () => {
  it("fails a level where the model answered and the caller heard an error prompt instead", () => {
    // Prepare: connect-start's read failed after the worker was dispatched; the worker completed.
    const lost = answeredTurn(7, { heard: { kind: "error", code: "store_unavailable" } });

    // Act
    const summary = summarizeLevel(run([answeredTurn(1), lost]));

    // Assess
    expect(answerLost(lost, POLLING)).toBe(true);
    expect(summary.answersLost).toBe(1);
    expect(summary.completedNotHeard).toBe(1);
    expect(summary.answersLostBy).toEqual({ "heard error store_unavailable, completed": 1 });
    expect(invariantFailures(summary)).toEqual([
      "polling, 2 simultaneous calls: 1 answers lost (the model answered, the caller never heard it: 1 heard error store_unavailable, completed)",
    ]);
    expect(summary.examples[0]).toContain(
      "answer lost: c7#1, heard error store_unavailable, store completed",
    );
    expect(summary.examples[0]).toContain("by answer-worker (c7)");
  });

  it("counts an answer that came back after the caller was told deadline_exceeded as lost too", () => {
    // Prepare: the completion was refused (the execution had failed at its deadline); the model had answered.
    const late = answeredTurn(1, {
      heard: { kind: "error", code: "deadline_exceeded" },
      modelCalls: [{ startedAt: T0 + 500, answeredAt: T0 + 60_100 }],
      stored: { status: "failed", attempt: 1, errorCode: "deadline_exceeded", deadlineAt: DEADLINE },
    });

    // Act
    const summary = summarizeLevel(run([late]));

    // Assess
    expect(summary.answersLost).toBe(1);
    expect(summary.completedNotHeard).toBe(0);
    expect(invariantFailures(summary)).toHaveLength(1);
  });

  it("does not count a model call aborted at the deadline as a lost answer", () => {
    // Prepare
    const aborted = answeredTurn(1, {
      heard: { kind: "error", code: "deadline_exceeded" },
      modelCalls: [{ startedAt: T0 + 500 }],
      stored: { status: "failed", attempt: 1, errorCode: "deadline_exceeded", deadlineAt: DEADLINE },
    });

    // Act
    const summary = summarizeLevel(run([aborted]));

    // Assess
    expect(answerLost(aborted, POLLING)).toBe(false);
    expect(invariantFailures(summary)).toEqual([]);
  });

  /** The model answered at 20 s; the caller heard deadline_exceeded, which the store holds. */
  const deadlineAfterAnswer = (failedCompletions: TurnRecord["failedCompletions"]) =>
    answeredTurn(1, {
      heard: { kind: "error", code: "deadline_exceeded" },
      modelCalls: [{ startedAt: T0 + 19_800, answeredAt: T0 + 20_000 }],
      stored: { status: "failed", attempt: 1, errorCode: "deadline_exceeded", deadlineAt: DEADLINE },
      failedCompletions,
    });
  /** Every try to record the answer got no reply, the worker re-sending until the deadline. */
  const tries = [20_100, 25_000, 30_000, 35_000, 40_000, 45_000, 50_000, 56_000].map((ms) => ({
    endAt: T0 + ms,
    code: "store_unavailable",
  }));

  it("reports apart, without failing, an answer the store would not take until the deadline (polling)", () => {
    // Prepare
    const refusedByTheStore = deadlineAfterAnswer(tries);

    // Act
    const summary = summarizeLevel(run([refusedByTheStore, answeredTurn(2)]));

    // Assess
    expect(answerUndeliverable(refusedByTheStore, POLLING)).toBe(true);
    expect(summary).toMatchObject({ answersUndeliverable: 1, answersLost: 0 });
    expect(invariantFailures(summary)).toEqual([]);
  });

  it("counts as lost an answer whose worker stopped re-sending it long before the deadline", () => {
    // Prepare: one failed try at 20 s, then nothing until the deadline.
    const gaveUp = deadlineAfterAnswer(tries.slice(0, 1));

    // Act
    const summary = summarizeLevel(run([gaveUp]));

    // Assess
    expect(summary).toMatchObject({ answersUndeliverable: 0, answersLost: 1 });
    expect(invariantFailures(summary)).toHaveLength(1);
  });

  it("counts as lost an answer whose completion was refused because the deadline was declared meanwhile", () => {
    // Prepare
    const raced = deadlineAfterAnswer([...tries, { endAt: DEADLINE + 100, code: "stale_version" }]);

    // Act
    const summary = summarizeLevel(run([raced]));

    // Assess
    expect(answerLost(raced, POLLING)).toBe(true);
    expect(summary.answersUndeliverable).toBe(0);
  });

  it("does not excuse native-async, whose connect-answer holds the answer without the store", () => {
    // Prepare
    const heldByConnectAnswer = deadlineAfterAnswer(tries);

    // Act
    const summary = summarizeLevel(run([heldByConnectAnswer], NATIVE_ASYNC));

    // Assess
    expect(answerLost(heldByConnectAnswer, NATIVE_ASYNC)).toBe(true);
    expect(summary).toMatchObject({ answersUndeliverable: 0, answersLost: 1 });
  });

  it("fails a level that leaves an execution queued or running once everything has finished", () => {
    // Prepare: a create whose reply was lost (queued, never dispatched); a claim whose reply was lost.
    const neverDispatched = answeredTurn(1, {
      heard: { kind: "error", code: "store_unavailable" },
      modelCalls: [],
      stored: { status: "queued", attempt: 0, deadlineAt: DEADLINE },
    });
    const neverRun = answeredTurn(2, {
      heard: { kind: "error", code: "deadline_exceeded" },
      modelCalls: [],
      stored: { status: "running", attempt: 1, deadlineAt: DEADLINE },
    });

    // Act
    const summary = summarizeLevel(run([neverDispatched, neverRun, answeredTurn(3)]));

    // Assess
    expect([neverDispatched, neverRun].map(stranded)).toEqual([true, true]);
    expect(summary.turnsStranded).toBe(2);
    expect(summary.turnsStrandedBy).toEqual({
      "queued, heard error store_unavailable": 1,
      "running, heard error deadline_exceeded": 1,
    });
    expect(invariantFailures(summary)).toEqual([
      "polling, 3 simultaneous calls: 2 turns stranded (never terminal: 1 queued, heard error store_unavailable; 1 running, heard error deadline_exceeded)",
    ]);
  });

  it("does not count a terminal execution, or one never stored, as stranded", () => {
    // Prepare
    const failed = answeredTurn(1, {
      heard: { kind: "error", code: "worker_failed" },
      modelCalls: [],
      stored: { status: "failed", attempt: 1, errorCode: "worker_failed", deadlineAt: DEADLINE },
    });
    const absent = answeredTurn(2, { heard: { kind: "error", code: "store_unavailable" }, modelCalls: [] });
    const { stored: _, ...neverStored } = absent;

    // Act
    const summary = summarizeLevel(run([failed, neverStored, answeredTurn(3)]));

    // Assess
    expect(summary.turnsStranded).toBe(0);
    expect(invariantFailures(summary)).toEqual([]);
  });

  it("fails a (contact, turn) whose model calls outnumber its claims, and allows one per claim", () => {
    // Prepare
    const twice = [
      { startedAt: T0 + 500, answeredAt: T0 + 700 },
      { startedAt: T0 + 800, answeredAt: T0 + 900 },
    ];
    const duplicate = answeredTurn(1, { modelCalls: twice });
    const reclaimed = answeredTurn(2, {
      modelCalls: twice,
      stored: { status: "completed", attempt: 2, deadlineAt: DEADLINE },
    });
    const { stored: _, ...unclaimed } = answeredTurn(3);

    // Act
    const summary = summarizeLevel(run([duplicate, reclaimed, unclaimed]));

    // Assess
    expect([duplicate, reclaimed, unclaimed].map(overCalled)).toEqual([true, false, true]);
    expect(summary.overCalled).toBe(2);
    expect(summary.modelCalls).toBe(5);
    expect(invariantFailures(summary)).toEqual([
      "polling, 3 simultaneous calls: 2 (contact, turn)s with more model calls than claims",
    ]);
  });
});

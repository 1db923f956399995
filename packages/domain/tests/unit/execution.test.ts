import { describe, expect, it } from "vitest";
import { InvalidTurnError, TransitionRefusedError } from "../../src/errors.ts";
import {
  ALLOWED_TRANSITIONS,
  claim,
  complete,
  type Execution,
  type ExecutionStatus,
  fail,
  isLeaseOver,
  isPastDeadline,
  newExecution,
  redispatch,
  redispatchAfterLease,
  renew,
  wroteThis,
} from "../../src/execution/execution.ts";
import {
  EXECUTION_ERROR,
  EXECUTION_LEASE,
  EXECUTION_T0,
  executionInState,
  queuedExecution,
} from "../support/executions/execution-in-state.ts";

/** Attempts `to` from `execution` the way a use case would, past any lease. */
const attempt = (execution: Execution, to: ExecutionStatus): Execution => {
  const now = EXECUTION_T0 + 30_000;
  switch (to) {
    case "queued":
      return redispatch(execution, { now });
    case "running":
      return claim(execution, { now, ...EXECUTION_LEASE });
    case "completed":
      return complete(execution, { now, answer: "nine" });
    case "failed":
      return fail(execution, { now, error: EXECUTION_ERROR });
  }
};

const statuses: ExecutionStatus[] = ["queued", "running", "completed", "failed"];
const cases = statuses.flatMap((from) =>
  statuses.map((to) => ({ from, to, allowed: ALLOWED_TRANSITIONS[from].includes(to) })),
);

describe("execution state machine", () => {
  it("allows exactly the documented transitions", () => {
    expect(ALLOWED_TRANSITIONS).toEqual({
      queued: ["queued", "running", "failed"],
      running: ["running", "completed", "failed"],
      completed: [],
      failed: [],
    });
  });

  it.each(cases.filter((c) => c.allowed))("allows $from → $to and bumps the version", ({ from, to }) => {
    // Prepare
    const before = executionInState(from);

    // Act
    const after = attempt(before, to);

    // Assess
    expect(after.status).toBe(to);
    expect(after.version).toBe(before.version + 1);
  });

  it.each(cases.filter((c) => !c.allowed))("refuses $from → $to with invalid_transition", ({ from, to }) => {
    const before = executionInState(from);

    expect(() => attempt(before, to)).toThrow(TransitionRefusedError);
    expect(() => attempt(before, to)).toThrow(
      expect.objectContaining({ code: "invalid_transition", from, to }),
    );
  });

  it("starts queued at version 1 with the deadline and TTL derived from its start", () => {
    const execution = queuedExecution();

    expect(execution).toMatchObject({
      status: "queued",
      version: 1,
      attempt: 0,
      deadlineAt: EXECUTION_T0 + 60_000,
    });
    expect(execution.expiresAt).toBe((EXECUTION_T0 + 60_000) / 1000 + 3_600);
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses turn %s with invalid_turn", (turn) => {
    // Act
    const attempt = () =>
      newExecution({
        key: { contactId: "c", turn },
        input: { question: "q", locale: "en-US" },
        now: EXECUTION_T0,
        deadlineMs: 1,
        retentionSeconds: 1,
      });

    // Assess
    expect(attempt).toThrow(InvalidTurnError);
    expect(attempt).toThrow(expect.objectContaining({ code: "invalid_turn", retryable: false }));
  });

  it("gives a claim a lease capped by the deadline and counts the attempt", () => {
    const running = claim(queuedExecution(), { now: EXECUTION_T0 + 50_000, leaseMs: 20_000, maxAttempts: 2 });

    expect(running).toMatchObject({
      status: "running",
      attempt: 1,
      leaseUntil: EXECUTION_T0 + 60_000,
      startedAt: EXECUTION_T0 + 50_000,
    });
  });

  it("refuses a re-claim while the lease is held", () => {
    const running = executionInState("running");

    expect(() => claim(running, { now: running.leaseUntil! - 1, ...EXECUTION_LEASE })).toThrow(
      expect.objectContaining({ code: "lease_held" }),
    );
  });

  it("re-claims after the lease expired, as the next attempt", () => {
    const running = executionInState("running");

    const reclaimed = claim(running, { now: running.leaseUntil!, ...EXECUTION_LEASE });

    expect(reclaimed).toMatchObject({ status: "running", attempt: 2, startedAt: running.startedAt });
  });

  it("refuses a claim beyond maxAttempts with attempts_exhausted", () => {
    const second = claim(executionInState("running"), { now: EXECUTION_T0 + 25_000, ...EXECUTION_LEASE });

    expect(() => claim(second, { now: EXECUTION_T0 + 59_000, ...EXECUTION_LEASE })).toThrow(
      expect.objectContaining({ code: "attempts_exhausted" }),
    );
  });

  it("drops the lease and records the finish time when it ends", () => {
    const done = executionInState("completed");

    expect(done.leaseUntil).toBeUndefined();
    expect(done.finishedAt).toBe(EXECUTION_T0 + 2);
  });

  it("counts only a non-terminal execution as past its deadline", () => {
    expect(isPastDeadline(executionInState("running"), EXECUTION_T0 + 60_000)).toBe(true);
    expect(isPastDeadline(executionInState("running"), EXECUTION_T0 + 59_999)).toBe(false);
    expect(isPastDeadline(executionInState("completed"), EXECUTION_T0 + 120_000)).toBe(false);
  });

  it("stamps a write with its writer's token and never carries the previous writer's on", () => {
    const created = newExecution({
      key: { contactId: "c-1", turn: 1 },
      input: { question: "hours?", locale: "en-US" },
      now: EXECUTION_T0,
      deadlineMs: 60_000,
      retentionSeconds: 3_600,
      by: "start",
    });
    const claimed = claim(created, { now: EXECUTION_T0 + 1, ...EXECUTION_LEASE, by: "worker" });
    const anonymous = fail(claimed, { now: EXECUTION_T0 + 2, error: EXECUTION_ERROR });

    expect([created.lastWriter, claimed.lastWriter]).toEqual(["start", "worker"]);
    expect("lastWriter" in anonymous).toBe(false);
  });

  it("recognises a write by its token, the version it wrote and its status only", () => {
    const queued = queuedExecution();
    const mine = claim(queued, { now: EXECUTION_T0 + 1, ...EXECUTION_LEASE, by: "worker-1" });

    expect(wroteThis(mine, mine, queued.version + 1)).toBe(true);
    expect(wroteThis({ ...mine, lastWriter: "worker-2" }, mine, queued.version + 1)).toBe(false);
    expect(wroteThis({ ...mine, version: mine.version + 1 }, mine, queued.version + 1)).toBe(false);
    expect(wroteThis({ ...mine, status: "failed" }, mine, queued.version + 1)).toBe(false);
    expect(wroteThis(undefined, mine, queued.version + 1)).toBe(false);
    const anonymous = claim(queued, { now: EXECUTION_T0 + 1, ...EXECUTION_LEASE });
    expect(wroteThis(anonymous, anonymous, queued.version + 1)).toBe(false);
  });

  it("renews a running attempt's lease, keeping the attempt, capped by the deadline", () => {
    const running = executionInState("running");

    const renewed = renew(running, { now: EXECUTION_T0 + 10_000, leaseMs: 5_000, by: "worker" });
    const late = renew(running, { now: EXECUTION_T0 + 58_000, leaseMs: 5_000 });

    expect(renewed).toMatchObject({ attempt: running.attempt, leaseUntil: EXECUTION_T0 + 15_000 });
    expect(renewed.version).toBe(running.version + 1);
    expect(late.leaseUntil).toBe(running.deadlineAt);
    expect(() => renew(executionInState("queued"), { now: EXECUTION_T0, leaseMs: 5_000 })).toThrow(
      expect.objectContaining({ code: "invalid_transition" }),
    );
  });

  it("re-dispatches a running execution only once its attempt's lease is over", () => {
    const running = executionInState("running");
    const leaseEnd = running.leaseUntil ?? 0;

    expect(isLeaseOver(running, leaseEnd - 1)).toBe(false);
    expect(() => redispatchAfterLease(running, { now: leaseEnd - 1 })).toThrow(
      expect.objectContaining({ code: "lease_held" }),
    );
    expect(redispatchAfterLease(running, { now: leaseEnd })).toMatchObject({
      status: "running",
      attempt: running.attempt,
      dispatchedAt: leaseEnd,
    });
  });
});

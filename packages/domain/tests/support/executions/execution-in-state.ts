import {
  claim,
  complete,
  type Execution,
  type ExecutionStatus,
  fail,
  newExecution,
} from "../../../src/execution/execution.ts";

/** When the executions below were created, and what they answer or fail with. */
export const EXECUTION_T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
export const EXECUTION_LEASE = { leaseMs: 20_000, maxAttempts: 2 };
export const EXECUTION_ERROR = { code: "model_error" as const, message: "boom", retryable: false };

/** A fresh queued execution: contact `c-1`, turn 1, created at `EXECUTION_T0`. */
export const queuedExecution = (): Execution =>
  newExecution({
    key: { contactId: "c-1", turn: 1 },
    input: { question: "hours?", locale: "en-US" },
    now: EXECUTION_T0,
    deadlineMs: 60_000,
    retentionSeconds: 3_600,
  });

/** One execution in each state, reached through the transitions themselves (answer "nine", error `model_error`). */
export function executionInState(status: ExecutionStatus): Execution {
  const start = queuedExecution();
  if (status === "queued") return start;
  const running = claim(start, { now: EXECUTION_T0 + 1, ...EXECUTION_LEASE });
  if (status === "running") return running;
  if (status === "completed") return complete(running, { now: EXECUTION_T0 + 2, answer: "nine" });
  return fail(running, { now: EXECUTION_T0 + 2, error: EXECUTION_ERROR });
}

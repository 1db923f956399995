import {
  claim,
  complete,
  type Execution,
  type ExecutionStatus,
  fail,
  newExecution,
} from "@holdline/domain/execution/execution";
import { describe, expect, it } from "vitest";
import { toConnectView } from "../../src/connect-view.ts";

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const LEASE = { leaseMs: 20_000, maxAttempts: 2 };
const error = { code: "model_error" as const, message: "boom", retryable: false };

/** One execution in each state, reached through the domain's own transitions. */
const inState = (status: ExecutionStatus): Execution => {
  const start = newExecution({
    key: { contactId: "c-1", turn: 1 },
    input: { question: "hours?", locale: "en-US" },
    now: T0,
    deadlineMs: 60_000,
    retentionSeconds: 3_600,
  });
  if (status === "queued") return start;
  const running = claim(start, { now: T0 + 1, ...LEASE });
  if (status === "running") return running;
  if (status === "completed") return complete(running, { now: T0 + 2, answer: "nine" });
  return fail(running, { now: T0 + 2, error });
};

describe("Connect view", () => {
  it.each([
    ["queued", { status: "in_progress", turn: 1 }],
    ["running", { status: "in_progress", turn: 1 }],
    ["completed", { status: "completed", turn: 1, answer: "nine" }],
    ["failed", { status: "error", turn: 1, errorCode: "model_error" }],
  ] as const)("shows a %s execution in the seed's vocabulary", (status, view) => {
    expect(toConnectView(inState(status))).toEqual(view);
  });
});

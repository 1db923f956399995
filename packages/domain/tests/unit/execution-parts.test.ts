import { describe, expect, it } from "vitest";
import { appendParts, claim, complete, fail, mayReattempt, partsOf } from "../../src/execution/execution.ts";
import {
  EXECUTION_ERROR,
  EXECUTION_LEASE,
  EXECUTION_T0,
  executionInState,
} from "../support/executions/execution-in-state.ts";

const NOW = EXECUTION_T0 + 1_000;

describe("the parts of an answer in the state machine", () => {
  it("appends parts to a running attempt in order, keeping its lease and attempt", () => {
    // Prepare
    const running = executionInState("running");

    // Act
    const first = appendParts(running, { parts: ["Yes."], now: NOW, by: "parts" });
    const more = appendParts(first, { parts: ["We open at nine.", "We close at seven."], now: NOW + 1 });

    // Assess
    expect(first).toMatchObject({
      status: "running",
      attempt: running.attempt,
      leaseUntil: running.leaseUntil,
      parts: ["Yes."],
      version: running.version + 1,
      lastWriter: "parts",
    });
    expect(more.parts).toEqual(["Yes.", "We open at nine.", "We close at seven."]);
    expect(more.leaseUntil).toBe(running.leaseUntil);
  });

  it("extends the lease as a renewal would when given the lease's length, capped by the deadline", () => {
    const running = executionInState("running");

    const extended = appendParts(running, { parts: ["Yes."], now: NOW, leaseMs: 5_000 });
    const late = appendParts(running, { parts: ["Yes."], now: running.deadlineAt - 1_000, leaseMs: 5_000 });

    expect(extended.leaseUntil).toBe(NOW + 5_000);
    expect(late.leaseUntil).toBe(running.deadlineAt);
  });

  it.each(["queued", "completed", "failed"] as const)(
    "refuses to append parts to a %s execution",
    (status) => {
      expect(() => appendParts(executionInState(status), { parts: ["Yes."], now: NOW })).toThrow(
        expect.objectContaining({ code: "invalid_transition" }),
      );
    },
  );

  it("completes with every part, never rewriting the ones recorded", () => {
    // Prepare
    const recorded = appendParts(executionInState("running"), { parts: ["Yes."], now: NOW });

    // Act
    const done = complete(recorded, {
      now: NOW + 1,
      answer: "Yes. We open at nine.",
      parts: ["Yes, indeed.", "We open at nine."],
    });

    // Assess
    expect(done).toMatchObject({ status: "completed", answer: "Yes. We open at nine." });
    expect(done.parts).toEqual(["Yes.", "We open at nine."]);
  });

  it("completes without parts as before: the recorded ones stay, and a reader takes the answer as one part", () => {
    const running = executionInState("running");

    const plain = complete(running, { now: NOW, answer: "nine" });
    const recorded = complete(appendParts(running, { parts: ["Yes."], now: NOW }), {
      now: NOW,
      answer: "Yes.",
    });

    expect("parts" in plain).toBe(false);
    expect(partsOf(plain)).toEqual(["nine"]);
    expect(recorded.parts).toEqual(["Yes."]);
  });

  it("fails keeping the parts recorded, and records the parts produced before the failure", () => {
    // Prepare
    const recorded = appendParts(executionInState("running"), { parts: ["Yes."], now: NOW });

    // Act
    const kept = fail(recorded, { now: NOW + 1, error: EXECUTION_ERROR });
    const produced = fail(recorded, { now: NOW + 1, error: EXECUTION_ERROR, parts: ["Yes.", "We open at"] });

    // Assess
    expect(kept).toMatchObject({ status: "failed", parts: ["Yes."], error: EXECUTION_ERROR });
    expect(produced.parts).toEqual(["Yes.", "We open at"]);
    expect(partsOf(fail(executionInState("running"), { now: NOW, error: EXECUTION_ERROR }))).toEqual([]);
  });

  it("refuses to re-claim an attempt that recorded parts, even after its lease and with attempts left", () => {
    // Prepare
    const running = executionInState("running");
    const recorded = appendParts(running, { parts: ["Yes."], now: NOW });
    const leaseEnd = running.leaseUntil ?? 0;

    // Act
    const reclaim = () => claim(recorded, { now: leaseEnd, ...EXECUTION_LEASE });

    // Assess
    expect(mayReattempt(running)).toBe(true);
    expect(mayReattempt(recorded)).toBe(false);
    expect(reclaim).toThrow(expect.objectContaining({ code: "attempts_exhausted" }));
    expect(claim(running, { now: leaseEnd, ...EXECUTION_LEASE }).attempt).toBe(2);
  });
});

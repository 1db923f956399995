import { HoldlineError } from "@holdline/domain/errors";
import {
  appendParts,
  claim,
  complete,
  type Execution,
  fail,
  newExecution,
} from "@holdline/domain/execution/execution";
import { describe, expect, it } from "vitest";
import { fromItem, OPTIONAL_ATTRIBUTES, toItem } from "../../src/execution-item.ts";

const NOW = Date.UTC(2026, 10, 23, 9, 0, 0);
const LEASE = { leaseMs: 30_000, maxAttempts: 3 };

const queued = (): Execution =>
  newExecution({
    key: { contactId: "contact-1", turn: 7 },
    input: { question: "営業時間は？", locale: "ja-JP" },
    now: NOW,
    deadlineMs: 55_000,
    retentionSeconds: 86_400,
  });

describe("execution item mapping", () => {
  it("round-trips a queued execution, which has no optional attributes", () => {
    // Prepare
    const execution = queued();

    // Act
    const back = fromItem(toItem(execution));

    // Assess
    expect(back).toEqual(execution);
  });

  it("round-trips a completed execution with every optional attribute", () => {
    // Prepare
    const running = claim(queued(), { now: NOW + 10, ...LEASE });
    const usage = { inputTokens: 12, outputTokens: 34, latencyMs: 950, modelId: "model-x" };
    const execution = complete(running, {
      now: NOW + 2_000,
      answer: "九時に開きます。",
      parts: ["九時に", "開きます。"],
      usage,
      by: "0b8f6c2e-3c4d-4f5a-9b6c-7d8e9f0a1b2c",
    });

    // Act
    const back = fromItem(toItem(execution));

    // Assess
    expect(back).toEqual(execution);
    expect(back.lastWriter).toBe("0b8f6c2e-3c4d-4f5a-9b6c-7d8e9f0a1b2c");
    expect(back.parts).toEqual(["九時に", "開きます。"]);
  });

  it("writes the parts as a list of strings, in order, and reads them back", () => {
    // Prepare
    const running = appendParts(claim(queued(), { now: NOW, ...LEASE }), {
      parts: ["はい。", "九時に開きます。"],
      now: NOW + 1,
    });

    // Act
    const item = toItem(running);

    // Assess
    expect(item.parts).toEqual(["はい。", "九時に開きます。"]);
    expect(fromItem(item)).toEqual(running);
  });

  it("refuses stored parts that are not a list of strings with internal_error", () => {
    const item = { ...toItem(queued()), parts: ["はい。", 7] };

    expect(() => fromItem(item)).toThrow(/string list attribute parts/);
  });

  it("round-trips a failed execution and its error", () => {
    // Prepare
    const error = { code: "throttled" as const, message: "slow down", retryable: true };
    const execution = fail(claim(queued(), { now: NOW, ...LEASE }), { now: NOW + 1, error });

    // Act
    const back = fromItem(toItem(execution));

    // Assess
    expect(back.error).toEqual(error);
    expect(back).toEqual(execution);
  });

  it("writes no attribute for an absent optional field, not even an undefined one", () => {
    // Prepare
    const execution = complete(claim(queued(), { now: NOW, ...LEASE }), { now: NOW + 1, answer: "ok" });

    // Act
    const item = toItem(execution);

    // Assess
    expect(Object.keys(item)).not.toContain("leaseUntil");
    expect(Object.keys(item)).not.toContain("usage");
    expect(Object.values(item)).not.toContain(undefined);
  });

  it("writes only the fields of an execution, whatever else the object carries", () => {
    // Prepare
    const execution = { ...queued(), notAField: "x" } as Execution;

    // Act
    const item = toItem(execution);

    // Assess
    expect(item).not.toHaveProperty("notAField");
  });

  it("lists exactly the optional fields as removable", () => {
    expect([...OPTIONAL_ATTRIBUTES].sort()).toEqual(
      ["answer", "error", "finishedAt", "lastWriter", "leaseUntil", "parts", "startedAt", "usage"].sort(),
    );
  });

  it("refuses an item that is not an execution with internal_error", () => {
    // Prepare
    const item = { ...toItem(queued()), version: "1" };

    // Act
    const read = () => fromItem(item);

    // Assess
    expect(read).toThrow(HoldlineError);
    expect(read).toThrow(/version/);
  });
});

import { LlmError } from "@holdline/domain/errors";
import { describe, expect, it } from "vitest";
import { fullJitterDelay, isWorthRetrying } from "../../src/retry-policy.ts";

const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

describe("fullJitterDelay", () => {
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [4, 800],
    [5, 1_000],
    [9, 1_000],
  ])("waits up to the capped exponential delay for retry %i (%i ms)", (retry, ceiling) => {
    // Prepare
    const highest = () => 0.999_999;

    // Act
    const delay = fullJitterDelay(policy, retry, highest);

    // Assess
    expect(delay).toBe(ceiling - 1);
  });

  it("may wait not at all", () => {
    // Prepare
    const lowest = () => 0;

    // Act
    const delay = fullJitterDelay(policy, 3, lowest);

    // Assess
    expect(delay).toBe(0);
  });
});

describe("isWorthRetrying", () => {
  it.each([
    [new LlmError("throttled", "busy", { retryable: true }), true],
    [new LlmError("model_error", "500", { retryable: true }), true],
    [new LlmError("model_error", "424", { retryable: false }), false],
    [new LlmError("throttled", "quota", { retryable: false }), false],
    [new LlmError("timeout", "idle stream", { retryable: true }), false],
    [new LlmError("access_denied", "no", { retryable: false }), false],
  ])("%s → %s", (error, expected) => {
    // Prepare
    const candidate = error;

    // Act
    const worth = isWorthRetrying(candidate);

    // Assess
    expect(worth).toBe(expected);
  });
});

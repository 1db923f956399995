import { describe, expect, it } from "vitest";
import { functionMemoryMb, LAMBDA_MEMORY_LIMITS_MB } from "../../src/function-memory.ts";
import { deriveBudget } from "../../src/timing-budget.ts";

describe("function memory", () => {
  it("sizes every function the timing budget times", () => {
    const budget = deriveBudget();
    const timedFunctions = [
      "connectStart",
      "connectStatus",
      "connectAnswer",
      "worker",
      "failureRecorder",
      "lexTranscript",
      "connectTextOffer",
      "callerLeft",
      "textDelivery",
    ];

    expect(timedFunctions.every((name) => name in budget)).toBe(true);
    // connect-answer has two sizes, one per deployment, under its one timing entry.
    expect(Object.keys(functionMemoryMb).sort()).toEqual(
      [...timedFunctions, "connectAnswerProgressive"].sort(),
    );
  });

  it("stays within Lambda's memory limits in whole megabytes", () => {
    for (const memoryMb of Object.values(functionMemoryMb)) {
      expect(Number.isInteger(memoryMb)).toBe(true);
      expect(memoryMb).toBeGreaterThanOrEqual(LAMBDA_MEMORY_LIMITS_MB.min);
      expect(memoryMb).toBeLessThanOrEqual(LAMBDA_MEMORY_LIMITS_MB.max);
    }
  });

  it("gives the functions a caller waits on at least 512 MB so a cold start stays short", () => {
    expect(functionMemoryMb.connectStart).toBeGreaterThanOrEqual(512);
    expect(functionMemoryMb.connectStatus).toBeGreaterThanOrEqual(512);
    expect(functionMemoryMb.connectAnswer).toBeGreaterThanOrEqual(512);
    expect(functionMemoryMb.lexTranscript).toBeGreaterThanOrEqual(512);
    expect(functionMemoryMb.connectTextOffer).toBeGreaterThanOrEqual(512);
  });
});

describe("lex-transcript timeout", () => {
  it("fits the code hook inside one silence, less the round trip", () => {
    const budget = deriveBudget({ maxSilenceMs: 3_000, invocationOverheadMs: 400 });

    expect(budget.lexTranscript.lambdaTimeoutSeconds * 1000 + 400).toBeLessThanOrEqual(3_000);
  });

  it("never goes below Lambda's one-second minimum", () => {
    expect(
      deriveBudget({ maxSilenceMs: 1_200, invocationOverheadMs: 400 }).lexTranscript.lambdaTimeoutSeconds,
    ).toBe(1);
  });
});

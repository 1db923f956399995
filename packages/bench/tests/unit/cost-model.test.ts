import { describe, expect, it } from "vitest";
import {
  type CallUsage,
  callCost,
  connectCallCost,
  costPerThousandCalls,
  type PriceList,
} from "../../src/cost-model.ts";

const PRICES: PriceList = {
  region: "test-1",
  lambdaRequestsPerMillion: 0.2,
  lambdaGbSecond: { arm64: 0.000_013_333_4, x86_64: 0.000_016_666_7 },
  dynamodbWriteUnitsPerMillion: 0.625,
  dynamodbReadUnitsPerMillion: 0.125,
};

describe("callCost", () => {
  it("prices Lambda requests, GB-seconds at each function's memory and architecture, and request units", () => {
    // Prepare: 512 MB arm64 for 2 s = 1 GB-s; 128 MB x86 for 8 s = 1 GB-s.
    const usage: CallUsage = {
      invocations: [
        { memoryMb: 512, architecture: "arm64", durationMs: 2_000 },
        { memoryMb: 128, architecture: "x86_64", durationMs: 8_000 },
      ],
      readUnits: 4,
      writeUnits: 3,
    };

    // Act
    const cost = callCost(usage, PRICES);

    // Assess
    expect(cost.lambdaRequests).toBeCloseTo(2 * 0.2e-6, 15);
    expect(cost.lambdaDuration).toBeCloseTo(0.000_013_333_4 + 0.000_016_666_7, 15);
    expect(cost.dynamodb).toBeCloseTo((3 * 0.625 + 4 * 0.125) / 1e6, 15);
    expect(cost.total).toBeCloseTo(cost.lambdaRequests + cost.lambdaDuration + cost.dynamodb, 15);
  });

  it("bills a duration rounded up to the millisecond", () => {
    // Prepare
    const at = (durationMs: number): CallUsage => ({
      invocations: [{ memoryMb: 1_024, architecture: "arm64", durationMs }],
      readUnits: 0,
      writeUnits: 0,
    });

    // Act / Assess
    expect(callCost(at(1.2), PRICES).lambdaDuration).toBeCloseTo(callCost(at(2), PRICES).lambdaDuration, 15);
  });
});

describe("costPerThousandCalls", () => {
  it("is the mean cost of the calls times 1,000", () => {
    // Prepare
    const cheap: CallUsage = { invocations: [], readUnits: 0, writeUnits: 1 };
    const dear: CallUsage = { invocations: [], readUnits: 0, writeUnits: 3 };

    // Act
    const cost = costPerThousandCalls([cheap, dear], PRICES);

    // Assess: 2 WRU per call on average, 2,000 per 1,000 calls.
    expect(cost.dynamodb).toBeCloseTo((2_000 * 0.625) / 1e6, 12);
    expect(cost.total).toBeCloseTo(cost.dynamodb, 12);
  });

  it("is zero for no calls", () => {
    expect(costPerThousandCalls([], PRICES).total).toBe(0);
  });
});

describe("connectCallCost", () => {
  const prices = {
    voiceUsagePerMinute: 0.018,
    voiceMinimumSeconds: 10,
    inboundDidPerMinute: 0.0022,
    telephonyMinimumSeconds: 60,
  };

  it("bills voice usage and telephony per second, a part second rounded up", () => {
    // Act / Assess: two minutes; 90.2 s is billed as 91 s.
    expect(connectCallCost(120_000, prices)).toBeCloseTo(2 * (0.018 + 0.0022), 12);
    expect(connectCallCost(90_200, prices)).toBeCloseTo((91 / 60) * (0.018 + 0.0022), 12);
  });

  it("bills at least 10 s of voice usage and the first minute of telephony", () => {
    expect(connectCallCost(3_000, prices)).toBeCloseTo((10 / 60) * 0.018 + 0.0022, 12);
    expect(connectCallCost(30_000, prices)).toBeCloseTo(0.5 * 0.018 + 0.0022, 12);
  });
});

import { describe, expect, it } from "vitest";
import { percentile } from "../../src/sample-statistics.ts";
import { jittered, logNormal, seededRandom } from "../../src/seeded-random.ts";

const draws = (seed: string, count: number) => {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => random());
};

describe("seededRandom", () => {
  it("gives the same draws for the same seed, and different ones for another seed", () => {
    expect(draws("polling/12000/3", 5)).toEqual(draws("polling/12000/3", 5));
    expect(draws("polling/12000/3", 5)).not.toEqual(draws("polling/12000/4", 5));
  });

  it("draws in [0, 1), spread over the interval", () => {
    // Act
    const values = draws("spread", 10_000);

    // Assess
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.filter((value) => value < 0.5).length).toBeGreaterThan(4_800);
    expect(values.filter((value) => value < 0.5).length).toBeLessThan(5_200);
  });
});

describe("jittered", () => {
  it("stays within ±fraction of the base", () => {
    // Prepare
    const random = seededRandom("jitter");

    // Act
    const values = Array.from({ length: 1_000 }, () => jittered(random, 10_000, 0.15));

    // Assess
    expect(Math.min(...values)).toBeGreaterThanOrEqual(8_500);
    expect(Math.max(...values)).toBeLessThanOrEqual(11_500);
  });
});

describe("logNormal", () => {
  it("has about the median and 99th percentile it was given", () => {
    // Prepare
    const random = seededRandom("log-normal");

    // Act
    const values = Array.from({ length: 50_000 }, () => logNormal(random, { p50Ms: 20, p99Ms: 100 }));

    // Assess
    expect(percentile(values, 50)).toBeGreaterThan(19);
    expect(percentile(values, 50)).toBeLessThan(21);
    expect(percentile(values, 99)).toBeGreaterThan(90);
    expect(percentile(values, 99)).toBeLessThan(110);
    expect(Math.min(...values)).toBeGreaterThan(0);
  });

  it("refuses a p99 below the median", () => {
    expect(() => logNormal(seededRandom("x"), { p50Ms: 10, p99Ms: 5 })).toThrow(RangeError);
  });
});

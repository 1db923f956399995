import { describe, expect, it } from "vitest";
import { maximum, mean, percentile } from "../../src/sample-statistics.ts";

describe("percentile (nearest rank)", () => {
  it("takes the smallest sample with at least p % of the samples at or below it", () => {
    // Prepare
    const samples = [5, 1, 4, 2, 3];

    // Act / Assess
    expect(percentile(samples, 50)).toBe(3);
    expect(percentile(samples, 20)).toBe(1);
    expect(percentile(samples, 21)).toBe(2);
    expect(percentile(samples, 100)).toBe(5);
    expect(percentile(samples, 0)).toBe(1);
  });

  it("makes p99 of 100 samples the second largest, and of 30 samples the largest", () => {
    // Prepare
    const hundred = Array.from({ length: 100 }, (_, index) => index + 1);
    const thirty = Array.from({ length: 30 }, (_, index) => index + 1);

    // Act / Assess
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(thirty, 99)).toBe(30);
  });

  it("is NaN for no samples and refuses a percentile outside 0–100", () => {
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it("does not reorder the caller's array", () => {
    // Prepare
    const samples = [3, 1, 2];

    // Act
    percentile(samples, 50);

    // Assess
    expect(samples).toEqual([3, 1, 2]);
  });
});

describe("mean and maximum", () => {
  it("summarise samples, NaN for none", () => {
    expect(mean([1, 2, 6])).toBe(3);
    expect(maximum([1, 7, 2])).toBe(7);
    expect(mean([])).toBeNaN();
    expect(maximum([])).toBeNaN();
  });
});

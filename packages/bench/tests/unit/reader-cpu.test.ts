import { describe, expect, it } from "vitest";
import { atMemory, FULL_VCPU_MB } from "../../src/reader-cpu.ts";

describe("atMemory", () => {
  it("stretches CPU time by the memory size's share of one vCPU", () => {
    expect(atMemory(3, 128)).toBeCloseTo((3 * FULL_VCPU_MB) / 128, 6);
    expect(atMemory(3, FULL_VCPU_MB / 2)).toBeCloseTo(6, 6);
  });

  it("never makes work faster than on one whole vCPU: a single thread gains nothing above 1,769 MB", () => {
    expect(atMemory(3, FULL_VCPU_MB)).toBe(3);
    expect(atMemory(3, 3_008)).toBe(3);
  });
});

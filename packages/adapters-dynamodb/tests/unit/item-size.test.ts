import { describe, expect, it } from "vitest";
import { itemSizeBytes } from "../../src/item-size.ts";

describe("DynamoDB item size", () => {
  it("counts attribute names and string values in UTF-8 bytes", () => {
    // "answer" is 6 bytes, "あい" 6 bytes in UTF-8 (2 UTF-16 units, which is what dynalite counts)
    expect(itemSizeBytes({ answer: "あい" })).toBe(12);
  });

  it("counts a number as one byte per two significant digits plus one", () => {
    // 1795424400123: 13 significant digits → 7 + 1 bytes; "t" 1 byte
    expect(itemSizeBytes({ t: 1795424400123 })).toBe(9);
  });

  it("adds a byte when an even number of digits straddles the base-100 pairs", () => {
    // "n" 1 byte; 12 is one pair (12), 120 two (1|20), both plus the exponent byte
    expect(itemSizeBytes({ n: 12 })).toBe(1 + 2);
    expect(itemSizeBytes({ n: 120 })).toBe(1 + 3);
  });

  it("ignores leading and trailing zeros of a number", () => {
    expect(itemSizeBytes({ n: 0.012 })).toBe(itemSizeBytes({ n: 1.2 }));
  });

  it("counts a boolean as one byte", () => {
    expect(itemSizeBytes({ ok: true })).toBe(3);
  });

  it("adds three bytes per map and one per element", () => {
    // "m" 1 + map overhead 3 + element ("q" 1 + "ab" 2 + 1)
    expect(itemSizeBytes({ m: { q: "ab" } })).toBe(8);
  });
});

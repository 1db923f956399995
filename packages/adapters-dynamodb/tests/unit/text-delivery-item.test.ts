import { HoldlineError } from "@holdline/domain/errors";
import { callerLeft, claimSend, consent, retryLater } from "@holdline/domain/text-delivery/text-delivery";
import { describe, expect, it } from "vitest";
import { fromDeliveryItem, toDeliveryItem } from "../../src/text-delivery-item.ts";

describe("text delivery item", () => {
  it("reads back every field it writes, and writes no absent one", () => {
    const given = consent({ to: "+15555550123", now: 1_000 });
    const due = callerLeft(given, 1_500);
    if (due === undefined) throw new Error("a consented delivery did not become due");
    const claimed = claimSend(due, { now: 2_000, leaseMs: 500, by: "run-1" });
    const retrying = retryLater(claimed, { code: "text_throttled", message: "slow down" });

    for (const delivery of [given, due, claimed, retrying]) {
      const item = toDeliveryItem(delivery);
      expect(Object.values(item)).not.toContain(undefined);
      expect(fromDeliveryItem(item)).toEqual(delivery);
    }
  });

  it.each([
    ["not a map", "due"],
    ["an unknown state", { ...toDeliveryItem(consent({ to: "+15555550123", now: 1 })), state: "lost" }],
    ["a missing number", { state: "due", revision: 2, consentedAt: 1, attempts: 0 }],
    ["a mistyped revision", { ...toDeliveryItem(consent({ to: "+15555550123", now: 1 })), revision: "2" }],
    [
      "an error without its code",
      { ...toDeliveryItem(consent({ to: "+15555550123", now: 1 })), error: { message: "x" } },
    ],
  ])("refuses %s as internal_error", (_label, stored) => {
    expect(() => fromDeliveryItem(stored)).toThrow(HoldlineError);
    try {
      fromDeliveryItem(stored);
    } catch (error) {
      expect((error as HoldlineError).code).toBe("internal_error");
    }
  });
});

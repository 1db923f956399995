import { describe, expect, it } from "vitest";
import { isE164, maskPhone } from "../../src/text-delivery/text-delivery.ts";
import { composeText, encodingOf, segmentsOf } from "../../src/text-delivery/text-message.ts";

describe("composeText", () => {
  it("sends a short answer whole, then the sign-off on its own line", () => {
    const text = composeText({ kind: "answer", answer: "We open at nine.", locale: "en-US", maxSegments: 2 });
    expect(text).toBe("We open at nine.\n(The answer to the question you asked on the phone.)");
    expect(encodingOf(text)).toBe("gsm7");
  });

  it("counts Japanese in UCS-2 segments of 70, or 67 each once split", () => {
    expect(segmentsOf("あ".repeat(70))).toBe(1);
    expect(segmentsOf("あ".repeat(71))).toBe(2);
    expect(segmentsOf("a".repeat(160))).toBe(1);
    expect(segmentsOf("a".repeat(161))).toBe(2);
    expect(segmentsOf(`${"a".repeat(159)}€`)).toBe(2);
  });

  it("cuts a long answer after the last sentence that fits the cap", () => {
    const answer = "First sentence here. Second one is here too. Third goes on and on and on. ".repeat(10);
    const text = composeText({ kind: "answer", answer, locale: "en-US", maxSegments: 1 });
    expect(segmentsOf(text)).toBe(1);
    // 160 units, 53 of them the sign-off and its line break: the fourth sentence is the last that fits.
    expect(text.split("\n")[0]).toBe(
      "First sentence here. Second one is here too. Third goes on and on and on. First sentence here.",
    );
  });

  it("cuts with an ellipsis when no sentence end is in reach", () => {
    const text = composeText({ kind: "answer", answer: "あ".repeat(500), locale: "ja-JP", maxSegments: 2 });
    expect(segmentsOf(text)).toBeLessThanOrEqual(2);
    expect(text.split("\n")[0]?.endsWith("…")).toBe(true);
  });

  it("says sorry in the caller's language for a failed turn", () => {
    expect(composeText({ kind: "apology", locale: "ja-JP", maxSegments: 3 })).toMatch(
      /^お電話でのご質問にお答えできませんでした。/,
    );
    expect(composeText({ kind: "apology", locale: "en-US", maxSegments: 3 })).toMatch(/^Sorry/);
  });
});

describe("phone numbers", () => {
  it("takes E.164 only", () => {
    expect(isE164("+819012345678")).toBe(true);
    expect(isE164("+15555550100")).toBe(true);
    expect(isE164("819012345678")).toBe(false);
    expect(isE164("+81-90-1234-5678")).toBe(false);
    expect(isE164("anonymous")).toBe(false);
  });

  it("masks all but the last two digits", () => {
    expect(maskPhone("+819012345678")).toBe("***78");
    expect(maskPhone("+1 (206) 555-0147")).toBe("***47");
    expect(maskPhone("+8190")).toBe("***");
  });
});

import { describe, expect, it } from "vitest";
import type { Faq } from "../../src/faq.ts";
import { matchFaq } from "../../src/faq-matcher.ts";
import { HANAMIZUKI_BAKERY_FAQ } from "../../src/hanamizuki-bakery.faq.ts";

describe("matchFaq on the bakery FAQ", () => {
  it.each([
    ["en-US", "What are your opening hours?", "hours"],
    ["en-US", "What time do you close tonight?", "hours"],
    ["en-US", "Are you closed on Tuesdays?", "closed-days"],
    ["en-US", "Where can I park my car?", "parking"],
    ["en-US", "Where is the shop?", "access"],
    ["en-US", "I'd like to order a birthday cake for pickup on Friday.", "orders"],
    ["en-US", "Do you take credit cards?", "payment"],
    ["en-US", "Is your bread gluten free?", "allergies"],
    ["en-US", "Can I pay with a card, and where do I find you?", "payment"],
    ["ja-JP", "営業時間を教えてください。", "hours"],
    ["ja-JP", "明日は何時に開いていますか", "hours"],
    ["ja-JP", "定休日はいつですか？", "closed-days"],
    ["ja-JP", "車で行きたいのですが、駐車場はありますか", "parking"],
    ["ja-JP", "電車で行けますか", "access"],
    ["ja-JP", "お店はどこにありますか", "access"],
    ["ja-JP", "誕生日ケーキを予約したいです", "orders"],
    ["ja-JP", "クレジットカードは使えますか", "payment"],
    ["ja-JP", "ＱＲコード決済は使えますか", "payment"],
    ["ja-JP", "卵アレルギーがあるのですが", "allergies"],
  ])("%s: %s → %s", (locale, question, expected) => {
    // Prepare
    const history: never[] = [];

    // Act
    const match = matchFaq(HANAMIZUKI_BAKERY_FAQ, question, locale, history);

    // Assess
    expect(match.entry?.id).toBe(expected);
  });

  it.each([
    ["en-US", "Can you tell me a joke?"],
    ["ja-JP", "今日の天気はどうですか"],
  ])("%s: finds nothing for an unrelated question (%s)", (locale, question) => {
    // Prepare
    const history: never[] = [];

    // Act
    const match = matchFaq(HANAMIZUKI_BAKERY_FAQ, question, locale, history);

    // Assess
    expect(match.entry).toBeUndefined();
    expect(match.locale).toBe(locale);
  });

  it("keeps the topic of the previous question for a follow-up", () => {
    // Prepare
    const history = [{ question: "How do I order a cake?", answer: "Two days ahead." }];

    // Act
    const match = matchFaq(HANAMIZUKI_BAKERY_FAQ, "And for Saturday?", "en-US", history);

    // Assess
    expect(match.entry?.id).toBe("orders");
  });

  it.each([
    ["en-GB", "en-US"],
    ["ja", "ja-JP"],
    ["fr-FR", "en-US"],
  ])("answers %s from the %s FAQ", (locale, expected) => {
    // Prepare
    const faq: Faq = HANAMIZUKI_BAKERY_FAQ;

    // Act
    const match = matchFaq(faq, "anything", locale, []);

    // Assess
    expect(match.locale).toBe(expected);
  });
});

import { LlmError } from "@holdline/domain/errors";
import { describe, expect, it } from "vitest";
import { capPart, toSpeakable, toSpeakablePart } from "../../src/speakable.ts";

describe("toSpeakable", () => {
  it.each([
    // en-US
    ["en-US", "plain text stays as it is", "We open at nine.", "We open at nine."],
    [
      "en-US",
      "bold and italic lose their markers",
      "We are **open** on *Sundays* and _holidays_.",
      "We are open on Sundays and holidays.",
    ],
    [
      "en-US",
      "a heading becomes a sentence",
      "## Opening hours\nWe open at nine.",
      "Opening hours. We open at nine.",
    ],
    [
      "en-US",
      "list items become sentences",
      "Our hours:\n- Monday to Friday, 9 to 6\n- Saturday, 10 to 4\n1. Sunday, closed",
      "Our hours: Monday to Friday, 9 to 6. Saturday, 10 to 4. Sunday, closed.",
    ],
    [
      "en-US",
      "a table is read row by row without its header",
      "| Day | Hours |\n|---|:---:|\n| Monday | 9 to 6 |\n| Sunday | closed |",
      "Monday, 9 to 6. Sunday, closed.",
    ],
    [
      "en-US",
      "a link is read as its text",
      "See [our menu](https://example.com/menu) for prices.",
      "See our menu for prices.",
    ],
    ["en-US", "a bare URL becomes the website", "Book at https://example.com/book.", "Book at the website."],
    [
      "en-US",
      "a URL in brackets is dropped",
      "Book online (https://example.com/book) or call us.",
      "Book online or call us.",
    ],
    ["en-US", "inline code keeps its text", "Press `1` for bookings.", "Press 1 for bookings."],
    [
      "en-US",
      "a fenced code block is dropped",
      "Here it is.\n```js\nconsole.log(1)\n```\nThat is all.",
      "Here it is. That is all.",
    ],
    [
      "en-US",
      "emoji are dropped",
      "Thanks for calling! 😊👍🏽 See you soon 🇯🇵.",
      "Thanks for calling! See you soon.",
    ],
    ["en-US", "whitespace collapses", "We   open\n\tat   nine .", "We open at nine."],
    ["en-US", "a decimal point is not a sentence end", "It costs 3.50 dollars.", "It costs 3.50 dollars."],
    // ja-JP
    [
      "ja-JP",
      "plain Japanese stays as it is",
      "営業時間は午前九時からです。",
      "営業時間は午前九時からです。",
    ],
    ["ja-JP", "bold loses its markers", "**本日は**営業しております。", "本日は営業しております。"],
    [
      "ja-JP",
      "a heading becomes a sentence",
      "# 営業時間\n平日は九時から十八時までです。",
      "営業時間。平日は九時から十八時までです。",
    ],
    [
      "ja-JP",
      "list items become sentences without spaces between them",
      "ご予約方法:\n- お電話\n- 店頭",
      "ご予約方法:お電話。店頭。",
    ],
    [
      "ja-JP",
      "a table is read with Japanese commas",
      "| 曜日 | 時間 |\n| --- | --- |\n| 月曜日 | 九時から十八時 |\n| 日曜日 | 定休日 |",
      "月曜日、九時から十八時。日曜日、定休日。",
    ],
    [
      "ja-JP",
      "a URL becomes ウェブサイト",
      "詳しくは https://example.jp をご覧ください。",
      "詳しくはウェブサイトをご覧ください。",
    ],
    ["ja-JP", "emoji are dropped", "ご来店お待ちしております🍞✨", "ご来店お待ちしております。"],
    [
      "ja-JP",
      "line breaks inside Japanese leave no spaces",
      "本日は\n営業して\nおります。",
      "本日は営業しております。",
    ],
    ["ja-JP", "full-width spaces collapse", "本日は　　営業しております。", "本日は営業しております。"],
  ])("%s: %s", (locale, _behaviour, input, expected) => {
    // Prepare
    const options = { locale };

    // Act
    const speakable = toSpeakable(input, options);

    // Assess
    expect(speakable).toBe(expected);
  });

  it.each([
    ["en-US", "First sentence. Second sentence. Third sentence.", 35, "First sentence. Second sentence."],
    ["en-US", "Is it open? Yes! It opens at nine.", 16, "Is it open? Yes!"],
    ["ja-JP", "一文目です。二文目です。三文目です。", 13, "一文目です。二文目です。"],
    ["ja-JP", "開いていますか？はい！", 9, "開いていますか？"],
  ])("%s: caps at the last sentence boundary within %#", (locale, input, maxChars, expected) => {
    // Prepare
    const options = { locale, maxChars };

    // Act
    const speakable = toSpeakable(input, options);

    // Assess
    expect(speakable).toBe(expected);
    expect(speakable.length).toBeLessThanOrEqual(maxChars);
  });

  it.each([
    [
      "en-US",
      "one very long sentence without any end in sight, going on and on",
      30,
      "one very long sentence.",
    ],
    ["ja-JP", "とても長い一文で、終わりが見えず、まだまだ続きます", 18, "とても長い一文で、終わりが見えず。"],
  ])("%s: ends an over-long single sentence at a clause break", (locale, input, maxChars, expected) => {
    // Prepare
    const options = { locale, maxChars };

    // Act
    const speakable = toSpeakable(input, options);

    // Assess
    expect(speakable).toBe(expected);
    expect(speakable.length).toBeLessThanOrEqual(maxChars);
  });

  it("caps at about 600 characters by default", () => {
    // Prepare
    const input = "This sentence is exactly forty chars ok. ".repeat(30);

    // Act
    const speakable = toSpeakable(input, { locale: "en-US" });

    // Assess
    expect(speakable.length).toBeLessThanOrEqual(600);
    expect(speakable.length).toBeGreaterThan(550);
    expect(speakable.endsWith(".")).toBe(true);
  });

  it.each([
    ["en-US", "We open at nine. On Sundays we", "We open at nine."],
    ["ja-JP", "九時に開店します。日曜日は", "九時に開店します。"],
  ])("%s: drops the unfinished last sentence of a truncated answer", (locale, input, expected) => {
    // Prepare
    const options = { locale, truncated: true };

    // Act
    const speakable = toSpeakable(input, options);

    // Assess
    expect(speakable).toBe(expected);
  });

  it.each([
    ["en-US", ""],
    ["en-US", "   \n\t "],
    ["en-US", "😊🎉"],
    ["ja-JP", "```\ncode only\n```"],
    ["ja-JP", "![ロゴ](https://example.jp/logo.png)"],
  ])("%s: refuses an answer with nothing speakable (%j)", (locale, input) => {
    // Prepare
    const speak = () => toSpeakable(input, { locale });

    // Act
    let thrown: unknown;
    try {
      speak();
    } catch (error) {
      thrown = error;
    }

    // Assess
    expect(thrown).toBeInstanceOf(LlmError);
    expect(thrown).toMatchObject({ code: "empty_answer", retryable: false });
  });
});

describe("toSpeakablePart", () => {
  it.each([
    ["en-US", "**Yes!** We bake rye bread 🍞", "Yes! We bake rye bread."],
    ["en-US", "- It is ready at 8.\n- It sells out by noon", "It is ready at 8. It sells out by noon."],
    ["ja-JP", "**本日は**営業しております✨", "本日は営業しております。"],
  ])("%s: applies the speakable rules to one part (%j)", (locale, input, expected) => {
    // Act
    const part = toSpeakablePart(input, { locale });

    // Assess
    expect(part).toBe(expected);
  });

  it("does not cap a part: the cap is on the whole answer", () => {
    // Prepare
    const input = "This sentence is exactly forty chars ok. ".repeat(30);

    // Act
    const part = toSpeakablePart(input, { locale: "en-US" });

    // Assess
    expect(part?.length).toBeGreaterThan(1_000);
  });

  it.each([["😊🎉"], ["```\ncode only\n```"], ["  "], ["![logo](https://example.com/logo.png)"]])(
    "is undefined for a part with nothing speakable (%j), where toSpeakable would throw",
    (input) => {
      // Act
      const part = toSpeakablePart(input, { locale: "en-US" });

      // Assess
      expect(part).toBeUndefined();
    },
  );

  it.each([
    ["en-US", "We close at six. On Sundays we", false, "We close at six."],
    ["en-US", "On Sundays we", false, "On Sundays we."],
    ["en-US", "On Sundays we", true, undefined],
    ["ja-JP", "六時に閉店します。日曜日は", true, "六時に閉店します。"],
    ["ja-JP", "日曜日は", true, undefined],
  ])(
    "%s: a truncated last part %j (after others: %s) loses its unfinished sentence as the whole answer would",
    (locale, input, afterOthers, expected) => {
      // Act
      const part = toSpeakablePart(input, { locale, truncated: true, afterOthers });

      // Assess
      expect(part).toBe(expected);
    },
  );
});

describe("capPart", () => {
  it.each([
    [
      "a part that fits is whole",
      "We open at nine. We close at six.",
      40,
      false,
      "We open at nine. We close at six.",
    ],
    [
      "a part that does not fit keeps the sentences that do",
      "We open at nine. We close at six.",
      20,
      true,
      "We open at nine.",
    ],
    ["a later part with no sentence that fits is dropped", "We open at nine.", 10, true, undefined],
    [
      "a first part with no sentence that fits ends at a word",
      "We open at nine every day.",
      12,
      false,
      "We open at.",
    ],
    ["no room left drops the part", "We open.", 0, true, undefined],
  ])("%s", (_behaviour, input, room, afterOthers, expected) => {
    // Act
    const part = capPart(input, room, { locale: "en-US", afterOthers });

    // Assess
    expect(part).toBe(expected);
    if (part !== undefined) expect(part.length).toBeLessThanOrEqual(room);
  });

  it("keeps the Japanese sentences that fit", () => {
    // Act
    const part = capPart("一文目です。二文目です。三文目です。", 13, { locale: "ja-JP", afterOthers: true });

    // Assess
    expect(part).toBe("一文目です。二文目です。");
  });
});

import { describe, expect, it, vi } from "vitest";
import { ProgressiveAnswer } from "../../src/progressive-answer.ts";

const never = () => new AbortController().signal;

/** Streams `text` in pieces of `size` characters; returns the parts handed, in order. */
function stream(text: string, { locale = "en-US", maxChars = 600, size = 5, truncated = false } = {}) {
  const handed: string[] = [];
  const answer = new ProgressiveAnswer(locale, maxChars, (part) => handed.push(part), never());
  for (let at = 0; at < text.length; at += size) answer.push(text.slice(at, at + size));
  const parts = answer.end(truncated);
  return { handed, parts, answer };
}

describe("ProgressiveAnswer", () => {
  it("hands a part as soon as the delta that completes it arrives", () => {
    // Prepare
    const onPart = vi.fn();
    const answer = new ProgressiveAnswer("en-US", 600, onPart, never());

    // Act
    answer.push("We open at nine");
    const before = onPart.mock.calls.length;
    answer.push(" today. We");

    // Assess
    expect(before).toBe(0);
    expect(onPart).toHaveBeenCalledExactlyOnceWith("We open at nine today.");
  });

  it("keeps a code block in one part, so none of it is spoken", () => {
    // Prepare
    const text =
      "Here is how it works for you.\n```js\nconsole.log('a long line of code that runs on and on')\nconsole.log('and another long line of code')\n```\nThat is all for today, thank you.";

    // Act
    const { handed } = stream(text);

    // Assess
    expect(handed.join(" ")).toBe("Here is how it works for you. That is all for today, thank you.");
  });

  it("keeps a table in one part, so its header row (a part long enough on its own) is not read", () => {
    // Prepare
    const text =
      "Here are our opening hours for the week.\n| Day of the week we are open | Opening hours on that day |\n|---|---|\n| Monday to Friday | 9 to 6 |\n| Sunday and holidays | closed |\nSee you soon.";

    // Act
    const { handed } = stream(text);

    // Assess
    expect(handed.join(" ")).toBe(
      "Here are our opening hours for the week. Monday to Friday, 9 to 6. Sunday and holidays, closed. See you soon.",
    );
  });

  it("skips a part with nothing speakable and hands the next", () => {
    // Act
    const { handed } = stream(
      `We open at nine today.\n${"😊".repeat(25)}\nWe close at six in the evening on weekdays.`,
    );

    // Assess
    expect(handed).toEqual(["We open at nine today.", "We close at six in the evening on weekdays."]);
  });

  it("hands nothing more once the cap is reached and says it is full", () => {
    // Act
    const { handed, answer } = stream("One sentence here. Two sentences here. Three sentences here.", {
      maxChars: 30,
    });

    // Assess
    expect(handed).toEqual(["One sentence here."]);
    expect(answer.full).toBe(true);
  });

  it("hands nothing after its signal has aborted", () => {
    // Prepare
    const onPart = vi.fn();
    const deadline = new AbortController();
    const answer = new ProgressiveAnswer("en-US", 600, onPart, deadline.signal);
    answer.push("We open at nine today. ");

    // Act
    deadline.abort(new Error("deadline"));
    answer.push("We close at six in the evening on weekdays. ");

    // Assess
    expect(onPart).toHaveBeenCalledOnce();
  });

  it("restarts only while nothing has been handed", () => {
    // Prepare
    const onPart = vi.fn();
    const answer = new ProgressiveAnswer("en-US", 600, onPart, never());
    answer.push("We open at");

    // Act
    answer.restart();
    answer.push("We close at six today. ");

    // Assess
    expect(onPart).toHaveBeenCalledExactlyOnceWith("We close at six today.");
    expect(() => answer.restart()).toThrow();
  });

  it("throws empty_answer at the end when nothing speakable was written", () => {
    // Prepare
    const answer = new ProgressiveAnswer("ja-JP", 600, vi.fn(), never());
    answer.push("🍞🍞");

    // Act
    const end = () => answer.end(false);

    // Assess
    expect(end).toThrow(expect.objectContaining({ code: "empty_answer", retryable: false }));
  });

  it("joins nothing between Japanese parts when it counts the cap", () => {
    // Act: the first two sentences, 8 + 8 characters, fit a cap of 16 only without a separator
    const { handed } = stream("一文目の文です。二文目の文です。三文目です。", {
      locale: "ja-JP",
      maxChars: 16,
    });

    // Assess
    expect(handed).toEqual(["一文目の文です。", "二文目の文です。"]);
  });
});

import { describe, expect, it } from "vitest";
import { LEX_BOT, TRANSCRIPT_STATUS } from "@holdline/connect-contract/flow-contract";
import { simulateHoldlineBot } from "../../src/holdline/lex-bot-simulation.ts";

describe("simulateHoldlineBot", () => {
  it.each([
    ["いいえ、大丈夫です。", "ja-JP"],
    ["No, that's all.", "en-US"],
  ])("hears %j as goodbye", (utterance, locale) => {
    expect(simulateHoldlineBot(utterance, locale).intent).toBe(LEX_BOT.goodbyeIntent);
  });

  it("puts any other utterance in the transcript attribute as a question", () => {
    // Act
    const turn = simulateHoldlineBot("返品の方法を教えてください", "ja-JP");

    // Assess
    expect(turn).toEqual({
      intent: LEX_BOT.questionIntent,
      sessionAttributes: {
        [LEX_BOT.transcriptAttribute]: "返品の方法を教えてください",
        [LEX_BOT.transcriptStatusAttribute]: TRANSCRIPT_STATUS.ok,
      },
    });
  });

  it.each([
    ["", TRANSCRIPT_STATUS.empty],
    ["   ", TRANSCRIPT_STATUS.empty],
    ["…", TRANSCRIPT_STATUS.unintelligible],
  ])("marks %j as %s with no transcript, as the code hook does", (utterance, status) => {
    expect(simulateHoldlineBot(utterance, "en-US").sessionAttributes).toEqual({
      [LEX_BOT.transcriptAttribute]: "",
      [LEX_BOT.transcriptStatusAttribute]: status,
    });
  });

  it("does not mistake a question that starts with 'no' for a goodbye", () => {
    expect(simulateHoldlineBot("Nobody answered my email last week, what should I do?", "en-US").intent).toBe(
      LEX_BOT.questionIntent,
    );
  });
});

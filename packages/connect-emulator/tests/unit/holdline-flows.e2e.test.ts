import {
  buildHoldlineFlow,
  FILLER,
  FILLER_ATTRIBUTE,
  type Strategy,
} from "@holdline/contact-flow/holdline/holdline-flows";
import { holdlineLexBot } from "@holdline/contact-flow/holdline/lex-bot-simulation";
import { EN_US, JA_JP, type PromptPack } from "@holdline/contact-flow/holdline/prompt-packs";
import { describe, expect, it } from "vitest";
import { say } from "../../src/caller-script.ts";
import { fakeHoldline, HOLDLINE_TEST_BUDGET, holdlineArns } from "./fake-holdline.ts";
import { emulatorOn, eventsOf, newClock, spoken } from "./harness.ts";

const LEX = "arn:aws:lex:ap-northeast-1:123456789012:bot-alias/BOTID12345/ALIASID123";

const goodbye = (prompts: PromptPack) =>
  say(prompts.locale === "ja-JP" ? "いいえ、以上です。" : "No, that's all.");

async function call(
  strategy: Strategy,
  prompts: PromptPack,
  answerAfterMs: number,
  questions = ["What time do you open?"],
  progressive = true,
) {
  const turns = [...questions.map((question) => say(question)), goodbye(prompts)];
  const flow = buildHoldlineFlow(strategy, {
    lambdas: holdlineArns(strategy),
    lexBotAliasArn: LEX,
    prompts,
    budget: HOLDLINE_TEST_BUDGET,
    progressive,
  });
  const clock = newClock();
  const fake = fakeHoldline(clock, answerAfterMs);
  const { ended } = await emulatorOn(fake.functions, { lex: holdlineLexBot }, clock).run(flow, { turns });
  return { ended, fake };
}

/**
 * Both strategies, both locales, with and without progressive answers: these fakes answer the whole answer
 * as `completed` (no `partial`, no cursor), as handlers without progressive answers do, and the progressive
 * flows must speak it all the same.
 */
const CASES = (["polling", "native-async"] as const).flatMap((strategy) =>
  [JA_JP, EN_US].flatMap((prompts) =>
    [true, false].map((progressive) => ({
      strategy,
      prompts,
      progressive,
      label: `${strategy} ${prompts.locale}${progressive ? "" : ", not progressive"}`,
    })),
  ),
);

describe("Holdline's generated flows, end to end with fake handlers", () => {
  it.each(CASES)(
    "speak a slow answer after fillers, never silent 3 s or more ($label)",
    async ({ strategy, prompts, progressive }) => {
      // Act
      const { ended } = await call(strategy, prompts, 15_000, undefined, progressive);

      // Assess
      const said = spoken(ended);
      // The progressive polling flow acknowledges the question and long-polls at once (then "still working").
      expect(said).toContain(
        strategy === "polling" && progressive ? prompts.acknowledgement : prompts.holdOn,
      );
      expect(said.some((text) => text.includes(prompts.stillWorking))).toBe(true);
      expect(said).toContain("Answer 1.");
      expect(said.at(-1)).toBe(prompts.goodbye);
      expect(ended.longestSilence?.durationMs).toBeLessThan(3_000);
      expect(ended.endReason).toBe("disconnected");
    },
  );

  it.each(CASES)(
    "speak a fast answer with no filler at all ($label)",
    async ({ strategy, prompts, progressive }) => {
      // Act
      const { ended } = await call(strategy, prompts, 800, undefined, progressive);

      // Assess
      expect(spoken(ended)).toEqual([
        prompts.greeting,
        prompts.askQuestion,
        "Answer 1.",
        prompts.anythingElse,
        prompts.goodbye,
      ]);
    },
  );

  it.each(CASES)(
    "carry the turn across a two-question call ($label)",
    async ({ strategy, prompts, progressive }) => {
      // Act
      const { ended, fake } = await call(
        strategy,
        prompts,
        5_000,
        ["First question?", "Second question?"],
        progressive,
      );

      // Assess
      expect(spoken(ended).filter((text) => text.startsWith("Answer"))).toEqual(["Answer 1.", "Answer 2."]);
      expect(fake.questions).toEqual(["First question?", "Second question?"]);
      // Progressive flows reset the cursor at each turn; these fakes never move it on. native-async keeps which
      // filler its keep-running Wait plays next.
      const { [FILLER_ATTRIBUTE]: filler, ...attributes } = ended.attributes;
      expect(attributes).toEqual(
        progressive ? { holdlineTurn: "3", holdlineCursor: "0" } : { holdlineTurn: "3" },
      );
      if (strategy === "native-async") expect(Object.values(FILLER)).toContain(filler);
      else expect(filler).toBeUndefined();
    },
  );

  it("polls connect-status until the answer is ready, one bounded long-poll at a time", async () => {
    // Act
    const { ended } = await call("polling", EN_US, 15_000);

    // Assess
    const statusCalls = eventsOf(ended, "invocation").filter((event) =>
      event.functionName.endsWith("connect-status"),
    );
    expect(statusCalls.length).toBeGreaterThan(2);
    for (const invocation of statusCalls) expect(invocation.endAt - invocation.at).toBeLessThanOrEqual(2_600);
  });
});

import {
  ACTION_IDS,
  buildHoldlineFlow,
  FILLER_ATTRIBUTE,
  type Strategy,
} from "@holdline/contact-flow/holdline/holdline-flows";
import { holdlineLexBot } from "@holdline/contact-flow/holdline/lex-bot-simulation";
import { EN_US, JA_JP, type PromptPack } from "@holdline/contact-flow/holdline/prompt-packs";
import { describe, expect, it } from "vitest";
import { say } from "../../src/caller-script.ts";
import type { CallResult } from "../../src/connect-emulator.ts";
import { HOLDLINE_TEST_BUDGET, holdlineArns } from "./fake-holdline.ts";
import {
  endlessPartials,
  fakeProgressiveHoldline,
  type ScriptedAnswer,
} from "./fake-progressive-holdline.ts";
import { emulatorOn, eventsOf, newClock, spoken } from "./harness.ts";

const LEX = "arn:aws:lex:ap-northeast-1:123456789012:bot-alias/BOTID12345/ALIASID123";

/** Three parts per locale, each a sentence of about 2.5 s in the emulator's speaking time. */
const PARTS: Readonly<Record<string, readonly string[]>> = {
  "en-US": ["We open at nine on weekdays.", "On Saturdays we open at ten.", "We are closed on Sundays."],
  "ja-JP": ["平日は九時に開店いたします。", "土曜日は十時に開店いたします。", "日曜日は定休日でございます。"],
};

const QUESTION: Readonly<Record<string, string>> = {
  "en-US": "What time do you open?",
  "ja-JP": "何時に開店しますか",
};
const GOODBYE: Readonly<Record<string, string>> = {
  "en-US": "No, that's all.",
  "ja-JP": "いいえ、以上です。",
};

const flowFor = (strategy: Strategy, prompts: PromptPack) =>
  buildHoldlineFlow(strategy, {
    lambdas: holdlineArns(strategy),
    lexBotAliasArn: LEX,
    prompts,
    budget: HOLDLINE_TEST_BUDGET,
  });

async function call(strategy: Strategy, prompts: PromptPack, answers: readonly ScriptedAnswer[]) {
  const questions = answers.map(() => say(QUESTION[prompts.locale] ?? ""));
  const clock = newClock();
  const fake = fakeProgressiveHoldline(clock, answers);
  const { ended } = await emulatorOn(fake.functions, { lex: holdlineLexBot }, clock).run(
    flowFor(strategy, prompts),
    { turns: [...questions, say(GOODBYE[prompts.locale] ?? "")] },
  );
  return { ended, invocations: fake.invocations };
}

const prompt = (result: CallResult, text: string) => {
  const found = eventsOf(result, "prompt").find((event) => event.text === text);
  if (found === undefined) throw new Error(`"${text}" was not spoken`);
  return found;
};

/** When the turn's first Lambda was invoked (connect-start, or connect-answer), from the call's start. */
const turnStart = (result: CallResult) => {
  const first = eventsOf(result, "invocation").find(
    (event) => event.identifier === ACTION_IDS.invokeStart || event.identifier === ACTION_IDS.invokeAnswer,
  );
  if (first === undefined) throw new Error("no turn started");
  return first.at;
};

/** Messages the flow played with nothing to say (the emulator notes each). */
const emptyMessages = (result: CallResult) =>
  eventsOf(result, "note").filter((event) => event.text.includes("resolved to nothing to say"));

const CASES = (["polling", "native-async"] as const).flatMap((strategy) =>
  [EN_US, JA_JP].map((prompts) => ({ strategy, prompts, label: `${strategy} ${prompts.locale}` })),
);

/** What the strategy's status path is called: connect-status (polling) or connect-answer again. */
const askedAgain = (strategy: Strategy) => (strategy === "polling" ? "status" : "answer");
const firstAsk = (strategy: Strategy) => (strategy === "polling" ? "start" : "answer");

describe("progressive answers, end to end with scripted handlers", () => {
  it.each(CASES)(
    "speak each part as it arrives: partial, partial, completed, no filler between fast parts ($label)",
    async ({ strategy, prompts }) => {
      // Prepare: the first part is ready 1 s after the question, the second while the first is spoken, the
      // third (and the end) while the second is.
      const [one = "", two = "", three = ""] = PARTS[prompts.locale] ?? [];
      const answer: ScriptedAnswer = {
        parts: [
          { text: one, atMs: 1_000 },
          { text: two, atMs: 1_800 },
          { text: three, atMs: 4_000 },
        ],
        endAtMs: 4_000,
      };

      // Act
      const { ended, invocations } = await call(strategy, prompts, [answer]);

      // Assess: what the caller hears, in order, and nothing else.
      expect(spoken(ended)).toEqual([
        prompts.greeting,
        prompts.askQuestion,
        one,
        two,
        three,
        prompts.anythingElse,
        prompts.goodbye,
      ]);
      expect(invocations.map(({ fn, cursor, status }) => [fn, cursor, status])).toEqual([
        // native-async: connect-start registers the turn first and answers at once.
        ...(strategy === "native-async" ? [["register", "0", "in_progress"]] : []),
        [firstAsk(strategy), "0", "partial"],
        [askedAgain(strategy), "1", "partial"],
        [askedAgain(strategy), "2", "completed"],
      ]);
      // The first word comes about a second after the turn started: when the first part was ready, plus the
      // invocation's own overhead (and, native-async, the dispatch).
      const firstWord = prompt(ended, one).at - turnStart(ended);
      expect(firstWord).toBeGreaterThanOrEqual(1_000);
      expect(firstWord).toBeLessThan(1_200);
      // Each next part follows the one before at once: the next request is the only thing between them.
      expect(prompt(ended, two).at - prompt(ended, one).endAt).toBeLessThan(200);
      expect(prompt(ended, three).at - prompt(ended, two).endAt).toBeLessThan(200);
      expect(ended.longestSilence?.durationMs).toBeLessThan(3_000);
      expect(ended.endReason).toBe("disconnected");
    },
  );

  it.each(CASES)(
    "fill a stall between two parts longer than the wait with a filler, never 3 s of silence ($label)",
    async ({ strategy, prompts }) => {
      // Prepare: the second part comes 9 s after the first, well after the first has been spoken.
      const [one = "", two = ""] = PARTS[prompts.locale] ?? [];
      const answer: ScriptedAnswer = {
        parts: [
          { text: one, atMs: 1_000 },
          { text: two, atMs: 10_000 },
        ],
        endAtMs: 10_000,
      };

      // Act
      const { ended } = await call(strategy, prompts, [answer]);

      // Assess
      const said = spoken(ended);
      const between = said.slice(said.indexOf(one) + 1, said.indexOf(two));
      expect(between.length).toBeGreaterThan(0);
      // The filler after a part is "still working", never the turn's opening "hold on".
      expect(between.every((text) => text.includes(prompts.stillWorking))).toBe(true);
      expect(said).not.toContain(prompts.holdOn);
      expect(ended.longestSilence?.durationMs).toBeLessThan(3_000);
    },
  );

  it.each(CASES)(
    "after a failure once parts were produced: the unheard part, then the short apology ($label)",
    async ({ strategy, prompts }) => {
      // Prepare: two parts, then the model fails while the first is being spoken.
      const [one = "", two = ""] = PARTS[prompts.locale] ?? [];
      const answer: ScriptedAnswer = {
        parts: [
          { text: one, atMs: 1_000 },
          { text: two, atMs: 2_000 },
        ],
        endAtMs: 2_500,
        fails: true,
      };

      // Act
      const { ended, invocations } = await call(strategy, prompts, [answer]);

      // Assess
      expect(spoken(ended)).toEqual([
        prompts.greeting,
        prompts.askQuestion,
        one,
        two,
        prompts.errorAfterParts,
        prompts.anythingElse,
        prompts.goodbye,
      ]);
      expect(invocations.at(-1)).toMatchObject({ cursor: "1", status: "error" });
    },
  );

  it.each(CASES)(
    "after a failure with every part already heard: the short apology alone, no empty message ($label)",
    async ({ strategy, prompts }) => {
      // Prepare
      const [one = ""] = PARTS[prompts.locale] ?? [];
      const answer: ScriptedAnswer = { parts: [{ text: one, atMs: 1_000 }], endAtMs: 4_000, fails: true };

      // Act
      const { ended } = await call(strategy, prompts, [answer]);

      // Assess
      expect(spoken(ended)).toEqual([
        prompts.greeting,
        prompts.askQuestion,
        one,
        prompts.errorAfterParts,
        prompts.anythingElse,
        prompts.goodbye,
      ]);
      expect(emptyMessages(ended)).toEqual([]);
    },
  );

  it.each(CASES)(
    "after a failure before any part: the full error prompt, as without progressive answers ($label)",
    async ({ strategy, prompts }) => {
      // Act
      const { ended } = await call(strategy, prompts, [{ parts: [], endAtMs: 1_500, fails: true }]);

      // Assess
      const said = spoken(ended);
      expect(said).toContain(prompts.error);
      expect(said).not.toContain(prompts.errorAfterParts);
    },
  );

  it.each(CASES)(
    "end on 'completed' with nothing left to say without playing an empty message ($label)",
    async ({ strategy, prompts }) => {
      // Prepare: both parts come fast; the answer is only marked complete later, with no new part.
      const [one = "", two = ""] = PARTS[prompts.locale] ?? [];
      const answer: ScriptedAnswer = {
        parts: [
          { text: one, atMs: 1_000 },
          { text: two, atMs: 1_500 },
        ],
        endAtMs: 7_000,
      };

      // Act
      const { ended, invocations } = await call(strategy, prompts, [answer]);

      // Assess
      expect(invocations.at(-1)).toMatchObject({ status: "completed", answer: "", cursor: "2" });
      expect(spoken(ended)).toEqual([
        prompts.greeting,
        prompts.askQuestion,
        one,
        two,
        prompts.anythingElse,
        prompts.goodbye,
      ]);
      expect(emptyMessages(ended)).toEqual([]);
    },
  );

  it.each(CASES)("start each turn's cursor at 0 ($label)", async ({ strategy, prompts }) => {
    // Prepare
    const [one = "", two = "", three = ""] = PARTS[prompts.locale] ?? [];
    const first: ScriptedAnswer = {
      parts: [
        { text: one, atMs: 1_000 },
        { text: two, atMs: 1_200 },
      ],
      endAtMs: 5_000,
    };
    const second: ScriptedAnswer = { parts: [{ text: three, atMs: 800 }], endAtMs: 800 };

    // Act
    const { ended, invocations } = await call(strategy, prompts, [first, second]);

    // Assess
    const cursorsByTurn = (turn: string) =>
      invocations
        .filter((invocation) => invocation.turn === turn && invocation.fn !== "register")
        .map((invocation) => invocation.cursor);
    const registrations = invocations.filter((invocation) => invocation.fn === "register");
    expect(registrations.map(({ turn, cursor }) => [turn, cursor])).toEqual(
      strategy === "native-async"
        ? [
            ["1", "0"],
            ["2", "0"],
          ]
        : [],
    );
    expect(cursorsByTurn("1")[0]).toBe("0");
    expect(cursorsByTurn("1")).toContain("2");
    expect(cursorsByTurn("2")).toEqual(["0"]);
    expect(spoken(ended).filter((text) => [one, two, three].includes(text))).toEqual([one, two, three]);
    const { [FILLER_ATTRIBUTE]: _filler, ...attributes } = ended.attributes;
    expect(attributes).toEqual({ holdlineTurn: "3", holdlineCursor: "0" });
  });

  it.each(["polling", "native-async"] as const)(
    "stop a handler that answers 'partial' for ever after the parts loop's 100 rounds (%s)",
    async (strategy) => {
      // Prepare
      const clock = newClock();
      const fake = endlessPartials(clock);

      // Act
      const { ended } = await emulatorOn(fake.functions, { lex: holdlineLexBot }, clock).run(
        flowFor(strategy, EN_US),
        { turns: [say("What time do you open?"), say("No, that's all.")] },
      );

      // Assess: the first part, 100 more through the Loop block, then the short apology and the next question.
      const said = spoken(ended);
      expect(said.filter((text) => text === "Again.")).toHaveLength(101);
      expect(said.slice(-3)).toEqual([EN_US.errorAfterParts, EN_US.anythingElse, EN_US.goodbye]);
      expect(fake.calls).toHaveLength(101);
    },
  );
});

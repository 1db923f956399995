import { loadConfig } from "@holdline/app-lex-transcript/config";
import { dependenciesFrom } from "@holdline/app-lex-transcript/container";
import { createHandler } from "@holdline/app-lex-transcript/handler";
import { LEX_BOT, TRANSCRIPT_STATUS } from "@holdline/connect-contract/flow-contract";
import { ACTION_IDS, buildHoldlineFlow, type Strategy } from "@holdline/contact-flow/holdline/holdline-flows";
import { holdlineCodeHookBot } from "@holdline/contact-flow/holdline/lex-bot-simulation";
import { EN_US, JA_JP, type PromptPack } from "@holdline/contact-flow/holdline/prompt-packs";
import type { LexV2Event } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { type CallerTurn, say } from "../../src/caller-script.ts";
import { ConnectEmulator } from "../../src/connect-emulator.ts";
import { type LexV2CodeHook, lexCodeHookBot } from "../../src/lex-code-hook.ts";
import { fakeHoldline, HOLDLINE_ARNS, HOLDLINE_TEST_BUDGET, holdlineArns } from "./fake-holdline.ts";
import { emulatorOn, eventsOf, newClock, spoken } from "./harness.ts";

const LEX = "arn:aws:lex:ap-northeast-1:123456789012:bot-alias/BOTID12345/ALIASID123";

/** The real apps/lex-transcript handler, behind a recorder of the Lex V2 events it was sent. */
function realCodeHook(environment: Record<string, string> = {}) {
  const handler = createHandler(dependenciesFrom(loadConfig(environment)));
  const events: LexV2Event[] = [];
  const hook: LexV2CodeHook = (event) => {
    events.push(event);
    return handler(event);
  };
  return { hook, events };
}

const QUESTIONS: Readonly<Record<string, { question: string; goodbye: string }>> = {
  "ja-JP": { question: "返品の方法を教えてください", goodbye: "いいえ、以上です。" },
  "en-US": { question: "How do I return an item?", goodbye: "No, that's all." },
};

async function call(
  strategy: Strategy,
  prompts: PromptPack,
  turns: readonly CallerTurn[],
  options: { environment?: Record<string, string>; hook?: LexV2CodeHook } = {},
) {
  const flow = buildHoldlineFlow(strategy, {
    lambdas: holdlineArns(strategy),
    lexBotAliasArn: LEX,
    prompts,
    budget: HOLDLINE_TEST_BUDGET,
  });
  const clock = newClock();
  const fake = fakeHoldline(clock, 800);
  const real = realCodeHook(options.environment);
  const { ended } = await emulatorOn(
    fake.functions,
    { lex: lexCodeHookBot(options.hook ?? real.hook, holdlineCodeHookBot) },
    clock,
  ).run(flow, { turns });
  return { ended, fake, events: real.events };
}

const CASES = (["polling", "native-async"] as const).flatMap((strategy) =>
  [JA_JP, EN_US].map((prompts) => ({ strategy, prompts, label: `${strategy} ${prompts.locale}` })),
);

describe("the Lex hand-off through the real lex-transcript code hook", () => {
  it.each(CASES)(
    "carries the caller's words to the Lambda as the question ($label)",
    async ({ strategy, prompts }) => {
      // Prepare
      const { question, goodbye } = QUESTIONS[prompts.locale]!;

      // Act
      const { ended, fake, events } = await call(strategy, prompts, [say(question), say(goodbye)]);

      // Assess
      expect(fake.questions).toEqual([question]);
      expect(spoken(ended)).toEqual([
        prompts.greeting,
        prompts.askQuestion,
        "Answer 1.",
        prompts.anythingElse,
        prompts.goodbye,
      ]);
      expect(events).toHaveLength(1);
    },
  );

  it.each(CASES)(
    "asks again after an empty utterance, then answers ($label)",
    async ({ strategy, prompts }) => {
      // Prepare
      const { question, goodbye } = QUESTIONS[prompts.locale]!;

      // Act
      const { ended, fake } = await call(strategy, prompts, [say(""), say(question), say(goodbye)]);

      // Assess
      expect(spoken(ended)).toEqual([
        prompts.greeting,
        prompts.askQuestion,
        prompts.noInput,
        prompts.askQuestion,
        "Answer 1.",
        prompts.anythingElse,
        prompts.goodbye,
      ]);
      expect(fake.questions).toEqual([question]);
      expect(eventsOf(ended, "lex")[0]?.sessionAttributes).toEqual({
        [LEX_BOT.transcriptAttribute]: "",
        [LEX_BOT.transcriptStatusAttribute]: TRANSCRIPT_STATUS.empty,
      });
    },
  );

  it.each([JA_JP, EN_US])(
    "sends Lex's event in the bot locale of the contact's language ($locale)",
    async (prompts) => {
      // Act
      const { events } = await call("polling", prompts, [say(QUESTIONS[prompts.locale]!.question)]);

      // Assess
      const event = events[0]!;
      expect(event.bot).toMatchObject({
        id: "BOTID12345",
        aliasId: "ALIASID123",
        localeId: prompts.locale.replace("-", "_"),
      });
      expect(event).toMatchObject({
        invocationSource: "FulfillmentCodeHook",
        inputMode: "Speech",
        inputTranscript: QUESTIONS[prompts.locale]!.question,
        sessionState: { intent: { name: LEX_BOT.fallbackIntent, state: "ReadyForFulfillment" } },
      });
      expect(event.sessionId).toMatch(/^c0ac7000-/);
    },
  );

  it("scores English speech only, as Lex does", async () => {
    // Act
    const en = await call("polling", EN_US, [say("How do I return an item?")]);
    const ja = await call("polling", JA_JP, [say("返品の方法を教えてください")]);

    // Assess
    expect(en.events[0]?.transcriptions[0]?.transcriptionConfidence).toBe(0.9);
    expect(ja.events[0]?.transcriptions[0]).not.toHaveProperty("transcriptionConfidence");
  });

  it("asks again after speech Lex was unsure of, and hands on the clear repeat", async () => {
    // Act
    const { ended, fake } = await call("native-async", EN_US, [
      { ...say("how do eye read earn a nit"), confidence: 0.18 },
      say("How do I return an item?"),
      say("No, that's all."),
    ]);

    // Assess
    expect(spoken(ended).slice(0, 4)).toEqual([
      EN_US.greeting,
      EN_US.askQuestion,
      EN_US.noInput,
      EN_US.askQuestion,
    ]);
    expect(fake.questions).toEqual(["How do I return an item?"]);
  });

  it("says goodbye politely when the caller stays unclear after the re-prompt", async () => {
    // Act
    const { ended, fake } = await call("polling", JA_JP, [say(""), say("。。。")]);

    // Assess
    expect(spoken(ended)).toEqual([
      JA_JP.greeting,
      JA_JP.askQuestion,
      JA_JP.noInput,
      JA_JP.askQuestion,
      JA_JP.goodbye,
    ]);
    expect(fake.questions).toEqual([]);
    expect(ended.endReason).toBe("disconnected");
  });

  it("asks 'anything else?' again after an unclear answer to it, then takes the next question", async () => {
    // Act
    const { ended, fake } = await call("polling", EN_US, [
      say("How do I return an item?"),
      say("   "),
      say("What time do you open?"),
      say("No, that's all."),
    ]);

    // Assess
    expect(spoken(ended)).toEqual([
      EN_US.greeting,
      EN_US.askQuestion,
      "Answer 1.",
      EN_US.anythingElse,
      EN_US.noInput,
      EN_US.anythingElse,
      "Answer 2.",
      EN_US.anythingElse,
      EN_US.goodbye,
    ]);
    expect(fake.questions).toEqual(["How do I return an item?", "What time do you open?"]);
    // The progressive flow resets the cursor each turn; the fake answers whole answers and never moves it.
    expect(ended.attributes).toEqual({ holdlineTurn: "3", holdlineCursor: "0" });
  });

  it("recognises goodbye without calling the code hook", async () => {
    // Act
    const { ended, events } = await call("polling", EN_US, [say("No, that's all.")]);

    // Assess
    expect(events).toEqual([]);
    expect(spoken(ended)).toEqual([EN_US.greeting, EN_US.askQuestion, EN_US.goodbye]);
  });

  it("says it cannot answer now when the code hook reports a malformed event", async () => {
    // Prepare
    const { hook } = realCodeHook();
    const breaking: LexV2CodeHook = (event) =>
      hook({ ...event, sessionState: undefined } as unknown as LexV2Event);

    // Act
    const { ended, fake } = await call("polling", JA_JP, [say("返品の方法を教えてください")], {
      hook: breaking,
    });

    // Assess
    expect(
      eventsOf(ended, "branch").find((b) => b.identifier === ACTION_IDS.checkQuestion)?.result,
    ).toContain(TRANSCRIPT_STATUS.error);
    expect(spoken(ended).at(-1)).toBe(JA_JP.unavailable);
    expect(fake.questions).toEqual([]);
  });

  it("takes the Lex block's error branch when the code hook throws, as a failed Lex turn does", async () => {
    // Act
    const { ended } = await call("polling", EN_US, [say("How do I return an item?")], {
      hook: () => {
        throw new Error("Runtime.ImportModuleError");
      },
    });

    // Assess
    expect(eventsOf(ended, "note").map((note) => note.text)).toEqual([
      "the code hook failed: Runtime.ImportModuleError",
    ]);
    expect(spoken(ended).at(-1)).toBe(EN_US.unavailable);
  });

  it("refuses a code hook that does not close the intent: the emulator cannot play Lex's own dialog", async () => {
    // Prepare
    const flow = buildHoldlineFlow("polling", {
      lambdas: HOLDLINE_ARNS,
      lexBotAliasArn: LEX,
      prompts: EN_US,
      budget: HOLDLINE_TEST_BUDGET,
    });
    const clock = newClock();
    const eliciting: LexV2CodeHook = () => ({ sessionState: { dialogAction: { type: "ElicitIntent" } } });
    const emulator = new ConnectEmulator({
      clock,
      functions: fakeHoldline(clock, 800).functions,
      lex: lexCodeHookBot(eliciting, holdlineCodeHookBot),
    });

    // Act
    const ended = await clock.run(emulator.call(flow, { turns: [say("How do I return an item?")] }).ended);

    // Assess
    expect(ended.endReason).toBe("emulator-error");
    expect(ended.emulatorError).toMatchObject({ code: "unsupported_lex_response" });
  });
});

describe("lexCodeHookBot without options", () => {
  it("sends every utterance to FallbackIntent, as a bot with no intents of its own, and runs the hook", async () => {
    // Prepare
    const heard: LexV2Event[] = [];
    const bot = lexCodeHookBot((event) => {
      heard.push(event);
      return {
        sessionState: {
          dialogAction: { type: "Close" },
          intent: { ...event.sessionState.intent, state: "Fulfilled" },
          sessionAttributes: { transcript: event.inputTranscript },
        },
      };
    });

    // Act
    const response = await bot({
      utterance: "No, that's all.",
      locale: "en-US",
      botAliasArn: LEX,
      sessionAttributes: {},
    });

    // Assess
    expect(response).toEqual({
      intent: "FallbackIntent",
      sessionAttributes: { transcript: "No, that's all." },
    });
    expect(heard.map((event) => event.sessionState.intent.name)).toEqual(["FallbackIntent"]);
  });
});

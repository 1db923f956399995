import { EXTERNAL_KEYS, FLOW_PARAMETERS, TEXT_OFFER_OUTCOME } from "@holdline/connect-contract/flow-contract";
import {
  ACTION_IDS,
  buildHoldlineFlow,
  type Strategy,
  TEXT_OFFER_ATTRIBUTE,
  TEXT_OFFER_STATE,
} from "@holdline/contact-flow/holdline/holdline-flows";
import { holdlineLexBot } from "@holdline/contact-flow/holdline/lex-bot-simulation";
import { EN_US, JA_JP, type PromptPack, textOfferPrompt } from "@holdline/contact-flow/holdline/prompt-packs";
import type { Clock } from "@holdline/domain/ports/clock.port";
import type { ConnectContactFlowEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { type CallerTurn, press, say, silence } from "../../src/caller-script.ts";
import type { CallResult } from "../../src/connect-emulator.ts";
import type { LambdaFunctions } from "../../src/lambda-function.ts";
import { fakeHoldline, HOLDLINE_ARNS, HOLDLINE_TEST_BUDGET, holdlineArns } from "./fake-holdline.ts";
import { fakeProgressiveHoldline, type ScriptedAnswer } from "./fake-progressive-holdline.ts";
import { emulatorOn, eventsOf, newClock, spoken } from "./harness.ts";

const LEX = "arn:aws:lex:ap-northeast-1:123456789012:bot-alias/BOTID12345/ALIASID123";
const TEXT_OFFER_ARN = "arn:aws:lambda:ap-northeast-1:123456789012:function:holdline-test-connect-text-offer";
/** The emulator's default caller number (`CustomerEndpoint.Address`). */
const CALLER = "+819000000000";
const QUESTION: Readonly<Record<string, string>> = {
  "en-US": "When do you open?",
  "ja-JP": "何時に開店しますか",
};
const GOODBYE: Readonly<Record<string, string>> = {
  "en-US": "No, that's all.",
  "ja-JP": "いいえ、以上です。",
};
/** About 10 s into the wait: one "still working" round before the offer (flow-timing's `textOfferTiming`). */
const AFTER_SECONDS = 10;

const flowFor = (strategy: Strategy, prompts: PromptPack, progressive: boolean) =>
  buildHoldlineFlow(strategy, {
    lambdas: holdlineArns(strategy),
    lexBotAliasArn: LEX,
    prompts,
    budget: HOLDLINE_TEST_BUDGET,
    progressive,
    textOffer: { functionArn: TEXT_OFFER_ARN, afterSeconds: AFTER_SECONDS },
  });

/**
 * A stand-in for connect-text-offer, not the app: answers `outcome` after `delayMs`, with every key of the
 * contract from `view` (what connect-status would answer for the turn) when given.
 */
function textOfferStub(
  clock: Clock,
  outcome: string | readonly string[],
  {
    delayMs = 300,
    view,
  }: { delayMs?: number; view?: (event: ConnectContactFlowEvent) => Promise<Record<string, string>> } = {},
) {
  const calls: { at: number; parameters: Record<string, string>; number: string }[] = [];
  const fn = async (event: ConnectContactFlowEvent) => {
    calls.push({
      at: clock.now(),
      parameters: { ...event.Details.Parameters },
      number: event.Details.ContactData.CustomerEndpoint?.Address ?? "",
    });
    await clock.sleep(delayMs);
    const now = typeof outcome === "string" ? outcome : (outcome[calls.length - 1] ?? outcome.at(-1) ?? "");
    return { ...(view === undefined ? {} : await view(event)), textOffer: now };
  };
  return { fn, calls };
}

interface Run {
  readonly strategy: Strategy;
  readonly prompts: PromptPack;
  readonly progressive: boolean;
  /** classic fakes: the whole answer this long after the turn starts. */
  readonly answerAfterMs?: number;
  /** progressive fakes: the parts. */
  readonly answer?: ScriptedAnswer;
  /** The turn the offer consumes (the turn after the question). */
  readonly atOffer: CallerTurn;
  /** The stub's outcome, or one per call. */
  readonly outcome?: string | readonly string[];
  readonly offerDelayMs?: number;
}

async function call(run: Run) {
  const clock = newClock();
  const holdline =
    run.answer === undefined
      ? fakeHoldline(clock, run.answerAfterMs ?? 60_000).functions
      : fakeProgressiveHoldline(clock, [run.answer]).functions;
  const statusFn = holdline[HOLDLINE_ARNS.status] as
    | ((event: ConnectContactFlowEvent) => Promise<Record<string, string>>)
    | undefined;
  const offer = textOfferStub(clock, run.outcome ?? TEXT_OFFER_OUTCOME.accepted, {
    delayMs: run.offerDelayMs ?? 300,
    ...((run.outcome === TEXT_OFFER_OUTCOME.answerReady ||
      (Array.isArray(run.outcome) && run.outcome.includes(TEXT_OFFER_OUTCOME.answerReady))) &&
    statusFn !== undefined
      ? { view: async (event) => await statusFn(event) }
      : {}),
  });
  const functions: LambdaFunctions = { ...holdline, [TEXT_OFFER_ARN]: offer.fn };
  const { ended, settled } = await emulatorOn(functions, { lex: holdlineLexBot }, clock).run(
    flowFor(run.strategy, run.prompts, run.progressive),
    {
      turns: [say(QUESTION[run.prompts.locale] ?? ""), run.atOffer, say(GOODBYE[run.prompts.locale] ?? "")],
    },
  );
  return { ended, settled, offer };
}

const offerPrompts = (result: CallResult) =>
  eventsOf(result, "prompt").filter((event) => event.identifier === ACTION_IDS.offerText);

/** The silence after each prompt until the next one starts, counting a listening input block's window. */
function gapsAfter(result: CallResult, identifier: string): number[] {
  const prompts = eventsOf(result, "prompt");
  return prompts.flatMap((event, index) => {
    const following = prompts[index + 1];
    return event.identifier === identifier && following !== undefined ? [following.at - event.endAt] : [];
  });
}

const CASES = (["polling", "native-async"] as const).flatMap((strategy) =>
  [true, false].flatMap((progressive) =>
    [JA_JP, EN_US].map((prompts) => ({
      strategy,
      progressive,
      prompts,
      label: `${strategy} ${progressive ? "progressive" : "classic"} ${prompts.locale}`,
    })),
  ),
);

/** A slow answer for either kind of fake: ready `atMs` into the turn. */
const slowAnswer = (progressive: boolean, atMs: number) =>
  progressive ? { answer: { parts: [{ text: "Answer 1.", atMs }], endAtMs: atMs } } : { answerAfterMs: atMs };

/**
 * When the offer's prompt starts and ends, with an answer too slow to matter, from the turn's first
 * invocation (connect-start or connect-answer: when the fakes start the answer's clock).
 */
async function offerStartsAt(strategy: Strategy, prompts: PromptPack, progressive: boolean) {
  const { ended } = await call({
    strategy,
    prompts,
    progressive,
    ...slowAnswer(progressive, 50_000),
    atOffer: silence,
  });
  const invoked = eventsOf(ended, "invocation").find(
    (event) => event.identifier === ACTION_IDS.invokeAnswer || event.identifier === ACTION_IDS.invokeStart,
  );
  const [offered] = offerPrompts(ended);
  if (invoked === undefined || offered === undefined) throw new Error("no offer");
  return { promptAt: offered.at - invoked.at, promptEnd: offered.endAt - invoked.at };
}

describe("the text offer, end to end in the emulator with stub Lambdas", () => {
  it.each(CASES)(
    "a key press reaches connect-text-offer; accepted confirms and hangs up ($label)",
    async (c) => {
      // Act
      const { ended, offer } = await call({
        ...c,
        ...slowAnswer(c.progressive, 45_000),
        atOffer: press("1"),
      });

      // Assess
      expect(offerPrompts(ended).map((event) => event.text)).toEqual([textOfferPrompt(c.prompts, "1")]);
      expect(offer.calls).toHaveLength(1);
      expect(offer.calls[0]?.parameters).toEqual({
        [FLOW_PARAMETERS.turn]: "1",
        ...(c.progressive ? { [FLOW_PARAMETERS.cursor]: "0" } : {}),
      });
      expect(offer.calls[0]?.number).toBe(CALLER);
      const said = spoken(ended);
      expect(said.at(-1)).toBe(c.prompts.textAccepted);
      expect(said).not.toContain("Answer 1.");
      expect(ended.endReason).toBe("disconnected");
      expect(eventsOf(ended, "disconnect").map((event) => event.identifier)).toEqual([ACTION_IDS.hangUp]);
      expect(ended.attributes[TEXT_OFFER_ATTRIBUTE]).toBe(TEXT_OFFER_STATE.accepted);
      // The offer came after at least one filler, about AFTER_SECONDS into the wait.
      const [offered] = offerPrompts(ended);
      const fillers = eventsOf(ended, "prompt").filter(
        (event) => event.text.includes(c.prompts.stillWorking) && event.at < (offered?.at ?? 0),
      );
      expect(fillers.length).toBeGreaterThanOrEqual(1);
      expect(ended.longestSilence?.durationMs ?? 0).toBeLessThan(HOLDLINE_TEST_BUDGET.choices.maxSilenceMs);
    },
  );

  it.each(CASES)(
    "without a key the wait goes on and the answer is spoken, the gap within one silence ($label)",
    async (c) => {
      // Act
      const { promptEnd } = await offerStartsAt(c.strategy, c.prompts, c.progressive);
      const { ended, offer } = await call({
        ...c,
        ...slowAnswer(c.progressive, promptEnd + 8_000),
        atOffer: silence,
      });

      // Assess
      expect(offerPrompts(ended)).toHaveLength(1);
      expect(offer.calls).toEqual([]);
      expect(eventsOf(ended, "input-timeout").map((event) => event.identifier)).toContain(
        ACTION_IDS.offerText,
      );
      const said = spoken(ended);
      expect(said).toContain("Answer 1.");
      expect(said.at(-1)).toBe(c.prompts.goodbye);
      // The offer's prompt end to the next prompt (the filler): the input window, within maxSilenceMs.
      const gaps = gapsAfter(ended, ACTION_IDS.offerText);
      expect(gaps).toHaveLength(1);
      expect(gaps[0]).toBeLessThan(HOLDLINE_TEST_BUDGET.choices.maxSilenceMs);
      expect(ended.longestSilence?.durationMs ?? 0).toBeLessThan(HOLDLINE_TEST_BUDGET.choices.maxSilenceMs);
      // Offered once; no later turn (the caller said goodbye) reset it.
      expect(ended.attributes[TEXT_OFFER_ATTRIBUTE]).toBe(TEXT_OFFER_STATE.offered);
    },
  );

  it.each(CASES)(
    "another key goes back to waiting with no call to connect-text-offer ($label)",
    async (c) => {
      const { ended, offer } = await call({
        ...c,
        ...slowAnswer(c.progressive, 20_000),
        atOffer: press("5"),
      });
      expect(offer.calls).toEqual([]);
      expect(spoken(ended)).toContain("Answer 1.");
      expect(gapsAfter(ended, ACTION_IDS.offerText)[0]).toBeLessThan(
        HOLDLINE_TEST_BUDGET.choices.maxSilenceMs,
      );
    },
  );

  it.each(CASES)("unavailable: the apology, then the wait goes on ($label)", async (c) => {
    const { ended, offer } = await call({
      ...c,
      ...slowAnswer(c.progressive, 25_000),
      atOffer: press("1"),
      outcome: TEXT_OFFER_OUTCOME.unavailable,
    });
    expect(offer.calls).toHaveLength(1);
    const said = spoken(ended);
    expect(said).toContain(c.prompts.textUnavailable);
    expect(said).toContain("Answer 1.");
    expect(said.at(-1)).toBe(c.prompts.goodbye);
    expect(offerPrompts(ended)).toHaveLength(1);
    expect(ended.longestSilence?.durationMs ?? 0).toBeLessThan(HOLDLINE_TEST_BUDGET.choices.maxSilenceMs);
  });

  it.each(CASES)("failed, or connect-text-offer failing, goes back to waiting ($label)", async (c) => {
    for (const outcome of [TEXT_OFFER_OUTCOME.failed, "something else"]) {
      const { ended } = await call({
        ...c,
        ...slowAnswer(c.progressive, 25_000),
        atOffer: press("1"),
        outcome,
      });
      expect(spoken(ended)).toContain("Answer 1.");
      expect(spoken(ended)).not.toContain(c.prompts.textAccepted);
      expect(ended.longestSilence?.durationMs ?? 0).toBeLessThan(HOLDLINE_TEST_BUDGET.choices.maxSilenceMs);
    }
  });

  it.each(CASES)(
    "failed, then the consent turns out recorded: asked again before the answer, the caller is told the text is coming ($label)",
    async (c) => {
      const { ended, offer } = await call({
        ...c,
        ...slowAnswer(c.progressive, 25_000),
        atOffer: press("1"),
        outcome: [TEXT_OFFER_OUTCOME.failed, TEXT_OFFER_OUTCOME.accepted],
      });
      expect(offer.calls).toHaveLength(2);
      const said = spoken(ended);
      expect(said).not.toContain("Answer 1.");
      expect(said.at(-1)).toBe(c.prompts.textAccepted);
      expect(eventsOf(ended, "disconnect").map((event) => event.identifier)).toEqual([ACTION_IDS.hangUp]);
      expect(ended.longestSilence?.durationMs ?? 0).toBeLessThan(HOLDLINE_TEST_BUDGET.choices.maxSilenceMs);
    },
  );

  it.each(CASES)(
    "failed, then no consent recorded: asked again, the answer is spoken and no text is promised ($label)",
    async (c) => {
      const { ended, offer } = await call({
        ...c,
        ...slowAnswer(c.progressive, 25_000),
        atOffer: press("1"),
        outcome: [TEXT_OFFER_OUTCOME.failed, TEXT_OFFER_OUTCOME.answerReady],
      });
      expect(offer.calls).toHaveLength(2);
      const said = spoken(ended);
      expect(said).toContain("Answer 1.");
      expect(said).not.toContain(c.prompts.textAccepted);
      expect(said.at(-1)).toBe(c.prompts.goodbye);
    },
  );

  it.each(CASES.filter((c) => c.strategy === "polling"))(
    "answer_ready: speaks the answer the response carries ($label)",
    async (c) => {
      // The answer is ready by the time the caller presses the key, after the offer's prompt.
      const { promptEnd } = await offerStartsAt(c.strategy, c.prompts, c.progressive);
      const { ended, offer } = await call({
        ...c,
        ...slowAnswer(c.progressive, promptEnd - 500),
        atOffer: press("1", { afterMs: 1_000 }),
        outcome: TEXT_OFFER_OUTCOME.answerReady,
      });
      expect(offer.calls).toHaveLength(1);
      const said = spoken(ended);
      const offerAt = said.indexOf(textOfferPrompt(c.prompts, "1"));
      expect(offerAt).toBeGreaterThan(-1);
      expect(said[offerAt + 1]).toBe("Answer 1.");
      expect(said.at(-1)).toBe(c.prompts.goodbye);
    },
  );

  it.each(CASES.filter((c) => c.progressive))(
    "never plays the offer after a part was spoken ($label)",
    async (c) => {
      // A first part at once, then a long stall: fillers, no offer.
      const { ended } = await call({
        ...c,
        answer: {
          parts: [
            { text: "Part one.", atMs: 500 },
            { text: "Part two.", atMs: 30_000 },
          ],
          endAtMs: 30_000,
        },
        atOffer: silence,
      });
      const said = spoken(ended);
      expect(said).toContain("Part one.");
      expect(said).toContain("Part two.");
      expect(said.filter((text) => text.includes(c.prompts.stillWorking)).length).toBeGreaterThan(2);
      expect(offerPrompts(ended)).toEqual([]);
      expect(ended.attributes[TEXT_OFFER_ATTRIBUTE]).toBe(TEXT_OFFER_STATE.closed);
    },
  );

  it.each(CASES)("plays the offer at most once in a turn ($label)", async (c) => {
    const { ended } = await call({ ...c, ...slowAnswer(c.progressive, 45_000), atOffer: silence });
    expect(offerPrompts(ended)).toHaveLength(1);
    expect(spoken(ended)).toContain("Answer 1.");
  });
});

describe("native-async: the offer on the keep-running Wait's Continue branch", () => {
  it.each([true, false])(
    "the answer returning cuts the offer's prompt short (progressive %s)",
    async (progressive) => {
      const { promptAt, promptEnd } = await offerStartsAt("native-async", EN_US, progressive);
      const atMs = Math.round((promptAt + promptEnd) / 2);
      const { ended, offer } = await call({
        strategy: "native-async",
        prompts: EN_US,
        progressive,
        ...slowAnswer(progressive, atMs),
        atOffer: press("1"),
      });
      const [offered] = offerPrompts(ended);
      expect(offered?.interrupted).toBe(true);
      expect(offer.calls).toEqual([]);
      expect(spoken(ended)).toContain("Answer 1.");
      expect(
        eventsOf(ended, "branch").some(
          (b) => b.identifier === ACTION_IDS.waitForAnswer && b.result === "LambdaReturned",
        ),
      ).toBe(true);
    },
  );

  it.each([true, false])(
    "the answer returning cuts the key's wait short (progressive %s)",
    async (progressive) => {
      const { promptEnd } = await offerStartsAt("native-async", EN_US, progressive);
      const { ended, offer } = await call({
        strategy: "native-async",
        prompts: EN_US,
        progressive,
        ...slowAnswer(progressive, promptEnd + 500),
        atOffer: silence,
      });
      expect(offer.calls).toEqual([]);
      expect(eventsOf(ended, "input-timeout").map((e) => e.identifier)).not.toContain(ACTION_IDS.offerText);
      expect(spoken(ended)).toContain("Answer 1.");
      expect(spoken(ended).at(-1)).toBe(EN_US.goodbye);
    },
  );

  it.each([true, false])(
    "the answer returning cuts connect-text-offer's call short: asked again, a recorded consent is honoured (progressive %s)",
    async (progressive) => {
      const { promptEnd } = await offerStartsAt("native-async", EN_US, progressive);
      const { ended, offer } = await call({
        strategy: "native-async",
        prompts: EN_US,
        progressive,
        // The key lands 200 ms after the prompt; connect-text-offer takes 2 s; the answer comes 1 s in.
        ...slowAnswer(progressive, promptEnd + 1_200),
        atOffer: press("1"),
        offerDelayMs: 2_000,
      });
      // The first call's answer was cut short; the second says the consent is recorded: the caller is told the
      // text is coming and is not given the answer too (they would hear it and get the text).
      expect(offer.calls).toHaveLength(2);
      const said = spoken(ended);
      expect(said).not.toContain("Answer 1.");
      expect(said.at(-1)).toBe(EN_US.textAccepted);
      expect(eventsOf(ended, "disconnect").map((event) => event.identifier)).toEqual([ACTION_IDS.hangUp]);
    },
  );

  it.each([true, false])(
    "the answer returning cuts connect-text-offer's call short: asked again, no consent recorded, the answer is spoken (progressive %s)",
    async (progressive) => {
      const { promptEnd } = await offerStartsAt("native-async", EN_US, progressive);
      const { ended, offer } = await call({
        strategy: "native-async",
        prompts: EN_US,
        progressive,
        ...slowAnswer(progressive, promptEnd + 1_200),
        atOffer: press("1"),
        offerDelayMs: 2_000,
        outcome: [TEXT_OFFER_OUTCOME.accepted, TEXT_OFFER_OUTCOME.answerReady],
      });
      expect(offer.calls).toHaveLength(2);
      const said = spoken(ended);
      expect(said).toContain("Answer 1.");
      expect(said).not.toContain(EN_US.textAccepted);
      expect(said.at(-1)).toBe(EN_US.goodbye);
    },
  );

  it.each([true, false])(
    "the answer returning cuts the confirmation short: it is said again, whole, and the answer goes by text (progressive %s)",
    async (progressive) => {
      const { promptEnd } = await offerStartsAt("native-async", EN_US, progressive);
      const { ended, offer } = await call({
        strategy: "native-async",
        prompts: EN_US,
        progressive,
        // The key at 200 ms, accepted at 300 ms; the answer comes while the confirmation plays.
        ...slowAnswer(progressive, promptEnd + 900),
        atOffer: press("1"),
        offerDelayMs: 100,
      });
      expect(offer.calls).toHaveLength(1);
      const said = spoken(ended);
      expect(said).not.toContain("Answer 1.");
      expect(said.filter((text) => text === EN_US.textAccepted)).toHaveLength(2);
      expect(said.at(-1)).toBe(EN_US.textAccepted);
      expect(ended.endReason).toBe("disconnected");
    },
  );

  it("answer_ready: back into the one keep-running Wait, which hands over the answer", async () => {
    const { promptEnd } = await offerStartsAt("native-async", EN_US, false);
    const { ended, offer } = await call({
      strategy: "native-async",
      prompts: EN_US,
      progressive: false,
      ...slowAnswer(false, promptEnd + 300),
      atOffer: press("1"),
      outcome: TEXT_OFFER_OUTCOME.answerReady,
      offerDelayMs: 100,
    });
    // The key at 200 ms, the stub's answer at 300 ms: the answer returns while it runs or just after.
    expect(spoken(ended)).toContain("Answer 1.");
    expect(spoken(ended)).not.toContain(EN_US.textAccepted);
    // Cut short, its answer unheard, connect-text-offer is asked once more after the Wait's event.
    expect(offer.calls.length).toBeLessThanOrEqual(2);
    expect(ended.endReason).toBe("disconnected");
    void EXTERNAL_KEYS;
  });
});

import { deriveBudget } from "@holdline/budget/timing-budget";
import {
  CURSOR_ATTRIBUTE,
  FLOW_PARAMETERS,
  TEXT_OFFER_OUTCOME,
  TEXT_OFFER_PATH,
  TURN_PATH,
} from "@holdline/connect-contract/flow-contract";
import { describe, expect, it } from "vitest";
import { type FlowAction, type FlowDocument, flowContent } from "../../src/flow-language.ts";
import { textOfferTiming } from "../../src/holdline/flow-timing.ts";
import {
  ACTION_IDS,
  buildHoldlineFlow,
  type HoldlineFlowOptions,
  STRATEGIES,
  TEXT_OFFER_ATTRIBUTE,
  TEXT_OFFER_STATE,
  textOfferRoundId,
} from "../../src/holdline/holdline-flows.ts";
import { EN_US, JA_JP, textOfferPrompt } from "../../src/holdline/prompt-packs.ts";
import { validateFlow } from "../../src/validate-flow.ts";
import { FLOW_TEST_BUDGET, options } from "./flows.fixtures.ts";

const OFFER_ARN = "arn:aws:lambda:ap-northeast-1:123456789012:function:holdline-dev-connect-text-offer";
const withOffer = (base: HoldlineFlowOptions, offer: Partial<HoldlineFlowOptions["textOffer"]> = {}) => ({
  ...base,
  textOffer: { functionArn: OFFER_ARN, afterSeconds: 15, ...offer },
});

const ids = ACTION_IDS;
const action = (flow: FlowDocument, id: string): FlowAction => {
  const found = flow.Actions.find((candidate) => candidate.Identifier === id);
  if (found === undefined) throw new Error(`no action ${id}`);
  return found;
};
const conditionTargets = (step: FlowAction) =>
  Object.fromEntries((step.Transitions.Conditions ?? []).map((c) => [c.Condition.Operands[0], c.NextAction]));
const errorTargets = (step: FlowAction) =>
  Object.fromEntries((step.Transitions.Errors ?? []).map((e) => [e.ErrorType, e.NextAction]));

/** Every strategy × progressive × locale. */
const CASES = STRATEGIES.flatMap((strategy) =>
  [true, false].flatMap((progressive) =>
    [JA_JP, EN_US].map((prompts) => ({
      strategy,
      progressive,
      prompts,
      label: `${strategy} ${progressive ? "progressive" : "classic"} ${prompts.locale}`,
    })),
  ),
);

const build = ({ strategy, progressive, prompts }: (typeof CASES)[number], offer = {}) =>
  buildHoldlineFlow(strategy, withOffer({ ...options(prompts), progressive }, offer));

/** Every action reachable from `from` without passing through `stop`. */
function reachableFrom(flow: FlowDocument, from: string, stop: readonly string[] = []): Set<string> {
  const byId = new Map(flow.Actions.map((a) => [a.Identifier, a]));
  const seen = new Set<string>([from]);
  const queue = [from];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    const a = byId.get(id);
    if (a === undefined) continue;
    const next = [
      a.Transitions.NextAction,
      ...(a.Transitions.Conditions ?? []).map((c) => c.NextAction),
      ...(a.Transitions.Errors ?? []).map((e) => e.NextAction),
    ].filter((n): n is string => n !== undefined);
    for (const n of next) {
      if (!seen.has(n) && !stop.includes(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return seen;
}

describe("the text offer in the Holdline flows", () => {
  it.each(CASES)("validates with zero findings ($label)", (variant) => {
    expect(validateFlow(build(variant))).toEqual([]);
    expect(validateFlow(build(variant, { key: "#", afterSeconds: 40 }))).toEqual([]);
  });

  it.each(CASES)(
    "absent, leaves the flow byte for byte as before ($label)",
    ({ strategy, progressive, prompts }) => {
      const base = { ...options(prompts), progressive };
      const without = flowContent(buildHoldlineFlow(strategy, base));
      expect(flowContent(buildHoldlineFlow(strategy, { ...base, textOffer: undefined }))).toBe(without);
      expect(without).not.toContain(TEXT_OFFER_ATTRIBUTE);
    },
  );

  it.each(CASES)("has one offer block, a DTMF menu on the one key ($label)", (variant) => {
    // Act
    const flow = build(variant);

    // Assess
    const inputs = flow.Actions.filter((a) => a.Type === "GetParticipantInput");
    expect(inputs.map((a) => a.Identifier)).toEqual([ids.offerText]);
    const offer = action(flow, ids.offerText);
    const timing = textOfferTiming(FLOW_TEST_BUDGET, variant.strategy, 15);
    expect(offer.Parameters).toEqual({
      StoreInput: "False",
      InputTimeLimitSeconds: String(timing.inputTimeLimitSeconds),
      Text: textOfferPrompt(variant.prompts, "1"),
    });
    expect(offer.Transitions.Conditions).toEqual([
      { NextAction: ids.textOfferPressed, Condition: { Operator: "Equals", Operands: ["1"] } },
    ]);
    expect(Object.keys(errorTargets(offer)).sort()).toEqual([
      "InputTimeLimitExceeded",
      "NoMatchingCondition",
      "NoMatchingError",
    ]);
    // No key, another key, an error: back to waiting through a filler, nothing else.
    const back = variant.strategy === "polling" ? ids.sayStillWorking : ids.sayOfferFiller;
    expect(new Set([offer.Transitions.NextAction, ...Object.values(errorTargets(offer))])).toEqual(
      new Set([back]),
    );
  });

  it.each(CASES)("reaches the offer once per turn, from the filler gate only ($label)", (variant) => {
    const flow = build(variant);
    const into = flow.Actions.filter((a) =>
      [a.Transitions.NextAction, ...(a.Transitions.Conditions ?? []).map((c) => c.NextAction)].includes(
        ids.setTextOffered,
      ),
    );
    expect(into.map((a) => a.Identifier)).toEqual([ids.checkTextOffer]);
    // After the offer, no path reaches it again before the next turn's reset.
    const after = reachableFrom(flow, ids.offerText, [ids.resetTextOffer]);
    expect(after.has(ids.checkTextOffer)).toBe(true);
    expect(action(flow, ids.setTextOffered).Parameters).toMatchObject({
      Attributes: { [TEXT_OFFER_ATTRIBUTE]: TEXT_OFFER_STATE.offered },
    });
    const gate = conditionTargets(action(flow, ids.checkTextOffer));
    // "offered" (and every other state) is no case of the gate: the filler plays.
    expect(Object.keys(gate)).not.toContain(TEXT_OFFER_STATE.offered);
  });

  it.each(CASES)("resets the count at each turn and counts fillers before the offer ($label)", (variant) => {
    const flow = build(variant);
    const timing = textOfferTiming(FLOW_TEST_BUDGET, variant.strategy, 15);
    for (const check of [ids.checkQuestion, ids.checkMore]) {
      expect(conditionTargets(action(flow, check)).ok).toBe(ids.resetTextOffer);
    }
    const reset = action(flow, ids.resetTextOffer);
    expect(reset.Parameters).toMatchObject({ Attributes: { [TEXT_OFFER_ATTRIBUTE]: "0" } });
    expect(reset.Transitions.NextAction).toBe(
      variant.progressive
        ? ids.resetCursor
        : variant.strategy === "polling"
          ? ids.invokeStart
          : ids.invokeAnswer,
    );
    const gate = conditionTargets(action(flow, ids.checkTextOffer));
    expect(timing.fillerRounds).toBeGreaterThanOrEqual(1);
    for (let heard = 0; heard < timing.fillerRounds; heard += 1) {
      expect(gate[String(heard)]).toBe(textOfferRoundId(heard + 1));
      const round = action(flow, textOfferRoundId(heard + 1));
      expect(round.Parameters).toMatchObject({ Attributes: { [TEXT_OFFER_ATTRIBUTE]: String(heard + 1) } });
      expect(round.Transitions.NextAction).toBe(ids.sayStillWorking);
    }
    expect(gate[String(timing.fillerRounds)]).toBe(ids.setTextOffered);
    expect(action(flow, ids.checkTextOffer).Transitions.NextAction).toBe(ids.sayStillWorking);
  });

  it.each(CASES.filter((c) => c.progressive))(
    "closes the offer once a part is spoken ($label)",
    (variant) => {
      const flow = build(variant);
      expect(action(flow, ids.setCursor).Parameters).toMatchObject({
        Attributes: {
          [CURSOR_ATTRIBUTE]: "$.External.cursor",
          [TEXT_OFFER_ATTRIBUTE]: TEXT_OFFER_STATE.closed,
        },
      });
      // The gate has no case for "closed": after a part, only the filler.
      expect(Object.keys(conditionTargets(action(flow, ids.checkTextOffer)))).not.toContain(
        TEXT_OFFER_STATE.closed,
      );
    },
  );

  it.each(CASES)(
    "invokes connect-text-offer synchronously and branches on its outcome ($label)",
    (variant) => {
      const flow = build(variant);
      const polling = variant.strategy === "polling";
      expect(action(flow, ids.textOfferPressed).Transitions.NextAction).toBe(ids.invokeTextOffer);
      const invoke = action(flow, ids.invokeTextOffer);
      expect(invoke.Parameters).toEqual({
        LambdaFunctionARN: OFFER_ARN,
        InvocationTimeLimitSeconds: String(FLOW_TEST_BUDGET.connectTextOffer.blockLimitSeconds),
        InvocationType: "SYNCHRONOUS",
        LambdaInvocationAttributes: {
          [FLOW_PARAMETERS.turn]: TURN_PATH,
          ...(variant.progressive ? { [FLOW_PARAMETERS.cursor]: `$.Attributes.${CURSOR_ATTRIBUTE}` } : {}),
        },
        ResponseValidation: { ResponseType: "STRING_MAP" },
      });
      const back = polling ? ids.sayStillWorking : ids.sayOfferFiller;
      expect(errorTargets(invoke)).toEqual({ NoMatchingError: back });
      const check = action(flow, ids.checkTextOfferResult);
      expect(check.Parameters).toEqual({ ComparisonValue: TEXT_OFFER_PATH });
      expect(conditionTargets(check)).toEqual({
        [TEXT_OFFER_OUTCOME.accepted]: ids.textAccepted,
        [TEXT_OFFER_OUTCOME.answerReady]: polling ? ids.checkStatus : ids.waitForAnswer,
        [TEXT_OFFER_OUTCOME.unavailable]: ids.sayTextUnavailable,
      });
      // failed or unknown: the outcome is unheard (`pressed`), asked again before the answer is spoken.
      expect(check.Transitions.NextAction).toBe(ids.textOfferUnheard);
      expect(action(flow, ids.textOfferUnheard)).toMatchObject({
        Parameters: { Attributes: { [TEXT_OFFER_ATTRIBUTE]: TEXT_OFFER_STATE.pressed } },
        Transitions: { NextAction: back },
      });
      const again = action(flow, ids.checkTextOfferAgain);
      expect(conditionTargets(again)).toEqual({ [TEXT_OFFER_OUTCOME.accepted]: ids.textAccepted });
      expect(again.Transitions.NextAction).toBe(polling ? ids.checkStatus : ids.loadAnswer);
      if (polling) {
        expect(action(flow, ids.invokeStatus).Transitions.NextAction).toBe(ids.checkTextPressed);
        const gate = action(flow, ids.checkTextPressed);
        expect(conditionTargets(gate)).toEqual({ [TEXT_OFFER_STATE.pressed]: ids.invokeTextOfferAgain });
        expect(gate.Transitions.NextAction).toBe(ids.checkStatus);
      }
      // The consent is remembered before the confirmation: native-async's Wait may cut the confirmation short.
      expect(action(flow, ids.textAccepted)).toMatchObject({
        Type: "UpdateContactAttributes",
        Parameters: { Attributes: { [TEXT_OFFER_ATTRIBUTE]: TEXT_OFFER_STATE.accepted } },
        Transitions: { NextAction: ids.sayTextAccepted },
      });
      expect(action(flow, ids.sayTextAccepted)).toMatchObject({
        Parameters: { Text: variant.prompts.textAccepted },
        Transitions: { NextAction: ids.hangUp },
      });
      expect(action(flow, ids.hangUp).Type).toBe("DisconnectParticipant");
      expect(action(flow, ids.sayTextUnavailable).Transitions.NextAction).toBe(
        polling ? ids.invokeStatus : ids.waitForAnswer,
      );
    },
  );

  it("native-async: the offer is on the keep-running Wait's Continue branch, and every way out returns to it", () => {
    const flow = build({ strategy: "native-async", progressive: true, prompts: EN_US, label: "" });
    const waits = flow.Actions.filter((a) => a.Type === "Wait" && a.Parameters.ContinueExecution === "TRUE");
    expect(waits.map((a) => a.Identifier)).toEqual([ids.waitForAnswer]);
    expect(Object.values(conditionTargets(action(flow, ids.pickFiller)))).not.toContain(ids.checkTextOffer);
    expect(action(flow, ids.pickFiller).Transitions.NextAction).toBe(ids.checkTextOffer);
    // From the offer, every path leads back to wait-for-answer or ends the call: none reaches another wait.
    const after = reachableFrom(flow, ids.offerText, [ids.waitForAnswer, ids.checkStatus]);
    const waitsReached = [...after].filter((id) => action(flow, id).Type === "Wait");
    expect(waitsReached).toEqual([]);
    expect(action(flow, ids.sayOfferFiller)).toMatchObject({
      Parameters: { Text: EN_US.stillWorking },
      Transitions: { NextAction: ids.waitForAnswer },
    });
  });

  it("names a key that is not a digit in the prompt, and refuses more than one key", () => {
    expect(textOfferPrompt(EN_US, "#")).toContain("pound");
    expect(textOfferPrompt(JA_JP, "*")).toContain("米印");
    expect(textOfferPrompt(JA_JP, "1")).toContain("1");
    const variant = CASES[0]!;
    expect(() => build(variant, { key: "12" })).toThrow(TypeError);
    expect(() => build(variant, { key: "A" })).toThrow(TypeError);
  });
});

describe("textOfferTiming", () => {
  it("counts afterSeconds in filler rounds, at least one, at most the cap", () => {
    const budget = deriveBudget();
    const polling = textOfferTiming(budget, "polling", 20);
    // A long-poll (one silence, 3 s) and a filler (about 1.5 s): 4.5 s a round; the turn's start is one.
    expect(polling.roundMs).toBe(4_500);
    expect(polling.fillerRounds).toBe(Math.round(20_000 / 4_500) - 1);
    const nativeAsync = textOfferTiming(budget, "native-async", 20);
    expect(nativeAsync.roundMs).toBeLessThan(polling.roundMs);
    expect(textOfferTiming(budget, "polling", 1).fillerRounds).toBe(1);
    expect(textOfferTiming(budget, "polling", 100_000).fillerRounds).toBe(30);
    expect(() => textOfferTiming(budget, "polling", 0)).toThrow();
  });

  it("keeps the silence after the offer's prompt within maxSilenceMs", () => {
    for (const maxSilenceMs of [2_000, 3_000, 5_000]) {
      const budget = deriveBudget({ maxSilenceMs });
      const { inputTimeLimitSeconds } = textOfferTiming(budget, "polling", 20);
      expect(inputTimeLimitSeconds).toBeGreaterThanOrEqual(1);
      expect(inputTimeLimitSeconds * 1_000).toBeLessThan(maxSilenceMs);
    }
  });
});

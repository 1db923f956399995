import type { TimingBudget } from "@holdline/budget/timing-budget";
import {
  CURSOR_ATTRIBUTE,
  CURSOR_PATH,
  ERROR_PROMPT,
  EXTERNAL_STATUS,
  externalPath,
  FLOW_PARAMETERS,
  LAST_ASYNC_INVOCATION_PATH,
  LEX_BOT,
  TEXT_OFFER_OUTCOME,
  TEXT_OFFER_PATH,
  TRANSCRIPT_PATH,
  TRANSCRIPT_STATUS,
  TRANSCRIPT_STATUS_PATH,
  TURN_ATTRIBUTE,
  TURN_PATH,
} from "@holdline/connect-contract/flow-contract";
import {
  compare,
  disconnect,
  dtmfMenu,
  invokeLambda,
  lexBot,
  loadLambdaResult,
  loop,
  message,
  setContactAttributes,
  setLanguage,
  setVoice,
  updateFlowLogging,
  wait,
} from "../flow-actions.ts";
import { FlowBuilder } from "../flow-builder.ts";
import type { FlowDocument } from "../flow-language.ts";
import { deriveFlowTiming, type FlowTiming, type TextOfferTiming, textOfferTiming } from "./flow-timing.ts";
import { type PromptPack, textOfferPrompt } from "./prompt-packs.ts";

export type Strategy = "polling" | "native-async";

export const STRATEGIES: readonly Strategy[] = ["polling", "native-async"];

export interface HoldlineLambdaArns {
  /**
   * connect-start: registers the turn's execution and dispatches the worker; polling: then waits briefly for
   * a fast answer; native-async with progressive answers: then answers at once, before connect-answer.
   */
  readonly start: string;
  /** connect-status: long-polls the execution. */
  readonly status: string;
  /** connect-answer: runs the whole answer within one asynchronous invocation (native-async). */
  readonly answer: string;
}

export interface HoldlineFlowOptions {
  readonly lambdas: HoldlineLambdaArns;
  /** The Lex V2 bot alias that captures the question (see `LEX_BOT`). */
  readonly lexBotAliasArn: string;
  readonly prompts: PromptPack;
  /** `deriveBudget()`'s result, the one the Lambdas are configured from: the flow's timings follow it. */
  readonly budget: TimingBudget;
  /** Name shown in the console; the metadata is omitted when absent. */
  readonly name?: string;
  /**
   * Progressive answers (default true): the caller hears the answer's parts as they arrive. The flow keeps the
   * parts heard in the contact attribute `holdlineCursor` (reset to "0" each turn), sends it as the `cursor`
   * parameter, speaks `$.External.answer` on `partial` and asks for the next parts at once. False builds the
   * flows as before progressive answers, byte for byte.
   */
  readonly progressive?: boolean;
  /**
   * How many times a call may be asked again after silence or an unclear answer (empty or unintelligible
   * transcript), at the first question and, separately, at "anything else?" (default 1). Connect keeps a
   * Loop counter for the whole contact, so this bounds the re-prompts of the call, not of one turn.
   */
  readonly reprompts?: number;
  /**
   * The offer of the answer by text message (docs/text-delivery.md, docs/contact-flow.md "The text offer").
   * Absent: no offer, and the flows are built as before it, byte for byte.
   */
  readonly textOffer?: TextOfferOptions;
}

export interface TextOfferOptions {
  /** connect-text-offer, invoked synchronously when the caller presses `key`. */
  readonly functionArn: string;
  /** The one DTMF key that takes the offer: 0–9, `*` or `#` (default "1"). */
  readonly key?: string;
  /**
   * About how many seconds into a turn's wait the offer is made; counted in filler rounds
   * (`textOfferTiming` in flow-timing.ts), and never before the first filler.
   */
  readonly afterSeconds: number;
}

/** The keys a "Get customer input" menu can branch on: one character, 0–9, `*` or `#` (the flow-language reference). */
export const DTMF_KEY = /^[0-9*#]$/;

/** Identifiers of the generated actions, for tests and timelines that look for a block. */
export const ACTION_IDS = {
  enableLogging: "enable-logging",
  setVoice: "set-voice",
  setLanguage: "set-language",
  firstTurn: "first-turn",
  greet: "greet",
  askQuestion: "ask-question",
  checkQuestion: "check-question",
  countNoInput: "count-no-input",
  sayNoInput: "say-no-input",
  invokeStart: "invoke-start",
  checkStart: "check-start",
  sayHoldOn: "say-hold-on",
  invokeStatus: "invoke-status",
  checkStatus: "check-status",
  countPolls: "count-polls",
  sayStillWorking: "say-still-working",
  invokeAnswer: "invoke-answer",
  waitFastAnswer: "wait-fast-answer",
  holdOnNext: "hold-on-next",
  waitForAnswer: "wait-for-answer",
  pickFiller: "pick-filler",
  fillerSaid: "filler-said",
  loadAnswer: "load-answer",
  checkAnswer: "check-answer",
  sayAnswer: "say-answer",
  sayError: "say-error",
  nextTurn: "next-turn",
  askMore: "ask-more",
  checkMore: "check-more",
  countUnclearMore: "count-unclear-more",
  sayUnclearMore: "say-unclear-more",
  sayUnavailable: "say-unavailable",
  sayGoodbye: "say-goodbye",
  hangUp: "hang-up",
  textAccepted: "text-accepted",
  checkTextAccepted: "check-text-accepted",
  sayTextAcceptedAgain: "say-text-accepted-again",
  invokeTextOfferAgain: "invoke-text-offer-again",
  textOfferAnswered: "text-offer-answered",
  textOfferUnheard: "text-offer-unheard",
  textOfferAgainAnswered: "text-offer-again-answered",
  checkTextPressed: "check-text-pressed",
  checkTextOfferAgain: "check-text-offer-again",
  // Progressive answers only.
  resetCursor: "reset-cursor",
  sayPart: "say-part",
  setCursor: "set-cursor",
  countParts: "count-parts",
  checkRemaining: "check-remaining",
  checkErrorPrompt: "check-error-prompt",
  checkUnheard: "check-unheard",
  sayUnheard: "say-unheard",
  sayCutShort: "say-cut-short",
  checkCursor: "check-cursor",
  waitFastNext: "wait-fast-next",
  stalledNext: "stalled-next",
  sayStalled: "say-stalled",
  sayAcknowledgement: "say-acknowledgement",
  // The text offer only (`textOffer`).
  resetTextOffer: "reset-text-offer",
  checkTextOffer: "check-text-offer",
  setTextOffered: "set-text-offered",
  offerText: "offer-text",
  textOfferPressed: "text-offer-pressed",
  invokeTextOffer: "invoke-text-offer",
  checkTextOfferResult: "check-text-offer-result",
  sayTextAccepted: "say-text-accepted",
  sayTextUnavailable: "say-text-unavailable",
  /** native-async: the plain (unpaused) filler after the offer, so its silence stays one silence. */
  sayOfferFiller: "say-offer-filler",
} as const;

/** The offer's filler-round blocks, `text-offer-round-1` to `text-offer-round-<fillerRounds>`. */
export const textOfferRoundId = (round: number): string => `text-offer-round-${round}`;

/**
 * The text offer's contact attribute: how many "still working" fillers the caller has heard this turn ("0"
 * at the start of each turn, like the cursor), then `TEXT_OFFER_STATE.offered` once the offer has played (so
 * it plays at most once a turn), `pressed` once the caller took it, `closed` once a part of the answer was
 * spoken (the offer never comes after a part).
 */
export const TEXT_OFFER_ATTRIBUTE = "holdlineTextOffer";

export const TEXT_OFFER_STATE = {
  offered: "offered",
  pressed: "pressed",
  /** connect-text-offer answered (any outcome): "pressed" alone means its answer never came. */
  answered: "answered",
  /** connect-text-offer recorded the consent: the caller is told so and the call ends, the answer goes by text. */
  accepted: "accepted",
  closed: "closed",
} as const;

/**
 * native-async: the contact attribute that tells the one keep-running Wait's Continue branch which prompt to
 * play next (`FILLER`). Only the flow reads it, so it is declared here, not in the flow↔Lambda contract.
 */
export const FILLER_ATTRIBUTE = "holdlineFiller";

/** The values of `FILLER_ATTRIBUTE`: the first prompt of a wait, then the paced filler. */
export const FILLER = { holdOn: "hold-on", stalled: "stalled", paced: "paced" } as const;

const ids = ACTION_IDS;

export function buildHoldlineFlow(strategy: Strategy, options: HoldlineFlowOptions): FlowDocument {
  return strategy === "polling" ? buildPollingFlow(options) : buildNativeAsyncFlow(options);
}

const isProgressive = (options: HoldlineFlowOptions): boolean => options.progressive ?? true;

/** Progressive answers: the parts heard so far, from the contact attribute the flow keeps them in. */
const cursorParameter = (progressive: boolean): Record<string, string> =>
  progressive ? { [FLOW_PARAMETERS.cursor]: CURSOR_PATH } : {};

/**
 * What the question's Lambda receives: the caller's transcript, the turn, and the flow's locale (and, with
 * progressive answers, the cursor).
 */
const questionParameters = (
  prompts: HoldlineFlowOptions["prompts"],
  progressive: boolean,
): Record<string, string> => ({
  [FLOW_PARAMETERS.question]: TRANSCRIPT_PATH,
  [FLOW_PARAMETERS.turn]: TURN_PATH,
  [FLOW_PARAMETERS.locale]: prompts.locale,
  ...cursorParameter(progressive),
});

/**
 * Where each `$.External.status` leads once a Lambda has answered: progressive flows speak a `partial` and
 * check what is left of a `completed` or an `error` before speaking it.
 */
const answerCases = (progressive: boolean): [string, string][] =>
  progressive
    ? [
        [EXTERNAL_STATUS.partial, ids.sayPart],
        [EXTERNAL_STATUS.completed, ids.checkRemaining],
        [EXTERNAL_STATUS.error, ids.checkErrorPrompt],
      ]
    : [
        [EXTERNAL_STATUS.completed, ids.sayAnswer],
        [EXTERNAL_STATUS.error, ids.sayError],
      ];

/**
 * The seed's pattern, improved: connect-start answers fast questions at once; otherwise the caller hears a
 * short filler between long-polls of connect-status, each long-poll one bounded silence (the handlers' wait
 * comes from the same budget, `options.budget`). The loop ends when
 * the execution is terminal, and the execution's deadline makes it terminal (`error`, `deadline_exceeded`);
 * a Loop block is only the safety net for a status path that keeps failing.
 */
export function buildPollingFlow(options: HoldlineFlowOptions): FlowDocument {
  const timing = deriveFlowTiming(options.budget);
  const { prompts, lambdas } = options;
  const progressive = isProgressive(options);
  const offer = options.textOffer;
  const flow = new FlowBuilder();
  const answerStep = progressive ? ids.resetCursor : ids.invokeStart;
  addConversation(flow, options, offer === undefined ? answerStep : ids.resetTextOffer);
  flow.add(
    invokeStart(options, timing, { next: ids.checkStart, onError: ids.sayHoldOn }),
    compare(ids.checkStart, externalPath("status"), {
      cases: [
        ...answerCases(progressive),
        [EXTERNAL_STATUS.inProgress, progressive ? ids.sayAcknowledgement : ids.sayHoldOn],
      ],
      onNoMatch: ids.sayHoldOn,
    }),
    message(ids.sayHoldOn, { text: prompts.holdOn }, { next: ids.invokeStatus, onError: ids.invokeStatus }),
    invokeLambda(
      ids.invokeStatus,
      {
        functionArn: lambdas.status,
        invocationType: "SYNCHRONOUS",
        timeLimitSeconds: timing.syncInvocationLimitSeconds,
        responseType: "STRING_MAP",
        attributes: { [FLOW_PARAMETERS.turn]: TURN_PATH, ...cursorParameter(progressive) },
      },
      { next: offer === undefined ? ids.checkStatus : ids.checkTextPressed, onError: ids.countPolls },
    ),
    compare(ids.checkStatus, externalPath("status"), {
      cases: [...answerCases(progressive), [EXTERNAL_STATUS.inProgress, ids.countPolls]],
      onNoMatch: ids.countPolls,
    }),
    loop(ids.countPolls, timing.pollLoopCount, {
      whileLooping: offer === undefined ? ids.sayStillWorking : ids.checkTextOffer,
      whenDone: ids.sayUnavailable,
    }),
    message(
      ids.sayStillWorking,
      { text: prompts.stillWorking },
      { next: ids.invokeStatus, onError: ids.invokeStatus },
    ),
  );
  if (progressive) {
    // The next parts are asked for as soon as a part is spoken: connect-status long-polls and answers the
    // moment a new part exists, so a filler plays only when it says `in_progress` (a stall of a whole wait).
    addProgressiveAnswer(flow, options, timing, { first: ids.invokeStart, askNext: ids.invokeStatus });
    // connect-start's wait (one silence less recognition) usually ends just before the first part is written.
    // A word of acknowledgement ends that silence and the long-poll starts at once, so the first part is heard
    // within a poll of being written; only a long-poll that finds nothing hears a filler (`count-polls`).
    flow.add(
      message(
        ids.sayAcknowledgement,
        { text: prompts.acknowledgement },
        { next: ids.invokeStatus, onError: ids.invokeStatus },
      ),
    );
  }
  if (offer !== undefined) {
    // The offer takes a "still working" filler's place after connect-status's long-poll; every way back to
    // waiting that follows a silence (no key, the Lambda's call) plays that filler, then long-polls again.
    const offerTiming = textOfferTiming(options.budget, "polling", offer.afterSeconds);
    addTextOffer(flow, options, offer, offerTiming, {
      answerStep,
      filler: ids.sayStillWorking,
      fillerAfterSilence: ids.sayStillWorking,
      answerReady: ids.checkStatus,
      afterApology: ids.invokeStatus,
    });
    // A key press whose outcome the flow never heard (`pressed`: connect-text-offer failed or did not answer in
    // time) may still have recorded the consent. Before the next status is acted on, connect-text-offer is asked
    // again (consent is idempotent, and it answers every key connect-status would): recorded, the caller is told
    // the text is coming and the call ends; not, its answer is the status the flow goes on with. So a caller who
    // hears the answer on the line gets no text as well.
    flow.add(
      compare(ids.checkTextPressed, `$.Attributes.${TEXT_OFFER_ATTRIBUTE}`, {
        cases: [[TEXT_OFFER_STATE.pressed, ids.invokeTextOfferAgain]],
        onNoMatch: ids.checkStatus,
      }),
      ...askTextOfferAgain(options, offer, offerTiming, {
        otherwise: ids.checkStatus,
        onError: ids.countPolls,
      }),
    );
  }
  return flow.build(ids.enableLogging, metadataFor(options, "polling"));
}

/**
 * Connect's own asynchronous mode: connect-answer runs in the background for up to
 * `asyncInvocationLimitSeconds`; a plain event wait lets a fast answer through with no filler, then one
 * "keep running" wait per invocation plays the hold-on prompt and then a paced filler on its Continue branch
 * until the Lambda returns.
 *
 * One keep-running Wait per invocation, never two: what Connect does with a keep-running Wait the flow has
 * left for another one is not documented. If both stayed armed, the one not taken would still end its time
 * limit (`WaitCompleted`, the "unavailable" prompt and a hang-up) a minute after it was armed, in the middle of
 * the answer or of the next turn. So `wait-for-answer` is the only one, and a contact attribute
 * (`FILLER_ATTRIBUTE`), set before the flow enters it, tells its Continue branch which prompt comes first.
 */
export function buildNativeAsyncFlow(options: HoldlineFlowOptions): FlowDocument {
  const timing = deriveFlowTiming(options.budget);
  const { prompts } = options;
  const progressive = isProgressive(options);
  const offer = options.textOffer;
  const flow = new FlowBuilder();
  const answerStep = progressive ? ids.resetCursor : ids.invokeAnswer;
  addConversation(flow, options, offer === undefined ? answerStep : ids.resetTextOffer);
  flow.add(
    invokeAnswer(ids.invokeAnswer, options, timing, progressive ? ids.checkCursor : ids.waitFastAnswer),
    fastAnswerWait(ids.waitFastAnswer, timing, ids.holdOnNext),
    // The hold-on prompt plays on the armed wait's Continue branch, so an answer arriving mid-prompt cuts it
    // short. Should the attribute not be set, the prompt plays anyway, before the wait.
    nextFiller(ids.holdOnNext, FILLER.holdOn, ids.sayHoldOn),
    // With the text offer, the Lambda's return first checks whether the caller took it (`check-text-accepted`).
    keepRunningWait(
      ids.waitForAnswer,
      timing,
      ids.pickFiller,
      offer === undefined ? ids.loadAnswer : ids.checkTextAccepted,
    ),
    compare(ids.pickFiller, `$.Attributes.${FILLER_ATTRIBUTE}`, {
      cases: [
        [FILLER.holdOn, ids.sayHoldOn],
        ...(progressive ? ([[FILLER.stalled, ids.sayStalled]] as [string, string][]) : []),
      ],
      onNoMatch: offer === undefined ? ids.sayStillWorking : ids.checkTextOffer,
    }),
    message(ids.sayHoldOn, { text: prompts.holdOn }, { next: ids.fillerSaid, onError: ids.fillerSaid }),
    setContactAttributes(
      ids.fillerSaid,
      { [FILLER_ATTRIBUTE]: FILLER.paced },
      { next: ids.waitForAnswer, onError: ids.waitForAnswer },
    ),
    message(
      ids.sayStillWorking,
      { ssml: pausedFiller(prompts.stillWorking, timing) },
      { next: ids.waitForAnswer, onError: ids.waitForAnswer },
    ),
    loadLambdaResult(ids.loadAnswer, LAST_ASYNC_INVOCATION_PATH, {
      next: ids.checkAnswer,
      onInProgress: ids.waitForAnswer,
      onError: ids.sayUnavailable,
    }),
    compare(ids.checkAnswer, externalPath("status"), {
      cases: answerCases(progressive),
      onNoMatch: ids.sayUnavailable,
    }),
  );
  if (progressive) {
    // Each invocation returns the next parts (the answer goes on being written outside it); the one block
    // invokes connect-answer for the first parts and the next. After a part (the cursor past "0"), a plain
    // wait lets fast parts through with no filler; a longer stall hears "still working" at once (the hold-on
    // prompt belongs to the start of the turn), then the paced filler, from the same keep-running wait.
    addProgressiveAnswer(flow, options, timing, { first: ids.invokeStart, askNext: ids.invokeAnswer });
    flow.add(
      // connect-start registers the turn and dispatches answer-worker first, synchronously, within
      // `registerWithinMs` (100 ms): the caller's path runs at its size, and connect-answer only waits for the
      // parts. Whatever it answers (or if it fails), connect-answer follows: it registers a turn it does not
      // find, so a failed connect-start costs time, never the turn.
      invokeStart(options, timing, { next: ids.invokeAnswer, onError: ids.invokeAnswer }),
      compare(ids.checkCursor, CURSOR_PATH, {
        cases: [["0", ids.waitFastAnswer]],
        onNoMatch: ids.waitFastNext,
      }),
      fastAnswerWait(ids.waitFastNext, timing, ids.stalledNext),
      nextFiller(ids.stalledNext, FILLER.stalled, ids.sayStalled),
      message(
        ids.sayStalled,
        { text: prompts.stillWorking },
        { next: ids.fillerSaid, onError: ids.fillerSaid },
      ),
    );
  }
  if (offer !== undefined) {
    // The offer lives on the keep-running Wait's Continue branch, in the paced filler's place: the Lambda
    // returning cuts it short (the prompt, the key's wait, connect-text-offer's call) like any filler. Every
    // way out goes back into that one Wait, never another; after a silence, through a plain filler first.
    const offerTiming = textOfferTiming(options.budget, "native-async", offer.afterSeconds);
    addTextOffer(flow, options, offer, offerTiming, {
      answerStep,
      filler: ids.sayStillWorking,
      fillerAfterSilence: ids.sayOfferFiller,
      answerReady: ids.waitForAnswer,
      afterApology: ids.waitForAnswer,
    });
    flow.add(
      message(
        ids.sayOfferFiller,
        { text: prompts.stillWorking },
        { next: ids.waitForAnswer, onError: ids.waitForAnswer },
      ),
      // The answer may return while the caller is taking the offer. Told the text is coming (`accepted`), the
      // caller is not given the answer as well: the confirmation (which the Wait's event cut short) is said
      // again, whole, and the call ends as promised. Pressed, but connect-text-offer's answer was cut short:
      // the consent may be recorded or not, so it is asked again (consent is idempotent): recorded, the same
      // confirmation; not (`answer_ready`), the answer is spoken and no text goes out.
      compare(ids.checkTextAccepted, `$.Attributes.${TEXT_OFFER_ATTRIBUTE}`, {
        cases: [
          [TEXT_OFFER_STATE.accepted, ids.sayTextAcceptedAgain],
          [TEXT_OFFER_STATE.pressed, ids.invokeTextOfferAgain],
        ],
        onNoMatch: ids.loadAnswer,
      }),
      message(
        ids.sayTextAcceptedAgain,
        { text: prompts.textAccepted },
        { next: ids.hangUp, onError: ids.hangUp },
      ),
      ...askTextOfferAgain(options, offer, offerTiming, {
        otherwise: ids.loadAnswer,
        onError: ids.loadAnswer,
      }),
    );
  }
  return flow.build(ids.enableLogging, metadataFor(options, "native-async"));
}

/**
 * Sets which prompt the keep-running wait's Continue branch plays first, then enters the wait; if the
 * attribute cannot be set, plays that prompt (`onError`) before entering it.
 */
const nextFiller = (id: string, filler: string, onError: string) =>
  setContactAttributes(id, { [FILLER_ATTRIBUTE]: filler }, { next: ids.waitForAnswer, onError });

/**
 * A plain wait for connect-answer's result: a fast answer goes straight to `load-answer`, with no filler; past
 * the time limit (or on an error), `next`.
 */
const fastAnswerWait = (id: string, timing: FlowTiming, next: string) =>
  wait(
    id,
    { timeLimitSeconds: timing.fastAnswerWaitSeconds, lambdaInvocationId: LAST_ASYNC_INVOCATION_PATH },
    { onTimeout: next, onLambdaReturned: ids.loadAnswer, onError: next },
  );

/**
 * The "keep running" wait for connect-answer's result that plays `onContinue` (a filler) while the Lambda runs;
 * the result goes to `load-answer`, the time limit or an error to the "unavailable" prompt.
 */
const keepRunningWait = (
  id: string,
  timing: FlowTiming,
  onContinue: string,
  onLambdaReturned: string = ids.loadAnswer,
) =>
  wait(
    id,
    {
      timeLimitSeconds: timing.asyncWaitTimeoutSeconds,
      minimumWaitSeconds: timing.keepRunningMinimumWaitSeconds,
      lambdaInvocationId: LAST_ASYNC_INVOCATION_PATH,
      continueExecution: true,
    },
    {
      onTimeout: ids.sayUnavailable,
      onLambdaReturned,
      onContinue,
      onError: ids.sayUnavailable,
    },
  );

/**
 * connect-start, invoked synchronously with the question (and, progressive, the cursor): polling's start with
 * its fast path, or native-async's registration before connect-answer (its `HOLDLINE_START_ROLE`).
 */
const invokeStart = (
  options: HoldlineFlowOptions,
  timing: FlowTiming,
  transitions: { next: string; onError: string },
) =>
  invokeLambda(
    ids.invokeStart,
    {
      functionArn: options.lambdas.start,
      invocationType: "SYNCHRONOUS",
      timeLimitSeconds: timing.syncInvocationLimitSeconds,
      responseType: "STRING_MAP",
      attributes: questionParameters(options.prompts, isProgressive(options)),
    },
    transitions,
  );

/** connect-answer, invoked asynchronously with the question (and, progressive, the cursor). */
const invokeAnswer = (id: string, options: HoldlineFlowOptions, timing: FlowTiming, next: string) =>
  invokeLambda(
    id,
    {
      functionArn: options.lambdas.answer,
      invocationType: "ASYNCHRONOUS",
      timeLimitSeconds: timing.asyncInvocationLimitSeconds,
      responseType: "STRING_MAP",
      attributes: questionParameters(options.prompts, isProgressive(options)),
    },
    { next, onError: ids.sayUnavailable },
  );

/**
 * The blocks of progressive answers both strategies share. Each turn starts by setting `holdlineCursor` to
 * "0", then `first` (the turn's first Lambda). Once a Lambda's response is in `$.External`:
 *
 * - `partial`: speak `$.External.answer`, keep `$.External.cursor` in `holdlineCursor`, then (through the
 *   parts loop's safety net) `askNext`, which sends the cursor.
 * - `completed`: speak what is left, unless nothing is: `$.External.answerParts` "0" means no part came with
 *   this response. The handler counts them so the Compare has a literal operand, as every real console export
 *   has (the flow language cannot compare with an empty string, and comparing the cursor with the attribute
 *   would need a JSONPath operand no real export shows).
 * - `error` with `errorPrompt` `short`: what is left (if anything), then the short apology; otherwise the full
 *   error prompt.
 */
function addProgressiveAnswer(
  flow: FlowBuilder,
  { prompts, textOffer }: HoldlineFlowOptions,
  timing: FlowTiming,
  { first, askNext }: { first: string; askNext: string },
) {
  const nothingLeft = (id: string, { same, moved }: { same: string; moved: string }) =>
    compare(id, externalPath("answerParts"), { cases: [["0", same]], onNoMatch: moved });
  flow.add(
    setContactAttributes(
      ids.resetCursor,
      { [CURSOR_ATTRIBUTE]: "0" },
      { next: first, onError: ids.sayUnavailable },
    ),
    message(ids.sayPart, { text: externalPath("answer") }, { next: ids.setCursor, onError: ids.setCursor }),
    setContactAttributes(
      ids.setCursor,
      textOffer === undefined
        ? { [CURSOR_ATTRIBUTE]: externalPath("cursor") }
        : // A part was spoken: no offer for the rest of the turn.
          { [CURSOR_ATTRIBUTE]: externalPath("cursor"), [TEXT_OFFER_ATTRIBUTE]: TEXT_OFFER_STATE.closed },
      { next: ids.countParts, onError: ids.countParts },
    ),
    loop(ids.countParts, timing.partsLoopCount, { whileLooping: askNext, whenDone: ids.sayCutShort }),
    nothingLeft(ids.checkRemaining, { same: ids.nextTurn, moved: ids.sayAnswer }),
    compare(ids.checkErrorPrompt, externalPath("errorPrompt"), {
      cases: [[ERROR_PROMPT.short, ids.checkUnheard]],
      onNoMatch: ids.sayError,
    }),
    nothingLeft(ids.checkUnheard, { same: ids.sayCutShort, moved: ids.sayUnheard }),
    message(
      ids.sayUnheard,
      { text: externalPath("answer") },
      { next: ids.sayCutShort, onError: ids.sayCutShort },
    ),
    message(
      ids.sayCutShort,
      { text: prompts.errorAfterParts },
      { next: ids.nextTurn, onError: ids.nextTurn },
    ),
  );
}

/**
 * The text offer's blocks, both strategies. Each turn starts by setting `holdlineTextOffer` to "0"; where the
 * flow would play a "still working" filler (`filler`), `check-text-offer` counts the fillers instead, and
 * after `fillerRounds` of them plays the offer in the next one's place, once (`offered`). The offer is a DTMF
 * "Get customer input" with one condition, the key:
 *
 * - the key: `pressed`, then connect-text-offer (synchronous, `turn` and, progressive, `cursor`), then on
 *   `$.External.textOffer`: `accepted` → the confirmation and a hang-up; `answer_ready` → `answerReady` (the
 *   response carries every connect-status key); `unavailable` → the apology, then `afterApology`; `failed`,
 *   anything else or the Lambda's error → `fillerAfterSilence`;
 * - no key, another key, an error: `fillerAfterSilence` at once, so the silence after the prompt is the input
 *   window alone (`inputTimeLimitSeconds`).
 */
/**
 * connect-text-offer asked again about a press whose outcome was never heard: the outcome is then heard
 * (`answered`); `accepted` confirms and ends the call (`text-accepted`), anything else goes on to `otherwise`
 * with connect-text-offer's response (every key connect-status would answer).
 */
const askTextOfferAgain = (
  options: HoldlineFlowOptions,
  offer: TextOfferOptions,
  timing: TextOfferTiming,
  { otherwise, onError }: { otherwise: string; onError: string },
) => [
  invokeLambda(ids.invokeTextOfferAgain, textOfferInvocation(options, offer, timing), {
    next: ids.textOfferAgainAnswered,
    onError,
  }),
  setContactAttributes(
    ids.textOfferAgainAnswered,
    { [TEXT_OFFER_ATTRIBUTE]: TEXT_OFFER_STATE.answered },
    { next: ids.checkTextOfferAgain, onError: ids.checkTextOfferAgain },
  ),
  compare(ids.checkTextOfferAgain, TEXT_OFFER_PATH, {
    cases: [[TEXT_OFFER_OUTCOME.accepted, ids.textAccepted]],
    onNoMatch: otherwise,
  }),
];

/** connect-text-offer, invoked synchronously with the turn (and, progressive, the cursor). */
const textOfferInvocation = (
  options: HoldlineFlowOptions,
  offer: TextOfferOptions,
  timing: TextOfferTiming,
) => ({
  functionArn: offer.functionArn,
  invocationType: "SYNCHRONOUS" as const,
  timeLimitSeconds: timing.invocationLimitSeconds,
  responseType: "STRING_MAP" as const,
  attributes: { [FLOW_PARAMETERS.turn]: TURN_PATH, ...cursorParameter(isProgressive(options)) },
});

function addTextOffer(
  flow: FlowBuilder,
  options: HoldlineFlowOptions,
  offer: TextOfferOptions,
  timing: TextOfferTiming,
  steps: {
    answerStep: string;
    filler: string;
    fillerAfterSilence: string;
    answerReady: string;
    afterApology: string;
  },
) {
  const { prompts } = options;
  const key = offer.key ?? "1";
  if (!DTMF_KEY.test(key))
    throw new TypeError(`textOffer.key must be one key, 0–9, * or #; got ${JSON.stringify(key)}`);
  if (offer.functionArn === "") throw new TypeError("textOffer.functionArn is required");
  const rounds = timing.fillerRounds;
  const setOffer = (id: string, value: string, next: string, onError: string) =>
    setContactAttributes(id, { [TEXT_OFFER_ATTRIBUTE]: value }, { next, onError });
  flow.add(
    // If the attribute cannot be set, the turn goes on without it: the gate then plays the filler.
    setOffer(ids.resetTextOffer, "0", steps.answerStep, steps.answerStep),
    compare(ids.checkTextOffer, `$.Attributes.${TEXT_OFFER_ATTRIBUTE}`, {
      cases: [
        ...Array.from({ length: rounds }, (_, heard): [string, string] => [
          String(heard),
          textOfferRoundId(heard + 1),
        ]),
        [String(rounds), ids.setTextOffered],
      ],
      onNoMatch: steps.filler,
    }),
    ...Array.from({ length: rounds }, (_, index) =>
      setOffer(textOfferRoundId(index + 1), String(index + 1), steps.filler, steps.filler),
    ),
    // Offered before it plays, so it plays at most once a turn; not set, no offer (the filler instead).
    setOffer(ids.setTextOffered, TEXT_OFFER_STATE.offered, ids.offerText, steps.filler),
    dtmfMenu(
      ids.offerText,
      {
        prompt: { text: textOfferPrompt(prompts, key) },
        inputTimeLimitSeconds: timing.inputTimeLimitSeconds,
      },
      {
        keys: { [key]: ids.textOfferPressed },
        onNoMatch: steps.fillerAfterSilence,
        onTimeout: steps.fillerAfterSilence,
        onError: steps.fillerAfterSilence,
      },
    ),
    setOffer(ids.textOfferPressed, TEXT_OFFER_STATE.pressed, ids.invokeTextOffer, ids.invokeTextOffer),
    invokeLambda(ids.invokeTextOffer, textOfferInvocation(options, offer, timing), {
      next: ids.textOfferAnswered,
      // No answer: the consent may or may not be recorded; `pressed` stays, to be asked again.
      onError: steps.fillerAfterSilence,
    }),
    setOffer(
      ids.textOfferAnswered,
      TEXT_OFFER_STATE.answered,
      ids.checkTextOfferResult,
      ids.checkTextOfferResult,
    ),
    compare(ids.checkTextOfferResult, TEXT_OFFER_PATH, {
      cases: [
        [TEXT_OFFER_OUTCOME.accepted, ids.textAccepted],
        [TEXT_OFFER_OUTCOME.answerReady, steps.answerReady],
        [TEXT_OFFER_OUTCOME.unavailable, ids.sayTextUnavailable],
      ],
      // `failed` (the store did not answer in time: the consent may land later) and anything unknown: the
      // outcome is unheard again (`pressed`), to be asked again before the answer is spoken.
      onNoMatch: ids.textOfferUnheard,
    }),
    setOffer(
      ids.textOfferUnheard,
      TEXT_OFFER_STATE.pressed,
      steps.fillerAfterSilence,
      steps.fillerAfterSilence,
    ),
    setOffer(ids.textAccepted, TEXT_OFFER_STATE.accepted, ids.sayTextAccepted, ids.sayTextAccepted),
    message(ids.sayTextAccepted, { text: prompts.textAccepted }, { next: ids.hangUp, onError: ids.hangUp }),
    message(
      ids.sayTextUnavailable,
      { text: prompts.textUnavailable },
      { next: steps.afterApology, onError: steps.afterApology },
    ),
  );
}

/** The blocks both strategies share: set-up, greeting, question capture, answer, next turn, goodbye. */
function addConversation(
  flow: FlowBuilder,
  { prompts, lexBotAliasArn, reprompts = 1 }: HoldlineFlowOptions,
  answerStep: string,
) {
  const question = { text: prompts.askQuestion };
  flow.add(
    updateFlowLogging(ids.enableLogging, ids.setVoice),
    setVoice(ids.setVoice, prompts.voice, ids.setLanguage),
    setLanguage(ids.setLanguage, prompts.locale, { next: ids.firstTurn, onError: ids.firstTurn }),
    setContactAttributes(
      ids.firstTurn,
      { [TURN_ATTRIBUTE]: "1" },
      { next: ids.greet, onError: ids.sayUnavailable },
    ),
    message(ids.greet, { text: prompts.greeting }, { next: ids.askQuestion, onError: ids.askQuestion }),
    lexBot(
      ids.askQuestion,
      { botAliasArn: lexBotAliasArn, prompt: question },
      {
        intents: { [LEX_BOT.goodbyeIntent]: ids.sayGoodbye, [LEX_BOT.questionIntent]: ids.checkQuestion },
        onNoMatchingIntent: ids.checkQuestion,
        onInputTimeout: ids.countNoInput,
        onError: ids.sayUnavailable,
      },
    ),
    checkTranscript(ids.checkQuestion, { answerStep, onUnclear: ids.countNoInput }),
    loop(ids.countNoInput, reprompts, { whileLooping: ids.sayNoInput, whenDone: ids.sayGoodbye }),
    message(ids.sayNoInput, { text: prompts.noInput }, { next: ids.askQuestion, onError: ids.askQuestion }),
    message(ids.sayAnswer, { text: externalPath("answer") }, { next: ids.nextTurn, onError: ids.nextTurn }),
    message(ids.sayError, { text: prompts.error }, { next: ids.nextTurn, onError: ids.nextTurn }),
    setContactAttributes(
      ids.nextTurn,
      { [TURN_ATTRIBUTE]: externalPath("nextTurn") },
      { next: ids.askMore, onError: ids.sayGoodbye },
    ),
    lexBot(
      ids.askMore,
      { botAliasArn: lexBotAliasArn, prompt: { text: prompts.anythingElse } },
      {
        intents: { [LEX_BOT.goodbyeIntent]: ids.sayGoodbye, [LEX_BOT.questionIntent]: ids.checkMore },
        onNoMatchingIntent: ids.checkMore,
        onInputTimeout: ids.sayGoodbye,
        onError: ids.sayGoodbye,
      },
    ),
    checkTranscript(ids.checkMore, { answerStep, onUnclear: ids.countUnclearMore }),
    loop(ids.countUnclearMore, reprompts, { whileLooping: ids.sayUnclearMore, whenDone: ids.sayGoodbye }),
    message(ids.sayUnclearMore, { text: prompts.noInput }, { next: ids.askMore, onError: ids.askMore }),
    message(ids.sayUnavailable, { text: prompts.unavailable }, { next: ids.hangUp, onError: ids.hangUp }),
    message(ids.sayGoodbye, { text: prompts.goodbye }, { next: ids.hangUp, onError: ids.hangUp }),
    disconnect(ids.hangUp),
  );
}

/**
 * Branches on the code hook's `holdlineTranscriptStatus`. A bot that sets no status (only the transcript)
 * goes on to the answer, as before the status existed; connect-start refuses an empty question anyway.
 */
const checkTranscript = (id: string, { answerStep, onUnclear }: { answerStep: string; onUnclear: string }) =>
  compare(id, TRANSCRIPT_STATUS_PATH, {
    cases: [
      [TRANSCRIPT_STATUS.ok, answerStep],
      [TRANSCRIPT_STATUS.empty, onUnclear],
      [TRANSCRIPT_STATUS.unintelligible, onUnclear],
      [TRANSCRIPT_STATUS.error, ids.sayUnavailable],
    ],
    onNoMatch: answerStep,
  });

function metadataFor({ name, prompts }: HoldlineFlowOptions, strategy: Strategy) {
  return name === undefined
    ? undefined
    : {
        name,
        description: `Holdline ${strategy} flow (${prompts.locale}), generated by @holdline/contact-flow`,
      };
}

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The pause comes first so that, looping, the caller hears a filler every `fillerPauseMs` plus its length. */
const pausedFiller = (text: string, timing: FlowTiming) =>
  timing.fillerPauseMs > 0
    ? `<speak><break time="${timing.fillerPauseMs}ms"/>${escapeXml(text)}</speak>`
    : `<speak>${escapeXml(text)}</speak>`;

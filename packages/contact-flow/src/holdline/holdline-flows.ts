import {
  compare,
  disconnect,
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
import {
  EXTERNAL_STATUS,
  externalPath,
  FLOW_PARAMETERS,
  LAST_ASYNC_INVOCATION_PATH,
  LEX_BOT,
  TRANSCRIPT_PATH,
  TRANSCRIPT_STATUS,
  TRANSCRIPT_STATUS_PATH,
  TURN_ATTRIBUTE,
  TURN_PATH,
} from "@holdline/connect-contract/flow-contract";
import type { TimingBudget } from "@holdline/budget/timing-budget";
import type { PromptPack } from "./prompt-packs.ts";
import { deriveFlowTiming, type FlowTiming } from "./flow-timing.ts";

export type Strategy = "polling" | "native-async";

export const STRATEGIES: readonly Strategy[] = ["polling", "native-async"];

export interface HoldlineLambdaArns {
  /** connect-start: registers the turn's execution, waits briefly for a fast answer. */
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
   * How many times a call may be asked again after silence or an unclear answer (empty or unintelligible
   * transcript), at the first question and, separately, at "anything else?" (default 1). Connect keeps a
   * Loop counter for the whole contact, so this bounds the re-prompts of the call, not of one turn.
   */
  readonly reprompts?: number;
}

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
  waitHoldOn: "wait-hold-on",
  waitForAnswer: "wait-for-answer",
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
} as const;

const ids = ACTION_IDS;

export function buildHoldlineFlow(strategy: Strategy, options: HoldlineFlowOptions): FlowDocument {
  return strategy === "polling" ? buildPollingFlow(options) : buildNativeAsyncFlow(options);
}

/** What the question's Lambda receives: the caller's transcript, the turn, and the flow's locale. */
const questionParameters = (prompts: HoldlineFlowOptions["prompts"]): Record<string, string> => ({
  [FLOW_PARAMETERS.question]: TRANSCRIPT_PATH,
  [FLOW_PARAMETERS.turn]: TURN_PATH,
  [FLOW_PARAMETERS.locale]: prompts.locale,
});

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
  const flow = new FlowBuilder();
  addConversation(flow, options, ids.invokeStart);
  flow.add(
    invokeLambda(
      ids.invokeStart,
      {
        functionArn: lambdas.start,
        invocationType: "SYNCHRONOUS",
        timeLimitSeconds: timing.syncInvocationLimitSeconds,
        responseType: "STRING_MAP",
        attributes: questionParameters(prompts),
      },
      { next: ids.checkStart, onError: ids.sayHoldOn },
    ),
    compare(ids.checkStart, externalPath("status"), {
      cases: [
        [EXTERNAL_STATUS.completed, ids.sayAnswer],
        [EXTERNAL_STATUS.error, ids.sayError],
        [EXTERNAL_STATUS.inProgress, ids.sayHoldOn],
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
        attributes: { [FLOW_PARAMETERS.turn]: TURN_PATH },
      },
      { next: ids.checkStatus, onError: ids.countPolls },
    ),
    compare(ids.checkStatus, externalPath("status"), {
      cases: [
        [EXTERNAL_STATUS.completed, ids.sayAnswer],
        [EXTERNAL_STATUS.error, ids.sayError],
        [EXTERNAL_STATUS.inProgress, ids.countPolls],
      ],
      onNoMatch: ids.countPolls,
    }),
    loop(ids.countPolls, timing.pollLoopCount, {
      whileLooping: ids.sayStillWorking,
      whenDone: ids.sayUnavailable,
    }),
    message(
      ids.sayStillWorking,
      { text: prompts.stillWorking },
      { next: ids.invokeStatus, onError: ids.invokeStatus },
    ),
  );
  return flow.build(ids.enableLogging, metadataFor(options, "polling"));
}

/**
 * Connect's own asynchronous mode: connect-answer runs in the background for up to
 * `asyncInvocationLimitSeconds`; a plain event wait lets a fast answer through with no filler, then a
 * "keep running" wait plays a paced filler on its Continue branch until the Lambda returns.
 */
export function buildNativeAsyncFlow(options: HoldlineFlowOptions): FlowDocument {
  const timing = deriveFlowTiming(options.budget);
  const { prompts, lambdas } = options;
  const flow = new FlowBuilder();
  addConversation(flow, options, ids.invokeAnswer);
  flow.add(
    invokeLambda(
      ids.invokeAnswer,
      {
        functionArn: lambdas.answer,
        invocationType: "ASYNCHRONOUS",
        timeLimitSeconds: timing.asyncInvocationLimitSeconds,
        responseType: "STRING_MAP",
        attributes: questionParameters(prompts),
      },
      { next: ids.waitFastAnswer, onError: ids.sayUnavailable },
    ),
    wait(
      ids.waitFastAnswer,
      { timeLimitSeconds: timing.fastAnswerWaitSeconds, lambdaInvocationId: LAST_ASYNC_INVOCATION_PATH },
      { onTimeout: ids.waitHoldOn, onLambdaReturned: ids.loadAnswer, onError: ids.waitHoldOn },
    ),
    // The hold-on prompt plays on an armed "keep running" wait, so an answer arriving mid-prompt cuts it short.
    wait(
      ids.waitHoldOn,
      {
        timeLimitSeconds: timing.asyncWaitTimeoutSeconds,
        minimumWaitSeconds: timing.keepRunningMinimumWaitSeconds,
        lambdaInvocationId: LAST_ASYNC_INVOCATION_PATH,
        continueExecution: true,
      },
      {
        onTimeout: ids.sayUnavailable,
        onLambdaReturned: ids.loadAnswer,
        onContinue: ids.sayHoldOn,
        onError: ids.sayUnavailable,
      },
    ),
    message(ids.sayHoldOn, { text: prompts.holdOn }, { next: ids.waitForAnswer, onError: ids.waitForAnswer }),
    wait(
      ids.waitForAnswer,
      {
        timeLimitSeconds: timing.asyncWaitTimeoutSeconds,
        minimumWaitSeconds: timing.keepRunningMinimumWaitSeconds,
        lambdaInvocationId: LAST_ASYNC_INVOCATION_PATH,
        continueExecution: true,
      },
      {
        onTimeout: ids.sayUnavailable,
        onLambdaReturned: ids.loadAnswer,
        onContinue: ids.sayStillWorking,
        onError: ids.sayUnavailable,
      },
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
      cases: [
        [EXTERNAL_STATUS.completed, ids.sayAnswer],
        [EXTERNAL_STATUS.error, ids.sayError],
      ],
      onNoMatch: ids.sayUnavailable,
    }),
  );
  return flow.build(ids.enableLogging, metadataFor(options, "native-async"));
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

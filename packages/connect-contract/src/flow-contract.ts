/**
 * The one declaration of what Holdline's contact flows and its Lambdas agree on. The flow builder
 * (`@holdline/contact-flow`) writes these names into the flow; the Connect mapping (`@holdline/adapters-connect`)
 * reads and answers with them. Both import this file, so a renamed key cannot compile on one side only.
 */

/** The languages Holdline answers in; a flow passes one of these as the `locale` parameter. */
export const SUPPORTED_LOCALES = ["ja-JP", "en-US"] as const;
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number];

/** `LambdaInvocationAttributes` the flows send (they arrive as `Details.Parameters`, all strings). */
export const FLOW_PARAMETERS = {
  question: "question",
  turn: "turn",
  locale: "locale",
  /**
   * Progressive answers: how many parts of this turn's answer the caller has heard (a decimal string, 0 to
   * 9,999; "" is 0, as an attribute reference not yet set gives). The Lambdas answer with the parts after it.
   * Absent: the flow is not progressive, and every response is the seed's (`completed` with the whole answer).
   */
  cursor: "cursor",
} as const;

/** Keys of the flat string map the Lambdas return, read by the flows as `$.External.<key>`. */
export const EXTERNAL_KEYS = {
  /** `in_progress` | `completed` | `error` (the seed's vocabulary, `ConnectStatus`), and `partial`. */
  status: "status",
  /**
   * What to speak now: the whole answer when `status` is `completed` without progressive answers; with them,
   * the parts the caller has not heard yet (`partial`, `completed`, and `error` when parts came before the
   * failure; "" when there are none).
   */
  answer: "answer",
  /** The domain error code when `status` is `error`, e.g. `deadline_exceeded`. */
  errorCode: "errorCode",
  /**
   * Progressive answers: the parts heard once `answer` is spoken, to send back as the `cursor` parameter (the
   * cursor sent, unmoved, when there is nothing new). "" when the flow sent no cursor.
   */
  cursor: "cursor",
  /**
   * Progressive answers: how many parts `answer` holds, as a decimal string ("0": nothing new came with this
   * response, so there is nothing to speak). The flow branches on it with a literal operand, as every real
   * console export compares. "" when the flow sent no cursor.
   */
  answerParts: "answerParts",
  /**
   * With `status` `error`: `full` (nothing of the answer was produced: the usual error prompt) or `short` (the
   * caller hears the parts produced before the failure, then a short apology). "" otherwise.
   */
  errorPrompt: "errorPrompt",
  /** The turn this response is about, as a decimal string ("" when the event did not say). */
  turn: "turn",
  /** The turn after this one, as a string: flows cannot add, so the Lambda does. */
  nextTurn: "nextTurn",
} as const;

export type ExternalKey = (typeof EXTERNAL_KEYS)[keyof typeof EXTERNAL_KEYS];

/** Every response carries exactly these keys, so `$.External.<key>` is always defined in the flow. */
export const CONNECT_RESPONSE_KEYS: readonly ExternalKey[] = Object.values(EXTERNAL_KEYS);

/**
 * Values of `$.External.status`: the seed's vocabulary, which the flows' Compare blocks branch on, and
 * `partial` (progressive answers): speak `answer`, then ask for the next parts with `cursor`.
 */
export const EXTERNAL_STATUS = {
  inProgress: "in_progress",
  partial: "partial",
  completed: "completed",
  error: "error",
} as const;

export type ConnectStatus = (typeof EXTERNAL_STATUS)[keyof typeof EXTERNAL_STATUS];

/** The contact attribute that carries the current turn (1, 2, …) across the call. */
export const TURN_ATTRIBUTE = "holdlineTurn";

/** Progressive answers: the contact attribute that carries the turn's cursor (parts heard), reset each turn. */
export const CURSOR_ATTRIBUTE = "holdlineCursor";

/** `$.External.errorPrompt` values. */
export const ERROR_PROMPT = { full: "full", short: "short" } as const;

/**
 * The Lex V2 bot the flows talk to. Its code hook (apps/lex-transcript) closes the question intent (the
 * fallback intent, or `HoldlineQuestion`) with the caller's words in the session attribute
 * `holdlineTranscript` and the outcome in `holdlineTranscriptStatus` (`TRANSCRIPT_STATUS`);
 * `HoldlineGoodbye` ends the call ("no, that's all").
 */
export const LEX_BOT = {
  transcriptAttribute: "holdlineTranscript",
  transcriptStatusAttribute: "holdlineTranscriptStatus",
  questionIntent: "HoldlineQuestion",
  goodbyeIntent: "HoldlineGoodbye",
  /** The name Lex V2 gives the built-in AMAZON.FallbackIntent in events and in `$.Lex.IntentName`. */
  fallbackIntent: "FallbackIntent",
} as const;

/**
 * Values of `holdlineTranscriptStatus`. Only `ok` comes with a transcript; the others leave
 * `holdlineTranscript` empty and make the flow ask again (`error`: say it cannot answer now).
 */
export const TRANSCRIPT_STATUS = {
  /** The transcript is a question to answer. */
  ok: "ok",
  /** Nothing but whitespace was heard. */
  empty: "empty",
  /** Speech Lex was not confident of, DTMF, or no letters or digits at all. */
  unintelligible: "unintelligible",
  /** The code hook could not read the Lex event. */
  error: "error",
} as const;

export type TranscriptStatus = (typeof TRANSCRIPT_STATUS)[keyof typeof TRANSCRIPT_STATUS];

export const TRANSCRIPT_PATH = `$.Lex.SessionAttributes.${LEX_BOT.transcriptAttribute}`;
export const TRANSCRIPT_STATUS_PATH = `$.Lex.SessionAttributes.${LEX_BOT.transcriptStatusAttribute}`;
export const externalPath = (key: keyof typeof EXTERNAL_KEYS): string => `$.External.${EXTERNAL_KEYS[key]}`;
export const TURN_PATH = `$.Attributes.${TURN_ATTRIBUTE}`;
export const CURSOR_PATH = `$.Attributes.${CURSOR_ATTRIBUTE}`;
export const LAST_ASYNC_INVOCATION_PATH = "$.LambdaInvocation.InvocationId";

/**
 * The offer of the answer by text message (issue 18): the flow invokes the text-offer Lambda when the caller
 * presses the offer's key. Its response carries every `EXTERNAL_KEYS` key (as connect-status's would, so an
 * answer that is ready is spoken by the same blocks) plus `textOffer`.
 */
export const TEXT_OFFER_KEYS = {
  /** `TEXT_OFFER_OUTCOME`. */
  outcome: "textOffer",
} as const;

export const TEXT_OFFER_RESPONSE_KEYS: readonly string[] = [...CONNECT_RESPONSE_KEYS, TEXT_OFFER_KEYS.outcome];

/** Values of `$.External.textOffer`. */
export const TEXT_OFFER_OUTCOME = {
  /** The consent and number are recorded: confirm, then end the call. */
  accepted: "accepted",
  /** The answer is here (`status` and `answer` say what to speak): the caller hears it on the line. */
  answerReady: "answer_ready",
  /** No text can be sent to this caller (no number, a withheld one, not E.164): say so, keep waiting. */
  unavailable: "unavailable",
  /** The offer could not be recorded (the store did not answer, an unknown turn): keep waiting. */
  failed: "failed",
} as const;

export type TextOfferOutcome = (typeof TEXT_OFFER_OUTCOME)[keyof typeof TEXT_OFFER_OUTCOME];

export const TEXT_OFFER_PATH = `$.External.${TEXT_OFFER_KEYS.outcome}`;

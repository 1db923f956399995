export interface LexRequest {
  readonly utterance: string;
  /** The contact's language (`ja-JP`); Connect talks to the bot locale of that language. */
  readonly locale: string;
  readonly botAliasArn: string;
  /** `LexSessionAttributes` of the block, resolved. */
  readonly sessionAttributes: Readonly<Record<string, string>>;
  /** The contact, which Connect uses as the Lex session. */
  readonly contactId?: string;
  /** The caller turn's transcription confidence, when the script gives one. */
  readonly confidence?: number;
}

export interface LexResponse {
  readonly intent: string;
  readonly sessionAttributes?: Readonly<Record<string, string>>;
  readonly slots?: Readonly<Record<string, string>>;
}

/** Stands in for Lex V2: an utterance in, the recognised intent and session attributes out. */
export type LexSimulator = (request: LexRequest) => LexResponse | Promise<LexResponse>;

/** Lex V2's built-in intent for an utterance no other intent matches. */
export const FALLBACK_INTENT = "FallbackIntent";

/**
 * The emulator's default bot: a Lex V2 bot with only its built-in `FallbackIntent` and no code hook. It knows
 * no application, so a flow that needs a real bot's answers must be given one (`lex` option).
 */
export const fallbackOnlyLexBot: LexSimulator = (request) => ({
  intent: FALLBACK_INTENT,
  sessionAttributes: request.sessionAttributes,
});

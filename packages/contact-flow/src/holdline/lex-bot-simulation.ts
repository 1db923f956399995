import { LEX_BOT, TRANSCRIPT_STATUS, type TranscriptStatus } from "@holdline/connect-contract/flow-contract";

export interface LexTurn {
  readonly intent: string;
  readonly sessionAttributes: Readonly<Record<string, string>>;
}

const GOODBYES: Readonly<Record<string, readonly string[]>> = {
  ja: ["いいえ", "ありません", "大丈夫", "結構です", "以上です", "ないです", "さようなら"],
  en: ["no", "nope", "that's all", "that is all", "nothing else", "goodbye", "bye", "no thanks"],
};

/**
 * What Holdline's Lex bot does with one utterance, without Lex: a short "no / that's all" is the goodbye
 * intent, anything else is a question whose transcript and status land in the session attributes the flows
 * read, as the code hook (apps/lex-transcript) puts them: blank speech is `empty`, speech without a letter
 * or digit `unintelligible`. Local calls and end-to-end tests give it to the emulator as `holdlineLexBot`.
 */
export function simulateHoldlineBot(utterance: string, locale: string): LexTurn {
  const language = locale.slice(0, 2).toLowerCase();
  const normalized = utterance
    .trim()
    .toLowerCase()
    .replace(/[.!?。！？、,]+$/u, "");
  const goodbyes = GOODBYES[language] ?? GOODBYES.en ?? [];
  const isGoodbye = normalized.length <= 24 && goodbyes.some((phrase) => normalized.startsWith(phrase));
  if (isGoodbye) return { intent: LEX_BOT.goodbyeIntent, sessionAttributes: {} };
  const status: TranscriptStatus =
    normalized === ""
      ? TRANSCRIPT_STATUS.empty
      : /[\p{L}\p{N}]/u.test(normalized)
        ? TRANSCRIPT_STATUS.ok
        : TRANSCRIPT_STATUS.unintelligible;
  return {
    intent: LEX_BOT.questionIntent,
    sessionAttributes: {
      [LEX_BOT.transcriptAttribute]: status === TRANSCRIPT_STATUS.ok ? utterance : "",
      [LEX_BOT.transcriptStatusAttribute]: status,
    },
  };
}

/** `simulateHoldlineBot` shaped as the Connect emulator's `lex` option (a `LexSimulator`). */
export const holdlineLexBot = (request: { readonly utterance: string; readonly locale: string }): LexTurn =>
  simulateHoldlineBot(request.utterance, request.locale);

/**
 * Holdline's bot as the emulator's `lexCodeHookBot` options: its goodbye phrases are `HoldlineGoodbye`,
 * anything else reaches `FallbackIntent` (the bot has no question utterances), and the fallback and question
 * intents run the code hook.
 */
export const holdlineCodeHookBot = {
  recognize: (utterance: string, localeId: string): string =>
    simulateHoldlineBot(utterance, localeId.replace("_", "-")).intent === LEX_BOT.goodbyeIntent
      ? LEX_BOT.goodbyeIntent
      : LEX_BOT.fallbackIntent,
  hookedIntents: [LEX_BOT.fallbackIntent, LEX_BOT.questionIntent],
} as const;

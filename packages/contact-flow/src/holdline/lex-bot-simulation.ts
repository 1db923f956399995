import { LEX_BOT } from "./flow-contract.ts";

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
 * intent, anything else is a question whose transcript lands in the session attribute the flows read.
 * The emulator uses it as its default bot; a real Lex code hook can replace it.
 */
export function simulateHoldlineBot(utterance: string, locale: string): LexTurn {
  const language = locale.slice(0, 2).toLowerCase();
  const normalized = utterance
    .trim()
    .toLowerCase()
    .replace(/[.!?。！？、,]+$/u, "");
  const goodbyes = GOODBYES[language] ?? GOODBYES.en ?? [];
  const isGoodbye = normalized.length <= 24 && goodbyes.some((phrase) => normalized.startsWith(phrase));
  return isGoodbye
    ? { intent: LEX_BOT.goodbyeIntent, sessionAttributes: {} }
    : { intent: LEX_BOT.questionIntent, sessionAttributes: { [LEX_BOT.transcriptAttribute]: utterance } };
}

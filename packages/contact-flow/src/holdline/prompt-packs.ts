import type { Voice } from "../flow-actions.ts";

/** What the caller hears, per locale. Short sentences: every second of prompt is a second of waiting. */
export interface PromptPack {
  /** BCP 47 tag, sent to the Lambdas and set as the contact's language. */
  readonly locale: string;
  readonly voice: Voice;
  readonly greeting: string;
  /** Spoken by the Lex block that captures the first question. */
  readonly askQuestion: string;
  /** The caller said nothing; asked once more. */
  readonly noInput: string;
  /**
   * Progressive answers (polling): connect-start's wait ended with nothing to say yet. A word or two, so the
   * caller is not left silent while the flow asks at once for the first part, which is usually a moment away:
   * every 100 ms of it is 100 ms more before the first word of the answer (docs/contact-flow.md).
   */
  readonly acknowledgement: string;
  /** First filler once the answer is evidently not instant. */
  readonly holdOn: string;
  /** Repeated filler while the work goes on. */
  readonly stillWorking: string;
  /** The work failed or ran out of time; the call goes on. */
  readonly error: string;
  /**
   * Progressive answers: the answer failed (or its parts stopped coming) after the caller heard some of it; a
   * short apology instead of `error`, which would sound as if nothing had been answered.
   */
  readonly errorAfterParts: string;
  /** Holdline itself cannot be reached; the call ends. */
  readonly unavailable: string;
  readonly anythingElse: string;
  readonly goodbye: string;
  /**
   * The offer of the answer by text message (docs/text-delivery.md), played while the caller waits when the
   * flow has `textOffer`: `{key}` is replaced by the key's name (`keyNames`, or the key itself).
   */
  readonly textOffer: string;
  /** How the offer names a key that is not a digit. */
  readonly keyNames: Readonly<Record<string, string>>;
  /** The caller took the offer: the text will come; the call ends. */
  readonly textAccepted: string;
  /** A text cannot be sent to the caller's number (withheld or not a mobile number); the wait goes on. */
  readonly textUnavailable: string;
}

/** The offer's prompt with its key named. */
export const textOfferPrompt = (prompts: PromptPack, key: string): string =>
  prompts.textOffer.replaceAll("{key}", prompts.keyNames[key] ?? key);

export const JA_JP: PromptPack = {
  locale: "ja-JP",
  voice: { name: "Kazuha", engine: "Neural", style: "None" },
  greeting: "お電話ありがとうございます。AIアシスタントがご質問にお答えします。",
  askQuestion: "ご質問をどうぞ。",
  noInput: "すみません、聞き取れませんでした。もう一度お話しください。",
  acknowledgement: "はい",
  holdOn: "お調べします。少々お待ちください。",
  stillWorking: "ただいま確認しております。",
  error: "申し訳ありません。回答をご用意できませんでした。",
  errorAfterParts: "申し訳ありません。続きをご用意できませんでした。",
  unavailable: "申し訳ありません。ただいまお答えできません。時間をおいておかけ直しください。",
  anythingElse: "ほかにご質問はありますか。",
  goodbye: "お電話ありがとうございました。失礼いたします。",
  textOffer: "回答をショートメッセージでお送りすることもできます。ご希望の場合は{key}を押してください。",
  keyNames: { "*": "米印", "#": "シャープ" },
  textAccepted: "回答の準備ができしだい、ショートメッセージでお送りします。失礼いたします。",
  textUnavailable: "申し訳ありません。この電話番号にはメッセージをお送りできません。",
};

export const EN_US: PromptPack = {
  locale: "en-US",
  voice: { name: "Joanna", engine: "Neural", style: "None" },
  greeting: "Thanks for calling. Our AI assistant will answer your question.",
  askQuestion: "What would you like to know?",
  noInput: "Sorry, I didn't catch that. Please ask again.",
  acknowledgement: "Sure",
  holdOn: "Let me look that up. One moment, please.",
  stillWorking: "Still working on it.",
  error: "Sorry, I couldn't get an answer for that.",
  errorAfterParts: "Sorry, I couldn't finish that answer.",
  unavailable: "Sorry, I can't answer right now. Please call again later.",
  anythingElse: "Is there anything else?",
  goodbye: "Thanks for calling. Goodbye.",
  textOffer: "Rather get the answer by text message? Press {key}.",
  keyNames: { "*": "star", "#": "pound" },
  textAccepted: "We'll text you the answer as soon as it's ready. Goodbye.",
  textUnavailable: "Sorry, we can't send a text to this number.",
};

export const PROMPT_PACKS: Readonly<Record<string, PromptPack>> = { "ja-JP": JA_JP, "en-US": EN_US };

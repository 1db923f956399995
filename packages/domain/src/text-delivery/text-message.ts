import type { TextKind } from "./text-delivery.ts";

/**
 * What a text message says, made for a phone screen: the turn's answer (or an apology) and a short sign-off,
 * nothing else (no question, no contact id, no number). Capped in SMS segments, since each one is billed.
 */

/** The GSM 03.38 basic character set (plus its extension table, counted as two): what fits 7-bit segments. */
const GSM_BASIC =
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENDED = "^{}\\[~]|€\f";

/** Segment sizes: one segment holds 160 GSM-7 or 70 UCS-2 units; a longer text is split into 153 or 67. */
const SEGMENT = {
  gsm7: { single: 160, multi: 153 },
  ucs2: { single: 70, multi: 67 },
} as const;

export type TextEncoding = keyof typeof SEGMENT;

export const encodingOf = (text: string): TextEncoding =>
  [...text].every((char) => GSM_BASIC.includes(char) || GSM_EXTENDED.includes(char)) ? "gsm7" : "ucs2";

/** Units the text takes in its encoding: GSM extension characters count 2, UCS-2 counts UTF-16 code units. */
export const unitsOf = (text: string, encoding: TextEncoding = encodingOf(text)): number =>
  encoding === "ucs2"
    ? text.length
    : [...text].reduce((units, char) => units + (GSM_EXTENDED.includes(char) ? 2 : 1), 0);

export const segmentsOf = (text: string): number => {
  const encoding = encodingOf(text);
  const units = unitsOf(text, encoding);
  if (units <= SEGMENT[encoding].single) return 1;
  return Math.ceil(units / SEGMENT[encoding].multi);
};

interface LocaleTexts {
  readonly signOff: string;
  readonly apology: string;
  readonly ellipsis: string;
}

const TEXTS: Readonly<Record<string, LocaleTexts>> = {
  "ja-JP": {
    signOff: "（お電話でのご質問への回答です）",
    apology:
      "お電話でのご質問にお答えできませんでした。申し訳ありません。お手数ですが、もう一度お電話ください。",
    ellipsis: "…",
  },
  "en-US": {
    signOff: "(The answer to the question you asked on the phone.)",
    apology: "Sorry, we could not answer the question you asked on the phone. Please call us again.",
    ellipsis: "...",
  },
};

const textsFor = (locale: string): LocaleTexts => TEXTS[locale] ?? (TEXTS["en-US"] as LocaleTexts);

/** Sentence ends a cut may stop after. */
const SENTENCE_END = /[。！？.!?](?=\s|$)|[。！？]/gu;

export interface ComposeText {
  readonly kind: TextKind;
  /** The whole answer (`Execution.answer`); unused for an apology. */
  readonly answer?: string;
  readonly locale: string;
  /** The most segments the text may take, sign-off included. */
  readonly maxSegments: number;
}

/**
 * The text to send: the answer, cut at the last sentence end that fits `maxSegments` with the sign-off (or,
 * with no sentence end in reach, cut short with an ellipsis), then the sign-off on its own line.
 */
export function composeText({ kind, answer, locale, maxSegments }: ComposeText): string {
  const texts = textsFor(locale);
  const body = kind === "apology" ? texts.apology : (answer ?? "").trim();
  const whole = `${body}\n${texts.signOff}`;
  if (segmentsOf(whole) <= maxSegments) return whole;
  const fits = (candidate: string): boolean => segmentsOf(`${candidate}\n${texts.signOff}`) <= maxSegments;
  let cut = "";
  for (const match of body.matchAll(SENTENCE_END)) {
    const candidate = body.slice(0, (match.index ?? 0) + match[0].length);
    if (!fits(candidate)) break;
    cut = candidate;
  }
  if (cut === "") {
    const chars = [...body];
    let length = chars.length;
    while (length > 0 && !fits(`${chars.slice(0, length).join("")}${texts.ellipsis}`)) length -= 1;
    cut = `${chars.slice(0, length).join("")}${texts.ellipsis}`;
  }
  return `${cut}\n${texts.signOff}`;
}

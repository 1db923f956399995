/**
 * Progressive answers: a model's streamed text cut into parts a caller can hear while the rest is still being
 * written. A part is one or more whole sentences; parts shorter than `minChars` are joined to the next so
 * speech does not sound choppy, except that the first part may be as short as `firstMinChars`, so that it
 * comes early. Pure; one cutter per answer.
 */

export interface PartRules {
  /** The first part ends at the first sentence end at or past this many characters. */
  readonly firstMinChars: number;
  /** Every later part ends at the first sentence end at or past this many characters. */
  readonly minChars: number;
}

/**
 * Japanese sentences are short in characters (a 30-token sentence is about 25 characters), English ones long
 * (about 120). The first part: one short sentence (「はい、営業しております。」, "Yes, we are open today."); later
 * parts: about one to two sentences.
 */
const RULES: Readonly<Record<"ja" | "other", PartRules>> = {
  ja: { firstMinChars: 6, minChars: 20 },
  other: { firstMinChars: 12, minChars: 40 },
};

export const partRulesFor = (locale: string): PartRules =>
  locale.toLowerCase().startsWith("ja") ? RULES.ja : RULES.other;

const isJapanese = (locale: string) => locale.toLowerCase().startsWith("ja");

/** Where a sentence may end: after 。！？ (and ASCII !?) or a line end in Japanese; in English after .!? and a space or line end. */
const SENTENCE_END_JA = /[。！？!?]+[」』）)"']*|\n+/gu;
const SENTENCE_END_EN = /[.!?]+["')\]]*(?=\s)|\n+/gu;

/** The text of the parts joined as the caller hears them in a row: no space in Japanese, one in English. */
export function joinParts(locale: string, parts: readonly string[]): string {
  return parts.join(isJapanese(locale) ? "" : " ");
}

/**
 * Cuts streamed text into parts. `push` takes the next piece of text as the model writes it and returns the
 * parts it completed (often none); `end` returns what is left once the model is done. Each part is trimmed
 * and never empty; the parts joined (`joinParts`) are the text, whitespace between parts aside.
 */
export class PartCutter {
  private pending = "";
  private produced = 0;
  private readonly rules: PartRules;
  private readonly sentenceEnd: RegExp;

  constructor(locale: string, rules?: PartRules) {
    this.rules = rules ?? partRulesFor(locale);
    this.sentenceEnd = isJapanese(locale) ? SENTENCE_END_JA : SENTENCE_END_EN;
  }

  /** How many parts this cutter has returned so far. */
  get count(): number {
    return this.produced;
  }

  push(delta: string): string[] {
    this.pending += delta;
    const parts: string[] = [];
    for (;;) {
      const cut = this.nextCut();
      if (cut === undefined) break;
      const part = this.pending.slice(0, cut).trim();
      this.pending = this.pending.slice(cut);
      if (part !== "") parts.push(part);
      this.produced += part === "" ? 0 : 1;
    }
    return parts;
  }

  end(): string[] {
    const rest = this.pending.trim();
    this.pending = "";
    if (rest === "") return [];
    this.produced += 1;
    return [rest];
  }

  /** The end of the next part in `pending`: the first sentence end at or past the minimum length. */
  private nextCut(): number | undefined {
    const min = this.produced === 0 ? this.rules.firstMinChars : this.rules.minChars;
    this.sentenceEnd.lastIndex = 0;
    for (const match of this.pending.matchAll(this.sentenceEnd)) {
      const end = (match.index ?? 0) + match[0].length;
      if (this.pending.slice(0, end).trim().length >= min) return end;
    }
    return undefined;
  }
}

/** Cuts a whole text at once, as a stream of one piece would be. */
export function cutParts(locale: string, text: string, rules?: PartRules): string[] {
  const cutter = new PartCutter(locale, rules);
  return [...cutter.push(text), ...cutter.end()];
}

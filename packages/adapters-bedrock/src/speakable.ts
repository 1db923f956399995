import { LlmError } from "@holdline/domain/errors";

/** About two minutes of Japanese speech, or forty seconds of English: already long for a phone call. */
export const DEFAULT_MAX_SPEAKABLE_CHARS = 600;

export interface SpeakableOptions {
  readonly locale: string;
  readonly maxChars?: number;
  /** The model stopped at its token limit, so its last sentence is probably cut off. */
  readonly truncated?: boolean;
}

const CJK = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}ー々〆";
const CJK_PUNCT = "。、！？「」『』（）・…";
const ENDS_WITH_CJK = new RegExp(`[${CJK}${CJK_PUNCT}]$`, "u");
const HAS_CJK = new RegExp(`[${CJK}]`, "u");
const SPACE_BETWEEN_CJK = new RegExp(`([${CJK}${CJK_PUNCT}])\\s+(?=[${CJK}${CJK_PUNCT}])`, "gu");
const SPACE_AFTER_CJK_COLON = new RegExp(`([${CJK}][:：])\\s+(?=[${CJK}])`, "gu");
const TERMINATED = /[。！？.!?…:：]["'」』）)]*$/u;
const SPEAKABLE_CHARACTER = /[\p{L}\p{N}]/u;
/** Pictographs and the code points that build emoji out of them (modifiers, flags, tags, joiners). */
const EMOJI =
  /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|[\u{E0020}-\u{E007F}]|\uFE0E|\uFE0F|\u200D|\u20E3/gu;
const URL_IN_BRACKETS = /\s*[(（]\s*(?:https?:\/\/|www\.)[^\s)）]*\s*[)）]/giu;
const URL = /(?:https?:\/\/|www\.)[^\s<>()（）「」、。]+/giu;
const TRAILING_URL_PUNCTUATION = /[.,!?;:]+$/u;

type Block = { readonly text: string; readonly kind: "plain" | "structural" | "table-row" };

/**
 * Turns a model's answer into text that Amazon Connect's text-to-speech can read to a caller:
 * markdown, emoji and URLs gone, whitespace collapsed, capped at a sentence boundary. Pure.
 * Throws `LlmError("empty_answer")` when nothing speakable remains.
 */
export function toSpeakable(raw: string, options: SpeakableOptions): string {
  const japanese = isJapanese(options.locale);
  const maxChars = options.maxChars ?? DEFAULT_MAX_SPEAKABLE_CHARS;
  let text = cleanUp(raw, japanese, options.truncated ?? false);
  if (options.truncated) text = finishTruncated(text, japanese);
  text = cap(text, maxChars, japanese);
  if (!SPEAKABLE_CHARACTER.test(text)) {
    throw new LlmError("empty_answer", "the model's answer has nothing speakable in it", {
      retryable: false,
    });
  }
  return text;
}

export interface SpeakablePartOptions {
  readonly locale: string;
  /** This part is the last of an answer the token limit cut off, so it probably ends mid-sentence. */
  readonly truncated?: boolean;
  /** Parts came before this one: a cut-off sentence of its own is dropped, not ended (`toSpeakable` on the whole answer would drop it too). */
  readonly afterOthers?: boolean;
}

/**
 * Progressive answers: one part of a streamed answer (`PartCutter`) made speakable by the rules of
 * `toSpeakable`, without the length cap, which applies to the whole answer (`capPart`). Undefined when the
 * part has nothing speakable in it (only emoji, a code block, a URL-less bracket…): such a part is not spoken.
 */
export function toSpeakablePart(raw: string, options: SpeakablePartOptions): string | undefined {
  const japanese = isJapanese(options.locale);
  let text = cleanUp(raw, japanese, options.truncated ?? false);
  if (options.truncated) {
    text = options.afterOthers ? withoutUnfinishedSentence(text) : finishTruncated(text, japanese);
  }
  return SPEAKABLE_CHARACTER.test(text) ? text : undefined;
}

/**
 * Progressive answers: what of a speakable part still fits in `room` characters of the answer's cap. The part
 * whole if it fits; else its sentences that fit (cut at a sentence end, as `toSpeakable` caps a whole answer);
 * else, for the first part only, its one long sentence ended at the last clause or word break that fits (as
 * `toSpeakable` does with a single sentence longer than the cap); else undefined (nothing of it is spoken).
 */
export function capPart(part: string, room: number, options: SpeakablePartOptions): string | undefined {
  if (part.length <= room) return part;
  if (room <= 0) return undefined;
  const japanese = isJapanese(options.locale);
  const lastEnd = sentenceEnds(part)
    .filter((end) => end <= room)
    .at(-1);
  if (lastEnd !== undefined) return part.slice(0, lastEnd).trim();
  if (options.afterOthers) return undefined;
  const capped = cap(part, room, japanese);
  return SPEAKABLE_CHARACTER.test(capped) ? capped : undefined;
}

const isJapanese = (locale: string): boolean => locale.toLowerCase().startsWith("ja");

/** Markdown, emoji and URLs gone, each block a sentence, whitespace collapsed; the last block left open when truncated. */
function cleanUp(raw: string, japanese: boolean, truncated: boolean): string {
  const blocks = toBlocks(stripCodeBlocks(raw.replace(/\r\n?/g, "\n")), japanese);
  const last = blocks.length - 1;
  const sentences = blocks.map((block, index) =>
    truncated && index === last ? block.text : terminate(block, japanese),
  );
  return collapseWhitespace(sentences.join(" "));
}

const stripCodeBlocks = (text: string): string =>
  text.replace(/^\s*(```|~~~)[^\n]*\n[\s\S]*?(?:^\s*\1\s*$|(?![\s\S]))/gmu, "\n");

function toBlocks(text: string, japanese: boolean): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const endParagraph = () => {
    if (paragraph.length > 0) blocks.push({ text: paragraph.join(" "), kind: "plain" });
    paragraph = [];
  };
  for (const rawLine of text.split("\n")) {
    const line = rawLine.trim().replace(/^(?:>\s?)+/u, "");
    if (line === "" || /^([-*_]\s*){3,}$/u.test(line)) {
      endParagraph();
      continue;
    }
    if (/^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$/u.test(line)) {
      // The row above a separator is the table's header: a caller needs the values, not the column names.
      if (blocks.at(-1)?.kind === "table-row") blocks.pop();
      continue;
    }
    if (line.startsWith("|") && line.slice(1).includes("|")) {
      endParagraph();
      const cells = line
        .split("|")
        .map((cell) => inline(cell, japanese))
        .filter((cell) => cell !== "");
      if (cells.length > 0) blocks.push({ text: cells.join(japanese ? "、" : ", "), kind: "table-row" });
      continue;
    }
    const heading = /^#{1,6}\s+(.*?)\s*#*$/u.exec(line);
    const item = /^(?:[-*+•・]|\d{1,3}[.)）])\s+(.*)$/u.exec(line);
    const structural = heading?.[1] ?? item?.[1];
    if (structural !== undefined) {
      endParagraph();
      blocks.push({ text: inline(structural, japanese), kind: "structural" });
      continue;
    }
    paragraph.push(inline(line, japanese));
  }
  endParagraph();
  return blocks.filter((block) => block.text !== "");
}

function inline(text: string, japanese: boolean): string {
  const website = japanese ? "ウェブサイト" : "the website";
  return text
    .replace(/!\[[^\]]*\]\([^)]*\)/gu, "")
    .replace(/\[([^\]]+)\]\([^)]*\)/gu, "$1")
    .replace(/\[([^\]]+)\]\[[^\]]*\]/gu, "$1")
    .replace(/<((?:https?:\/\/|www\.)[^>]+)>/giu, "$1")
    .replace(/<\/?[a-z][^>]*>/giu, " ")
    .replace(/`([^`]*)`/gu, "$1")
    .replace(/(\*\*|__)(?=\S)(.+?)\1/gu, "$2")
    .replace(/~~(.+?)~~/gu, "$1")
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]+?)\*(?!\w)/gu, "$1$2")
    .replace(/(^|[^\w])_(?=\S)([^_\n]+?)_(?!\w)/gu, "$1$2")
    .replace(/[*`]/gu, "")
    .replace(URL_IN_BRACKETS, "")
    .replace(URL, (url) => {
      const trailing = TRAILING_URL_PUNCTUATION.exec(url)?.[0] ?? "";
      return `${website}${trailing}`;
    })
    .replace(EMOJI, "")
    .trim();
}

/** Lists, headings and table rows become sentences of their own. */
function terminate(block: Block, japanese: boolean): string {
  const text = block.text.replace(/[\s:：、,]+$/u, (suffix) => (block.kind === "plain" ? suffix : ""));
  if (TERMINATED.test(text)) return text;
  return `${text}${usesJapanesePunctuation(text, japanese) ? "。" : "."}`;
}

function collapseWhitespace(text: string): string {
  return text
    .replace(/\s+/gu, " ")
    .replace(SPACE_BETWEEN_CJK, "$1")
    .replace(SPACE_AFTER_CJK_COLON, "$1")
    .replace(/\s+([.,!?;:。、！？）」』])/gu, "$1")
    .replace(/([（「『])\s+/gu, "$1")
    .trim();
}

/** Index just past each sentence end: 。！？!? anywhere, `.` only before a space or the end (not 3.5). */
function sentenceEnds(text: string): number[] {
  const ends: number[] = [];
  for (const match of text.matchAll(/(?:[。！？!?…]|\.(?=\s|$))["'」』）)]*/gu)) {
    ends.push((match.index ?? 0) + match[0].length);
  }
  return ends;
}

/** The text up to its last sentence end: the sentence the token limit cut off dropped, even if it is the only one. */
function withoutUnfinishedSentence(text: string): string {
  if (text === "" || TERMINATED.test(text)) return text;
  const last = sentenceEnds(text).at(-1);
  return last === undefined ? "" : text.slice(0, last).trim();
}

/** Drops the sentence the token limit cut off, unless it is the only one. */
function finishTruncated(text: string, japanese: boolean): string {
  if (text === "" || TERMINATED.test(text)) return text;
  const last = sentenceEnds(text).at(-1);
  if (last !== undefined) return text.slice(0, last).trim();
  return `${text}${usesJapanesePunctuation(text, japanese) ? "。" : "."}`;
}

function cap(text: string, maxChars: number, japanese: boolean): string {
  if (text.length <= maxChars) return text;
  const lastEnd = sentenceEnds(text)
    .filter((end) => end <= maxChars)
    .at(-1);
  if (lastEnd !== undefined) return text.slice(0, lastEnd).trim();
  // One sentence longer than the cap: end it at the last clause or word break that fits.
  const room = Array.from(text)
    .slice(0, maxChars - 1)
    .join("");
  const breakAt = Math.max(room.lastIndexOf("、"), room.lastIndexOf(","), room.lastIndexOf(" "));
  const head = (breakAt > 0 ? room.slice(0, breakAt) : room).replace(/[\s、,]+$/u, "");
  return `${head}${usesJapanesePunctuation(head, japanese) ? "。" : "."}`;
}

/** A Japanese answer may quote English; an English one may end on a Japanese name. */
const usesJapanesePunctuation = (text: string, japanese: boolean): boolean =>
  japanese ? HAS_CJK.test(text) : ENDS_WITH_CJK.test(text);

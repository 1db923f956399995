import { randomBytes } from "node:crypto";

/**
 * The caller's words are data, not instructions. Each request wraps every caller turn in a delimiter
 * tag the system prompt names; the tag ends in 64 random bits drawn per request, so a caller cannot
 * predict it and cannot close it. Anything in the caller's text that looks like a tag of this family
 * (any salt, half- or full-width, with spaces or zero-width joiners) is removed first.
 */
export const DELIMITER_STEM = "caller_speech";

/** A fresh, unpredictable tag, e.g. `caller_speech_9f3a0c7e21b4d856`. */
export function newDelimiterTag(): string {
  return `${DELIMITER_STEM}_${randomBytes(8).toString("hex")}`;
}

/** Both the ASCII letter and its full-width form (ｃ, Ｃ through the `i` flag). */
const eitherWidth = (word: string): string =>
  [...word].map((letter) => `[${letter}${String.fromCodePoint(letter.codePointAt(0)! + 0xfee0)}]`).join("");

const OPENING = "[<＜〈《‹«﹤]";
const CLOSING = "[>＞〉》›»﹥]";
const NOT_A_BRACKET = "[^\\s<>＜＞〈〉《》‹›«»﹤﹥]";
const SLASH = "[/／\\\\＼]";
const JOINER = "[\\s_＿\\-－‐・.\\u200b-\\u200d\\u2060\\ufeff]*";

/** `<caller_speech…>`, `</caller_speech…>` and their look-alikes, with or without the closing bracket. */
const TAG_LIKE = new RegExp(
  `${OPENING}${JOINER}${SLASH}?${JOINER}${eitherWidth("caller")}${JOINER}${eitherWidth("speech")}${NOT_A_BRACKET}*(?:\\s*${CLOSING})?`,
  "giu",
);

/**
 * Removes every tag-like occurrence of the delimiter family, repeatedly, so that removing one cannot
 * join the pieces of another (`<caller_<caller_speech>speech_x>`). Each pass removes characters, so
 * it ends.
 */
export function neutralizeDelimiters(text: string): string {
  let current = text;
  for (;;) {
    const next = current.replace(TAG_LIKE, "");
    if (next === current) return current;
    current = next;
  }
}

/** The caller's words, already neutralised, between the request's opening and closing tags. */
export const delimited = (callerText: string, tag: string): string => `<${tag}>\n${callerText}\n</${tag}>`;

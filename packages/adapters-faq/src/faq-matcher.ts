import type { ConversationTurn } from "@holdline/domain/ports/llm-client.port";
import type { Faq, FaqEntry, FaqLocale } from "./faq.ts";

export interface FaqMatch {
  readonly locale: string;
  readonly faqLocale: FaqLocale;
  /** undefined when nothing matched: the caller gets the fallback. */
  readonly entry: FaqEntry | undefined;
}

/** The FAQ's locale for the caller's: the same locale, else the same language, else the FAQ's default. */
export function faqLocaleFor(faq: Faq, locale: string): [string, FaqLocale] {
  const locales = Object.entries(faq.locales);
  const language = languageOf(locale);
  const found =
    locales.find(([key]) => key === locale) ??
    locales.find(([key]) => languageOf(key) === language) ??
    locales.find(([key]) => key === faq.defaultLocale);
  if (found === undefined) throw new Error(`FAQ ${faq.name} has no locale ${faq.defaultLocale}`);
  return found;
}

/**
 * Picks the entry with the most keywords in the question (ties go to the earlier entry, so generic
 * entries come last). A keyword found only inside a longer keyword's match does not count: in
 * 「電車で行けますか」 the 車 of parking gives way to 電車. A question that matches nothing is tried
 * again with the previous question, so a follow-up ("and on Sundays?") keeps its topic.
 */
export function matchFaq(
  faq: Faq,
  question: string,
  locale: string,
  history: readonly ConversationTurn[],
): FaqMatch {
  const [faqLocaleKey, faqLocale] = faqLocaleFor(faq, locale);
  const previous = history.at(-1)?.question;
  const entry =
    bestEntry(faqLocale.entries, question) ??
    (previous === undefined ? undefined : bestEntry(faqLocale.entries, `${previous} ${question}`));
  return { locale: faqLocaleKey, faqLocale, entry };
}

interface Hit {
  readonly entry: number;
  readonly keyword: string;
  readonly start: number;
  readonly end: number;
}

function bestEntry(entries: readonly FaqEntry[], question: string): FaqEntry | undefined {
  const text = normalize(question);
  const hits = entries.flatMap((entry, index) =>
    entry.keywords.flatMap((keyword) =>
      spans(normalize(keyword), text).map(([start, end]) => ({ entry: index, keyword, start, end })),
    ),
  );
  const standing = hits.filter((hit) => !hits.some((other) => encloses(other, hit)));
  const scores = entries.map(
    (_, index) => new Set(standing.filter((hit) => hit.entry === index).map((hit) => hit.keyword)).size,
  );
  const best = Math.max(0, ...scores);
  return best === 0 ? undefined : entries[scores.indexOf(best)];
}

const encloses = (outer: Hit, inner: Hit): boolean =>
  outer.end - outer.start > inner.end - inner.start && outer.start <= inner.start && inner.end <= outer.end;

/** Where `keyword` occurs in `text`: anywhere for Japanese, at a word start for English, whole for phrases. */
function spans(keyword: string, text: string): Array<[number, number]> {
  if (keyword === "") return [];
  const english = /^[a-z0-9' ]+$/u.test(keyword);
  const pattern = english
    ? new RegExp(
        `(?<![a-z0-9'])${escapeRegExp(keyword)}${keyword.includes(" ") ? "(?![a-z0-9'])" : ""}`,
        "gu",
      )
    : new RegExp(escapeRegExp(keyword), "gu");
  return [...text.matchAll(pattern)].map((match) => [match.index, match.index + keyword.length]);
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Full-width to half-width, lower case, punctuation to spaces, spaces collapsed. */
const normalize = (text: string): string =>
  text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}']+/gu, " ")
    .trim();

const languageOf = (locale: string): string => locale.split(/[-_]/)[0]?.toLowerCase() ?? "";

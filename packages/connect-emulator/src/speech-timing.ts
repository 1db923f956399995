/**
 * How long Amazon Polly takes to say a prompt, estimated: characters per second for Japanese (and other
 * languages written without spaces), words per second for English and the like, plus a pause at each
 * sentence end and comma. SSML `<break>`s are silences of their own. Rough by design: it drives the
 * timeline, it does not have to match Polly to the millisecond.
 */
export interface SpeechRates {
  /** Japanese, Chinese, Korean: spoken characters per second (punctuation excluded). */
  readonly charactersPerSecond: number;
  /** Other languages: words per second (about 160 words a minute). */
  readonly wordsPerSecond: number;
  readonly sentencePauseMs: number;
  readonly commaPauseMs: number;
  /** Floor for any non-empty prompt (a lone "、" still takes a moment). */
  readonly minimumMs: number;
}

export const defaultSpeechRates: SpeechRates = {
  charactersPerSecond: 7.5,
  wordsPerSecond: 2.7,
  sentencePauseMs: 300,
  commaPauseMs: 150,
  minimumMs: 200,
};

export interface SpeechSegment {
  readonly kind: "speech" | "pause";
  readonly durationMs: number;
  readonly text: string;
}

const CHARACTER_LANGUAGES = new Set(["ja", "zh", "ko"]);
const SENTENCE_END = /[.!?。！？]/gu;
const COMMA = /[,、，;；]/gu;
const PUNCTUATION = /[\p{P}\p{S}\s]/gu;

export function estimateSpeechMs(
  text: string,
  locale: string,
  rates: SpeechRates = defaultSpeechRates,
): number {
  const trimmed = text.trim();
  if (trimmed.length === 0) return 0;
  const language = locale.slice(0, 2).toLowerCase();
  const spoken = CHARACTER_LANGUAGES.has(language)
    ? (trimmed.replace(PUNCTUATION, "").length / rates.charactersPerSecond) * 1_000
    : (trimmed.split(/\s+/u).filter((word) => word.replace(PUNCTUATION, "").length > 0).length /
        rates.wordsPerSecond) *
      1_000;
  const pauses =
    (trimmed.match(SENTENCE_END)?.length ?? 0) * rates.sentencePauseMs +
    (trimmed.match(COMMA)?.length ?? 0) * rates.commaPauseMs;
  return Math.max(rates.minimumMs, Math.round(spoken + pauses));
}

const BREAK = /<break\b([^>]*)\/?>/giu;
const STRENGTH_MS: Readonly<Record<string, number>> = {
  none: 0,
  "x-weak": 100,
  weak: 250,
  medium: 400,
  strong: 700,
  "x-strong": 1_000,
};

function breakMs(attributes: string): number {
  const time = /time\s*=\s*"(\d+(?:\.\d+)?)(ms|s)"/iu.exec(attributes);
  if (time?.[1] !== undefined)
    return Math.round(Number(time[1]) * (time[2]?.toLowerCase() === "s" ? 1_000 : 1));
  const strength = /strength\s*=\s*"([a-z-]+)"/iu.exec(attributes)?.[1]?.toLowerCase();
  return STRENGTH_MS[strength ?? "medium"] ?? 400;
}

const unescapeXml = (text: string) =>
  text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

/** Plain text is one speech segment; SSML is split at its breaks, tags dropped. */
export function speechSegments(
  content: { readonly text: string } | { readonly ssml: string },
  locale: string,
  rates: SpeechRates = defaultSpeechRates,
): SpeechSegment[] {
  const speech = (text: string): SpeechSegment[] => {
    const clean = text.trim();
    return clean.length === 0
      ? []
      : [{ kind: "speech", durationMs: estimateSpeechMs(clean, locale, rates), text: clean }];
  };
  if ("text" in content) return speech(content.text);
  const segments: SpeechSegment[] = [];
  let last = 0;
  for (const match of content.ssml.matchAll(BREAK)) {
    segments.push(...speech(unescapeXml(content.ssml.slice(last, match.index).replace(/<[^>]*>/g, ""))));
    segments.push({ kind: "pause", durationMs: breakMs(match[1] ?? ""), text: "" });
    last = match.index + match[0].length;
  }
  segments.push(...speech(unescapeXml(content.ssml.slice(last).replace(/<[^>]*>/g, ""))));
  return segments;
}

export interface AnswerLimits {
  /** Most Unicode code points the answer may have. */
  readonly maxChars: number;
  /** Most bytes the answer may take inside a JSON string (UTF-8, escapes included). */
  readonly maxBytes: number;
}

const ELLIPSIS = "…";

let sentences: Intl.Segmenter | undefined;
let graphemes: Intl.Segmenter | undefined;

/**
 * Shortens an answer to fit both limits, ending it at a sentence boundary so the caller hears whole
 * sentences. When whole sentences would keep less than half of the room (one very long sentence), it
 * cuts between graphemes instead and adds an ellipsis. Text that fits is returned unchanged.
 */
export function capAnswer(text: string, limits: AnswerLimits): string {
  // Segmenters step in time linear in the input, so only a prefix that could ever fit is segmented: it
  // holds more than maxChars code points, so its last (possibly cut) segment is never kept.
  const windowLength = 2 * limits.maxChars + 16;
  const window = text.length > windowLength ? text.slice(0, windowLength) : text;
  if (window === text && fits(measure(text), limits)) return text;

  sentences ??= new Intl.Segmenter(undefined, { granularity: "sentence" });
  const bySentence = takeWhileFits(sentences.segment(window), limits).trimEnd();
  const kept = measure(bySentence);
  if (kept.chars * 2 >= limits.maxChars || kept.bytes * 2 >= limits.maxBytes) return bySentence;

  graphemes ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  const room = { maxChars: limits.maxChars - 1, maxBytes: limits.maxBytes - jsonBytes(ELLIPSIS) };
  const cut = takeWhileFits(graphemes.segment(window), room).trimEnd();
  return cut === "" ? "" : `${cut}${ELLIPSIS}`;
}

export interface Size {
  readonly chars: number;
  readonly bytes: number;
}

export const fits = (size: Size, limits: AnswerLimits): boolean =>
  size.chars <= limits.maxChars && size.bytes <= limits.maxBytes;

function takeWhileFits(segments: Intl.Segments, limits: AnswerLimits): string {
  let kept = "";
  let chars = 0;
  let bytes = 0;
  for (const { segment } of segments) {
    const size = measure(segment);
    if (!fits({ chars: chars + size.chars, bytes: bytes + size.bytes }, limits)) break;
    kept += segment;
    chars += size.chars;
    bytes += size.bytes;
  }
  return kept;
}

/** Code points and JSON-string bytes of `text`; both add up over concatenation. */
export function measure(text: string): Size {
  let chars = 0;
  for (const _ of text) chars += 1;
  return { chars, bytes: jsonBytes(text) };
}

/** Bytes of `text` inside a JSON string literal; additive over concatenation, as JSON escapes per character. */
export const jsonBytes = (text: string): number => Buffer.byteLength(JSON.stringify(text), "utf8") - 2;

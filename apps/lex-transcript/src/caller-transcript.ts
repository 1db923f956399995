import { TRANSCRIPT_STATUS, type TranscriptStatus } from "@holdline/connect-contract/flow-contract";
import type { LexV2CodeHookEvent } from "./lex-v2-event.ts";

export interface TranscriptPolicy {
  /** A scored transcription below this confidence is `unintelligible`. */
  readonly minConfidence: number;
  /** Longer transcripts are cut to this many code points. */
  readonly maxChars: number;
}

export interface CallerTranscript {
  readonly status: Exclude<TranscriptStatus, "error">;
  /** The question to answer; empty unless `status` is `ok`. */
  readonly transcript: string;
  /** Lex's score for the transcript, when Lex gave one. */
  readonly confidence?: number;
  readonly truncated: boolean;
}

/**
 * Decides whether what Lex heard is a question: `empty` when nothing but whitespace was transcribed,
 * `unintelligible` for keypad input, for speech below the confidence threshold and for text with no letter
 * or digit in it; otherwise `ok` with the transcript cleaned of control and invisible formatting characters.
 */
export function readCallerTranscript(event: LexV2CodeHookEvent, policy: TranscriptPolicy): CallerTranscript {
  const raw = event.inputTranscript ?? event.transcriptions?.[0]?.transcription ?? "";
  const cleaned = clean(raw);
  const confidence = confidenceOf(event, raw);
  const scored = confidence === undefined ? {} : { confidence };
  const refuse = (status: "empty" | "unintelligible"): CallerTranscript => ({
    status,
    transcript: "",
    ...scored,
    truncated: false,
  });
  if (cleaned === "") return refuse(TRANSCRIPT_STATUS.empty);
  if (event.inputMode === "DTMF") return refuse(TRANSCRIPT_STATUS.unintelligible);
  if (confidence !== undefined && confidence < policy.minConfidence)
    return refuse(TRANSCRIPT_STATUS.unintelligible);
  if (!/[\p{L}\p{N}]/u.test(cleaned)) return refuse(TRANSCRIPT_STATUS.unintelligible);
  const codePoints = [...cleaned];
  const truncated = codePoints.length > policy.maxChars;
  return {
    status: TRANSCRIPT_STATUS.ok,
    transcript: truncated ? codePoints.slice(0, policy.maxChars).join("").trimEnd() : cleaned,
    ...scored,
    truncated,
  };
}

/**
 * The score of the transcription Lex interpreted (the one equal to `inputTranscript`), else the best score
 * given. The guide lists the top transcription and up to two alternatives, each with its own confidence.
 */
function confidenceOf(event: LexV2CodeHookEvent, raw: string): number | undefined {
  const scored = (event.transcriptions ?? []).filter(
    (candidate): candidate is { transcription?: string; transcriptionConfidence: number } =>
      candidate.transcriptionConfidence !== undefined,
  );
  const interpreted = scored.find((candidate) => candidate.transcription?.trim() === raw.trim());
  if (interpreted !== undefined) return interpreted.transcriptionConfidence;
  return scored.length === 0 ? undefined : Math.max(...scored.map((c) => c.transcriptionConfidence));
}

/** NFC; control characters become spaces, invisible formatting characters (bidi overrides, zero-width) go. */
const clean = (text: string): string =>
  text
    .normalize("NFC")
    .replace(/\p{Cc}/gu, " ")
    .replace(/\p{Cf}/gu, "")
    .replace(/\s+/gu, " ")
    .trim();

import { env, readConfig } from "@holdline/composition/config/environment";
import * as z from "zod";

const schema = z.object({
  /**
   * Below this transcription confidence (0–1) the caller is asked again. Lex V2 scores only en-US and en-GB
   * speech at 8 kHz (telephone audio); a transcription without a score is never refused. 0 turns it off.
   */
  HOLDLINE_MIN_TRANSCRIPTION_CONFIDENCE: z.coerce
    .number({ error: "must be a number between 0 and 1" })
    .min(0, { error: "must be between 0 and 1" })
    .max(1, { error: "must be between 0 and 1" })
    .default(0.4),
  /** Longest transcript handed on, in code points: connect-start's `maxQuestionChars`. */
  HOLDLINE_MAX_TRANSCRIPT_CHARS: z.coerce.number().int().min(1).max(100_000).default(1_000),
  /** Logs the caller's words; off by default (they are personal data). */
  HOLDLINE_DEBUG_CONTENT: env.flag(),
});

export type LexTranscriptConfig = z.infer<typeof schema>;

/** Read once per cold start; a missing or invalid variable fails the cold start, naming it. */
export const loadConfig = (
  environment: Record<string, string | undefined> = process.env,
): LexTranscriptConfig => readConfig(schema, environment);

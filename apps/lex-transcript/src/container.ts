import { createObservability } from "@holdline/composition/lambda/observability";
import type { LexTranscriptConfig } from "./config.ts";
import type { LexTranscriptDependencies } from "./handler.ts";

/** The composition root: no ports, no SDK clients; the policy and Powertools, once per cold start. */
export const dependenciesFrom = (config: LexTranscriptConfig): LexTranscriptDependencies => ({
  policy: {
    minConfidence: config.HOLDLINE_MIN_TRANSCRIPTION_CONFIDENCE,
    maxChars: config.HOLDLINE_MAX_TRANSCRIPT_CHARS,
  },
  observability: createObservability("lex-transcript", config.HOLDLINE_DEBUG_CONTENT),
});

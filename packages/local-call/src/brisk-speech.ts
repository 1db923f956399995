/**
 * Emulator timing for real-time runs that should take about a second per call (tests, the concurrency
 * bench): prompts spoken about twenty times faster than Polly and a short Lex recognition.
 */
export const BRISK_SPEECH = {
  speech: {
    charactersPerSecond: 150,
    wordsPerSecond: 50,
    sentencePauseMs: 10,
    commaPauseMs: 5,
    minimumMs: 20,
  },
  lexProcessingMs: 50,
} as const;

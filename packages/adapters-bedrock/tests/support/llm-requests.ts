import type { LlmRequest } from "@holdline/domain/ports/llm-client.port";

/** A caller's question, in en-US with no earlier turns unless overridden. */
export const question = (overrides: Partial<LlmRequest> = {}): LlmRequest => ({
  question: "What are your opening hours?",
  locale: "en-US",
  history: [],
  ...overrides,
});

/** A signal that never aborts. */
export const never = () => new AbortController().signal;
/** A signal that aborts after `ms`. */
export const abortAfter = (ms: number) => AbortSignal.timeout(ms);

import type { Faq } from "@holdline/adapters-faq/faq";
import { FaqLlmClient } from "@holdline/adapters-faq/faq-llm-client";
import { HANAMIZUKI_BAKERY_FAQ } from "@holdline/adapters-faq/hanamizuki-bakery.faq";
import type { LatencyModel } from "@holdline/adapters-faq/latency-model";
import { estimateTokens } from "@holdline/adapters-faq/token-estimate";
import type { Clock } from "@holdline/domain/ports/clock.port";

/** The FAQ with every deliberately slow entry (those with their own `latencyMs`) taking `slowAnswerMs`. */
export function withSlowEntries(faq: Faq, slowAnswerMs: number): Faq {
  return {
    ...faq,
    locales: Object.fromEntries(
      Object.entries(faq.locales).map(([locale, faqLocale]) => [
        locale,
        {
          ...faqLocale,
          entries: faqLocale.entries.map((entry) =>
            entry.latencyMs === undefined ? entry : { ...entry, latencyMs: slowAnswerMs },
          ),
        },
      ]),
    ),
  };
}

/**
 * Time to first token plus a steady rate per output token, so an English answer is not slower than a
 * Japanese one of the same length in tokens (the FAQ's default model counts characters).
 */
export const perTokenLatency =
  ({
    firstTokenMs = 800,
    perTokenMs = 20,
  }: {
    firstTokenMs?: number;
    perTokenMs?: number;
  } = {}): LatencyModel =>
  (answer) =>
    firstTokenMs + perTokenMs * estimateTokens(answer);

/** The demo's model: the embedded bakery FAQ on the given clock, with its slow entry taking `slowAnswerMs`. */
export const demoFaqModel = (clock: Clock, slowAnswerMs: number): FaqLlmClient =>
  new FaqLlmClient({
    clock,
    faq: withSlowEntries(HANAMIZUKI_BAKERY_FAQ, slowAnswerMs),
    latency: perTokenLatency(),
  });

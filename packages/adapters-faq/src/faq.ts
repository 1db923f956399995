/** One question a business is often asked, in one language. */
export interface FaqEntry {
  readonly id: string;
  /**
   * Words or phrases that point to this entry. Japanese keywords match anywhere in the question;
   * English ones match the start of a word ("open" matches "opening"), phrases match as a whole.
   */
  readonly keywords: readonly string[];
  /** Written to be spoken: short plain sentences, no markup. */
  readonly answer: string;
  /** This entry's whole time, question to last token, over the latency model's: the answer is streamed over it. */
  readonly latencyMs?: number;
}

export interface FaqLocale {
  readonly entries: readonly FaqEntry[];
  /** What a caller hears when nothing matches: polite, and says what can be asked. */
  readonly fallback: string;
}

export interface Faq {
  readonly name: string;
  /** Keyed by BCP 47 locale. */
  readonly locales: Readonly<Record<string, FaqLocale>>;
  /** Answers a caller whose language the FAQ does not have. */
  readonly defaultLocale: string;
}

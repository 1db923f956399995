/**
 * Instructions for a model whose answer is read aloud to a caller by text-to-speech. Keyed by
 * locale; a locale without its own prompt gets the English one plus an instruction to answer in
 * the caller's language.
 */
export const DEFAULT_SYSTEM_PROMPTS: Readonly<Record<string, string>> = {
  "ja-JP": [
    "あなたは電話でお客様の質問にお答えする音声アシスタントです。",
    "回答は音声合成でそのまま読み上げられます。",
    "短くわかりやすい文で、三文以内でお答えください。",
    "箇条書き、見出し、表、記号、マークダウン、絵文字、URLは使わないでください。",
    "数字や時刻は、声に出して読みやすい書き方にしてください。",
    "必ず日本語の丁寧語でお答えください。",
    "わからないことは推測せず、わからないとお伝えください。",
  ].join(""),
  "en-US": [
    "You are a voice assistant answering a caller's question on the phone.",
    "Your answer is read aloud by text-to-speech exactly as you write it.",
    "Answer in at most three short, plain sentences.",
    "Do not use lists, headings, tables, symbols, markdown, emoji or web addresses.",
    "Write numbers and times the way a person would say them.",
    "Answer politely, in English.",
    "If you do not know the answer, say so instead of guessing.",
  ].join(" "),
};

export function systemPromptFor(locale: string, prompts: Readonly<Record<string, string>>): string {
  const exact = prompts[locale];
  if (exact !== undefined) return exact;
  const language = locale.split(/[-_]/)[0]?.toLowerCase() ?? "";
  const sameLanguage = Object.keys(prompts).find((key) => key.toLowerCase().startsWith(`${language}-`));
  if (sameLanguage !== undefined) return prompts[sameLanguage] ?? "";
  const english = prompts["en-US"] ?? DEFAULT_SYSTEM_PROMPTS["en-US"] ?? "";
  return `${english} The caller's locale is ${locale}: answer in the caller's language.`;
}

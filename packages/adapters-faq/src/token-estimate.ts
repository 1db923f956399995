/** About one token per Japanese character and one per four other characters. */
export const estimateTokens = (text: string): number => {
  const cjk = text.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu)?.length ?? 0;
  return cjk + Math.ceil((text.length - cjk) / 4);
};

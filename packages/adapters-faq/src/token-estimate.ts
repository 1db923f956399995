const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** About one token per Japanese character and one per four other characters. */
export const estimateTokens = (text: string): number => {
  const cjk = text.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu)?.length ?? 0;
  return cjk + Math.ceil((text.length - cjk) / 4);
};

/** A stretch of text as a model streams it, with its share of the tokens by `estimateTokens`' rule. */
export interface TokenPiece {
  readonly text: string;
  readonly tokens: number;
}

/**
 * The text cut into the pieces a model would stream, about one token each: every Japanese character on its
 * own, other characters four at a time (a run of them ends at the next Japanese character). The pieces join
 * into the text; their tokens add up to `estimateTokens(text)` (a quarter token per other character, the last
 * of their pieces rounded up).
 */
export function tokenPieces(text: string): TokenPiece[] {
  const pieces: TokenPiece[] = [];
  let run = "";
  let otherCharacters = 0;
  let lastOther = -1;
  const endRun = () => {
    if (run === "") return;
    otherCharacters += run.length;
    lastOther = pieces.length;
    pieces.push({ text: run, tokens: run.length / 4 });
    run = "";
  };
  for (const character of text) {
    if (CJK.test(character)) {
      endRun();
      pieces.push({ text: character, tokens: 1 });
      continue;
    }
    run += character;
    if (run.length >= 4) endRun();
  }
  endRun();
  // `estimateTokens` rounds the other characters' quarter tokens up: the last of their pieces takes the rest.
  const last = pieces[lastOther];
  if (last !== undefined) {
    const rest = Math.ceil(otherCharacters / 4) - otherCharacters / 4;
    pieces[lastOther] = { text: last.text, tokens: last.tokens + rest };
  }
  return pieces;
}

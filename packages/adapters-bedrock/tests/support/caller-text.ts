import { expect } from "vitest";

/** The shape of a salted delimiter tag, as the tests expect it; kept apart from the code under test. */
export const TAG_SHAPE = /^caller_speech_[0-9a-f]{16}$/;

type Body = Record<string, unknown>;
interface RecordedMessage {
  readonly role: string;
  readonly content: readonly Record<string, unknown>[];
}

export const messagesOf = (body: Body | undefined): RecordedMessage[] =>
  (body?.messages ?? []) as RecordedMessage[];

export const systemOf = (body: Body | undefined): { text: string }[] =>
  (body?.system ?? []) as { text: string }[];

/** The tag this request's system prompt names (the second system block, the rules). */
export function delimiterTagOf(body: Body | undefined): string {
  const rules = systemOf(body)[1]?.text ?? "";
  const tag = /<(caller_speech_[0-9a-f]+)>/.exec(rules)?.[1] ?? "";
  expect(tag).toMatch(TAG_SHAPE);
  expect(rules).toContain(`</${tag}>`);
  return tag;
}

/**
 * The caller's words in one recorded user message, after checking the message is exactly one block of the
 * expected kind (plain text, or `guardContent` with the `guard_content` qualifier) whose text is the words
 * between this request's opening and closing tags, each occurring once.
 */
export function callerWordsIn(message: RecordedMessage, tag: string, guarded: boolean): string {
  expect(message.role).toBe("user");
  expect(message.content).toHaveLength(1);
  const block = message.content[0] ?? {};
  let text: unknown;
  if (guarded) {
    expect(Object.keys(block)).toEqual(["guardContent"]);
    const guarded = block.guardContent as { text?: { text?: unknown; qualifiers?: unknown } };
    expect(guarded.text?.qualifiers).toEqual(["guard_content"]);
    text = guarded.text?.text;
  } else {
    expect(Object.keys(block)).toEqual(["text"]);
    text = block.text;
  }
  expect(typeof text).toBe("string");
  const whole = text as string;
  const open = `<${tag}>\n`;
  const close = `\n</${tag}>`;
  expect(whole.startsWith(open)).toBe(true);
  expect(whole.endsWith(close)).toBe(true);
  expect(whole.split(`<${tag}>`)).toHaveLength(2);
  expect(whole.split(`</${tag}>`)).toHaveLength(2);
  return whole.slice(open.length, whole.length - close.length);
}

/**
 * True when the text holds anything a model could read as a delimiter of the family: checked on the
 * NFKC form (full-width folded), without format characters (zero-width joiners), case-insensitively.
 */
export function looksLikeADelimiter(text: string): boolean {
  const folded = text
    .normalize("NFKC")
    .replace(/\p{Cf}/gu, "")
    .toLowerCase();
  return /[<〈《‹«﹤][\s/\\]*caller[\s_.\-‐・]*speech/u.test(folded);
}

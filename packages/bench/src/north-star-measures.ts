/**
 * What the north star reads off one call's timeline: when the caller's question ended, when they heard the
 * first word of the answer, and the gaps between the parts of the answer they heard. Pure, over the Connect
 * emulator's timeline; the model's parts come with the moment each was written.
 */
import type { TimelineEvent } from "@holdline/connect-emulator/timeline";

/** A prompt the caller heard, in ms since the call started. */
export interface HeardPrompt {
  readonly identifier: string;
  readonly at: number;
  readonly endAt: number;
  readonly text: string;
  /** Cut short: by an event of the flow, or the caller hanging up. */
  readonly interrupted: boolean;
}

/** A part of the answer and when the model had written it, in ms since the call started. */
export interface WrittenPart {
  readonly at: number;
  readonly text: string;
}

/** The end of the caller's question: their first input (speech, or the key that ends the seed's message). */
export const questionEndAt = (timeline: readonly TimelineEvent[]): number | undefined =>
  timeline.find((event) => event.kind === "caller-input")?.at;

/** The prompts played by the given actions, in order. */
export function promptsOf(timeline: readonly TimelineEvent[], identifiers: readonly string[]): HeardPrompt[] {
  return timeline.flatMap((event) =>
    event.kind === "prompt" && identifiers.includes(event.identifier)
      ? [
          {
            identifier: event.identifier,
            at: event.at,
            endAt: event.endAt,
            text: event.text,
            interrupted: event.interrupted,
          },
        ]
      : [],
  );
}

/** Every `errorCode` a Lambda answered the flow with (synchronous results and asynchronous ones). */
export function errorCodesOf(timeline: readonly TimelineEvent[]): string[] {
  return timeline.flatMap((event) => {
    const outcome = event.kind === "invocation" || event.kind === "async-result" ? event.outcome : undefined;
    if (outcome?.status !== "success") return [];
    const code = (outcome.response as { errorCode?: unknown } | undefined)?.errorCode;
    return typeof code === "string" && code !== "" ? [code] : [];
  });
}

/**
 * Which part each heard prompt starts with: the prompts must be the parts, in order, each prompt one or more
 * whole parts joined by `separator`, none left out, none twice. Undefined when they are not (a part lost,
 * repeated, reordered or cut), or when the caller heard only some of them.
 */
export function firstPartOfEachPrompt(
  prompts: readonly string[],
  parts: readonly string[],
  separator: string,
): number[] | undefined {
  const starts: number[] = [];
  let next = 0;
  for (const prompt of prompts) {
    const start = next;
    let heard = "";
    while (next < parts.length && heard.length < prompt.length) {
      heard = next === start ? (parts[next] ?? "") : `${heard}${separator}${parts[next] ?? ""}`;
      next += 1;
    }
    if (next === start || heard !== prompt) return undefined;
    starts.push(start);
  }
  return next === parts.length ? starts : undefined;
}

/** The pause between two prompts of one answer; `ahead`: the later one's first part was written before the earlier one ended. */
export interface PartGap {
  readonly gapMs: number;
  readonly ahead: boolean;
}

/**
 * The gaps between consecutive heard prompts of one answer (what the caller hears between two parts: silence
 * or a filler). A gap counts as "generation ahead of speech" when the first part of the later prompt had been
 * written by the time the earlier prompt ended, so the wait is Holdline's, not the model's.
 */
export function partGaps(
  prompts: readonly HeardPrompt[],
  firstParts: readonly number[],
  parts: readonly WrittenPart[],
): PartGap[] {
  const gaps: PartGap[] = [];
  for (let index = 1; index < prompts.length; index += 1) {
    const earlier = prompts[index - 1];
    const later = prompts[index];
    const written = parts[firstParts[index] ?? -1];
    if (earlier === undefined || later === undefined || written === undefined) continue;
    gaps.push({ gapMs: later.at - earlier.endAt, ahead: written.at <= earlier.endAt });
  }
  return gaps;
}

/** The longest gap while generation was ahead of speech; undefined when there was none. */
export function longestGapAhead(gaps: readonly PartGap[]): number | undefined {
  const ahead = gaps.filter((gap) => gap.ahead).map((gap) => gap.gapMs);
  return ahead.length === 0 ? undefined : Math.max(...ahead);
}

/** The `status` of the first response of the action's invocation (e.g. connect-start's); undefined if none. */
export function firstResponseStatus(
  timeline: readonly TimelineEvent[],
  identifier: string,
): string | undefined {
  for (const event of timeline) {
    if (event.kind !== "invocation" || event.identifier !== identifier) continue;
    if (event.outcome.status !== "success") return undefined;
    const status = (event.outcome.response as { status?: unknown } | undefined)?.status;
    return typeof status === "string" ? status : undefined;
  }
  return undefined;
}

/**
 * What cut the first interrupted prompt short: the flow's branch taken at that instant (`wait-for-answer
 * WaitCompleted`: a keep-running Wait's time limit), or "the caller hung up"; undefined when none was cut.
 */
export function cutShortBy(
  timeline: readonly TimelineEvent[],
  prompts: readonly HeardPrompt[],
): string | undefined {
  const cut = prompts.find((prompt) => prompt.interrupted);
  if (cut === undefined) return undefined;
  if (timeline.some((event) => event.kind === "hang-up" && event.at === cut.endAt))
    return "the caller hung up";
  const branch = timeline.find((event) => event.kind === "branch" && event.at === cut.endAt);
  return branch?.kind === "branch" ? `\`${branch.identifier}\` ${branch.result}` : "an event of the flow";
}

import type { CallerTurn } from "@holdline/connect-emulator/caller-script";
import type { CallResult } from "@holdline/connect-emulator/connect-emulator";
import type { TimelineEvent } from "@holdline/connect-emulator/timeline";
import type { Strategy } from "@holdline/contact-flow/holdline/holdline-flows";
import type { PromptPack } from "@holdline/contact-flow/holdline/prompt-packs";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { InMemoryExecutionStore } from "@holdline/domain/testing/fakes/in-memory-execution-store";
import { type LlmStep, ScriptedLlmClient } from "@holdline/domain/testing/fakes/scripted-llm-client";
import { type LocalHoldlineOptions, wireLocalHoldline } from "../../src/local-holdline.ts";

export const CONTACT_ID = "0c0ffee0-0000-4000-8000-000000000001";

/** The real apps on virtual time, an in-memory store and a scripted model. */
export function localHoldline(
  script: readonly LlmStep[],
  options: Partial<Omit<LocalHoldlineOptions, "clock" | "store" | "model">> = {},
) {
  const clock = new ManualClock(Date.UTC(2026, 10, 23, 9));
  const store = new InMemoryExecutionStore(clock);
  const llm = new ScriptedLlmClient(clock, script);
  const holdline = wireLocalHoldline({ clock, store, model: llm, ...options });

  /** Runs the call to its end, then until every background invocation has finished. */
  const call = async (
    strategy: Strategy,
    prompts: PromptPack,
    turns: readonly CallerTurn[],
    hangUpAtMs?: number,
  ) => {
    const running = holdline.call(
      strategy,
      prompts,
      { turns, ...(hangUpAtMs === undefined ? {} : { hangUpAtMs }) },
      { contactId: CONTACT_ID },
    );
    const ended = await clock.run(running.ended);
    const settled = await clock.run(running.settled);
    await clock.run(holdline.idle());
    return { ended, settled };
  };
  return { clock, store, llm, holdline, call };
}

type Of<K extends TimelineEvent["kind"]> = Extract<TimelineEvent, { kind: K }>;

export const eventsOf = <K extends TimelineEvent["kind"]>(result: CallResult, kind: K): Of<K>[] =>
  result.timeline.filter((event): event is Of<K> => event.kind === kind);

export const spoken = (result: CallResult): string[] => eventsOf(result, "prompt").map((event) => event.text);

export const promptsOf = (result: CallResult, text: string) =>
  eventsOf(result, "prompt").filter((event) => event.text.includes(text));

export const invocationsOf = (result: CallResult, fn: string) =>
  eventsOf(result, "invocation").filter((event) => event.functionName.endsWith(fn));

export const notesOf = (result: CallResult, source: string): string[] =>
  eventsOf(result, "note")
    .filter((event) => event.source === source)
    .map((event) => event.text);

import { setMaxListeners } from "node:events";
import { SystemClock } from "@holdline/adapters-node/system-clock";
import { deriveBudget } from "@holdline/budget/timing-budget";
import { say } from "@holdline/connect-emulator/caller-script";
import type { CallResult } from "@holdline/connect-emulator/connect-emulator";
import { ACTION_IDS, type Strategy } from "@holdline/contact-flow/holdline/holdline-flows";
import { JA_JP } from "@holdline/contact-flow/holdline/prompt-packs";
import { formatKey } from "@holdline/domain/execution/execution";
import { BRISK_SPEECH } from "@holdline/local-call/brisk-speech";
import { wireLocalHoldline } from "@holdline/local-call/local-holdline";
import { startDynaliteStore } from "@holdline/local-call/local-stores";
import { answer, ScriptedLlmClient } from "@holdline/domain/testing/fakes/scripted-llm-client";
import { MeteredExecutionStore } from "./metered-execution-store.ts";
import { TimedLlmClient } from "./timed-llm-client.ts";

export interface ConcurrencyOptions {
  readonly strategy: Strategy;
  readonly calls: number;
  /** Fixed: the run measures what Holdline adds around the model, not the model. */
  readonly modelLatencyMs: number;
}

/** What 500 simultaneous calls on dynalite showed, in real time on this machine. */
export interface ConcurrencyResult extends ConcurrencyOptions {
  readonly wallMs: number;
  readonly answered: number;
  /** Calls whose execution ended `completed` in DynamoDB after one claim. */
  readonly completedInStore: number;
  readonly modelCalls: number;
  /** (contact, turn)s the model was called for other than exactly once, e.g. `c…#1 ×2`. */
  readonly violations: readonly string[];
  /** The model's answer → the Connect-facing handler's `completed` reaching the flow. */
  readonly handlerOverheadMs: readonly number[];
  /** The model's answer → the caller starting to hear it. */
  readonly heardOverheadMs: readonly number[];
  readonly dynamodbRequests: number;
}

const QUESTION = "誕生日ケーキの予約はできますか";
const ANSWER = "ホールケーキのご予約は、お受け取りの二日前まで承っております。";
const GOODBYE = "いいえ、以上です。";

const BRISK = {
  ...BRISK_SPEECH,
  // Real time on this machine: no simulated network or service latency on top.
  latency: { invocationOverheadMs: 0, asyncDispatchMs: 0 },
};

const contactIdOf = (index: number) => `c0c0c0c0-0000-4000-8000-${index.toString(16).padStart(12, "0")}`;

/**
 * `calls` callers ask at the same moment, on the real handlers wired into the Connect emulator on the
 * system clock, against dynalite in a child process: every call must hear its answer, and the model must
 * be called exactly once per (contact, turn). Each caller's question carries its number, which is how a
 * model call is traced back to its contact.
 */
export async function runConcurrentCalls(options: ConcurrencyOptions): Promise<ConcurrencyResult> {
  // Every pending sleep of the local Lambdas listens on one shared stop signal: hundreds at once are
  // expected here, not the leak Node warns about past 10 listeners.
  setMaxListeners(options.calls * 8);
  const clock = new SystemClock();
  // One socket per call: in AWS each of 500 concurrent calls runs in its own Lambda instance with its own
  // connections, whereas here one client stands in for all of them. With the default pool of 50, requests
  // wait for a socket past the 1 s connection timeout and some callers hear the error prompt, an artefact
  // of the single process rather than of Holdline.
  const local = await startDynaliteStore(clock, deriveBudget(), { maxSockets: options.calls });
  const store = new MeteredExecutionStore(local.store, clock);
  const model = new TimedLlmClient(
    new ScriptedLlmClient(clock, [answer(ANSWER, options.modelLatencyMs)]),
    clock,
  );
  const holdline = wireLocalHoldline({ clock, store, model, emulator: BRISK, dispatchLatencyMs: 0 });
  const questionOf = (index: number) => `${QUESTION}（${index + 1}番）？`;
  try {
    const started = performance.now();
    const calls = Array.from({ length: options.calls }, (_, index) =>
      holdline.call(
        options.strategy,
        JA_JP,
        { turns: [say(questionOf(index)), say(GOODBYE)] },
        { contactId: contactIdOf(index) },
      ),
    );
    const results = await Promise.all(calls.map((call) => call.ended));
    await holdline.idle();
    const wallMs = performance.now() - started;

    const violations: string[] = [];
    const handlerOverheadMs: number[] = [];
    const heardOverheadMs: number[] = [];
    let answered = 0;
    let completedInStore = 0;
    for (const [index, result] of results.entries()) {
      const contactId = contactIdOf(index);
      const modelCalls = model.calls.filter((call) => call.question === questionOf(index));
      if (modelCalls.length !== 1)
        violations.push(`${formatKey({ contactId, turn: 1 })} ×${modelCalls.length}`);
      const stored = await local.store.get({ contactId, turn: 1 });
      if (stored?.status === "completed" && stored.attempt === 1) completedInStore += 1;
      const answeredAt = modelCalls[0]?.answeredAt;
      const heardAt = result.timeline.find(
        (event) => event.kind === "prompt" && event.identifier === ACTION_IDS.sayAnswer,
      )?.at;
      if (heardAt === undefined) continue;
      answered += 1;
      if (answeredAt === undefined) continue;
      const doneAt = answeredAt - result.startedAt;
      heardOverheadMs.push(heardAt - doneAt);
      const returnedAt = completedInvocationEnd(result);
      if (returnedAt !== undefined) handlerOverheadMs.push(returnedAt - doneAt);
    }
    return {
      ...options,
      wallMs,
      answered,
      completedInStore,
      modelCalls: model.calls.length,
      violations,
      handlerOverheadMs,
      heardOverheadMs,
      dynamodbRequests: store.meter.requests,
    };
  } finally {
    await holdline.close();
    await local.close();
  }
}

/** When the invocation that brought `completed` back handed it to the flow (or, async, returned). */
function completedInvocationEnd(result: CallResult): number | undefined {
  for (const event of result.timeline) {
    if (event.kind === "invocation" && event.outcome.status === "success") {
      const response = event.outcome.response as Record<string, unknown>;
      if (response.status === "completed") return event.endAt;
    }
    if (event.kind === "async-result" && event.outcome.status === "success") {
      const response = event.outcome.response as Record<string, unknown>;
      if (response.status === "completed") return event.at;
    }
  }
  return undefined;
}

import { setMaxListeners } from "node:events";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { SystemClock } from "@holdline/adapters-node/system-clock";
import { deriveBudget } from "@holdline/budget/timing-budget";
import { say } from "@holdline/connect-emulator/caller-script";
import type { CallResult } from "@holdline/connect-emulator/connect-emulator";
import type { TimelineEvent } from "@holdline/connect-emulator/timeline";
import { ACTION_IDS, type Strategy } from "@holdline/contact-flow/holdline/holdline-flows";
import { JA_JP } from "@holdline/contact-flow/holdline/prompt-packs";
import { formatKey } from "@holdline/domain/execution/execution";
import { RESEND_MAX_DELAY_MS } from "@holdline/domain/use-cases/conditional-write";
import { answer, ScriptedLlmClient } from "@holdline/domain/testing/fakes/scripted-llm-client";
import { BRISK_SPEECH } from "@holdline/local-call/brisk-speech";
import type { LocalNote } from "@holdline/local-call/call-notes";
import { wireLocalHoldline } from "@holdline/local-call/local-holdline";
import { startDynaliteStore } from "@holdline/local-call/local-stores";
import {
  type HeardOutcome,
  type LevelRun,
  type LevelSummary,
  summarizeLevel,
  type TurnRecord,
} from "./concurrency-accounting.ts";
import { MeteredExecutionStore } from "./metered-execution-store.ts";
import { TimedExecutionStore } from "./timed-execution-store.ts";
import { type ModelCall, TimedLlmClient } from "./timed-llm-client.ts";

export interface ConcurrencyOptions {
  readonly strategy: Strategy;
  readonly calls: number;
  /** Fixed: the run measures what Holdline adds around the model, not the model. */
  readonly modelLatencyMs: number;
}

/** One level of simultaneous calls on dynalite, in real time on this machine, accounted. */
export interface ConcurrencyResult extends LevelSummary {
  readonly modelLatencyMs: number;
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
 * system clock, against dynalite in a child process. Once every call and every background invocation has
 * finished, each caller's turn is accounted: what the caller heard, every model call made for it (each
 * question carries its caller's number, which traces a model call to its contact) and what the store holds.
 */
export async function runConcurrentCalls(options: ConcurrencyOptions): Promise<ConcurrencyResult> {
  // Every pending sleep of the local Lambdas listens on one shared stop signal: hundreds at once are
  // expected here, not the leak Node warns about past 10 listeners.
  setMaxListeners(options.calls * 8);
  const clock = new SystemClock();
  // One socket per call: in AWS each of 500 concurrent calls runs in its own Lambda instance with its own
  // connections, whereas here one client stands in for all of them. With the default pool of 50, requests
  // wait for a socket past the 1 s connection timeout, an artefact of the single process.
  const budget = deriveBudget();
  const local = await startDynaliteStore(clock, budget, { maxSockets: options.calls });
  const timed = new TimedExecutionStore(local.store);
  const store = new MeteredExecutionStore(timed, clock);
  const model = new TimedLlmClient(
    new ScriptedLlmClient(clock, [answer(ANSWER, options.modelLatencyMs)]),
    clock,
  );
  const holdline = wireLocalHoldline({ clock, store, model, emulator: BRISK, dispatchLatencyMs: 0 });
  const questionOf = (index: number) => `${QUESTION}（${index + 1}番）？`;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  try {
    loopDelay.enable();
    const started = performance.now();
    const calls = Array.from({ length: options.calls }, (_, index) =>
      holdline.call(
        options.strategy,
        JA_JP,
        { turns: [say(questionOf(index)), say(GOODBYE)] },
        { contactId: contactIdOf(index) },
      ),
    );
    // `settled`: the call, and every handler Connect stopped waiting for, have finished.
    const results = await Promise.all(calls.map((call) => call.settled));
    await holdline.idle();
    const wallMs = performance.now() - started;
    loopDelay.disable();

    const callsByQuestion = new Map<string, ModelCall[]>();
    for (const call of model.calls) {
      callsByQuestion.set(call.question, [...(callsByQuestion.get(call.question) ?? []), call]);
    }
    const notesByContact = new Map<string, LocalNote[]>();
    const addNote = (note: LocalNote) =>
      notesByContact.set(note.contactId, [...(notesByContact.get(note.contactId) ?? []), note]);
    for (const note of holdline.notes.log) addNote(note);
    // The store calls that were refused or failed: what the handlers' own notes do not show.
    for (const call of timed.unsuccessful) {
      addNote({
        at: call.at,
        contactId: call.contactId,
        source: "store call",
        text: `${call.what} ${call.code === "stale_version" ? "refused" : "FAILED"} (${call.code}) after ${(call.ms / 1000).toFixed(1)}s`,
      });
    }
    const failedCompletions = new Map<string, { endAt: number; code: string }[]>();
    for (const call of timed.unsuccessful) {
      if (call.what !== "transition running → completed") continue;
      const attempt = { endAt: call.at + call.ms, code: call.code };
      failedCompletions.set(call.contactId, [...(failedCompletions.get(call.contactId) ?? []), attempt]);
    }
    const turns: TurnRecord[] = [];
    for (const [index, result] of results.entries()) {
      const key = { contactId: contactIdOf(index), turn: 1 };
      const stored = await local.store.get(key);
      const modelCalls = callsByQuestion.get(questionOf(index)) ?? [];
      turns.push(
        turnRecord(
          formatKey(key),
          result,
          modelCalls,
          notesByContact.get(key.contactId) ?? [],
          failedCompletions.get(key.contactId) ?? [],
          stored === undefined
            ? undefined
            : {
                status: stored.status,
                attempt: stored.attempt,
                deadlineAt: stored.deadlineAt,
                ...(stored.error === undefined ? {} : { errorCode: stored.error.code }),
                ...(stored.finishedAt === undefined ? {} : { finishedAt: stored.finishedAt }),
              },
        ),
      );
    }
    const run: LevelRun = {
      strategy: options.strategy,
      delivery: {
        answerOnlyThroughStore: options.strategy === "polling",
        retryWindowMs: RESEND_MAX_DELAY_MS + budget.dynamodb.operationTimeoutMs,
      },
      calls: options.calls,
      wallMs,
      eventLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      turns,
      dynamodbRequests: store.meter.requests,
      store: timed.load(),
    };
    return { ...summarizeLevel(run), modelLatencyMs: options.modelLatencyMs };
  } finally {
    loopDelay.disable();
    await holdline.close();
    await local.close();
  }
}

const TERMINAL_PROMPTS: ReadonlySet<string> = new Set([
  ACTION_IDS.sayAnswer,
  ACTION_IDS.sayError,
  ACTION_IDS.sayUnavailable,
]);

type PromptEvent = Extract<TimelineEvent, { kind: "prompt" }>;

/** A Connect-facing handler's answer as the flow received it, or how its invocation failed. */
function responseOf(
  event: TimelineEvent,
): { status: string; errorCode?: string } | { failed: string } | undefined {
  if (event.kind !== "invocation" && event.kind !== "async-result") return undefined;
  const { outcome } = event;
  if (outcome.status === "dispatched") return undefined;
  if (outcome.status === "error") return { failed: outcome.errorType };
  const response = outcome.response as Record<string, unknown>;
  return {
    status: String(response.status),
    ...(typeof response.errorCode === "string" && response.errorCode !== ""
      ? { errorCode: response.errorCode }
      : {}),
  };
}

/** What the caller heard for the question: the first answer, error or unavailable prompt, and why. */
export function heardOutcome(result: CallResult): { heard: HeardOutcome; prompt?: PromptEvent } {
  const index = result.timeline.findIndex(
    (event) => event.kind === "prompt" && TERMINAL_PROMPTS.has(event.identifier),
  );
  const prompt = result.timeline[index] as PromptEvent | undefined;
  if (prompt === undefined) return { heard: { kind: "nothing" } };
  if (prompt.identifier === ACTION_IDS.sayAnswer) return { heard: { kind: "answer" }, prompt };
  const before = result.timeline.slice(0, index).reverse();
  const response = before.map(responseOf).find((found) => found !== undefined);
  if (prompt.identifier === ACTION_IDS.sayError) {
    const code = response !== undefined && "status" in response ? response.errorCode : undefined;
    return { heard: { kind: "error", code: code ?? "unknown" }, prompt };
  }
  if (response !== undefined && "failed" in response) {
    return { heard: { kind: "unavailable", cause: `Lambda ${response.failed}` }, prompt };
  }
  const branch = before.find((event) => event.kind === "branch");
  const cause = branch?.kind === "branch" ? `${branch.identifier} ${branch.result}` : "unknown";
  return { heard: { kind: "unavailable", cause }, prompt };
}

const secondsAt = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

function traceOf(result: CallResult, notes: readonly LocalNote[]): string[] {
  const lines: { at: number; text: string }[] = [];
  for (const event of result.timeline) {
    if (event.kind === "invocation") {
      const response = responseOf(event);
      const what =
        response === undefined
          ? "dispatched"
          : "failed" in response
            ? `failed: ${response.failed}`
            : `${response.status}${response.errorCode === undefined ? "" : ` ${response.errorCode}`}`;
      lines.push({
        at: event.at,
        text: `${event.identifier} ${event.mode.toLowerCase()} → ${what} at ${secondsAt(event.endAt)}`,
      });
    } else if (event.kind === "async-result") {
      const response = responseOf(event);
      const what = response === undefined ? "" : "failed" in response ? response.failed : response.status;
      lines.push({ at: event.at, text: `async result: ${what}` });
    } else if (event.kind === "prompt" && TERMINAL_PROMPTS.has(event.identifier)) {
      lines.push({ at: event.at, text: `caller hears ${event.identifier}` });
    }
  }
  for (const note of notes)
    lines.push({ at: note.at - result.startedAt, text: `${note.source}: ${note.text}` });
  return lines.sort((a, b) => a.at - b.at).map((line) => `${secondsAt(line.at)} ${line.text}`);
}

/** When the invocation that brought `completed` back handed it to the flow (or, async, returned). */
function completedInvocationEnd(result: CallResult): number | undefined {
  for (const event of result.timeline) {
    const response = responseOf(event);
    if (response === undefined || !("status" in response) || response.status !== "completed") continue;
    return event.kind === "invocation" ? event.endAt : event.at;
  }
  return undefined;
}

function turnRecord(
  key: string,
  result: CallResult,
  modelCalls: readonly ModelCall[],
  notes: readonly LocalNote[],
  failedCompletions: TurnRecord["failedCompletions"],
  stored: TurnRecord["stored"],
): TurnRecord {
  const { heard, prompt } = heardOutcome(result);
  const answeredAt = modelCalls.find((call) => call.answeredAt !== undefined)?.answeredAt;
  const doneAt = answeredAt === undefined ? undefined : answeredAt - result.startedAt;
  const returnedAt = completedInvocationEnd(result);
  const blockTimeouts = result.timeline.filter(
    (event) =>
      (event.kind === "invocation" || event.kind === "async-result") &&
      event.outcome.status === "error" &&
      event.outcome.errorType === "timeout",
  ).length;
  return {
    key,
    heard,
    ...(prompt === undefined ? {} : { heardAt: result.startedAt + prompt.at }),
    longestSilenceMs: result.longestSilence?.durationMs ?? 0,
    modelCalls: modelCalls.map((call) => ({
      startedAt: call.startedAt,
      ...(call.answeredAt === undefined ? {} : { answeredAt: call.answeredAt }),
    })),
    ...(stored === undefined ? {} : { stored }),
    blockTimeouts,
    ...(heard.kind === "answer" && doneAt !== undefined && prompt !== undefined
      ? { heardOverheadMs: prompt.at - doneAt }
      : {}),
    ...(heard.kind === "answer" && doneAt !== undefined && returnedAt !== undefined
      ? { handlerOverheadMs: returnedAt - doneAt }
      : {}),
    failedCompletions,
    trace: traceOf(result, notes),
  };
}

/**
 * The sweep's default levels: simultaneous calls per strategy. On a 2-core machine one dynalite starts failing
 * store calls somewhere between 200 and 500 and always does at 1,000: the top level is there so that the
 * invariants are checked with the store saturated, not only when it keeps up.
 */
export const SWEEP_LEVELS = [50, 100, 200, 500, 1000] as const;

export interface SweepOptions {
  readonly levels: readonly number[];
  readonly strategies: readonly Strategy[];
  readonly modelLatencyMs: number;
  /** Called after each (level, strategy) run, e.g. to print a progress line. */
  readonly onRun?: (result: ConcurrencyResult) => void;
}

/** Each level for each strategy, one after the other, each on a fresh dynalite. */
export async function runConcurrencySweep({
  levels,
  strategies,
  modelLatencyMs,
  onRun,
}: SweepOptions): Promise<ConcurrencyResult[]> {
  const results: ConcurrencyResult[] = [];
  for (const calls of levels) {
    for (const strategy of strategies) {
      const result = await runConcurrentCalls({ strategy, calls, modelLatencyMs });
      onRun?.(result);
      results.push(result);
    }
  }
  return results;
}

/** `--concurrent 50,100,200,500`: positive whole numbers, ascending, no repeats. */
export function parseLevels(text: string): number[] {
  const levels = text.split(",").map((part) => Number(part.trim()));
  if (levels.length === 0 || levels.some((level) => !Number.isInteger(level) || level < 1)) {
    throw new RangeError(`--concurrent takes whole numbers ≥ 1 separated by commas, not "${text}"`);
  }
  return [...new Set(levels)].sort((a, b) => a - b);
}

import { StaleExecutionError, StoreUnavailableError } from "../errors.ts";
import { type Execution, keyOf, partCount, wroteThis } from "../execution/execution.ts";
import type { Clock } from "../ports/clock.port.ts";
import type { ExecutionEvents, WriteKind } from "../ports/execution-events.port.ts";
import type { ExecutionStore, ExpectedState } from "../ports/execution-store.port.ts";

export interface WriteOutcome {
  /** The state that stands after the attempt: ours if we won, the winner's otherwise. */
  readonly execution: Execution | undefined;
  /** Whether our write is the one that landed. */
  readonly won: boolean;
}

/** How a conditional write is sent: re-sent while its outcome is unknown, and who hears of a recovery. */
export interface WriteOptions {
  readonly resend?: ResendPolicy;
  /** Told of each write found landed after its reply was lost (`lost_reply_recovered`). */
  readonly events?: ExecutionEvents;
}

/**
 * How long a write whose outcome is unknown (`store_unavailable`: it may or may not have landed) is sent
 * again. Sending it again is safe: if the first landed, the store refuses the copy and the writer finds its
 * own token at the version it wrote.
 */
export interface ResendPolicy {
  readonly clock: Clock;
  /** Epoch milliseconds after which no copy is sent; the last `store_unavailable` is thrown instead. */
  readonly until: number;
  /** The longest pause between copies (default `RESEND_MAX_DELAY_MS`). */
  readonly maxDelayMs?: number;
  /** Ends the pause between copies (it rejects with the signal's reason): no copy is sent after it aborts. */
  readonly signal?: AbortSignal;
}

/** Backoff between copies of a write whose outcome is unknown: doubling from 200 ms, at most 2 s. */
export const RESEND_FIRST_DELAY_MS = 200;
export const RESEND_MAX_DELAY_MS = 2_000;

const MAX_ROUNDS = 4;

/**
 * Runs `attempt`; with `resend`, an attempt that fails with `store_unavailable` (its outcome unknown) is run
 * again, with backoff, while the next try would start by `resend.until`, after which the last failure is
 * thrown. Without `resend`, every failure is thrown. `attempt` must be safe to repeat: a copy of a write
 * that landed is refused, and its writer recognises its own token.
 */
export async function resendWhileUnknown<T>(attempt: () => Promise<T>, resend?: ResendPolicy): Promise<T> {
  let delayMs = RESEND_FIRST_DELAY_MS;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof StoreUnavailableError) || resend === undefined) throw error;
      if (resend.clock.now() + delayMs > resend.until) throw error;
      await resend.clock.sleep(delayMs, resend.signal);
      delayMs = Math.min(delayMs * 2, resend.maxDelayMs ?? RESEND_MAX_DELAY_MS);
    }
  }
}

/** Which write `next` is, given the state it was conditioned on. */
export function writeKindOf(
  next: Execution,
  expected: ExpectedState & { readonly attempt?: number; readonly parts?: readonly string[] },
): WriteKind {
  if (next.status === "completed") return "complete";
  if (next.status === "failed") return "fail";
  if (next.status === "queued") return "redispatch";
  if (expected.status === "queued") return "claim";
  if (expected.attempt !== undefined && next.attempt > expected.attempt) return "claim";
  return partCount(next) > partCount(expected) ? "parts" : "renew";
}

/**
 * Sends one conditional write and says whether it landed. A refusal is checked against the stored execution
 * (carried by the refusal, or read): finding the writer's own token at the version it wrote means the write
 * landed and only its reply was lost (the SDK retried an applied write and the retry was refused); that is
 * reported to `events` as `lost_reply_recovered`. With `resend`, a `store_unavailable` is answered by sending
 * the same write again (`resendWhileUnknown`).
 */
export function sendWrite(
  store: ExecutionStore,
  next: Execution,
  expected: ExpectedState,
  { resend, events }: WriteOptions = {},
): Promise<WriteOutcome> {
  return resendWhileUnknown(async () => {
    try {
      return { execution: await store.transition(next, expected), won: true };
    } catch (error) {
      if (!(error instanceof StaleExecutionError)) throw error;
      const current = error.current ?? (await store.get(keyOf(next)));
      const won = wroteThis(current, next, expected.version + 1);
      if (won) {
        events?.report({
          kind: "lost_reply_recovered",
          key: keyOf(next),
          write: writeKindOf(next, expected),
        });
      }
      return { execution: current, won };
    }
  }, resend);
}

/**
 * Applies `decide(current)` with a conditional write. When another writer got there first, decides again on
 * the state it left, so a lost race is a no-op that returns the current state rather than an error; a write
 * of ours whose reply was lost counts as won (`sendWrite`). `decide` returns `undefined` when nothing should
 * be written.
 */
export async function writeOrObserve(
  store: ExecutionStore,
  start: Execution,
  decide: (current: Execution) => Execution | undefined,
  options: WriteOptions = {},
): Promise<WriteOutcome> {
  let current: Execution | undefined = start;
  for (let round = 0; round < MAX_ROUNDS && current !== undefined; round += 1) {
    const next = decide(current);
    if (next === undefined) return { execution: current, won: false };
    const outcome = await sendWrite(store, next, current, options);
    if (outcome.won) return outcome;
    current = outcome.execution;
  }
  return { execution: current, won: false };
}

import { ExecutionNotFoundError, StoreUnavailableError } from "../errors.ts";
import { type Execution, type ExecutionKey, formatKey, isTerminal } from "../execution/execution.ts";
import type { Clock } from "../ports/clock.port.ts";
import type { ExecutionStore } from "../ports/execution-store.port.ts";
import { RESEND_FIRST_DELAY_MS, RESEND_MAX_DELAY_MS } from "./conditional-write.ts";
import type { ExecutionSupervisor } from "./execution-supervisor.ts";

export interface LongPollOptions {
  readonly budgetMs: number;
  readonly intervalMs: number;
}

/**
 * Reads the execution until it is terminal or the budget is spent, supervising it on every read.
 * Returns within one interval of the execution becoming terminal.
 *
 * A read or supervising write that fails with `store_unavailable` does not end the wait: it is tried again,
 * with backoff (from 200 ms, at most one interval), while the budget lasts; no try starts after the budget is
 * spent. When the budget runs out on a failure, the last state known (read in this wait, or `known`, what
 * the caller already holds) is returned, so an execution known to be registered reads as in progress rather
 * than as an error; with nothing known, the `store_unavailable` is thrown.
 */
export async function longPoll(
  store: ExecutionStore,
  supervisor: ExecutionSupervisor,
  clock: Clock,
  key: ExecutionKey,
  { budgetMs, intervalMs }: LongPollOptions,
  known?: Execution,
): Promise<Execution> {
  const until = clock.now() + Math.max(0, budgetMs);
  let last = known;
  let retryDelayMs = RESEND_FIRST_DELAY_MS;
  for (;;) {
    let current: Execution;
    try {
      const read = await store.get(key);
      if (read === undefined) throw new ExecutionNotFoundError(`no execution ${formatKey(key)}`);
      last = read;
      current = await supervisor.supervise(read);
      last = current;
      retryDelayMs = RESEND_FIRST_DELAY_MS;
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      const remaining = until - clock.now();
      if (remaining <= 0) {
        if (last !== undefined) return last;
        throw error;
      }
      await clock.sleep(Math.min(retryDelayMs, Math.max(intervalMs, RESEND_FIRST_DELAY_MS), remaining));
      retryDelayMs = Math.min(retryDelayMs * 2, RESEND_MAX_DELAY_MS);
      continue;
    }
    const remaining = until - clock.now();
    if (isTerminal(current) || remaining <= 0) return current;
    await clock.sleep(Math.min(intervalMs, remaining));
  }
}

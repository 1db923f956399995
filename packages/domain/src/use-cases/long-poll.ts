import { ExecutionNotFoundError, StoreUnavailableError } from "../errors.ts";
import {
  type Execution,
  type ExecutionKey,
  formatKey,
  isTerminal,
  partCount,
} from "../execution/execution.ts";
import type { Clock } from "../ports/clock.port.ts";
import type { ExecutionStore } from "../ports/execution-store.port.ts";
import { RESEND_FIRST_DELAY_MS, RESEND_MAX_DELAY_MS } from "./conditional-write.ts";
import type { ExecutionSupervisor } from "./execution-supervisor.ts";
import { settleBy } from "./settle-by.ts";

export interface LongPollOptions {
  readonly budgetMs: number;
  readonly intervalMs: number;
  /**
   * Progressive answers: the parts of the answer the reader has already (heard by the caller). With it, the
   * wait also ends as soon as the execution has more parts than this.
   */
  readonly cursor?: number;
}

/** Whether a long-poll has what it waits for: a terminal execution, or with a cursor, parts past it. */
export const hasNews = (execution: Execution, cursor: number | undefined): boolean =>
  isTerminal(execution) || (cursor !== undefined && partCount(execution) > cursor);

/**
 * Reads the execution until it is terminal (or, with a `cursor`, has parts past it) or the budget is spent,
 * supervising it on every read.
 * Returns within one interval of the execution becoming terminal (an interval at least as long as the last
 * read took: a slow store is not read faster than it answers), and by the end of the budget whatever the
 * store does: a read or supervising write still unanswered then is not waited for (with a budget of 0, the
 * one read is waited for).
 *
 * A read or supervising write that fails with `store_unavailable` does not end the wait: it is tried again,
 * with backoff (from 200 ms, at most one interval), while the budget lasts; no try starts after the budget is
 * spent. When the budget runs out on a failure or an unanswered call, the last state known (read in this
 * wait, or `known`, what the caller already holds) is returned, so an execution known to be registered reads
 * as in progress rather than as an error; with nothing known, `store_unavailable` is thrown.
 */
export async function longPoll(
  store: ExecutionStore,
  supervisor: ExecutionSupervisor,
  clock: Clock,
  key: ExecutionKey,
  { budgetMs, intervalMs, cursor }: LongPollOptions,
  known?: Execution,
): Promise<Execution> {
  const until = clock.now() + Math.max(0, budgetMs);
  const cutAt = budgetMs > 0 ? until : Number.POSITIVE_INFINITY;
  let last = known;
  let retryDelayMs = RESEND_FIRST_DELAY_MS;
  let readMs = 0;
  const readAndSupervise = async (): Promise<Execution> => {
    const readStartedAt = clock.now();
    const read = await store.get(key);
    readMs = clock.now() - readStartedAt;
    if (read === undefined) throw new ExecutionNotFoundError(`no execution ${formatKey(key)}`);
    last = read;
    return supervisor.supervise(read);
  };
  for (;;) {
    let current: Execution;
    try {
      const round = await settleBy(clock, cutAt, readAndSupervise());
      if (!round.settled) {
        if (last !== undefined) return last;
        throw new StoreUnavailableError(`no reply from the store for ${formatKey(key)} within the wait`);
      }
      current = round.value;
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
    if (hasNews(current, cursor) || remaining <= 0) return current;
    // A store slow to answer is a store under load: read no more often than it answers (its read's time; what
    // supervising did, e.g. an attempt run in place, is not the store's).
    await clock.sleep(Math.min(Math.max(intervalMs, readMs), remaining));
  }
}

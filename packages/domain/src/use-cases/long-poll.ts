import { ExecutionNotFoundError } from "../errors.ts";
import { type Execution, type ExecutionKey, formatKey, isTerminal } from "../execution/execution.ts";
import type { Clock } from "../ports/clock.port.ts";
import type { ExecutionStore } from "../ports/execution-store.port.ts";
import type { ExecutionSupervisor } from "./execution-supervisor.ts";

export interface LongPollOptions {
  readonly budgetMs: number;
  readonly intervalMs: number;
}

/**
 * Reads the execution until it is terminal or the budget is spent, supervising it on every read.
 * Returns within one interval of the execution becoming terminal.
 */
export async function longPoll(
  store: ExecutionStore,
  supervisor: ExecutionSupervisor,
  clock: Clock,
  key: ExecutionKey,
  { budgetMs, intervalMs }: LongPollOptions,
): Promise<Execution> {
  const until = clock.now() + Math.max(0, budgetMs);
  for (;;) {
    const read = await store.get(key);
    if (read === undefined) throw new ExecutionNotFoundError(`no execution ${formatKey(key)}`);
    const current = await supervisor.supervise(read);
    const remaining = until - clock.now();
    if (isTerminal(current) || remaining <= 0) return current;
    await clock.sleep(Math.min(intervalMs, remaining));
  }
}

import { StaleExecutionError } from "../errors.ts";
import { type Execution, keyOf } from "../execution/execution.ts";
import type { ExecutionStore } from "../ports/execution-store.port.ts";

export interface WriteOutcome {
  /** The state that stands after the attempt: ours if we won, the winner's otherwise. */
  readonly execution: Execution | undefined;
  /** Whether our write is the one that landed. */
  readonly won: boolean;
}

const MAX_ROUNDS = 4;

/**
 * Applies `decide(current)` with a conditional write. When another writer got there first, re-reads and
 * decides again, so a lost race is a no-op that returns the current state rather than an error.
 * `decide` returns `undefined` when nothing should be written.
 */
export async function writeOrObserve(
  store: ExecutionStore,
  start: Execution,
  decide: (current: Execution) => Execution | undefined,
): Promise<WriteOutcome> {
  let current: Execution | undefined = start;
  for (let round = 0; round < MAX_ROUNDS && current !== undefined; round += 1) {
    const next = decide(current);
    if (next === undefined) return { execution: current, won: false };
    try {
      return { execution: await store.transition(next, current), won: true };
    } catch (error) {
      if (!(error instanceof StaleExecutionError)) throw error;
      current = await store.get(keyOf(current));
    }
  }
  return { execution: current, won: false };
}

import type { ServiceIdentifier } from "inversify";
import {
  type Execution,
  type ExecutionFailure,
  type ExecutionKey,
  fail,
  isTerminal,
  newWriterToken,
} from "../../execution/execution.ts";
import type { Clock } from "../../ports/clock.port.ts";
import type { ExecutionStore } from "../../ports/execution-store.port.ts";
import { writeOrObserve } from "../conditional-write.ts";

export interface RecordFailureCommand {
  readonly key: ExecutionKey;
  readonly error: ExecutionFailure;
}

export interface RecordFailureResult {
  /** `undefined` when no such execution exists (already expired, or never started). */
  readonly execution: Execution | undefined;
  /** Whether this call is the one that failed the execution. */
  readonly recorded: boolean;
}

/**
 * Marks an execution failed from a failure-destination record, so the caller hears an error instead of
 * waiting out the deadline. A terminal execution is left as it is; a redelivered record is a no-op.
 */
export class RecordFailure {
  constructor(
    private readonly store: ExecutionStore,
    private readonly clock: Clock,
  ) {}

  async execute({ key, error }: RecordFailureCommand): Promise<RecordFailureResult> {
    const current = await this.store.get(key);
    if (current === undefined) return { execution: undefined, recorded: false };
    const now = this.clock.now();
    const by = newWriterToken();
    const outcome = await writeOrObserve(this.store, current, (latest) =>
      isTerminal(latest) ? undefined : fail(latest, { now, error, by }),
    );
    return { execution: outcome.execution, recorded: outcome.won };
  }
}

export const RecordFailureId: ServiceIdentifier<RecordFailure> = Symbol.for("holdline.RecordFailure");

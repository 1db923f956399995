import type { ServiceIdentifier } from "inversify";
import { DispatchError } from "../errors.ts";
import {
  deadlineExceeded,
  type Execution,
  fail,
  isPastDeadline,
  keyOf,
  newWriterToken,
  redispatch,
} from "../execution/execution.ts";
import type { ExecutionPolicy } from "../execution/execution-policy.ts";
import type { Clock } from "../ports/clock.port.ts";
import type { ExecutionStore } from "../ports/execution-store.port.ts";
import type { WorkDispatcher } from "../ports/work-dispatcher.port.ts";
import { writeOrObserve } from "./conditional-write.ts";

/**
 * What every reader of an execution does on the caller's behalf: fail it once its deadline has passed,
 * and hand queued work to the dispatcher again when its dispatch evidently got lost. Both go through a
 * conditional write, so among concurrent readers exactly one acts.
 */
export class ExecutionSupervisor {
  constructor(
    private readonly store: ExecutionStore,
    private readonly dispatcher: WorkDispatcher,
    private readonly clock: Clock,
    private readonly policy: ExecutionPolicy,
  ) {}

  async supervise(execution: Execution): Promise<Execution> {
    const now = this.clock.now();
    const by = newWriterToken();
    if (isPastDeadline(execution, now)) {
      const outcome = await writeOrObserve(this.store, execution, (current) =>
        isPastDeadline(current, now)
          ? fail(current, { now, error: deadlineExceeded(current), by })
          : undefined,
      );
      return outcome.execution ?? execution;
    }
    if (execution.status === "queued" && now - execution.dispatchedAt >= this.policy.lostDispatchAfterMs) {
      const outcome = await writeOrObserve(this.store, execution, (current) =>
        current.status === "queued" && now - current.dispatchedAt >= this.policy.lostDispatchAfterMs
          ? redispatch(current, { now, by })
          : undefined,
      );
      if (outcome.won) await this.dispatchQuietly(execution);
      return outcome.execution ?? execution;
    }
    return execution;
  }

  /** A failed dispatch leaves the execution queued; the next reader past the threshold tries again. */
  async dispatchQuietly(execution: Execution): Promise<void> {
    try {
      await this.dispatcher.dispatch(keyOf(execution));
    } catch (error) {
      if (!(error instanceof DispatchError)) throw error;
    }
  }
}

export const ExecutionSupervisorId: ServiceIdentifier<ExecutionSupervisor> = Symbol.for(
  "holdline.ExecutionSupervisor",
);

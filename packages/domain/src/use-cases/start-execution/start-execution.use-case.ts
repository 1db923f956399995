import type { ServiceIdentifier } from "inversify";
import { IdempotencyConflictError, StoreUnavailableError } from "../../errors.ts";
import {
  type Execution,
  type ExecutionInput,
  type ExecutionKey,
  formatKey,
  isTerminal,
  newExecution,
  newWriterToken,
  sameInput,
  wroteThis,
} from "../../execution/execution.ts";
import type { ExecutionPolicy } from "../../execution/execution-policy.ts";
import type { Clock } from "../../ports/clock.port.ts";
import type { CreateResult, ExecutionStore } from "../../ports/execution-store.port.ts";
import { resendWhileUnknown } from "../conditional-write.ts";
import type { ExecutionSupervisor } from "../execution-supervisor.ts";
import { longPoll } from "../long-poll.ts";

export interface StartExecutionCommand {
  readonly key: ExecutionKey;
  readonly input: ExecutionInput;
  /**
   * Return within this long of being called, waiting for a quick answer if time is left after
   * registering and dispatching; 0 returns as soon as the work is registered.
   */
  readonly fastPathWaitMs: number;
}

export interface StartExecutionResult {
  readonly execution: Execution;
  /**
   * false when this call found the execution already registered (a Connect retry or a repeat); true when
   * this call registered it, including when the store reported the key taken by this call's own create
   * (its reply was lost and the retry refused).
   */
  readonly created: boolean;
}

/**
 * Registers the work for one caller turn exactly once and dispatches it exactly once, whatever the
 * number of identical requests; then optionally waits briefly so a fast answer needs no polling.
 */
export class StartExecution {
  constructor(
    private readonly store: ExecutionStore,
    private readonly supervisor: ExecutionSupervisor,
    private readonly clock: Clock,
    private readonly policy: ExecutionPolicy,
  ) {}

  async execute({ key, input, fastPathWaitMs }: StartExecutionCommand): Promise<StartExecutionResult> {
    const calledAt = this.clock.now();
    const fresh = newExecution({
      key,
      input,
      now: this.clock.now(),
      deadlineMs: this.policy.deadlineMs,
      retentionSeconds: this.policy.retentionSeconds,
      by: newWriterToken(),
    });
    const stored = await this.create(fresh, calledAt + Math.max(0, fastPathWaitMs));
    const { execution } = stored;
    // Our own create whose reply was lost reads as taken: it is ours to dispatch, not a repeat's.
    const created = stored.created || wroteThis(execution, fresh, fresh.version);
    if (!created && !sameInput(execution.input, input)) {
      throw new IdempotencyConflictError(
        `execution ${formatKey(key)} was started with a different question or locale`,
      );
    }
    let current = execution;
    try {
      current = created
        ? await this.supervisor.dispatch(execution)
        : await this.supervisor.supervise(execution);
    } catch (error) {
      // Registered: a store outage while supervising leaves it to the status path, not an error.
      if (!(error instanceof StoreUnavailableError)) throw error;
    }
    const waitMs = fastPathWaitMs - (this.clock.now() - calledAt);
    if (isTerminal(current) || waitMs <= 0) return { execution: current, created };
    const waited = await longPoll(
      this.store,
      this.supervisor,
      this.clock,
      key,
      { budgetMs: waitMs, intervalMs: this.policy.pollIntervalMs },
      current,
    );
    return { execution: waited, created };
  }

  /**
   * Sends the create; one whose outcome is unknown (`store_unavailable`: it may have landed) is sent again
   * with the same writer token, with backoff, while no copy would start after `until`; a copy that finds the
   * key taken by that token is this call's own create. The last `store_unavailable` is thrown when time is
   * up: the turn is not known to be registered.
   */
  private create(fresh: Execution, until: number): Promise<CreateResult> {
    return resendWhileUnknown(() => this.store.createIfAbsent(fresh), { clock: this.clock, until });
  }
}

export const StartExecutionId: ServiceIdentifier<StartExecution> = Symbol.for("holdline.StartExecution");

import type { ServiceIdentifier } from "inversify";
import type { Execution, ExecutionKey } from "../../execution/execution.ts";
import type { ExecutionPolicy } from "../../execution/execution-policy.ts";
import type { Clock } from "../../ports/clock.port.ts";
import type { ExecutionStore } from "../../ports/execution-store.port.ts";
import type { ExecutionSupervisor } from "../execution-supervisor.ts";
import { longPoll } from "../long-poll.ts";

export interface CheckExecutionQuery {
  readonly key: ExecutionKey;
  /** How long this check may wait for the execution to finish; 0 reads once. */
  readonly waitBudgetMs: number;
  /**
   * Progressive answers: how many parts of the answer the caller has heard. With it, the check returns as soon
   * as the execution is terminal or has more parts than that; without it, only once it is terminal.
   */
  readonly cursor?: number;
}

/**
 * The status path: long-polls an execution until it is terminal (or, with a cursor, has parts the caller has
 * not heard) or the wait budget is spent, failing
 * it at its deadline and re-dispatching lost work on the way. Throws `ExecutionNotFoundError`
 * (`execution_not_found`) for a key that was never started or has expired.
 */
export class CheckExecution {
  constructor(
    private readonly store: ExecutionStore,
    private readonly supervisor: ExecutionSupervisor,
    private readonly clock: Clock,
    private readonly policy: ExecutionPolicy,
  ) {}

  execute({ key, waitBudgetMs, cursor }: CheckExecutionQuery): Promise<Execution> {
    return longPoll(this.store, this.supervisor, this.clock, key, {
      budgetMs: waitBudgetMs,
      intervalMs: this.policy.pollIntervalMs,
      ...(cursor === undefined ? {} : { cursor }),
    });
  }
}

export const CheckExecutionId: ServiceIdentifier<CheckExecution> = Symbol.for("holdline.CheckExecution");

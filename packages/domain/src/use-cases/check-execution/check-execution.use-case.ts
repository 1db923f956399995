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
}

/**
 * The status path: long-polls an execution until it is terminal or the wait budget is spent, failing
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

  execute({ key, waitBudgetMs }: CheckExecutionQuery): Promise<Execution> {
    return longPoll(this.store, this.supervisor, this.clock, key, {
      budgetMs: waitBudgetMs,
      intervalMs: this.policy.pollIntervalMs,
    });
  }
}

export const CheckExecutionId: ServiceIdentifier<CheckExecution> = Symbol.for("holdline.CheckExecution");

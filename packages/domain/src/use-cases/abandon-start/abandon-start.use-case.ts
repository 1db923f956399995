import type { ServiceIdentifier } from "inversify";
import { type Execution, fail, formatKey, isTerminal, newExecution } from "../../execution/execution.ts";
import type { ExecutionPolicy } from "../../execution/execution-policy.ts";
import type { Clock } from "../../ports/clock.port.ts";
import { type ExecutionEvents, NO_EVENTS } from "../../ports/execution-events.port.ts";
import type { ExecutionStore } from "../../ports/execution-store.port.ts";
import type { AbandonedStart } from "../../ports/work-dispatcher.port.ts";
import { resendWhileUnknown, writeOrObserve } from "../conditional-write.ts";

export type AbandonOutcome = "fenced" | "failed_own_create" | "already_ended" | "owned_elsewhere";

/**
 * Ends a turn whose start was abandoned: the store did not confirm the create before the caller had to be
 * answered, so the caller heard an error, and the create may land later, when nobody would dispatch or
 * supervise it (a turn stranded `queued`). The first of these two writes to land decides:
 *
 * - a failed placeholder, created only if the key is free: the late create then finds the key taken and does
 *   nothing (`fenced`);
 * - the create itself: found by its writer token, still queued at its first version, it is failed
 *   (`failed_own_create`) before anyone could dispatch it (nobody was told it exists).
 *
 * A key already terminal is left (`already_ended`), and a queued or running one written by another writer (a
 * later start of the same turn that did register) belongs to that writer's handler (`owned_elsewhere`). Both
 * writes are re-sent while the store is unavailable, until the turn's deadline (at least
 * `lostDispatchAfterMs` from now); past that the `store_unavailable` is thrown, and the worker's retries and
 * on-failure path take over.
 */
export class AbandonStart {
  constructor(
    private readonly store: ExecutionStore,
    private readonly clock: Clock,
    private readonly policy: ExecutionPolicy,
    private readonly events: ExecutionEvents = NO_EVENTS,
  ) {}

  async execute(start: AbandonedStart): Promise<AbandonOutcome> {
    const resend = {
      clock: this.clock,
      until: Math.max(start.deadlineAt, this.clock.now() + this.policy.lostDispatchAfterMs),
    };
    const outcome = await resendWhileUnknown(async (): Promise<AbandonOutcome> => {
      const { created, execution } = await this.store.createIfAbsent(this.placeholder(start));
      if (created) return "fenced";
      if (isTerminal(execution)) return "already_ended";
      if (!this.isTheAbandonedCreate(execution, start)) return "owned_elsewhere";
      const failed = await writeOrObserve(
        this.store,
        execution,
        (current) => (this.isTheAbandonedCreate(current, start) ? this.failed(current, start) : undefined),
        { events: this.events },
      );
      if (failed.won) return "failed_own_create";
      return failed.execution === undefined || isTerminal(failed.execution)
        ? "already_ended"
        : "owned_elsewhere";
    }, resend);
    this.events.report({ kind: "start_abandon_settled", key: start.key, how: outcome });
    return outcome;
  }

  private isTheAbandonedCreate(execution: Execution, start: AbandonedStart): boolean {
    return execution.status === "queued" && execution.version === 1 && execution.lastWriter === start.writer;
  }

  private placeholder(start: AbandonedStart): Execution {
    const registered = newExecution({
      key: start.key,
      input: start.input,
      now: start.createdAt,
      deadlineMs: Math.max(0, start.deadlineAt - start.createdAt),
      retentionSeconds: this.policy.retentionSeconds,
      by: start.writer,
    });
    return this.failed(registered, start);
  }

  private failed(execution: Execution, start: AbandonedStart): Execution {
    return fail(execution, {
      now: this.clock.now(),
      error: {
        code: "store_unavailable",
        message: `the store did not confirm the start of ${formatKey(start.key)} before the caller was answered; the turn was abandoned`,
        retryable: true,
      },
      by: start.writer,
    });
  }
}

export const AbandonStartId: ServiceIdentifier<AbandonStart> = Symbol.for("holdline.AbandonStart");

import type { ServiceIdentifier } from "inversify";
import { IdempotencyConflictError, StoreUnavailableError } from "../../errors.ts";
import {
  type Execution,
  type ExecutionInput,
  type ExecutionKey,
  formatKey,
  keyOf,
  newExecution,
  newWriterToken,
  sameInput,
  wroteThis,
} from "../../execution/execution.ts";
import type { ExecutionPolicy } from "../../execution/execution-policy.ts";
import type { Clock } from "../../ports/clock.port.ts";
import { type ExecutionEvents, NO_EVENTS } from "../../ports/execution-events.port.ts";
import type { CreateResult, ExecutionStore } from "../../ports/execution-store.port.ts";
import { resendWhileUnknown } from "../conditional-write.ts";
import type { ExecutionSupervisor } from "../execution-supervisor.ts";
import { hasNews, longPoll } from "../long-poll.ts";
import { settleBy } from "../settle-by.ts";

export interface StartExecutionCommand {
  readonly key: ExecutionKey;
  readonly input: ExecutionInput;
  /**
   * Wait for a quick answer until this long after being called, if time is left after registering and
   * dispatching; 0 returns as soon as the work is registered.
   */
  readonly fastPathWaitMs: number;
  /**
   * How long the whole call may take (default `fastPathWaitMs`): a create whose outcome is unknown is sent
   * again until then (and no later than the deadline minus the policy's `attemptRoomMs`), and a store call or
   * dispatch still in flight then is not waited for. A Connect-facing handler sets it to the time it has. 0
   * (with a fast-path wait of 0): no bound, the one create and the dispatch are waited for.
   */
  readonly respondWithinMs?: number;
  /**
   * Progressive answers: the caller can hear the answer part by part, so the fast-path wait ends as soon as
   * the first part is recorded, not only when the answer is complete. Default false.
   */
  readonly progressive?: boolean;
  /**
   * Whether a create the store has not confirmed by `respondWithinMs` is handed to the dispatcher to be ended
   * (`AbandonStart`) before `store_unavailable` is thrown (default true): the caller is about to hear an
   * error, so a create that lands later must not leave a turn nobody runs. False where another invocation takes
   * the turn over instead (connect-start registering for connect-answer, which registers a turn it does not
   * find): the turn is then left to it, not ended.
   */
  readonly abandonUnconfirmed?: boolean;
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
 *
 * Bounded in time: it returns by `respondWithinMs`, whatever the store and the dispatcher do. A turn known
 * to be registered is returned as it stands (`queued`: in progress; a dispatch cut short is redone by the
 * status path after `lostDispatchAfterMs`). A create the store has not confirmed by then throws
 * `store_unavailable`, after handing the turn to the dispatcher to be ended (`AbandonStart`), so a create that
 * lands later cannot leave a turn queued with nobody to run it.
 */
export class StartExecution {
  constructor(
    private readonly store: ExecutionStore,
    private readonly supervisor: ExecutionSupervisor,
    private readonly clock: Clock,
    private readonly policy: ExecutionPolicy,
    private readonly events: ExecutionEvents = NO_EVENTS,
  ) {}

  async execute({
    key,
    input,
    fastPathWaitMs,
    respondWithinMs,
    progressive = false,
    abandonUnconfirmed = true,
  }: StartExecutionCommand): Promise<StartExecutionResult> {
    const calledAt = this.clock.now();
    const respondWindowMs = Math.max(0, respondWithinMs ?? fastPathWaitMs);
    // A window of 0 is "register and dispatch, nothing more": one create and one dispatch, waited for.
    const respondBy = respondWindowMs > 0 ? calledAt + respondWindowMs : Number.POSITIVE_INFINITY;
    const fresh = newExecution({
      key,
      input,
      now: calledAt,
      deadlineMs: this.policy.deadlineMs,
      retentionSeconds: this.policy.retentionSeconds,
      by: newWriterToken(),
    });
    const registerBy =
      respondWindowMs > 0
        ? Math.min(respondBy, fresh.deadlineAt - (this.policy.attemptRoomMs ?? 0))
        : calledAt;
    let stored: CreateResult;
    try {
      stored = await this.create(fresh, registerBy);
    } catch (error) {
      if (error instanceof StoreUnavailableError && abandonUnconfirmed) await this.abandon(fresh);
      throw error;
    }
    const { execution } = stored;
    // Our own create whose reply was lost reads as taken: it is ours to dispatch, not a repeat's.
    const recovered = !stored.created && wroteThis(execution, fresh, fresh.version);
    if (recovered) this.events.report({ kind: "lost_reply_recovered", key, write: "create" });
    const created = stored.created || recovered;
    if (!created && !sameInput(execution.input, input)) {
      throw new IdempotencyConflictError(
        `execution ${formatKey(key)} was started with a different question or locale`,
      );
    }
    let current = execution;
    try {
      const handed = await settleBy(
        this.clock,
        respondBy,
        created ? this.supervisor.dispatch(execution) : this.supervisor.supervise(execution),
      );
      if (handed.settled) current = handed.value;
    } catch (error) {
      // Registered: a store outage while supervising leaves it to the status path, not an error.
      if (!(error instanceof StoreUnavailableError)) throw error;
    }
    const waitMs = Math.min(fastPathWaitMs, respondWindowMs) - (this.clock.now() - calledAt);
    const cursor = progressive ? 0 : undefined;
    if (hasNews(current, cursor) || waitMs <= 0) return { execution: current, created };
    const waited = await longPoll(
      this.store,
      this.supervisor,
      this.clock,
      key,
      { budgetMs: waitMs, intervalMs: this.policy.pollIntervalMs, ...(progressive ? { cursor: 0 } : {}) },
      current,
    );
    return { execution: waited, created };
  }

  /**
   * Sends the create; one whose outcome is unknown (`store_unavailable`: it may have landed) is sent again
   * with the same writer token, with backoff, while no copy would start after `until`; a copy that finds the
   * key taken by that token is this call's own create. A copy still unanswered at `until` is not waited for.
   * `store_unavailable` is thrown when time is up: the turn is not known to be registered.
   */
  private async create(fresh: Execution, until: number): Promise<CreateResult> {
    const sending = resendWhileUnknown(() => this.store.createIfAbsent(fresh), { clock: this.clock, until });
    // No window (`until` is the call itself): the one create is waited for.
    const sent =
      until > fresh.createdAt
        ? await settleBy(this.clock, until, sending)
        : { settled: true as const, value: await sending };
    if (sent.settled) return sent.value;
    throw new StoreUnavailableError(`the store did not confirm the create of ${formatKey(fresh)} in time`);
  }

  /**
   * The caller is about to hear an error for a turn whose create may still land: hand it over to be ended
   * (`AbandonStart`). A dispatcher that refuses leaves the turn to expire (reported as `start_abandoned` all
   * the same, so an operator sees it).
   */
  private async abandon(fresh: Execution): Promise<void> {
    this.events.report({ kind: "start_abandoned", key: keyOf(fresh) });
    await this.supervisor.abandon(fresh);
  }
}

export const StartExecutionId: ServiceIdentifier<StartExecution> = Symbol.for("holdline.StartExecution");

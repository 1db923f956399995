import type { ServiceIdentifier } from "inversify";
import { HoldlineError, LlmError, TransitionRefusedError } from "../../errors.ts";
import {
  attemptStopped,
  claim,
  complete,
  deadlineExceeded,
  type Execution,
  type ExecutionFailure,
  type ExecutionKey,
  fail,
  isPastDeadline,
  isTerminal,
  keyOf,
  mayReattempt,
  newWriterToken,
} from "../../execution/execution.ts";
import type { ExecutionPolicy } from "../../execution/execution-policy.ts";
import type { Clock } from "../../ports/clock.port.ts";
import { type ExecutionEvents, NO_EVENTS } from "../../ports/execution-events.port.ts";
import type { ExecutionStore } from "../../ports/execution-store.port.ts";
import type { ConversationTurn, LlmClient, LlmResponse, PartListener } from "../../ports/llm-client.port.ts";
import { sendWrite, type WriteOptions, writeOrObserve } from "../conditional-write.ts";
import { AttemptState } from "./attempt-state.ts";
import { Heartbeat } from "./heartbeat.ts";
import { PartRecorder, partWriterToken } from "./part-recorder.ts";

export type RunOutcome =
  /** This run produced the answer. */
  | "completed"
  /** This run ended the execution as failed. */
  | "failed"
  /** Nothing to do: finished already, claimed by another worker, or lost a race. No model call was made. */
  | "skipped"
  | "not_found";

export interface RunExecutionOptions {
  /**
   * The id of the invocation running this (Lambda's request id): it prefixes the run's writer token, so a
   * failure record of this invocation is known to name the attempt it holds.
   */
  readonly invocationId?: string;
}

export interface RunExecutionResult {
  readonly outcome: RunOutcome;
  readonly execution: Execution | undefined;
}

/**
 * The worker's use case: claim the execution, ask the model under an abort signal that fires at the
 * lease or the deadline, and record the answer or a classified failure. Only the worker that wins the
 * conditional claim calls the model, so duplicate deliveries make no model call. Every write of one run
 * carries the run's writer token, so a claim or completion whose reply was lost is recognised as landed;
 * a write whose outcome is unknown (`store_unavailable`) is sent again until the deadline, so an answer the
 * model produced is recorded unless the store stays unreachable past the deadline.
 *
 * Progressive answers (`policy.recordParts`): the model is handed a part listener, and each speakable part is
 * recorded as soon as it is complete (`PartRecorder`, alongside the heartbeat), so a reader can speak it while
 * the rest is written; the completion records the whole answer and every part, a failure every part produced
 * before it. An attempt that recorded parts is never followed by another (`mayReattempt`).
 */
export class RunExecution {
  constructor(
    private readonly store: ExecutionStore,
    private readonly llm: LlmClient,
    private readonly clock: Clock,
    private readonly policy: ExecutionPolicy,
    private readonly events: ExecutionEvents = NO_EVENTS,
  ) {}

  async execute(key: ExecutionKey, { invocationId }: RunExecutionOptions = {}): Promise<RunExecutionResult> {
    const by = newWriterToken(invocationId);
    const current = await this.store.get(key);
    if (current === undefined) return { outcome: "not_found", execution: undefined };
    if (isTerminal(current)) return { outcome: "skipped", execution: current };
    if (isPastDeadline(current, this.clock.now())) {
      return this.failWith(current, deadlineExceeded(current), by);
    }

    const claimed = await this.claim(current, by);
    if (claimed.outcome !== "claimed") return claimed.result;
    return this.attempt(claimed.execution, by);
  }

  /**
   * One attempt on a claimed execution: exactly one model call, under a signal that fires at the deadline
   * (or at the lease's end when the lease is not renewed), or as soon as the heartbeat finds the lease lost.
   */
  private async attempt(claimed: Execution, by: string): Promise<RunExecutionResult> {
    const abort = new AbortController();
    const { heartbeatMs, leaseMs } = this.policy;
    const state = new AttemptState(claimed);
    const heartbeat =
      heartbeatMs === undefined
        ? undefined
        : new Heartbeat(this.store, this.clock, state, {
            heartbeatMs,
            leaseMs,
            by,
            onLost: () =>
              abort.abort(new LlmError("timeout", "the attempt lost its lease to another writer")),
            events: this.events,
          });
    const recorder =
      this.policy.recordParts === true
        ? new PartRecorder(this.store, this.clock, state, {
            by: partWriterToken(by),
            until: claimed.deadlineAt,
            events: this.events,
            ...(heartbeatMs === undefined ? {} : { leaseMs }),
          })
        : undefined;
    let history: ConversationTurn[];
    try {
      history = await this.history(claimed);
    } catch (error) {
      await heartbeat?.stop();
      throw error;
    }
    let response: LlmResponse | undefined;
    let failure: unknown;
    try {
      response = await this.askModel(claimed, history, abort, heartbeat !== undefined, recorder?.add);
    } catch (error) {
      failure = error;
    }
    const produced = (await recorder?.stop()) ?? [];
    const hold = (await heartbeat?.stop()) ?? { latest: state.latest, lost: false, lostTo: undefined };
    const latest = state.latest;
    if (response === undefined) {
      // Another attempt holds the execution now, or it ended: nothing of this attempt's to record.
      if (hold.lost) return { outcome: "skipped", execution: hold.lostTo };
      return this.failWith(latest, this.classify(latest, failure), by, produced);
    }
    if (isPastDeadline(latest, this.clock.now())) {
      return this.failWith(latest, deadlineExceeded(latest), by, produced);
    }
    const text = response.text.trim();
    if (text === "") {
      return this.failWith(
        latest,
        { code: "empty_answer", message: "the model returned no speakable text", retryable: false },
        by,
        produced,
      );
    }
    // Every part: the response's (a streaming client returns them all), else those it handed over, else the text.
    const parts =
      response.parts !== undefined && response.parts.length > 0
        ? response.parts
        : produced.length > 0
          ? produced
          : [text];
    return this.record(latest, { answer: text, parts, usage: response.usage }, by);
  }

  /**
   * Records the answer on whatever running state stands (a renewal or a re-claim may have moved the version
   * on: the answer is still the caller's), sending it again while the store is unavailable, until the
   * deadline. A terminal state written meanwhile (the deadline, a failure record) stands.
   */
  private async record(
    claimed: Execution,
    { answer, parts, usage }: { answer: string; parts: readonly string[]; usage: LlmResponse["usage"] },
    by: string,
  ): Promise<RunExecutionResult> {
    const outcome = await writeOrObserve(
      this.store,
      claimed,
      (latest) => {
        const now = this.clock.now();
        if (latest.status !== "running" || isPastDeadline(latest, now)) return undefined;
        return complete(latest, { now, answer, parts, by, ...(usage === undefined ? {} : { usage }) });
      },
      this.resendUntilDeadline(claimed),
    );
    return { outcome: outcome.won ? "completed" : "skipped", execution: outcome.execution };
  }

  private async claim(
    current: Execution,
    by: string,
  ): Promise<
    { outcome: "claimed"; execution: Execution } | { outcome: "refused"; result: RunExecutionResult }
  > {
    let next: Execution;
    try {
      next = claim(current, {
        now: this.clock.now(),
        leaseMs: this.policy.leaseMs,
        maxAttempts: this.policy.maxAttempts,
        by,
      });
    } catch (error) {
      if (!(error instanceof TransitionRefusedError)) throw error;
      if (error.code === "attempts_exhausted") {
        // An attempt that recorded parts and stopped: the caller heard part of an answer no other attempt
        // would continue, so the turn fails as the supervisor would fail it.
        const stopped = !mayReattempt(current);
        const result = await this.failWith(
          current,
          stopped ? attemptStopped(current) : { code: error.code, message: error.message, retryable: false },
          by,
        );
        if (stopped && result.outcome === "failed") {
          this.events.report({ kind: "attempt_stopped", key: keyOf(current), attempt: current.attempt });
        }
        return { outcome: "refused", result };
      }
      return { outcome: "refused", result: { outcome: "skipped", execution: current } };
    }
    const outcome = await sendWrite(this.store, next, current, this.resendUntilDeadline(current));
    if (outcome.won && outcome.execution !== undefined) {
      return { outcome: "claimed", execution: outcome.execution };
    }
    return { outcome: "refused", result: { outcome: "skipped", execution: outcome.execution } };
  }

  private resendUntilDeadline(execution: Execution): WriteOptions {
    return { resend: { clock: this.clock, until: execution.deadlineAt }, events: this.events };
  }

  private async history(execution: Execution): Promise<ConversationTurn[]> {
    if (this.policy.historyTurns <= 0 || execution.turn <= 1) return [];
    const earlier = await this.store.recentTurns(
      execution.contactId,
      execution.turn,
      this.policy.historyTurns,
    );
    return earlier
      .filter((turn) => turn.status === "completed" && turn.answer !== undefined)
      .reverse()
      .map((turn) => ({ question: turn.input.question, answer: turn.answer ?? "" }));
  }

  private async askModel(
    execution: Execution,
    history: ConversationTurn[],
    abort: AbortController,
    leaseRenewed: boolean,
    onPart: PartListener | undefined,
  ): Promise<LlmResponse> {
    // A renewed lease lasts as long as the attempt lives: only the deadline bounds the call.
    const abortAt = leaseRenewed
      ? execution.deadlineAt
      : Math.min(execution.leaseUntil ?? execution.deadlineAt, execution.deadlineAt);
    const timer = new AbortController();
    this.clock.sleep(Math.max(0, abortAt - this.clock.now()), timer.signal).then(
      () => abort.abort(new LlmError("timeout", "the model call outlived its lease or deadline")),
      () => undefined,
    );
    try {
      const request = {
        question: execution.input.question,
        locale: execution.input.locale,
        history,
        deadlineAt: abortAt,
      };
      return onPart === undefined
        ? await this.llm.complete(request, abort.signal)
        : await this.llm.complete(request, abort.signal, onPart);
    } finally {
      timer.abort();
    }
  }

  private classify(execution: Execution, error: unknown): ExecutionFailure {
    if (isPastDeadline(execution, this.clock.now())) return deadlineExceeded(execution);
    if (error instanceof HoldlineError) {
      return { code: error.code, message: error.message, retryable: error.retryable };
    }
    return {
      code: "internal_error",
      message: error instanceof Error ? error.message : String(error),
      retryable: false,
    };
  }

  /** Fails the attempt; `parts`, the parts it produced before failing, are recorded with the failure. */
  private async failWith(
    current: Execution,
    error: ExecutionFailure,
    by: string,
    parts: readonly string[] = [],
  ): Promise<RunExecutionResult> {
    // Only while the execution is still at this attempt: another attempt's claim is not this one's to end.
    const outcome = await writeOrObserve(
      this.store,
      current,
      (latest) =>
        isTerminal(latest) || latest.attempt !== current.attempt
          ? undefined
          : fail(latest, { now: this.clock.now(), error, by, parts }),
      this.resendUntilDeadline(current),
    );
    return { outcome: outcome.won ? "failed" : "skipped", execution: outcome.execution };
  }
}

export const RunExecutionId: ServiceIdentifier<RunExecution> = Symbol.for("holdline.RunExecution");

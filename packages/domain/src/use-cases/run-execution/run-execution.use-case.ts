import type { ServiceIdentifier } from "inversify";
import { HoldlineError, LlmError, StaleExecutionError, TransitionRefusedError } from "../../errors.ts";
import {
  claim,
  complete,
  deadlineExceeded,
  type Execution,
  type ExecutionFailure,
  type ExecutionKey,
  fail,
  isPastDeadline,
  isTerminal,
} from "../../execution/execution.ts";
import type { ExecutionPolicy } from "../../execution/execution-policy.ts";
import type { Clock } from "../../ports/clock.port.ts";
import type { ExecutionStore } from "../../ports/execution-store.port.ts";
import type { ConversationTurn, LlmClient, LlmResponse } from "../../ports/llm-client.port.ts";
import { writeOrObserve } from "../conditional-write.ts";

export type RunOutcome =
  /** This run produced the answer. */
  | "completed"
  /** This run ended the execution as failed. */
  | "failed"
  /** Nothing to do: finished already, claimed by another worker, or lost a race. No model call was made. */
  | "skipped"
  | "not_found";

export interface RunExecutionResult {
  readonly outcome: RunOutcome;
  readonly execution: Execution | undefined;
}

/**
 * The worker's use case: claim the execution, ask the model under an abort signal that fires at the
 * lease or the deadline, and record the answer or a classified failure. Only the worker that wins the
 * conditional claim calls the model, so duplicate deliveries make no model call.
 */
export class RunExecution {
  constructor(
    private readonly store: ExecutionStore,
    private readonly llm: LlmClient,
    private readonly clock: Clock,
    private readonly policy: ExecutionPolicy,
  ) {}

  async execute(key: ExecutionKey): Promise<RunExecutionResult> {
    const current = await this.store.get(key);
    if (current === undefined) return { outcome: "not_found", execution: undefined };
    if (isTerminal(current)) return { outcome: "skipped", execution: current };
    if (isPastDeadline(current, this.clock.now())) {
      return this.failWith(current, deadlineExceeded(current));
    }

    const claimed = await this.claim(current);
    if (claimed.outcome !== "claimed") return claimed.result;

    const history = await this.history(claimed.execution);
    let response: LlmResponse;
    try {
      response = await this.askModel(claimed.execution, history);
    } catch (error) {
      return this.failWith(claimed.execution, this.classify(claimed.execution, error));
    }
    if (isPastDeadline(claimed.execution, this.clock.now())) {
      return this.failWith(claimed.execution, deadlineExceeded(claimed.execution));
    }
    const text = response.text.trim();
    if (text === "") {
      return this.failWith(claimed.execution, {
        code: "empty_answer",
        message: "the model returned no speakable text",
        retryable: false,
      });
    }
    const now = this.clock.now();
    const done = complete(claimed.execution, {
      now,
      answer: text,
      ...(response.usage === undefined ? {} : { usage: response.usage }),
    });
    try {
      return { outcome: "completed", execution: await this.store.transition(done, claimed.execution) };
    } catch (error) {
      if (!(error instanceof StaleExecutionError)) throw error;
      // Someone else ended it meanwhile (the deadline, or a failure record): theirs stands.
      return { outcome: "skipped", execution: await this.store.get(key) };
    }
  }

  private async claim(
    current: Execution,
  ): Promise<
    { outcome: "claimed"; execution: Execution } | { outcome: "refused"; result: RunExecutionResult }
  > {
    let next: Execution;
    try {
      next = claim(current, {
        now: this.clock.now(),
        leaseMs: this.policy.leaseMs,
        maxAttempts: this.policy.maxAttempts,
      });
    } catch (error) {
      if (!(error instanceof TransitionRefusedError)) throw error;
      if (error.code === "attempts_exhausted") {
        return {
          outcome: "refused",
          result: await this.failWith(current, {
            code: error.code,
            message: error.message,
            retryable: false,
          }),
        };
      }
      return { outcome: "refused", result: { outcome: "skipped", execution: current } };
    }
    try {
      return { outcome: "claimed", execution: await this.store.transition(next, current) };
    } catch (error) {
      if (!(error instanceof StaleExecutionError)) throw error;
      return { outcome: "refused", result: { outcome: "skipped", execution: await this.store.get(current) } };
    }
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

  private async askModel(execution: Execution, history: ConversationTurn[]): Promise<LlmResponse> {
    const abortAt = Math.min(execution.leaseUntil ?? execution.deadlineAt, execution.deadlineAt);
    const abort = new AbortController();
    const timer = new AbortController();
    this.clock.sleep(Math.max(0, abortAt - this.clock.now()), timer.signal).then(
      () => abort.abort(new LlmError("timeout", "the model call outlived its lease or deadline")),
      () => undefined,
    );
    try {
      return await this.llm.complete(
        { question: execution.input.question, locale: execution.input.locale, history, deadlineAt: abortAt },
        abort.signal,
      );
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

  private async failWith(current: Execution, error: ExecutionFailure): Promise<RunExecutionResult> {
    const now = this.clock.now();
    const outcome = await writeOrObserve(this.store, current, (latest) =>
      isTerminal(latest) ? undefined : fail(latest, { now, error }),
    );
    return { outcome: outcome.won ? "failed" : "skipped", execution: outcome.execution };
  }
}

export const RunExecutionId: ServiceIdentifier<RunExecution> = Symbol.for("holdline.RunExecution");

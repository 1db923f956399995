import type { ExecutionKey } from "@holdline/domain/execution/execution";
import {
  type AbandonedStart,
  type WorkDispatcher,
  WorkDispatcherId,
} from "@holdline/domain/ports/work-dispatcher.port";
import {
  type AbandonStart,
  AbandonStartId,
} from "@holdline/domain/use-cases/abandon-start/abandon-start.use-case";
import {
  type RunExecution,
  RunExecutionId,
} from "@holdline/domain/use-cases/run-execution/run-execution.use-case";
import { ContainerModule } from "inversify";

/**
 * The dispatcher of a handler that runs the work itself (connect-answer, Connect's asynchronous mode): there
 * is no other worker to hand the key to, so a dispatch runs the execution here and returns when the attempt
 * ends. That includes the dispatch of a new attempt after a crashed one's lease is over: a Connect retry's
 * supervising read then runs the second attempt in its own invocation. An abandoned start is ended here
 * too (`AbandonStart`), before the handler answers. Without `run` (or `abandon`), it only records that the
 * work is wanted.
 */
export class InlineDispatcher implements WorkDispatcher {
  constructor(
    private readonly run?: RunExecution,
    private readonly abandonStart?: AbandonStart,
  ) {}

  async dispatch(key: ExecutionKey): Promise<void> {
    await this.run?.execute(key);
  }

  async abandon(start: AbandonedStart): Promise<void> {
    await this.abandonStart?.execute(start);
  }
}

/** Binds the `WorkDispatcher` port to an `InlineDispatcher` running `RunExecution` and `AbandonStart` in place. */
export const inlineDispatcherModule = (): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(WorkDispatcherId)
      .toResolvedValue(
        (run: RunExecution, abandon: AbandonStart) => new InlineDispatcher(run, abandon),
        [RunExecutionId, AbandonStartId],
      )
      .inSingletonScope();
  });

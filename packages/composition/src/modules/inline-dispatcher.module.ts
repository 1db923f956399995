import type { ExecutionKey } from "@holdline/domain/execution/execution";
import { type WorkDispatcher, WorkDispatcherId } from "@holdline/domain/ports/work-dispatcher.port";
import {
  type RunExecution,
  RunExecutionId,
} from "@holdline/domain/use-cases/run-execution/run-execution.use-case";
import { ContainerModule } from "inversify";

/**
 * The dispatcher of a handler that runs the work itself (connect-answer, Connect's asynchronous mode): there
 * is no other worker to hand the key to, so a dispatch runs the execution here and returns when the attempt
 * ends. That includes the dispatch of a new attempt after a crashed one's lease is over: a Connect retry's
 * supervising read then runs the second attempt in its own invocation. Without `run`, it only records that
 * the work is wanted.
 */
export class InlineDispatcher implements WorkDispatcher {
  constructor(private readonly run?: RunExecution) {}

  async dispatch(key: ExecutionKey): Promise<void> {
    await this.run?.execute(key);
  }
}

/** Binds the `WorkDispatcher` port to an `InlineDispatcher` running `RunExecution` in place. */
export const inlineDispatcherModule = (): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(WorkDispatcherId)
      .toResolvedValue((run: RunExecution) => new InlineDispatcher(run), [RunExecutionId])
      .inSingletonScope();
  });

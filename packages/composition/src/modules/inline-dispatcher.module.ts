import type { ExecutionKey } from "@holdline/domain/execution/execution";
import { type WorkDispatcher, WorkDispatcherId } from "@holdline/domain/ports/work-dispatcher.port";
import { ContainerModule } from "inversify";

/**
 * The dispatcher of a handler that runs the work itself (connect-answer, Connect's asynchronous mode):
 * there is no other worker to hand the key to, so the hand-off only records that the work is wanted.
 */
export class InlineDispatcher implements WorkDispatcher {
  async dispatch(_key: ExecutionKey): Promise<void> {}
}

/** Binds the `WorkDispatcher` port to `InlineDispatcher`. */
export const inlineDispatcherModule = (): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(WorkDispatcherId).toConstantValue(new InlineDispatcher());
  });

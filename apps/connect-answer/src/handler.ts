import { parseStartEvent, type StartRequest } from "@holdline/adapters-connect/connect-event.parser";
import type { ConnectMappingOptions } from "@holdline/adapters-connect/connect-mapping.options";
import { type ConnectHandler, connectHandler } from "@holdline/composition/lambda/connect-handler";
import type { Observability } from "@holdline/composition/lambda/observability";
import { DispatchError, ExecutionNotFoundError } from "@holdline/domain/errors";
import { type Execution, isTerminal } from "@holdline/domain/execution/execution";
import type { CheckExecution } from "@holdline/domain/use-cases/check-execution/check-execution.use-case";
import type { RunExecution } from "@holdline/domain/use-cases/run-execution/run-execution.use-case";
import type { StartExecution } from "@holdline/domain/use-cases/start-execution/start-execution.use-case";

/**
 * Progressive answers: the use cases of a turn written by answer-worker (dispatched as a Lambda `Event`
 * invocation) and read part by part.
 */
export interface ProgressiveUseCases {
  readonly start: StartExecution;
  readonly check: CheckExecution;
}

export interface ConnectAnswerDependencies {
  readonly start: StartExecution;
  readonly run: RunExecution;
  readonly check: CheckExecution;
  /** Progressive answers; undefined when the function has no worker, and a progressive request is refused. */
  readonly progressive: ProgressiveUseCases | undefined;
  readonly mapping: ConnectMappingOptions;
  readonly observability: Observability;
  /** How long one invocation may wait: for the running attempt (a retry), or for the next part. */
  readonly waitMs: number;
  readonly reserveMs: number;
}

/**
 * Connect, `ASYNCHRONOUS` invocation (native-async strategy), answered with `LoadLambdaFunctionResult`.
 *
 * - A flow that sends no cursor: registers the question, runs the model in this invocation and returns the
 *   result. Connect may still retry; a retry finds the execution claimed, makes no model call and waits for
 *   the running attempt's result.
 * - A progressive flow (it sends the cursor, the parts its caller has heard): a Lambda's work stops when it
 *   returns, so the model does not run here. The flow invokes connect-start first, which registers the turn
 *   and dispatches answer-worker on the caller's path (`HOLDLINE_START_ROLE=register`), so this function only
 *   waits and can be sized for waiting. A first request (cursor 0) that does not find the turn registers it and
 *   dispatches the worker once itself (a Connect retry finds it registered). Every request long-polls within
 *   the invocation until a part past the cursor is recorded or the turn ends, and answers `partial`,
 *   `completed` or `error` with the parts the caller has not heard. The flow speaks them and asks again with
 *   the new cursor while the worker goes on writing. A retry with the same cursor gets the same parts (and any
 *   written since): nothing is written on a read, so nothing is spoken twice.
 *   Without a worker (`HOLDLINE_WORKER_FUNCTION`) a progressive request is refused: `error`
 *   `dispatch_failed`, the error prompt, nothing registered and no model call.
 */
export const createHandler = ({
  start,
  run,
  check,
  progressive,
  mapping,
  observability,
  waitMs,
  reserveMs,
}: ConnectAnswerDependencies): ConnectHandler =>
  connectHandler<StartRequest>(
    {
      parse: (event) => parseStartEvent(event, mapping),
      run: async (command, waitBudgetMs) => {
        if (command.cursor !== undefined) {
          return answerProgressively(progressive, command, command.cursor, waitBudgetMs);
        }
        // The caller hears the flow's prompts while this runs: a create the store is slow to confirm is sent
        // again for as long as this invocation may wait.
        const started = await start.execute({ ...command, fastPathWaitMs: 0, respondWithinMs: waitBudgetMs });
        if (isTerminal(started.execution)) return started.execution;
        const ran = await run.execute(command.key);
        if (ran.execution !== undefined && isTerminal(ran.execution)) return ran.execution;
        return check.execute({ key: command.key, waitBudgetMs });
      },
    },
    { mapping, observability, waitMs, reserveMs },
  );

async function answerProgressively(
  progressive: ProgressiveUseCases | undefined,
  { key, input }: StartRequest,
  cursor: number,
  waitBudgetMs: number,
): Promise<Execution> {
  if (progressive === undefined) {
    throw new DispatchError(
      "a progressive request (the flow sent a cursor) needs answer-worker, and this function has none: set HOLDLINE_WORKER_FUNCTION, or build the flow without progressive answers",
      { retryable: false },
    );
  }
  if (cursor === 0) {
    // connect-start registered the turn and dispatched the worker just before (the flow invokes it first), so
    // this waits for the first part. A turn not found (connect-start failed, or its create had not landed by
    // its time) is registered and dispatched here, within the wait, and the rest of it waits for the part.
    try {
      return await progressive.check.execute({ key, waitBudgetMs, cursor });
    } catch (error) {
      if (!(error instanceof ExecutionNotFoundError)) throw error;
    }
    const started = await progressive.start.execute({
      key,
      input,
      fastPathWaitMs: waitBudgetMs,
      respondWithinMs: waitBudgetMs,
      progressive: true,
    });
    return started.execution;
  }
  return progressive.check.execute({ key, waitBudgetMs, cursor });
}

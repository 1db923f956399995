import { parseStartEvent, type StartRequest } from "@holdline/adapters-connect/connect-event.parser";
import type { ConnectMappingOptions } from "@holdline/adapters-connect/connect-mapping.options";
import { isTerminal } from "@holdline/domain/execution/execution";
import type { CheckExecution } from "@holdline/domain/use-cases/check-execution/check-execution.use-case";
import type { RunExecution } from "@holdline/domain/use-cases/run-execution/run-execution.use-case";
import type { StartExecution } from "@holdline/domain/use-cases/start-execution/start-execution.use-case";
import { type ConnectHandler, connectHandler } from "@holdline/composition/lambda/connect-handler";
import type { Observability } from "@holdline/composition/lambda/observability";

export interface ConnectAnswerDependencies {
  readonly start: StartExecution;
  readonly run: RunExecution;
  readonly check: CheckExecution;
  readonly mapping: ConnectMappingOptions;
  readonly observability: Observability;
  /** How long a retry may wait for the attempt already running. */
  readonly waitMs: number;
  readonly reserveMs: number;
}

/**
 * Connect, `ASYNCHRONOUS` invocation (native-async strategy): registers the question, runs the model in
 * this invocation and returns the result for `LoadLambdaFunctionResult`. Connect may still retry; a retry
 * finds the execution claimed, makes no model call and waits for the running attempt's result.
 */
export const createHandler = ({
  start,
  run,
  check,
  mapping,
  observability,
  waitMs,
  reserveMs,
}: ConnectAnswerDependencies): ConnectHandler =>
  connectHandler<StartRequest>(
    {
      parse: (event) => parseStartEvent(event, mapping),
      run: async (command, waitBudgetMs) => {
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

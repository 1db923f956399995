import { lambdaDispatcherModule } from "@holdline/adapters-lambda/lambda-dispatcher.module";
import type { TimingBudget } from "@holdline/budget/timing-budget";
import type { ContainerModule } from "inversify";
import type { DispatcherConfig } from "../config/environment.schema.ts";

/** Binds the `WorkDispatcher` port to asynchronous (`Event`) Lambda invocations of the worker. */
export const dispatcherModule = (config: DispatcherConfig, budget: TimingBudget): ContainerModule =>
  lambdaDispatcherModule({
    client: {
      ...(config.HOLDLINE_LAMBDA_ENDPOINT === undefined ? {} : { endpoint: config.HOLDLINE_LAMBDA_ENDPOINT }),
      connectionTimeoutMs: budget.lambdaInvoke.connectionTimeoutMs,
      requestTimeoutMs: budget.lambdaInvoke.requestTimeoutMs,
      maxAttempts: budget.lambdaInvoke.maxAttempts,
    },
    dispatcher: {
      functionName: config.HOLDLINE_WORKER_FUNCTION,
      deadlineMs: budget.lambdaInvoke.dispatchDeadlineMs,
    },
  });

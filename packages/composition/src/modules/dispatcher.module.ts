import { lambdaDispatcherModule } from "@holdline/adapters-lambda/lambda-dispatcher.module";
import type { TimingBudget } from "@holdline/budget/timing-budget";
import type { ContainerModule } from "inversify";
import type { DispatcherConfig, OptionalDispatcherConfig } from "../config/environment.schema.ts";

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

/**
 * `dispatcherModule` when the function is given a worker (`HOLDLINE_WORKER_FUNCTION`), else undefined: the
 * function has no worker to hand work to (connect-answer in a native-async stack without progressive answers).
 */
export const optionalDispatcherModule = (
  config: OptionalDispatcherConfig,
  budget: TimingBudget,
): ContainerModule | undefined => {
  const worker = config.HOLDLINE_WORKER_FUNCTION;
  return worker === undefined
    ? undefined
    : dispatcherModule({ ...config, HOLDLINE_WORKER_FUNCTION: worker }, budget);
};

import type { LambdaClient } from "@aws-sdk/client-lambda";
import { type WorkDispatcher, WorkDispatcherId } from "@holdline/domain/ports/work-dispatcher.port";
import { ContainerModule, type ServiceIdentifier } from "inversify";
import { createLambdaClient, type LambdaClientOptions } from "./lambda-client.factory.ts";
import { LambdaWorkDispatcher, type LambdaWorkDispatcherOptions } from "./lambda-work-dispatcher.ts";

export const LambdaClientId: ServiceIdentifier<LambdaClient> = Symbol.for("holdline.LambdaClient");

export interface LambdaDispatcherModuleOptions {
  readonly client: LambdaClientOptions;
  readonly dispatcher: LambdaWorkDispatcherOptions;
}

/**
 * Binds `WorkDispatcherId` to a `LambdaWorkDispatcher` over one shared Lambda client, built on first use.
 * Plain factories through `toResolvedValue`: no decorators, nothing esbuild would have to emit metadata for.
 */
export const lambdaDispatcherModule = (options: LambdaDispatcherModuleOptions): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(LambdaClientId)
      .toResolvedValue(() => createLambdaClient(options.client))
      .inSingletonScope();
    bind(WorkDispatcherId)
      .toResolvedValue(
        (client: LambdaClient): WorkDispatcher => new LambdaWorkDispatcher(client, options.dispatcher),
        [LambdaClientId],
      )
      .inSingletonScope();
  });

import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { type Clock, ClockId } from "@holdline/domain/ports/clock.port";
import { LlmClientId } from "@holdline/domain/ports/llm-client.port";
import { ContainerModule, type ServiceIdentifier } from "inversify";
import { type BedrockClientOptions, createBedrockClient } from "./bedrock-client.factory.ts";
import { BedrockLlmClient, type BedrockLlmClientOptions } from "./bedrock-llm-client.ts";

export const BedrockRuntimeClientId: ServiceIdentifier<BedrockRuntimeClient> = Symbol.for(
  "holdline.BedrockRuntimeClient",
);

export interface BedrockLlmClientModuleConfig {
  readonly client: BedrockClientOptions;
  readonly llm: Omit<BedrockLlmClientOptions, "client" | "clock">;
}

/**
 * Binds `LlmClientId` to the Bedrock adapter, and the SDK client it uses, as singletons: one SDK
 * client per container, so one per Lambda cold start. Needs `ClockId` bound elsewhere. No decorators.
 */
export const bedrockLlmClientModule = (config: BedrockLlmClientModuleConfig): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(BedrockRuntimeClientId)
      .toResolvedValue(() => createBedrockClient(config.client))
      .inSingletonScope();
    bind(LlmClientId)
      .toResolvedValue(
        (client: BedrockRuntimeClient, clock: Clock) =>
          new BedrockLlmClient({ ...config.llm, client, clock }),
        [BedrockRuntimeClientId, ClockId],
      )
      .inSingletonScope();
  });

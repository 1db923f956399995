import { bedrockLlmClientModule } from "@holdline/adapters-bedrock/bedrock-llm-client.module";
import { faqLlmClientModule } from "@holdline/adapters-faq/faq-llm-client.module";
import type { BedrockTimeouts } from "@holdline/budget/timing-budget";
import type { ContainerModule } from "inversify";
import { ConfigError } from "../config/environment.ts";
import type { ModelConfig } from "../config/environment.schema.ts";

/**
 * Binds the `LlmClient` port: Bedrock when a model id is configured; otherwise the embedded FAQ model, so Holdline runs with no AWS
 * account. The region falls back to the function's own (`AWS_REGION`). `timeouts` are the budget's for the
 * execution the model runs in (the worker's or connect-answer's).
 */
export function modelModule(config: ModelConfig, timeouts: BedrockTimeouts): ContainerModule {
  const modelId = config.HOLDLINE_BEDROCK_MODEL_ID;
  if (modelId === undefined) return faqLlmClientModule();
  const region = config.HOLDLINE_BEDROCK_REGION ?? config.AWS_REGION;
  if (region === undefined) {
    throw new ConfigError(
      ["HOLDLINE_BEDROCK_REGION"],
      "HOLDLINE_BEDROCK_REGION: is required when AWS_REGION is unset",
    );
  }
  if ((config.HOLDLINE_GUARDRAIL_ID === undefined) !== (config.HOLDLINE_GUARDRAIL_VERSION === undefined)) {
    throw new ConfigError(
      ["HOLDLINE_GUARDRAIL_ID", "HOLDLINE_GUARDRAIL_VERSION"],
      "HOLDLINE_GUARDRAIL_ID and HOLDLINE_GUARDRAIL_VERSION: set both or neither",
    );
  }
  return bedrockLlmClientModule({
    client: {
      region,
      requestTimeoutMs: timeouts.requestTimeoutMs,
      sessionTimeoutMs: timeouts.sessionTimeoutMs,
      ...(config.HOLDLINE_BEDROCK_ENDPOINT === undefined
        ? {}
        : { endpoint: config.HOLDLINE_BEDROCK_ENDPOINT }),
    },
    llm: {
      modelId,
      api: config.HOLDLINE_BEDROCK_API,
      maxTokens: config.HOLDLINE_BEDROCK_MAX_TOKENS,
      ...(config.HOLDLINE_GUARDRAIL_ID === undefined || config.HOLDLINE_GUARDRAIL_VERSION === undefined
        ? {}
        : {
            guardrail: {
              identifier: config.HOLDLINE_GUARDRAIL_ID,
              version: config.HOLDLINE_GUARDRAIL_VERSION,
            },
          }),
      ...(config.HOLDLINE_LATENCY_OPTIMIZED ? { performanceConfig: { latency: "optimized" as const } } : {}),
    },
  });
}

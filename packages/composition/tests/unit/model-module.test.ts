import { BedrockRuntimeClientId } from "@holdline/adapters-bedrock/bedrock-llm-client.module";
import { deriveBudget } from "@holdline/budget/timing-budget";
import { Container } from "inversify";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { ConfigError, readConfig } from "../../src/config/environment.ts";
import { modelEnv } from "../../src/config/environment.schema.ts";
import { modelModule } from "../../src/modules/model.module.ts";

const timeouts = deriveBudget().worker.bedrock;
const modelConfig = (environment: Record<string, string>) => readConfig(z.object(modelEnv), environment);

async function bedrockRegion(environment: Record<string, string>): Promise<string> {
  const container = new Container();
  container.load(modelModule(modelConfig(environment), timeouts));
  return container.get(BedrockRuntimeClientId).config.region();
}

describe("modelModule", () => {
  it("calls Bedrock in the function's own Region, read through the validated config", async () => {
    // Act
    const region = await bedrockRegion({ HOLDLINE_BEDROCK_MODEL_ID: "model", AWS_REGION: "eu-west-1" });

    // Assess
    expect(region).toBe("eu-west-1");
  });

  it("prefers HOLDLINE_BEDROCK_REGION over the function's Region", async () => {
    const region = await bedrockRegion({
      HOLDLINE_BEDROCK_MODEL_ID: "model",
      HOLDLINE_BEDROCK_REGION: "ap-northeast-1",
      AWS_REGION: "eu-west-1",
    });

    expect(region).toBe("ap-northeast-1");
  });

  it("fails the cold start naming HOLDLINE_BEDROCK_REGION when no Region is known", () => {
    expect(() => modelModule(modelConfig({ HOLDLINE_BEDROCK_MODEL_ID: "model" }), timeouts)).toThrow(
      ConfigError,
    );
  });

  it("needs no Region for the embedded FAQ model", () => {
    expect(() => modelModule(modelConfig({}), timeouts)).not.toThrow();
  });
});

import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { modelAccess } from "../src/bedrock-access.ts";
import { parseStackSettings } from "../src/stack-settings.ts";
import { resolve } from "./support/pulumi-program.ts";

// `modelAccess` and the `holdline:bedrock` keys: the grant matches the model id, or the stack is refused.

const HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0";
const location = { partition: "aws", region: "us-east-1", accountId: "111122223333" };
const settings = (bedrock: Record<string, unknown>) =>
  parseStackSettings({ environment: "dev", connect: { instanceAlias: "holdline-test" }, bedrock });
const resources = async (bedrock: Record<string, unknown>) =>
  resolve(pulumi.all(modelAccess(settings(bedrock).bedrock, location).statements.flatMap((s) => s.Resource)));

describe("Bedrock model access", () => {
  it("grants a global. profile its ARN, the model in the source Region and the Region-less model ARN", async () => {
    expect(await resources({ modelId: `global.${HAIKU}` })).toEqual([
      `arn:aws:bedrock:us-east-1:111122223333:inference-profile/global.${HAIKU}`,
      `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`,
      `arn:aws:bedrock:::foundation-model/${HAIKU}`,
    ]);
  });

  it("grants a geographic profile its ARN and the model in each Region it routes to", async () => {
    expect(
      await resources({
        modelId: `jp.${HAIKU}`,
        inferenceProfile: { regions: ["ap-northeast-1", "ap-northeast-3"] },
      }),
    ).toEqual([
      `arn:aws:bedrock:us-east-1:111122223333:inference-profile/jp.${HAIKU}`,
      `arn:aws:bedrock:ap-northeast-1::foundation-model/${HAIKU}`,
      `arn:aws:bedrock:ap-northeast-3::foundation-model/${HAIKU}`,
    ]);
  });

  it("grants a foundation model id its ARN in the stack's Region", async () => {
    expect(await resources({ modelId: HAIKU })).toEqual([
      `arn:aws:bedrock:us-east-1::foundation-model/${HAIKU}`,
    ]);
  });

  it("refuses a geographic profile without the Regions it routes to, saying where to find them", () => {
    expect(() => settings({ modelId: `us.${HAIKU}` })).toThrow(
      /holdline:bedrock\.inferenceProfile\.regions: modelId is a cross-Region inference profile: set inferenceProfile\.regions/,
    );
  });

  it("refuses Regions for a global profile, which routes to any commercial Region", () => {
    expect(() =>
      settings({ modelId: `global.${HAIKU}`, inferenceProfile: { regions: ["us-east-1"] } }),
    ).toThrow(
      /global\. inference profile, which routes to any commercial Region: leave out inferenceProfile\.regions/,
    );
  });
});

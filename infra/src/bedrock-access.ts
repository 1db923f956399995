import * as pulumi from "@pulumi/pulumi";
import { allow, type PolicyStatement } from "./policy-document.ts";
import type { BedrockSettings } from "./stack-settings.ts";

export interface AwsLocation {
  readonly partition: pulumi.Input<string>;
  readonly region: pulumi.Input<string>;
  readonly accountId: pulumi.Input<string>;
}

export interface ModelAccess {
  /** The `HOLDLINE_BEDROCK_*` / `HOLDLINE_GUARDRAIL_*` variables the model-calling functions read. */
  readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
  readonly statements: readonly PolicyStatement[];
}

/**
 * Bedrock authorizes Converse as `bedrock:InvokeModel` and ConverseStream as
 * `bedrock:InvokeModelWithResponseStream`; a function gets the one its configured API sends.
 */
export const BEDROCK_ACTION = {
  converse: "bedrock:InvokeModel",
  "converse-stream": "bedrock:InvokeModelWithResponseStream",
} as const;

/**
 * What a function needs to call the configured model and nothing else: the model's ARN or, for a
 * cross-Region inference profile, the profile's ARN plus the foundation model's ARN in every Region the
 * profile routes to (Bedrock checks both); `bedrock:ApplyGuardrail` on the configured guardrail only.
 * Without a model the functions answer from the embedded FAQ model and get no Bedrock permission at all.
 */
export function modelAccess(settings: BedrockSettings | undefined, location: AwsLocation): ModelAccess {
  if (settings === undefined) return { environment: {}, statements: [] };
  const region = settings.region ?? location.region;
  const foundationModel = (inRegion: pulumi.Input<string>, modelId: string) =>
    pulumi.interpolate`arn:${location.partition}:bedrock:${inRegion}::foundation-model/${modelId}`;
  const profile = settings.inferenceProfile;
  const modelResources =
    profile === undefined
      ? [foundationModel(region, settings.modelId)]
      : [
          pulumi.interpolate`arn:${location.partition}:bedrock:${region}:${location.accountId}:inference-profile/${settings.modelId}`,
          ...profile.regions.map((destination) => foundationModel(destination, profile.foundationModelId)),
        ];
  const statements = [allow("InvokeConfiguredModel", [BEDROCK_ACTION[settings.api]], modelResources)];
  const { guardrail } = settings;
  if (guardrail !== undefined) {
    statements.push(
      allow(
        "ApplyConfiguredGuardrail",
        ["bedrock:ApplyGuardrail"],
        [
          pulumi.interpolate`arn:${location.partition}:bedrock:${region}:${location.accountId}:guardrail/${guardrail.id}`,
        ],
      ),
    );
  }
  return {
    environment: {
      HOLDLINE_BEDROCK_MODEL_ID: settings.modelId,
      HOLDLINE_BEDROCK_REGION: region,
      HOLDLINE_BEDROCK_API: settings.api,
      ...(guardrail === undefined
        ? {}
        : { HOLDLINE_GUARDRAIL_ID: guardrail.id, HOLDLINE_GUARDRAIL_VERSION: guardrail.version }),
    },
    statements,
  };
}

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
 * What a function needs to call the configured model and nothing else: the model's ARN; for a geographic
 * cross-Region inference profile (`us.`, `jp.`, …), the profile's ARN plus the foundation model's ARN in every
 * Region the profile routes to (Bedrock checks both); for a global one (`global.`), the profile's ARN, the
 * foundation model's ARN in the source Region and the Region-less foundation model ARN
 * (`arn:aws:bedrock:::foundation-model/<model>`) that IAM checks for the Regions it routes to (Bedrock User
 * Guide, "Global cross-Region inference"); `bedrock:ApplyGuardrail` on the configured guardrail only.
 * Without a model the functions answer from the embedded FAQ model and get no Bedrock permission at all.
 */
export function modelAccess(settings: BedrockSettings | undefined, location: AwsLocation): ModelAccess {
  if (settings === undefined) return { environment: {}, statements: [] };
  const region = settings.region ?? location.region;
  const foundationModel = (inRegion: pulumi.Input<string>, modelId: string) =>
    pulumi.interpolate`arn:${location.partition}:bedrock:${inRegion}::foundation-model/${modelId}`;
  const profile = settings.inferenceProfile;
  const profileArn = pulumi.interpolate`arn:${location.partition}:bedrock:${region}:${location.accountId}:inference-profile/${settings.modelId}`;
  const modelResources =
    profile === undefined
      ? [foundationModel(region, settings.modelId)]
      : profile.kind === "global"
        ? [
            profileArn,
            foundationModel(region, profile.foundationModelId),
            foundationModel("", profile.foundationModelId),
          ]
        : [
            profileArn,
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

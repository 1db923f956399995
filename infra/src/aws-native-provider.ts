import type * as awsnative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";

/** One entry of `aws:assumeRoles`, as the aws provider reads it. */
interface AssumeRole {
  readonly roleArn?: string;
  readonly externalId?: string;
  readonly sessionName?: string;
  /** A Go duration, e.g. `1h`, `15m`, `900s`. */
  readonly duration?: string;
  readonly policy?: string;
  readonly policyArns?: string[];
  readonly tags?: Record<string, string>;
  readonly transitiveTagKeys?: string[];
  readonly sourceIdentity?: string;
}

/**
 * The `aws:*` keys that change whose credentials are used or which account is deployed to, and that the
 * aws-native provider cannot take in the same form: the program refuses a stack that sets them rather than
 * deploying the bot with other credentials than the rest.
 */
const NOT_CARRIED: Readonly<Record<string, string>> = {
  assumeRoleWithWebIdentity:
    "aws-native has no web-identity setting (use AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE)",
  sharedConfigFiles: "aws-native has no shared-config-files setting (use AWS_CONFIG_FILE)",
};

/**
 * The arguments of the `aws-native` provider, built from the same stack settings as the `aws` provider's
 * (`aws:profile`, `aws:assumeRoles`, `aws:allowedAccountIds`, …), so the Lex bot and its Connect association are
 * deployed with the same credentials into the same account as everything else. aws-native reads no `aws:*` key
 * itself: without this, it would use the default credential chain.
 */
export function awsNativeProviderArgs(
  region: pulumi.Input<string>,
  config: pulumi.Config = new pulumi.Config("aws"),
): awsnative.ProviderArgs {
  for (const [key, why] of Object.entries(NOT_CARRIED)) {
    if (config.get(key) !== undefined) {
      throw new pulumi.RunError(
        `aws:${key} is set, but ${why}: the Lex bot would deploy with other credentials`,
      );
    }
  }
  const credentialsFiles = config.getObject<string[]>("sharedCredentialsFiles");
  if (credentialsFiles !== undefined && credentialsFiles.length > 1) {
    throw new pulumi.RunError("aws:sharedCredentialsFiles names more than one file; aws-native takes one");
  }
  const args: awsnative.ProviderArgs = {
    region: region as pulumi.Input<awsnative.Region>,
    profile: config.get("profile"),
    sharedCredentialsFile: credentialsFiles?.[0],
    assumeRole: assumeRoleArgs(config.getObject<AssumeRole[]>("assumeRoles")),
    allowedAccountIds: config.getObject<string[]>("allowedAccountIds"),
    forbiddenAccountIds: config.getObject<string[]>("forbiddenAccountIds"),
    accessKey: config.getSecret("accessKey"),
    secretKey: config.getSecret("secretKey"),
    token: config.getSecret("token"),
    skipCredentialsValidation: config.getBoolean("skipCredentialsValidation"),
    skipMetadataApiCheck: config.getBoolean("skipMetadataApiCheck"),
    skipRequestingAccountId: config.getBoolean("skipRequestingAccountId"),
  };
  // Unset keys stay unset: the provider's own defaults apply, as they do for the aws provider.
  return Object.fromEntries(
    Object.entries(args).filter(([, value]) => value !== undefined),
  ) as awsnative.ProviderArgs;
}

function assumeRoleArgs(
  roles: AssumeRole[] | undefined,
): awsnative.types.input.ProviderAssumeRoleArgs | undefined {
  if (roles === undefined || roles.length === 0) return undefined;
  if (roles.length > 1) {
    throw new pulumi.RunError(
      "aws:assumeRoles chains more than one role; aws-native assumes one: chain them in a profile instead",
    );
  }
  const [role] = roles as [AssumeRole];
  if (role.sourceIdentity !== undefined) {
    throw new pulumi.RunError("aws:assumeRoles[0].sourceIdentity is set, but aws-native has no such setting");
  }
  const assumeRole: awsnative.types.input.ProviderAssumeRoleArgs = {
    roleArn: role.roleArn,
    externalId: role.externalId,
    sessionName: role.sessionName,
    durationSeconds: role.duration === undefined ? undefined : durationSeconds(role.duration),
    policy: role.policy,
    policyArns: role.policyArns,
    tags: role.tags,
    transitiveTagKeys: role.transitiveTagKeys,
  };
  return Object.fromEntries(
    Object.entries(assumeRole).filter(([, value]) => value !== undefined),
  ) as awsnative.types.input.ProviderAssumeRoleArgs;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { h: 3600, m: 60, s: 1 };

/** A Go duration of hours, minutes and seconds (`1h30m`, `900s`) in seconds. */
export function durationSeconds(duration: string): number {
  const parts = [...duration.matchAll(/(\d+)([hms])/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join("") !== duration) {
    throw new pulumi.RunError(
      `aws:assumeRoles[0].duration ${JSON.stringify(duration)} is not like 1h, 15m or 900s`,
    );
  }
  return parts.reduce(
    (total, [, amount, unit]) => total + Number(amount) * (DURATION_UNITS[unit ?? "s"] ?? 1),
    0,
  );
}

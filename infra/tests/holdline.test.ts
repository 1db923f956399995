import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { awsNativeProviderArgs, durationSeconds } from "../src/aws-native-provider.ts";
import { DEV_LEX_ALIAS, DEV_REGION, fn, POLLING_APPS, T } from "./support/holdline-stacks.ts";
import {
  ACCOUNT_ID,
  CLAIMED_NUMBER,
  CREATED_INSTANCE_ID,
  stackFile,
  stackRun,
} from "./support/pulumi-program.ts";

// The root component, `Holdline`: what it parents and names, the aws-native provider it makes, what it exports.

describe("the dev stack: polling, en-US, a new Connect instance, a claimed number", () => {
  const run = stackRun("dev");

  it("builds every resource as a child of a Holdline component, named after its parent", () => {
    // A URN's type is `<parent type>$<type>`: every parent must be one of Holdline's components.
    const parentType = (urn: string) => urn.split("::")[2]?.split("$").slice(-2, -1)[0] ?? "(none)";
    const root = run.urns.filter((urn) => urn.endsWith("holdline:infra:Holdline::holdline-dev"));
    const orphans = run.urns
      .filter((urn) => !root.includes(urn))
      .filter((urn) => !parentType(urn).startsWith("holdline:infra:"));

    expect(root).toHaveLength(1);
    expect(orphans).toEqual([]);
    expect(
      run.resources.filter((resource) => !resource.name.startsWith("holdline-dev")).map((r) => r.name),
    ).toEqual([]);
  });

  it("creates the aws-native resources with a provider of their own in the stack's Region", () => {
    const provider = run.one(T.nativeProvider, "-aws-native");
    const providerUrn = run.urns.find((urn) => urn.endsWith(`$${T.nativeProvider}::${provider.name}`));
    const native = run.resources.filter((resource) => resource.type.startsWith("aws-native:"));

    expect(provider.inputs.region).toBe(DEV_REGION);
    expect(native.map((resource) => resource.type).sort()).toEqual(
      [T.lexAssociation, T.bot, T.botAlias, T.botVersion].sort(),
    );
    for (const resource of native) {
      expect([resource.name, resource.provider?.startsWith(`${providerUrn}::`)]).toEqual([
        resource.name,
        true,
      ]);
    }
  });

  it("exports the flow, the functions, the table and the queues", () => {
    expect(run.outputs).toMatchObject({
      strategy: "polling",
      contactFlowId: run.ofType(T.flow)[0]?.state.contactFlowId,
      connectInstanceId: CREATED_INSTANCE_ID,
      phoneNumber: CLAIMED_NUMBER.phoneNumber,
      functionNames: Object.fromEntries(POLLING_APPS.map((app) => [app, fn(run, app).state.name])),
      logGroupNames: Object.fromEntries(
        POLLING_APPS.map((app) => [app, fn(run, app).inputs.loggingConfig.logGroup]),
      ),
      lexBotAliasArn: DEV_LEX_ALIAS,
      tableName: run.ofType(T.table)[0]?.state.name,
      failureQueueUrl: run.one(T.queue, "worker-failures-queue").state.url,
      deadLetterQueueUrl: run.one(T.queue, "worker-failures-dlq").state.url,
      deadLetterQueueArn: run.one(T.queue, "worker-failures-dlq").state.arn,
    });
  });
});

describe("a stack that deploys with a profile, an assumed role and an allowed account", () => {
  const ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/holdline-deployer`;
  const run = stackRun("dev", {
    ...stackFile("dev"),
    "aws:profile": "holdline-dev",
    "aws:assumeRoles": [
      { roleArn: ROLE, sessionName: "holdline-deploy", externalId: "ext-1", duration: "1h" },
    ],
    "aws:allowedAccountIds": [ACCOUNT_ID],
  });

  it("gives the aws-native provider the same profile, role and account guard as the aws one", () => {
    // A provider's structured settings reach the engine as JSON, as the stack's own config does.
    const { inputs } = run.one(T.nativeProvider, "-aws-native");

    expect([inputs.region, inputs.profile]).toEqual([DEV_REGION, "holdline-dev"]);
    expect(JSON.parse(inputs.assumeRole)).toEqual({
      roleArn: ROLE,
      sessionName: "holdline-deploy",
      externalId: "ext-1",
      durationSeconds: 3600,
    });
    expect(JSON.parse(inputs.allowedAccountIds)).toEqual([ACCOUNT_ID]);
  });
});

describe("aws settings the aws-native provider cannot take the same way", () => {
  const refusal = (config: Record<string, unknown>) => () => {
    pulumi.runtime.setAllConfig(
      Object.fromEntries(
        Object.entries(config).map(([key, value]) => [
          key,
          typeof value === "string" ? value : JSON.stringify(value),
        ]),
      ),
    );
    awsNativeProviderArgs("us-east-1");
  };

  it("refuses a chain of assumed roles instead of deploying the bot with other credentials", () => {
    expect(
      refusal({
        "aws:assumeRoles": [
          { roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/first` },
          { roleArn: `arn:aws:iam::${ACCOUNT_ID}:role/second` },
        ],
      }),
    ).toThrow(/aws:assumeRoles chains more than one role/);
  });

  it("refuses a web identity, which aws-native has no setting for", () => {
    expect(refusal({ "aws:assumeRoleWithWebIdentity": { roleArn: "arn:aws:iam::1:role/x" } })).toThrow(
      /aws:assumeRoleWithWebIdentity is set/,
    );
  });

  it("reads a duration like the aws provider's: 1h30m is 5400 seconds", () => {
    expect(durationSeconds("1h30m")).toBe(5400);
    expect(() => durationSeconds("90 minutes")).toThrow(/not like 1h, 15m or 900s/);
  });
});

import { describe, expect, it } from "vitest";
import { APPS, DEV_LEX_ALIAS, DEV_REGION, fn, T } from "./support/holdline-stacks.ts";
import { CLAIMED_NUMBER, CREATED_INSTANCE_ID, stackRun } from "./support/pulumi-program.ts";

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
      functionNames: Object.fromEntries(APPS.map((app) => [app, fn(run, app).state.name])),
      logGroupNames: Object.fromEntries(APPS.map((app) => [app, fn(run, app).inputs.loggingConfig.logGroup])),
      lexBotAliasArn: DEV_LEX_ALIAS,
      tableName: run.ofType(T.table)[0]?.state.name,
      failureQueueUrl: run.one(T.queue, "worker-failures-queue").state.url,
      deadLetterQueueUrl: run.one(T.queue, "worker-failures-dlq").state.url,
      deadLetterQueueArn: run.one(T.queue, "worker-failures-dlq").state.arn,
    });
  });
});

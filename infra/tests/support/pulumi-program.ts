import { readFileSync } from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, vi } from "vitest";
import { parse } from "yaml";
import { BUILT_APPS } from "./app-bundles.ts";

/** The example account of the stack files (and of AWS's documentation). */
export const ACCOUNT_ID = "111122223333";
export const CREATED_INSTANCE_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
export const CLAIMED_NUMBER = { id: "7f3e2d1c-0b9a-4876-a543-210fedcba987", phoneNumber: "+12065550100" };
/** The label DynamoDB would give the executions table's stream. */
export const STREAM_LABEL = "2025-06-01T00:00:00.000";
/** The ids Lex would give the bot the program creates, its published version and its alias. */
export const CREATED_BOT = { id: "HOLDLNBOT1", version: "1", aliasId: "HOLDLNALS1" };

/** One resource as the engine would have received it: inputs fully resolved, plus the mock's state. */
export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** The explicit provider the engine would use (`<provider URN>::<provider id>`), when there is one. */
  readonly provider: string | undefined;
  // biome-ignore lint/suspicious/noExplicitAny: resource inputs are arbitrary JSON, asserted on by tests.
  readonly inputs: Record<string, any>;
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  readonly state: Record<string, any>;
}

export interface ProgramRun {
  readonly resources: readonly RegisteredResource[];
  /** The URN of every resource the program constructed (components included). */
  readonly urns: readonly string[];
  /**
   * The logical names of the resources `dependsOn` names for the one resource of `type` whose name ends
   * with `nameSuffix` (its options as the program wrote them; inherited ones are not there).
   */
  dependsOn(type: string, nameSuffix: string): string[];
  /** The resource options the program gave that resource. */
  options(type: string, nameSuffix: string): pulumi.CustomResourceOptions;
  /** The stack outputs, resolved. */
  readonly outputs: Readonly<Record<string, unknown>>;
  ofType(type: string): RegisteredResource[];
  /** The single resource of `type` whose logical name ends with `nameSuffix`. */
  one(type: string, nameSuffix: string): RegisteredResource;
}

/** Resolves an output the way the engine would hand it to a dependent resource. */
export const resolve = <T>(output: pulumi.Output<T>): Promise<T> =>
  new Promise((done) => {
    output.apply((value) => {
      done(value);
      return value;
    });
  });

/** Stack configuration as `Pulumi.<stack>.yaml` writes it: `holdline:*` keys plus `aws:region`. */
export type StackConfig = Readonly<Record<string, unknown>>;

/** The configuration of a stack file in this directory, e.g. `Pulumi.dev.yaml`. */
export function stackFile(stack: string): StackConfig {
  const file = new URL(`../../Pulumi.${stack}.yaml`, import.meta.url);
  return (parse(readFileSync(file, "utf8")) as { config: StackConfig }).config;
}

/**
 * Runs `index.ts` — the real program, freshly imported — against mocks, as `pulumi up` would with the given
 * stack name and `holdline:*` configuration, then waits until every resource the program constructed has
 * been registered (its URN resolved) before returning them.
 */
export async function runProgram(
  stack: string,
  config: StackConfig,
  options: { appsDirectory?: string } = {},
): Promise<ProgramRun> {
  const region = String(config["aws:region"]);
  const resources: RegisteredResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const state = { ...args.inputs, ...computedState(region, args.type, args.name, args.inputs) };
        const id = state.id ?? `${args.name}-id`;
        resources.push({
          type: args.type,
          name: args.name,
          custom: args.custom ?? true,
          provider: args.provider === undefined || args.provider === "" ? undefined : args.provider,
          inputs: args.inputs,
          state,
        });
        return { id, state };
      },
      call(args) {
        switch (args.token) {
          case "aws:index/getCallerIdentity:getCallerIdentity":
            return {
              accountId: ACCOUNT_ID,
              arn: `arn:aws:iam::${ACCOUNT_ID}:user/deployer`,
              userId: "AIDAEXAMPLE",
            };
          case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
          case "aws:index/getRegion:getRegion":
            return { region, name: region, id: region };
          default:
            throw new Error(`unmocked call ${args.token}`);
        }
      },
    },
    "holdline",
    stack,
    false,
  );
  // The engine hands a program every value as a string; structured values as JSON.
  pulumi.runtime.setAllConfig(
    Object.fromEntries(
      Object.entries(config).map(([key, value]) => [
        key,
        typeof value === "string" ? value : JSON.stringify(value),
      ]),
    ),
  );

  const constructed: {
    resource: pulumi.Resource;
    type: string;
    name: string;
    opts: pulumi.ResourceOptions;
  }[] = [];
  const outputs = await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      constructed.push({ resource: args.resource, type: args.type, name: args.name, opts: args.opts });
      return undefined;
    });
    vi.resetModules();
    // The program deploys the bundles of a fixture apps/ directory, not whatever the real dist/ holds.
    const appsDirectory = options.appsDirectory ?? BUILT_APPS;
    vi.doMock("../../src/apps-directory.ts", () => ({ APPS_DIRECTORY: appsDirectory }));
    return { ...(await import("../../index.ts")) };
  });
  const urns = await Promise.all(constructed.map(({ resource }) => resolve(resource.urn)));
  // Components register their outputs last; let those calls finish before another run swaps the mocks.
  await pulumi.runtime.disconnect();

  const program = resources.filter((resource) => resource.type !== "pulumi:pulumi:Stack");
  const constructedOne = (type: string, nameSuffix: string) => {
    const found = constructed.filter((entry) => entry.type === type && entry.name.endsWith(nameSuffix));
    if (found.length !== 1)
      throw new Error(`expected one ${type} named *${nameSuffix}, found ${found.length}`);
    return found[0] as (typeof constructed)[number];
  };
  const nameOf = (resource: unknown) =>
    constructed.find((entry) => entry.resource === resource)?.name ?? "(not constructed by the program)";
  return {
    resources: program,
    urns,
    options: (type, nameSuffix) => constructedOne(type, nameSuffix).opts as pulumi.CustomResourceOptions,
    dependsOn(type, nameSuffix) {
      const { dependsOn } = constructedOne(type, nameSuffix).opts;
      return (Array.isArray(dependsOn) ? dependsOn : dependsOn === undefined ? [] : [dependsOn]).map(nameOf);
    },
    outputs: outputs ?? {},
    ofType: (type) => program.filter((resource) => resource.type === type),
    one(type, nameSuffix) {
      const found = program.filter(
        (resource) => resource.type === type && resource.name.endsWith(nameSuffix),
      );
      if (found.length !== 1) {
        throw new Error(`expected one ${type} named *${nameSuffix}, found ${found.length}`);
      }
      return found[0] as RegisteredResource;
    },
  };
}

/**
 * The run of the program for `stack` (with its stack file's configuration unless `config` is given), filled
 * in by a `beforeAll` this registers in the calling suite: read it in that suite's tests, not while they
 * are collected. Runs of one file happen one after another, as `runProgram` needs.
 */
export function stackRun(stack: string, config: StackConfig = stackFile(stack)): ProgramRun {
  const run = {} as ProgramRun;
  beforeAll(async () => {
    Object.assign(run, await runProgram(stack, config));
  });
  return run;
}

function computedState(
  region: string,
  type: string,
  name: string,
  // biome-ignore lint/suspicious/noExplicitAny: resource inputs are arbitrary JSON.
  inputs: Record<string, any>,
): Record<string, unknown> {
  const physical: string =
    inputs.name ?? (inputs.namePrefix === undefined ? name : `${inputs.namePrefix}mock`);
  const regional = (service: string) => `arn:aws:${service}:${region}:${ACCOUNT_ID}`;
  switch (type) {
    case "aws:lambda/function:Function":
      return { name: physical, arn: `${regional("lambda")}:function:${physical}` };
    case "aws:iam/role:Role":
      return { id: physical, name: physical, arn: `arn:aws:iam::${ACCOUNT_ID}:role/${physical}` };
    case "aws:dynamodb/table:Table":
      return {
        name: physical,
        arn: `${regional("dynamodb")}:table/${physical}`,
        // DynamoDB labels a stream with the time it was enabled.
        ...(inputs.streamEnabled === true
          ? { streamArn: `${regional("dynamodb")}:table/${physical}/stream/${STREAM_LABEL}` }
          : {}),
      };
    case "aws:cloudwatch/eventRule:EventRule":
      return { name: physical, arn: `${regional("events")}:rule/${physical}` };
    case "aws:sqs/queue:Queue":
      return {
        name: physical,
        arn: `${regional("sqs")}:${physical}`,
        url: `https://sqs.${region}.amazonaws.com/${ACCOUNT_ID}/${physical}`,
      };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { name: physical, arn: `${regional("logs")}:log-group:${physical}` };
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      return { name: physical, arn: `${regional("cloudwatch")}:alarm:${physical}` };
    case "aws:connect/instance:Instance":
      return { id: CREATED_INSTANCE_ID, arn: `${regional("connect")}:instance/${CREATED_INSTANCE_ID}` };
    case "aws:connect/contactFlow:ContactFlow":
      return {
        contactFlowId: `${name}-flow-id`,
        arn: `${regional("connect")}:instance/${inputs.instanceId}/contact-flow/${name}-flow-id`,
      };
    case "aws:connect/phoneNumber:PhoneNumber":
      return { ...CLAIMED_NUMBER, arn: `${regional("connect")}:phone-number/${CLAIMED_NUMBER.id}` };
    case "aws-native:lex:Bot":
      return { id: CREATED_BOT.id, awsId: CREATED_BOT.id, arn: `${regional("lex")}:bot/${CREATED_BOT.id}` };
    case "aws-native:lex:BotVersion":
      return { id: `${inputs.botId}|${CREATED_BOT.version}`, botVersion: CREATED_BOT.version };
    case "aws-native:lex:BotAlias":
      return {
        id: `${CREATED_BOT.aliasId}|${inputs.botId}`,
        botAliasId: CREATED_BOT.aliasId,
        arn: `${regional("lex")}:bot-alias/${inputs.botId}/${CREATED_BOT.aliasId}`,
      };
    case "aws-native:connect:IntegrationAssociation":
      return { integrationAssociationId: `${name}-association-id` };
    default:
      return {};
  }
}

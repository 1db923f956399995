import { deriveBudget } from "@holdline/budget/timing-budget";
import { flowContent } from "@holdline/contact-flow/flow-language";
import { buildHoldlineFlow } from "@holdline/contact-flow/holdline/holdline-flows";
import { JA_JP } from "@holdline/contact-flow/holdline/prompt-packs";
import { validateFlow } from "@holdline/contact-flow/validate-flow";
import { beforeAll, describe, expect, it } from "vitest";
import { existingBotAliasArn, existingInstanceArn } from "../src/connect-integration.ts";
import { parseStackSettings } from "../src/stack-settings.ts";
import { privilegeViolations } from "./support/least-privilege.ts";
import {
  ACCOUNT_ID,
  CREATED_BOT,
  type ProgramRun,
  type RegisteredResource,
  runProgram,
  type StackConfig,
  stackFile,
} from "./support/pulumi-program.ts";

const PROD_REGION = "ap-northeast-1";
const PROD_INSTANCE_ID = "5c1e7a2b-3d4f-4e6a-9b8c-7d6e5f4a3b2c";
const PROD_INSTANCE_ARN = `arn:aws:connect:${PROD_REGION}:${ACCOUNT_ID}:instance/${PROD_INSTANCE_ID}`;
const PROD_LEX_ALIAS = `arn:aws:lex:${PROD_REGION}:${ACCOUNT_ID}:bot-alias/${CREATED_BOT.id}/${CREATED_BOT.aliasId}`;
const PROD_GUARDRAIL_ARN = `arn:aws:bedrock:${PROD_REGION}:${ACCOUNT_ID}:guardrail/abcd1234efgh`;
const PROD_MODEL_ARNS = [
  `arn:aws:bedrock:${PROD_REGION}:${ACCOUNT_ID}:inference-profile/jp.anthropic.claude-haiku-4-5-20251001-v1:0`,
  "arn:aws:bedrock:ap-northeast-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
  "arn:aws:bedrock:ap-northeast-3::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
];

const only = (run: ProgramRun, type: string): RegisteredResource => {
  const [found, ...others] = run.ofType(type);
  if (found === undefined || others.length > 0) throw new Error(`expected one ${type}`);
  return found;
};
const table = (run: ProgramRun) => only(run, "aws:dynamodb/table:Table").inputs;
const functions = (run: ProgramRun) => run.ofType("aws:lambda/function:Function");
const alarmsNamed = (run: ProgramRun, suffix: string) =>
  run.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((alarm) => alarm.name.endsWith(suffix));

describe("dev and prod stacks differ as the profiles document", () => {
  let dev: ProgramRun;
  let prod: ProgramRun;
  beforeAll(async () => {
    dev = await runProgram("dev", stackFile("dev"));
    prod = await runProgram("prod", stackFile("prod"));
  });

  it("protects only the prod table from deletion", () => {
    expect(table(dev).deletionProtectionEnabled).toBe(false);
    expect(table(prod).deletionProtectionEnabled).toBe(true);
  });

  it("keeps 35 days of point-in-time recovery in prod and 7 in dev", () => {
    expect(table(dev).pointInTimeRecovery).toEqual({ enabled: true, recoveryPeriodInDays: 7 });
    expect(table(prod).pointInTimeRecovery).toEqual({ enabled: true, recoveryPeriodInDays: 35 });
  });

  it("keeps logs 90 days in prod and 14 in dev", () => {
    const retention = (run: ProgramRun) =>
      new Set(run.ofType("aws:cloudwatch/logGroup:LogGroup").map((group) => group.inputs.retentionInDays));
    expect(retention(dev)).toEqual(new Set([14]));
    expect(retention(prod)).toEqual(new Set([90]));
  });

  it("reserves concurrency for the worker in prod only", () => {
    const reserved = (run: ProgramRun) =>
      Object.fromEntries(
        functions(run)
          .filter((fn) => fn.inputs.reservedConcurrentExecutions !== undefined)
          .map((fn) => [
            fn.name.replace(/^holdline-(dev|prod)-/, ""),
            fn.inputs.reservedConcurrentExecutions,
          ]),
      );
    expect(reserved(dev)).toEqual({});
    expect(reserved(prod)).toEqual({ "answer-worker": 100 });
  });

  it("keeps failure records 4 days and dead letters 14 days in prod, 1 and 4 days in dev", () => {
    const retention = (run: ProgramRun, suffix: string) =>
      run.one("aws:sqs/queue:Queue", suffix).inputs.messageRetentionSeconds / 86_400;
    expect([retention(dev, "-queue"), retention(dev, "-dlq")]).toEqual([1, 4]);
    expect([retention(prod, "-queue"), retention(prod, "-dlq")]).toEqual([4, 14]);
  });

  it("alarms on every function error within a minute in prod, on 5 errors in 5 minutes in dev", () => {
    const errors = (run: ProgramRun) =>
      new Set(
        alarmsNamed(run, "-errors").map((alarm) => `${alarm.inputs.threshold}/${alarm.inputs.period}s`),
      );
    expect(errors(dev)).toEqual(new Set(["5/300s"]));
    expect(errors(prod)).toEqual(new Set(["1/60s"]));
  });

  it("alarms at a p99 duration of 80% of the timeout in prod and 90% in dev", () => {
    const fractions = (run: ProgramRun) =>
      new Set(
        alarmsNamed(run, "-duration-p99").map((alarm) => {
          const fn = functions(run).find(
            (candidate) => candidate.state.name === alarm.inputs.dimensions.FunctionName,
          );
          return alarm.inputs.threshold / (fn?.inputs.timeout * 1000);
        }),
      );
    expect(fractions(dev)).toEqual(new Set([0.9]));
    expect(fractions(prod)).toEqual(new Set([0.8]));
  });

  it("alarms on a failure record a minute old in prod and five minutes old in dev", () => {
    expect(alarmsNamed(dev, "-failure-queue-age")[0]?.inputs.threshold).toBe(300);
    expect(alarmsNamed(prod, "-failure-queue-age")[0]?.inputs.threshold).toBe(60);
  });

  it("notifies the prod alarm topic on alarm and on recovery; dev alarms notify nobody", () => {
    const topic = `arn:aws:sns:${PROD_REGION}:${ACCOUNT_ID}:holdline-prod-alarms`;
    const actions = (run: ProgramRun) =>
      new Set(
        run
          .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
          .map((alarm) => JSON.stringify([alarm.inputs.alarmActions, alarm.inputs.okActions])),
      );
    expect(actions(dev)).toEqual(new Set([JSON.stringify([[], []])]));
    expect(actions(prod)).toEqual(new Set([JSON.stringify([[topic], [topic]])]));
  });

  it("builds the same resources apart from the Connect instance and number dev creates", () => {
    const kinds = (run: ProgramRun) =>
      run.resources
        .map((resource) => `${resource.type} ${resource.name.split("-").slice(2).join("-")}`)
        .sort();
    const devOnly = kinds(dev).filter((kind) => !kinds(prod).includes(kind));
    const prodOnly = kinds(prod).filter((kind) => !kinds(dev).includes(kind));

    expect(devOnly).toEqual([
      "aws:connect/instance:Instance connect-instance",
      "aws:connect/phoneNumber:PhoneNumber connect-number",
    ]);
    expect(prodOnly).toEqual([]);
  });

  it("times both stacks' functions alike: the budget, not the environment, sets timeouts", () => {
    const timeouts = (run: ProgramRun) =>
      Object.fromEntries(
        functions(run).map((fn) => [fn.name.replace(/^holdline-(dev|prod)-/, ""), fn.inputs.timeout]),
      );
    expect(timeouts(prod)).toEqual(timeouts(dev));
  });
});

describe("the prod stack: an existing instance and number, a guardrail, a Japan inference profile", () => {
  let prod: ProgramRun;
  beforeAll(async () => {
    prod = await runProgram("prod", stackFile("prod"));
  });

  it("creates no instance and scopes Connect's invoke permissions to the configured one", () => {
    const connect = prod
      .ofType("aws:lambda/permission:Permission")
      .filter((permission) => permission.inputs.principal === "connect.amazonaws.com");

    expect(prod.ofType("aws:connect/instance:Instance")).toEqual([]);
    expect(connect).toHaveLength(2);
    for (const permission of connect) {
      expect(permission.inputs).toMatchObject({ sourceArn: PROD_INSTANCE_ARN, sourceAccount: ACCOUNT_ID });
    }
    for (const association of prod.ofType(
      "aws:connect/lambdaFunctionAssociation:LambdaFunctionAssociation",
    )) {
      expect(association.inputs.instanceId).toBe(PROD_INSTANCE_ID);
    }
  });

  it("routes the configured number to the flow without claiming one", () => {
    const route = only(
      prod,
      "aws:connect/phoneNumberContactFlowAssociation:PhoneNumberContactFlowAssociation",
    );

    expect(prod.ofType("aws:connect/phoneNumber:PhoneNumber")).toEqual([]);
    expect(route.inputs).toEqual({
      instanceId: PROD_INSTANCE_ID,
      phoneNumberId: "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",
      contactFlowId: only(prod, "aws:connect/contactFlow:ContactFlow").state.contactFlowId,
    });
  });

  it("deploys the builder's ja-JP polling flow, which the validator accepts", () => {
    const arn = (app: string) => prod.one("aws:lambda/function:Function", `-${app}`).state.arn;
    const content = only(prod, "aws:connect/contactFlow:ContactFlow").inputs.content;
    const expected = buildHoldlineFlow("polling", {
      lambdas: { start: arn("connect-start"), status: arn("connect-status"), answer: arn("connect-answer") },
      lexBotAliasArn: PROD_LEX_ALIAS,
      prompts: JA_JP,
      budget: deriveBudget({ answerDeadlineMs: 60_000, maxSilenceMs: 3_000 }),
      name: "holdline-prod-connect-flow",
    });

    expect(content).toBe(flowContent(expected));
    expect(validateFlow(JSON.parse(content))).toEqual([]);
  });

  it("creates its own bot in the stack's Region and associates it with the existing instance", () => {
    expect(only(prod, "pulumi:providers:aws-native").inputs.region).toBe(PROD_REGION);
    expect(only(prod, "aws-native:lex:BotAlias").state.arn).toBe(PROD_LEX_ALIAS);
    expect(only(prod, "aws-native:connect:IntegrationAssociation").inputs).toEqual({
      instanceId: PROD_INSTANCE_ARN,
      integrationType: "LEX_BOT",
      integrationArn: PROD_LEX_ALIAS,
    });
  });

  it("lets the model-calling functions apply the configured guardrail and tells them which", () => {
    for (const app of ["answer-worker", "connect-answer"]) {
      const fn = prod.one("aws:lambda/function:Function", `-${app}`);
      const roleName = prod.one("aws:iam/role:Role", `-${app}-role`).state.name;
      const granted = prod
        .ofType("aws:iam/rolePolicy:RolePolicy")
        .filter((policy) => policy.inputs.role === roleName)
        .flatMap((policy) => JSON.parse(policy.inputs.policy).Statement)
        .filter((statement: { Action: string[] }) => statement.Action.includes("bedrock:ApplyGuardrail"));

      expect(granted.map((statement: { Resource: string[] }) => statement.Resource)).toEqual([
        [PROD_GUARDRAIL_ARN],
      ]);
      expect(fn.inputs.environment.variables).toMatchObject({
        HOLDLINE_GUARDRAIL_ID: "abcd1234efgh",
        HOLDLINE_GUARDRAIL_VERSION: "1",
        HOLDLINE_DEFAULT_LOCALE: "ja-JP",
      });
    }
  });

  it("grants no wildcard action and no unscoped resource in any policy document", () => {
    expect(privilegeViolations(prod, { externalArns: [...PROD_MODEL_ARNS, PROD_GUARDRAIL_ARN] })).toEqual([]);
  });
});

describe("the dev stack naming an existing bot alias instead of creating a bot", () => {
  const EXISTING_ALIAS = `arn:aws:lex:us-east-1:${ACCOUNT_ID}:bot-alias/EXISTBOT01/EXISTALS01`;
  let run: ProgramRun;
  beforeAll(async () => {
    const dev = stackFile("dev");
    run = await runProgram("dev", {
      ...dev,
      "holdline:connect": { ...(dev["holdline:connect"] as object), lexBotAliasArn: EXISTING_ALIAS },
    });
  });

  it("creates no bot, no bot role and no association: the alias's owner wires and associates it", () => {
    const native = run.resources.filter(
      (resource) =>
        resource.type.startsWith("aws-native:") || resource.type === "pulumi:providers:aws-native",
    );

    expect(native.map((resource) => resource.type)).toEqual([]);
    expect(run.ofType("aws:iam/role:Role").filter((role) => role.name.includes("-speech-"))).toEqual([]);
  });

  it("lets Lex invoke the code hook from that alias only, and has the flow talk to it", () => {
    const lex = run
      .ofType("aws:lambda/permission:Permission")
      .filter((permission) => permission.inputs.principal === "lexv2.amazonaws.com");
    const flow = JSON.parse(only(run, "aws:connect/contactFlow:ContactFlow").inputs.content) as {
      Actions: { Type: string; Parameters: { LexV2Bot?: { AliasArn?: string } } }[];
    };

    expect(lex.map((permission) => permission.inputs.sourceArn)).toEqual([EXISTING_ALIAS]);
    expect(
      flow.Actions.filter((action) => action.Type === "ConnectParticipantWithLexBot").map(
        (action) => action.Parameters.LexV2Bot?.AliasArn,
      ),
    ).toEqual([EXISTING_ALIAS, EXISTING_ALIAS]);
    expect(run.outputs.lexBotAliasArn).toBe(EXISTING_ALIAS);
  });
});

describe("stack configuration", () => {
  const dev = stackFile("dev");
  const settingsOf = (config: StackConfig) =>
    parseStackSettings(
      Object.fromEntries(
        Object.entries(config)
          .filter(([key]) => key.startsWith("holdline:"))
          .map(([key, value]) => [key.slice("holdline:".length), value]),
      ),
    );

  it("reads both stack files", () => {
    expect(settingsOf(dev).environment).toBe("dev");
    expect(settingsOf(stackFile("prod")).environment).toBe("prod");
  });

  it("refuses an unknown strategy, naming the key", () => {
    expect(() => settingsOf({ ...dev, "holdline:strategy": "websocket" })).toThrow(/holdline:strategy/);
  });

  it("refuses budget choices the budget cannot honour, naming the keys", () => {
    expect(() => settingsOf({ ...dev, "holdline:answerDeadlineMs": 900_000 })).toThrow(
      /holdline:answerDeadlineMs/,
    );
    expect(() => settingsOf({ ...dev, "holdline:maxSilenceMs": 300 })).toThrow(/holdline:maxSilenceMs/);
  });

  it("refuses a stack that both creates an instance and names an existing one", () => {
    const connect = {
      ...(dev["holdline:connect"] as object),
      instanceArn: `arn:aws:connect:us-east-1:${ACCOUNT_ID}:instance/${"0".repeat(8)}-0000-0000-0000-${"0".repeat(12)}`,
    };
    expect(() => settingsOf({ ...dev, "holdline:connect": connect })).toThrow(/exactly one of instanceArn/);
  });

  it("refuses a Lex V1 bot or anything but a Lex V2 bot alias ARN", () => {
    const connect = {
      ...(dev["holdline:connect"] as object),
      lexBotAliasArn: `arn:aws:lex:us-east-1:${ACCOUNT_ID}:bot:Holdline`,
    };
    expect(() => settingsOf({ ...dev, "holdline:connect": connect })).toThrow(
      /holdline:connect.lexBotAliasArn/,
    );
  });

  it("creates Holdline's own bot unless the stack names an existing bot alias", () => {
    expect(settingsOf(dev).connect.lexBot).toEqual({ kind: "create" });
  });

  it("refuses an existing bot alias outside the stack's account or region", () => {
    const aliasArn = `arn:aws:lex:us-east-1:${ACCOUNT_ID}:bot-alias/EXISTBOT01/EXISTALS01`;
    const { lexBot } = settingsOf({
      ...dev,
      "holdline:connect": { ...(dev["holdline:connect"] as object), lexBotAliasArn: aliasArn },
    }).connect;
    if (lexBot.kind !== "existing") throw new Error("the stack names an existing bot alias");

    expect(existingBotAliasArn(lexBot, ACCOUNT_ID, "us-east-1")).toBe(aliasArn);
    expect(() => existingBotAliasArn(lexBot, "444455556666", "us-east-1")).toThrow(/444455556666/);
    expect(() => existingBotAliasArn(lexBot, ACCOUNT_ID, PROD_REGION)).toThrow(/ap-northeast-1/);
  });

  it("needs the foundation model of an inference profile it cannot read from the profile id", () => {
    const bedrock = { modelId: "my-application-profile", inferenceProfile: { regions: ["us-east-1"] } };
    expect(() => settingsOf({ ...dev, "holdline:bedrock": bedrock })).toThrow(/foundationModelId/);
  });

  it("refuses an existing instance outside the stack's account or region", () => {
    const { connect } = settingsOf(stackFile("prod"));
    if (connect.instance.kind !== "existing") throw new Error("the prod stack names an existing instance");

    expect(existingInstanceArn(connect.instance, ACCOUNT_ID, PROD_REGION)).toBe(PROD_INSTANCE_ARN);
    expect(() => existingInstanceArn(connect.instance as never, "444455556666", PROD_REGION)).toThrow(
      /444455556666/,
    );
    expect(() => existingInstanceArn(connect.instance as never, ACCOUNT_ID, "us-east-1")).toThrow(
      /us-east-1/,
    );
  });
});

describe("the privilege walker", () => {
  const ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT_ID}:table/executions`;
  const GROUP = `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:/aws/lambda/fn`;
  const resource = (type: string, name: string, inputs: object, state: object = {}): RegisteredResource => ({
    type,
    name,
    custom: true,
    provider: undefined,
    inputs,
    state,
  });
  const runWith = (statement: object, extra: RegisteredResource[] = []): ProgramRun => {
    const resources = [
      resource("aws:dynamodb/table:Table", "table", {}, { arn: ARN }),
      resource("aws:cloudwatch/logGroup:LogGroup", "logs", {}, { arn: GROUP }),
      resource("aws:iam/rolePolicy:RolePolicy", "policy", {
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Sid: "Probe", Effect: "Allow", ...statement }],
        }),
      }),
      ...extra,
    ];
    const unused = () => {
      throw new Error("unused");
    };
    return {
      resources,
      urns: [],
      outputs: {},
      ofType: (type) => resources.filter((candidate) => candidate.type === type),
      one: unused,
      dependsOn: unused,
      options: unused,
    };
  };
  const violations = (statement: object, extra?: RegisteredResource[]) =>
    privilegeViolations(runWith(statement, extra), { externalArns: [] });

  it("accepts one specific action on one resource of the stack", () => {
    expect(violations({ Action: ["dynamodb:GetItem"], Resource: [ARN] })).toEqual([]);
  });

  it.each([
    ["a service-wide action", { Action: ["dynamodb:*"], Resource: [ARN] }, /not one API action/],
    ["every action", { Action: "*", Resource: [ARN] }, /not one API action/],
    ["a prefix wildcard action", { Action: ["dynamodb:Get*"], Resource: [ARN] }, /not one API action/],
    ["every resource", { Action: ["dynamodb:GetItem"], Resource: "*" }, /wildcard/],
    ["a wildcard inside an ARN", { Action: ["dynamodb:GetItem"], Resource: [`${ARN}/index/*`] }, /wildcard/],
    ["a resource outside the stack", { Action: ["dynamodb:GetItem"], Resource: [`${ARN}-other`] }, /neither/],
    ["NotAction", { NotAction: ["iam:*"], Resource: [ARN] }, /NotAction/],
    [
      "log streams of a group outside the stack",
      { Action: ["logs:PutLogEvents"], Resource: [`${GROUP}-x:*`] },
      /wildcard/,
    ],
    [
      "another action on log streams",
      { Action: ["logs:DeleteLogGroup"], Resource: [`${GROUP}:*`] },
      /wildcard/,
    ],
  ])("finds %s", (_, statement, finding) => {
    expect(violations(statement).join("\n")).toMatch(finding);
  });

  it("allows the one wildcard AWS requires: this stack's log group's streams, for writing logs", () => {
    expect(
      violations({ Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [`${GROUP}:*`] }),
    ).toEqual([]);
  });

  it("refuses attached managed policies, which it cannot walk", () => {
    const attachment = resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "attach", {
      policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    });
    expect(violations({ Action: ["dynamodb:GetItem"], Resource: [ARN] }, [attachment]).join()).toMatch(
      /managed policy/,
    );
  });

  it("refuses a role any principal but Lambda may assume", () => {
    const role = resource("aws:iam/role:Role", "role", {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }],
      }),
    });
    expect(violations({ Action: ["dynamodb:GetItem"], Resource: [ARN] }, [role]).join()).toMatch(/trusts/);
  });

  describe("on a Lex bot's role", () => {
    const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/bot-role`;
    const document = (statement: object) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
    const role = (service: string) =>
      resource(
        "aws:iam/role:Role",
        "bot-role",
        {
          assumeRolePolicy: document({
            Effect: "Allow",
            Principal: { Service: service },
            Action: "sts:AssumeRole",
          }),
        },
        { id: "bot-role", arn: ROLE_ARN },
      );
    const bot = resource("aws-native:lex:Bot", "bot", { roleArn: ROLE_ARN });
    const grant = (statement: object) =>
      resource("aws:iam/rolePolicy:RolePolicy", "bot-policy", {
        role: "bot-role",
        policy: document({ Sid: "BotProbe", Effect: "Allow", ...statement }),
      });
    const speech = { Action: ["polly:SynthesizeSpeech"], Resource: "*" };
    const findings = (extra: RegisteredResource[]) =>
      violations({ Action: ["dynamodb:GetItem"], Resource: [ARN] }, extra).join("\n");

    it("allows Lex to assume it and Polly's SynthesizeSpeech, which takes no resource but *", () => {
      expect(findings([role("lexv2.amazonaws.com"), bot, grant(speech)])).toBe("");
    });

    it.each([
      ["Lex trusted by a role no bot of the stack runs with", () => [role("lexv2.amazonaws.com")], /trusts/],
      [
        "SynthesizeSpeech on * for a role no bot runs with",
        () => [role("lambda.amazonaws.com"), grant(speech)],
        /wildcard/,
      ],
      [
        "another action on * beside it",
        () => [
          role("lexv2.amazonaws.com"),
          bot,
          grant({ ...speech, Action: [...speech.Action, "lex:RecognizeText"] }),
        ],
        /wildcard/,
      ],
      [
        "IAM made through aws-native",
        () => [resource("aws-native:iam:Role", "native-role", {})],
        /does not read/,
      ],
    ])("finds %s", (_, extra, finding) => {
      expect(findings(extra())).toMatch(finding);
    });
  });
});

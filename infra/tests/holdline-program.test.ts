import {
  EXECUTION_TTL_ATTRIBUTE,
  executionTableDefinition,
} from "@holdline/adapters-dynamodb/execution-table";
import { loadConfig as answerWorkerConfig } from "@holdline/app-answer-worker/config";
import { loadConfig as connectAnswerConfig } from "@holdline/app-connect-answer/config";
import { loadConfig as connectStartConfig } from "@holdline/app-connect-start/config";
import { loadConfig as connectStatusConfig } from "@holdline/app-connect-status/config";
import { loadConfig as failureRecorderConfig } from "@holdline/app-failure-recorder/config";
import { loadConfig as lexTranscriptConfig } from "@holdline/app-lex-transcript/config";
import { functionMemoryMb } from "@holdline/budget/function-memory";
import { deriveBudget } from "@holdline/budget/timing-budget";
import { flowContent } from "@holdline/contact-flow/flow-language";
import { LEX_BOT } from "@holdline/connect-contract/flow-contract";
import { buildHoldlineFlow, type Strategy } from "@holdline/contact-flow/holdline/holdline-flows";
import { simulateHoldlineBot } from "@holdline/contact-flow/holdline/lex-bot-simulation";
import { EN_US } from "@holdline/contact-flow/holdline/prompt-packs";
import { validateFlow } from "@holdline/contact-flow/validate-flow";
import { beforeAll, describe, expect, it } from "vitest";
import { botDefinitionDigest } from "../src/speech-input.ts";
import { privilegeViolations } from "./support/least-privilege.ts";
import {
  ACCOUNT_ID,
  CLAIMED_NUMBER,
  CREATED_BOT,
  CREATED_INSTANCE_ID,
  type ProgramRun,
  type RegisteredResource,
  runProgram,
  stackFile,
} from "./support/pulumi-program.ts";

const T = {
  function: "aws:lambda/function:Function",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  table: "aws:dynamodb/table:Table",
  queue: "aws:sqs/queue:Queue",
  permission: "aws:lambda/permission:Permission",
  association: "aws:connect/lambdaFunctionAssociation:LambdaFunctionAssociation",
  flow: "aws:connect/contactFlow:ContactFlow",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  nativeProvider: "pulumi:providers:aws-native",
  bot: "aws-native:lex:Bot",
  botVersion: "aws-native:lex:BotVersion",
  botAlias: "aws-native:lex:BotAlias",
  lexAssociation: "aws-native:connect:IntegrationAssociation",
} as const;

const APPS = [
  "connect-start",
  "connect-status",
  "connect-answer",
  "answer-worker",
  "failure-recorder",
  "lex-transcript",
] as const;
type App = (typeof APPS)[number];

// The dev stack file's choices: its answer deadline and silence gap.
const budget = deriveBudget({ answerDeadlineMs: 60_000, maxSilenceMs: 3_000 });
const DEV_REGION = "us-east-1";
/** The alias of the bot the dev stack creates, as Lex would name it. */
const DEV_LEX_ALIAS = `arn:aws:lex:${DEV_REGION}:${ACCOUNT_ID}:bot-alias/${CREATED_BOT.id}/${CREATED_BOT.aliasId}`;
const DEV_INSTANCE_ARN = `arn:aws:connect:${DEV_REGION}:${ACCOUNT_ID}:instance/${CREATED_INSTANCE_ID}`;
const DEV_MODEL_ARNS = [
  `arn:aws:bedrock:${DEV_REGION}:${ACCOUNT_ID}:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0`,
  "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
  "arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
  "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
];

interface Statement {
  Sid: string;
  Action: string[];
  Resource: string[];
}

const fn = (run: ProgramRun, app: App) => run.one(T.function, `-${app}`);
/** Every statement granted to a function's role, across all its inline policies. */
const statementsOf = (run: ProgramRun, app: App): Statement[] => {
  const roleName = run.one(T.role, `-${app}-role`).state.name;
  return run
    .ofType(T.rolePolicy)
    .filter((policy) => policy.inputs.role === roleName)
    .flatMap((policy) => JSON.parse(policy.inputs.policy).Statement as Statement[]);
};
const actionsOn = (run: ProgramRun, app: App, resource: string) =>
  statementsOf(run, app)
    .filter((statement) => statement.Resource.includes(resource))
    .flatMap((statement) => statement.Action)
    .sort();
const flowDocument = (run: ProgramRun) => JSON.parse(run.ofType(T.flow)[0]?.inputs.content ?? "null");
const invokedLambdas = (run: ProgramRun) =>
  (flowDocument(run).Actions as { Type: string; Parameters: Record<string, string> }[])
    .filter((action) => action.Type === "InvokeLambdaFunction")
    .map((action) => action.Parameters);
const lexBlocks = (run: ProgramRun) =>
  (
    flowDocument(run).Actions as {
      Type: string;
      Parameters: { LexV2Bot?: { AliasArn?: string } };
      Transitions: { Conditions?: { Condition: { Operands: string[] } }[] };
    }[]
  ).filter((action) => action.Type === "ConnectParticipantWithLexBot");
interface BotIntent {
  name: string;
  parentIntentSignature?: string;
  sampleUtterances?: { utterance: string }[];
  fulfillmentCodeHook?: { enabled: boolean };
  dialogCodeHook?: { enabled: boolean };
}
interface BotLocale {
  localeId: string;
  nluConfidenceThreshold: number;
  voiceSettings: { voiceId: string; engine: string };
  intents: BotIntent[];
}
const botLocales = (run: ProgramRun): BotLocale[] => run.one(T.bot, "-speech-bot").inputs.botLocales;
const byLocale = <T>(run: ProgramRun, pick: (locale: BotLocale) => T): Record<string, T> =>
  Object.fromEntries(botLocales(run).map((locale) => [locale.localeId, pick(locale)]));
const byArn = (run: ProgramRun, arn: string): RegisteredResource | undefined =>
  run.ofType(T.function).find((candidate) => candidate.state.arn === arn);
const expectedFlow = (run: ProgramRun, strategy: Strategy) =>
  flowContent(
    buildHoldlineFlow(strategy, {
      lambdas: {
        start: fn(run, "connect-start").state.arn,
        status: fn(run, "connect-status").state.arn,
        answer: fn(run, "connect-answer").state.arn,
      },
      lexBotAliasArn: DEV_LEX_ALIAS,
      prompts: EN_US,
      budget,
      name: "holdline-dev-connect-flow",
    }),
  );

describe("the dev stack: polling, en-US, a new Connect instance, a claimed number", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram("dev", stackFile("dev"));
  });

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

  it("creates the executions table the store adapter defines, with TTL and point-in-time recovery", () => {
    const definition = executionTableDefinition("any");
    const table = run.ofType(T.table);

    expect(table).toHaveLength(1);
    expect(table[0]?.inputs).toMatchObject({
      billingMode: definition.BillingMode,
      hashKey: definition.KeySchema?.find((key) => key.KeyType === "HASH")?.AttributeName,
      rangeKey: definition.KeySchema?.find((key) => key.KeyType === "RANGE")?.AttributeName,
      attributes: definition.AttributeDefinitions?.map((attribute) => ({
        name: attribute.AttributeName,
        type: attribute.AttributeType,
      })),
      ttl: { enabled: true, attributeName: EXECUTION_TTL_ATTRIBUTE },
      pointInTimeRecovery: { enabled: true },
    });
  });

  it("deploys each app's bundle as an arm64 nodejs22.x function with a role of its own", async () => {
    const roles = new Set<string>();
    for (const app of APPS) {
      const { inputs } = fn(run, app);
      expect(inputs).toMatchObject({
        runtime: "nodejs22.x",
        architectures: ["arm64"],
        handler: "index.handler",
      });
      expect(await inputs.code.path).toMatch(new RegExp(`/apps/${app}/dist$`));
      roles.add(inputs.role);
    }
    expect(roles.size).toBe(APPS.length);
    expect(run.ofType(T.function)).toHaveLength(APPS.length);
  });

  it("sizes each function from the budget's memory table", () => {
    const memory: Record<App, number> = {
      "connect-start": functionMemoryMb.connectStart,
      "connect-status": functionMemoryMb.connectStatus,
      "connect-answer": functionMemoryMb.connectAnswer,
      "answer-worker": functionMemoryMb.worker,
      "failure-recorder": functionMemoryMb.failureRecorder,
      "lex-transcript": functionMemoryMb.lexTranscript,
    };
    for (const app of APPS) expect(fn(run, app).inputs.memorySize).toBe(memory[app]);
  });

  it("times every function from deriveBudget()", () => {
    const timeouts: Record<App, number> = {
      "connect-start": budget.connectStart.lambdaTimeoutSeconds,
      "connect-status": budget.connectStatus.lambdaTimeoutSeconds,
      "connect-answer": budget.connectAnswer.lambdaTimeoutSeconds,
      "answer-worker": budget.worker.lambdaTimeoutSeconds,
      "failure-recorder": budget.failureRecorder.lambdaTimeoutSeconds,
      "lex-transcript": budget.lexTranscript.lambdaTimeoutSeconds,
    };
    for (const app of APPS) expect([app, fn(run, app).inputs.timeout]).toEqual([app, timeouts[app]]);
  });

  it("gives each function the environment its app reads, and the budget's two choices", () => {
    const table = run.ofType(T.table)[0]?.state.name;
    const store = {
      HOLDLINE_TABLE_NAME: table,
      HOLDLINE_DEFAULT_LOCALE: "en-US",
      HOLDLINE_MAX_SILENCE_MS: String(budget.choices.maxSilenceMs),
      HOLDLINE_ANSWER_DEADLINE_MS: String(budget.choices.answerDeadlineMs),
    };
    const model = {
      HOLDLINE_BEDROCK_MODEL_ID: "us.anthropic.claude-haiku-4-5-20251001-v1:0",
      HOLDLINE_BEDROCK_REGION: DEV_REGION,
      HOLDLINE_BEDROCK_API: "converse",
    };
    const dispatch = { HOLDLINE_WORKER_FUNCTION: fn(run, "answer-worker").state.name };
    const environment = (app: App) => fn(run, app).inputs.environment?.variables ?? {};

    expect(environment("connect-start")).toEqual({ ...store, ...dispatch });
    expect(environment("connect-status")).toEqual({ ...store, ...dispatch });
    expect(environment("answer-worker")).toEqual({ ...store, ...model });
    expect(environment("connect-answer")).toEqual({ ...store, ...model });
    expect(environment("failure-recorder")).toEqual(store);
    expect(environment("lex-transcript")).toEqual({});
  });

  it("gives each function an environment its app's own configuration reads in full", () => {
    const loaders: Record<App, (environment: Record<string, string | undefined>) => object> = {
      "connect-start": connectStartConfig,
      "connect-status": connectStatusConfig,
      "connect-answer": connectAnswerConfig,
      "answer-worker": answerWorkerConfig,
      "failure-recorder": failureRecorderConfig,
      "lex-transcript": lexTranscriptConfig,
    };
    for (const app of APPS) {
      const environment: Record<string, string> = fn(run, app).inputs.environment?.variables ?? {};
      // Throws, naming the variable, when one the app requires is missing or invalid.
      const read = loaders[app](environment);
      // A variable the app does not read would be a typo or a leftover.
      expect([app, Object.keys(environment).filter((key) => !(key in read))]).toEqual([app, []]);
    }
  });

  it("logs each function to a group of its own with the profile's retention", () => {
    const groups = run.ofType(T.logGroup);
    for (const app of APPS) {
      const group = groups.find(
        (candidate) => candidate.state.name === fn(run, app).inputs.loggingConfig?.logGroup,
      );
      expect(group?.inputs.retentionInDays).toBe(14);
      expect(actionsOn(run, app, `${group?.state.arn}:*`)).toEqual([
        "logs:CreateLogStream",
        "logs:PutLogEvents",
      ]);
    }
    expect(groups).toHaveLength(APPS.length);
  });

  it("grants each function exactly the item actions its use cases send to its table", () => {
    const tableArn = run.ofType(T.table)[0]?.state.arn;
    expect(actionsOn(run, "connect-start", tableArn)).toEqual([
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
    ]);
    expect(actionsOn(run, "connect-status", tableArn)).toEqual(["dynamodb:GetItem", "dynamodb:UpdateItem"]);
    expect(actionsOn(run, "answer-worker", tableArn)).toEqual([
      "dynamodb:GetItem",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
    ]);
    expect(actionsOn(run, "connect-answer", tableArn)).toEqual([
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
    ]);
    expect(actionsOn(run, "failure-recorder", tableArn)).toEqual(["dynamodb:GetItem", "dynamodb:UpdateItem"]);
    expect(actionsOn(run, "lex-transcript", tableArn)).toEqual([]);
  });

  it("lets only connect-start and connect-status invoke the worker, and nothing else", () => {
    const workerArn = fn(run, "answer-worker").state.arn;
    const invokers = APPS.filter((app) =>
      statementsOf(run, app).some((statement) => statement.Action.includes("lambda:InvokeFunction")),
    );

    expect(invokers).toEqual(["connect-start", "connect-status"]);
    for (const app of invokers) expect(actionsOn(run, app, workerArn)).toEqual(["lambda:InvokeFunction"]);
  });

  it("lets the model-calling functions invoke the inference profile and its model in each Region, nothing more", () => {
    for (const app of APPS) {
      const bedrock = statementsOf(run, app).filter((statement) =>
        statement.Action.some((action) => action.startsWith("bedrock:")),
      );
      if (app === "answer-worker" || app === "connect-answer") {
        expect(bedrock.flatMap((statement) => statement.Action)).toEqual(["bedrock:InvokeModel"]);
        expect(bedrock.flatMap((statement) => statement.Resource).sort()).toEqual([...DEV_MODEL_ARNS].sort());
      } else {
        expect([app, bedrock]).toEqual([app, []]);
      }
    }
  });

  it("grants no wildcard action and no unscoped resource in any policy document", () => {
    expect(privilegeViolations(run, { externalArns: DEV_MODEL_ARNS })).toEqual([]);
  });

  it("sends worker events Lambda gives up on to the failure queue, as the budget says", () => {
    const failureQueue = run.one(T.queue, "worker-failures-queue");
    const config = run.ofType("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig");

    expect(config).toHaveLength(1);
    expect(config[0]?.inputs).toEqual({
      functionName: fn(run, "answer-worker").state.name,
      maximumRetryAttempts: budget.worker.maximumRetryAttempts,
      maximumEventAgeInSeconds: budget.worker.maximumEventAgeSeconds,
      destinationConfig: { onFailure: { destination: failureQueue.state.arn } },
    });
    expect(actionsOn(run, "answer-worker", failureQueue.state.arn)).toEqual(["sqs:SendMessage"]);
  });

  it("has failure-recorder consume the failure queue, reporting partial batch failures", () => {
    const failureQueue = run.one(T.queue, "worker-failures-queue");
    const mappings = run.ofType("aws:lambda/eventSourceMapping:EventSourceMapping");

    expect(mappings).toHaveLength(1);
    expect(mappings[0]?.inputs).toMatchObject({
      eventSourceArn: failureQueue.state.arn,
      functionName: fn(run, "failure-recorder").state.arn,
      functionResponseTypes: ["ReportBatchItemFailures"],
      maximumBatchingWindowInSeconds: 0,
    });
    expect(actionsOn(run, "failure-recorder", failureQueue.state.arn)).toEqual([
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ReceiveMessage",
    ]);
  });

  it("gives the failure queue its own encrypted dead-letter queue, redrivable back to it only", () => {
    const failureQueue = run.one(T.queue, "worker-failures-queue");
    const deadLetters = run.one(T.queue, "worker-failures-dlq");
    const allow = run.one("aws:sqs/redriveAllowPolicy:RedriveAllowPolicy", "worker-failures-dlq-sources");

    expect(JSON.parse(failureQueue.inputs.redrivePolicy)).toEqual({
      deadLetterTargetArn: deadLetters.state.arn,
      maxReceiveCount: 5,
    });
    expect(failureQueue.inputs.visibilityTimeoutSeconds).toBe(
      6 * budget.failureRecorder.lambdaTimeoutSeconds,
    );
    expect(JSON.parse(allow.inputs.redriveAllowPolicy)).toEqual({
      redrivePermission: "byQueue",
      sourceQueueArns: [failureQueue.state.arn],
    });
    expect(allow.inputs.queueUrl).toBe(deadLetters.state.url);
    expect([failureQueue.inputs.sqsManagedSseEnabled, deadLetters.inputs.sqsManagedSseEnabled]).toEqual([
      true,
      true,
    ]);
  });

  it("creates the Connect instance the configuration names, with flow logs on", () => {
    const instances = run.ofType("aws:connect/instance:Instance");

    expect(instances).toHaveLength(1);
    expect(instances[0]?.inputs).toMatchObject({
      instanceAlias: "holdline-dev-example",
      identityManagementType: "CONNECT_MANAGED",
      inboundCallsEnabled: true,
      contactFlowLogsEnabled: true,
    });
  });

  it("associates with the instance exactly the functions the polling flow invokes", () => {
    const associated = run.ofType(T.association).map((association) => {
      expect(association.inputs.instanceId).toBe(CREATED_INSTANCE_ID);
      return association.inputs.functionArn;
    });

    expect(associated.sort()).toEqual(
      [fn(run, "connect-start").state.arn, fn(run, "connect-status").state.arn].sort(),
    );
    expect(
      invokedLambdas(run)
        .map((invoke) => invoke.LambdaFunctionARN)
        .sort(),
    ).toEqual(associated.sort());
  });

  it("lets Connect invoke only those functions, from this instance and this account", () => {
    const connect = run
      .ofType(T.permission)
      .filter((permission) => permission.inputs.principal === "connect.amazonaws.com");

    expect(connect.map((permission) => permission.inputs.function).sort()).toEqual(
      [fn(run, "connect-start").state.name, fn(run, "connect-status").state.name].sort(),
    );
    for (const permission of connect) {
      expect(permission.inputs).toMatchObject({
        action: "lambda:InvokeFunction",
        sourceArn: DEV_INSTANCE_ARN,
        sourceAccount: ACCOUNT_ID,
      });
    }
  });

  it("lets Lex invoke the code hook from the bot's alias only", () => {
    const lex = run
      .ofType(T.permission)
      .filter((permission) => permission.inputs.principal === "lexv2.amazonaws.com");

    expect(run.one(T.botAlias, "-speech-bot-alias").state.arn).toBe(DEV_LEX_ALIAS);
    expect(lex.map((permission) => permission.inputs)).toEqual([
      {
        function: fn(run, "lex-transcript").state.name,
        action: "lambda:InvokeFunction",
        principal: "lexv2.amazonaws.com",
        sourceArn: DEV_LEX_ALIAS,
      },
    ]);
  });

  it("creates a Lex V2 bot with a ja_JP and an en_US locale, voiced as the flows are", () => {
    const bot = run.ofType(T.bot);

    expect(bot).toHaveLength(1);
    expect(bot[0]?.inputs).toMatchObject({
      dataPrivacy: { childDirected: false },
      idleSessionTtlInSeconds: 300,
      autoBuildBotLocales: true,
    });
    expect(byLocale(run, (locale) => locale.voiceSettings)).toEqual({
      ja_JP: { voiceId: "Kazuha", engine: "neural" },
      en_US: { voiceId: "Joanna", engine: "neural" },
    });
    expect(byLocale(run, (locale) => locale.nluConfidenceThreshold)).toEqual({ ja_JP: 0.7, en_US: 0.7 });
  });

  it("sends every utterance but a goodbye to FallbackIntent, whose fulfillment code hook is on", () => {
    for (const locale of botLocales(run)) {
      const fallback = locale.intents.find((intent) => intent.name === LEX_BOT.fallbackIntent);
      const withUtterances = locale.intents.filter((intent) => (intent.sampleUtterances ?? []).length > 0);

      expect([locale.localeId, locale.intents.map((intent) => intent.name).sort()]).toEqual([
        locale.localeId,
        [LEX_BOT.fallbackIntent, LEX_BOT.goodbyeIntent],
      ]);
      expect(fallback).toMatchObject({
        parentIntentSignature: "AMAZON.FallbackIntent",
        fulfillmentCodeHook: { enabled: true },
      });
      expect(withUtterances.map((intent) => intent.name)).toEqual([LEX_BOT.goodbyeIntent]);
    }
  });

  it("hears as goodbyes only what the emulator's model of the bot hears as goodbyes", () => {
    const goodbyes = byLocale(
      run,
      (locale) =>
        locale.intents
          .find((intent) => intent.name === LEX_BOT.goodbyeIntent)
          ?.sampleUtterances?.map((sample) => sample.utterance) ?? [],
    );

    expect(Object.keys(goodbyes).sort()).toEqual(["en_US", "ja_JP"]);
    for (const [localeId, utterances] of Object.entries(goodbyes)) {
      expect(utterances.length).toBeGreaterThanOrEqual(3);
      const notGoodbyes = utterances.filter(
        (utterance) =>
          simulateHoldlineBot(utterance, localeId.replace("_", "-")).intent !== LEX_BOT.goodbyeIntent,
      );
      expect([localeId, notGoodbyes]).toEqual([localeId, []]);
    }
  });

  it("branches the flow on the goodbye intent and sends the fallback intent down its no-match path", () => {
    const intents = byLocale(run, (locale) => locale.intents.map((intent) => intent.name));
    for (const block of lexBlocks(run)) {
      const named = (block.Transitions.Conditions ?? []).flatMap((condition) => condition.Condition.Operands);
      for (const localeIntents of Object.values(intents)) {
        expect(localeIntents.filter((intent) => named.includes(intent))).toEqual([LEX_BOT.goodbyeIntent]);
      }
    }
  });

  it("publishes a version of both locales from the draft, replaced whenever the bot definition changes", () => {
    const version = run.one(T.botVersion, "-speech-bot-version");

    expect(version.inputs.botId).toBe(CREATED_BOT.id);
    expect(
      [...version.inputs.botVersionLocaleSpecification].sort((a, b) => a.localeId.localeCompare(b.localeId)),
    ).toEqual([
      { localeId: "en_US", botVersionLocaleDetails: { sourceBotVersion: "DRAFT" } },
      { localeId: "ja_JP", botVersionLocaleDetails: { sourceBotVersion: "DRAFT" } },
    ]);
    expect(version.inputs.description).toBe(
      `Holdline bot definition ${botDefinitionDigest(botLocales(run))}`,
    );
    expect(run.options(T.botVersion, "-speech-bot-version").replaceOnChanges).toContain("description");
  });

  it("points the alias at that version, with lex-transcript as the code hook of each locale", () => {
    const alias = run.one(T.botAlias, "-speech-bot-alias");
    const hook = { lambdaArn: fn(run, "lex-transcript").state.arn, codeHookInterfaceVersion: "1.0" };

    expect(alias.inputs).toMatchObject({ botId: CREATED_BOT.id, botVersion: CREATED_BOT.version });
    expect(
      [...alias.inputs.botAliasLocaleSettings].sort((a, b) => a.localeId.localeCompare(b.localeId)),
    ).toEqual([
      {
        localeId: "en_US",
        botAliasLocaleSetting: { enabled: true, codeHookSpecification: { lambdaCodeHook: hook } },
      },
      {
        localeId: "ja_JP",
        botAliasLocaleSetting: { enabled: true, codeHookSpecification: { lambdaCodeHook: hook } },
      },
    ]);
    // The caller's words are personal data: no conversation logs, no sentiment analysis.
    expect([alias.inputs.conversationLogSettings, alias.inputs.sentimentAnalysisSettings]).toEqual([
      undefined,
      undefined,
    ]);
  });

  it("runs the bot with a role only Lex may assume, which may only synthesize speech", () => {
    const role = run.one(T.role, "-speech-bot-role");
    const policies = run.ofType(T.rolePolicy).filter((policy) => policy.inputs.role === role.state.id);

    expect(run.one(T.bot, "-speech-bot").inputs.roleArn).toBe(role.state.arn);
    expect(JSON.parse(role.inputs.assumeRolePolicy).Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "lexv2.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    expect(policies.flatMap((policy) => JSON.parse(policy.inputs.policy).Statement)).toEqual([
      { Sid: "SynthesizeBotSpeech", Effect: "Allow", Action: ["polly:SynthesizeSpeech"], Resource: ["*"] },
    ]);
    expect(run.dependsOn(T.bot, "-speech-bot")).toEqual(policies.map((policy) => policy.name));
  });

  it("associates the bot alias with the Connect instance before the flow names it", () => {
    const associations = run.ofType(T.lexAssociation);

    expect(associations.map((association) => association.inputs)).toEqual([
      { instanceId: DEV_INSTANCE_ARN, integrationType: "LEX_BOT", integrationArn: DEV_LEX_ALIAS },
    ]);
    expect(run.dependsOn(T.flow, "-connect-flow")).toEqual(
      expect.arrayContaining([associations[0]?.name, run.one(T.permission, "-lex-invoke-code-hook").name]),
    );
  });

  it("has every Lex block of the flow talk to the bot alias", () => {
    const aliases = lexBlocks(run).map((block) => block.Parameters.LexV2Bot?.AliasArn);

    expect(aliases).toEqual([DEV_LEX_ALIAS, DEV_LEX_ALIAS]);
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

  it("scopes every invoke permission to a source ARN in this account", () => {
    for (const permission of run.ofType(T.permission)) {
      expect([permission.name, String(permission.inputs.sourceArn).split(":")[4]]).toEqual([
        permission.name,
        ACCOUNT_ID,
      ]);
    }
  });

  it("deploys the builder's polling flow with the deployed functions' ARNs", () => {
    const flows = run.ofType(T.flow);

    expect(flows).toHaveLength(1);
    expect(flows[0]?.inputs).toMatchObject({ instanceId: CREATED_INSTANCE_ID, type: "CONTACT_FLOW" });
    expect(flows[0]?.inputs.content).toBe(expectedFlow(run, "polling"));
  });

  it("deploys a flow the flow validator finds nothing wrong with", () => {
    expect(validateFlow(flowDocument(run))).toEqual([]);
  });

  it("gives each flow invocation a limit equal to the function's timeout and the budget's block limit", () => {
    const invocations = invokedLambdas(run);

    expect(invocations).toHaveLength(2);
    for (const invoke of invocations) {
      const timeout = byArn(run, invoke.LambdaFunctionARN ?? "")?.inputs.timeout;
      expect(invoke.InvocationTimeLimitSeconds).toBe(String(timeout));
      expect(invoke.InvocationTimeLimitSeconds).toBe(String(budget.connectStart.blockLimitSeconds));
    }
  });

  it("claims the configured phone number on the instance and routes it to the flow", () => {
    const number = run.ofType("aws:connect/phoneNumber:PhoneNumber");
    const routes = run.ofType(
      "aws:connect/phoneNumberContactFlowAssociation:PhoneNumberContactFlowAssociation",
    );

    expect(number.map((claimed) => claimed.inputs)).toEqual([
      expect.objectContaining({ targetArn: DEV_INSTANCE_ARN, countryCode: "US", type: "DID" }),
    ]);
    expect(routes.map((route) => route.inputs)).toEqual([
      {
        instanceId: CREATED_INSTANCE_ID,
        phoneNumberId: CLAIMED_NUMBER.id,
        contactFlowId: run.ofType(T.flow)[0]?.state.contactFlowId,
      },
    ]);
  });

  it("alarms on errors, throttles and a p99 duration near each function's timeout", () => {
    for (const app of APPS) {
      const { name: functionName, inputs } = { name: fn(run, app).state.name, inputs: fn(run, app).inputs };
      const errors = run.one(T.alarm, `alarms-${app}-errors`).inputs;
      const throttles = run.one(T.alarm, `alarms-${app}-throttles`).inputs;
      const duration = run.one(T.alarm, `alarms-${app}-duration-p99`).inputs;

      expect(errors).toMatchObject({
        metricName: "Errors",
        dimensions: { FunctionName: functionName },
        threshold: 5,
      });
      expect(throttles).toMatchObject({
        metricName: "Throttles",
        dimensions: { FunctionName: functionName },
      });
      expect(duration).toMatchObject({
        metricName: "Duration",
        extendedStatistic: "p99",
        dimensions: { FunctionName: functionName },
        threshold: 0.9 * inputs.timeout * 1000,
      });
    }
  });

  it("alarms on dead letters, a failure queue nobody drains, and failure records that never arrived", () => {
    const deadLetters = run.one(T.alarm, "alarms-dead-letters").inputs;
    const age = run.one(T.alarm, "alarms-failure-queue-age").inputs;
    const deliveries = run.one(T.alarm, "alarms-worker-failure-deliveries").inputs;

    expect(deadLetters).toMatchObject({
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: run.one(T.queue, "worker-failures-dlq").state.name },
      threshold: 1,
    });
    expect(age).toMatchObject({
      metricName: "ApproximateAgeOfOldestMessage",
      dimensions: { QueueName: run.one(T.queue, "worker-failures-queue").state.name },
      threshold: 300,
    });
    expect(deliveries).toMatchObject({
      metricName: "DestinationDeliveryFailures",
      dimensions: { FunctionName: fn(run, "answer-worker").state.name },
    });
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

describe("the dev stack switched to native-async", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram("dev", { ...stackFile("dev"), "holdline:strategy": "native-async" });
  });

  it("deploys the builder's native-async flow, which the validator accepts", () => {
    const content = run.ofType(T.flow)[0]?.inputs.content;

    expect(content).toBe(expectedFlow(run, "native-async"));
    expect(validateFlow(JSON.parse(content))).toEqual([]);
  });

  it("invokes connect-answer alone, with a limit equal to its timeout and the budget's asynchronous limit", () => {
    const invocations = invokedLambdas(run);

    expect(invocations.map((invoke) => invoke.LambdaFunctionARN)).toEqual([
      fn(run, "connect-answer").state.arn,
    ]);
    expect(invocations[0]?.InvocationTimeLimitSeconds).toBe(String(fn(run, "connect-answer").inputs.timeout));
    expect(invocations[0]?.InvocationTimeLimitSeconds).toBe(String(budget.connectAnswer.blockLimitSeconds));
  });

  it("associates and permits connect-answer alone", () => {
    const answerArn = fn(run, "connect-answer").state.arn;
    const connect = run
      .ofType(T.permission)
      .filter((permission) => permission.inputs.principal === "connect.amazonaws.com");

    expect(run.ofType(T.association).map((association) => association.inputs.functionArn)).toEqual([
      answerArn,
    ]);
    expect(connect.map((permission) => [permission.inputs.function, permission.inputs.sourceArn])).toEqual([
      [fn(run, "connect-answer").state.name, DEV_INSTANCE_ARN],
    ]);
  });

  it("grants no wildcard action and no unscoped resource in any policy document", () => {
    expect(privilegeViolations(run, { externalArns: DEV_MODEL_ARNS })).toEqual([]);
  });
});

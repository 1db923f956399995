import { deriveBudget } from "@holdline/budget/timing-budget";
import {
  ACCOUNT_ID,
  CREATED_BOT,
  CREATED_INSTANCE_ID,
  type ProgramRun,
  type RegisteredResource,
} from "./pulumi-program.ts";

/** The resource types the program's tests look up. */
export const T = {
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
  eventSourceMapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
  eventInvokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
  eventRule: "aws:cloudwatch/eventRule:EventRule",
  eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
} as const;

/** The apps the program deploys, one function each. */
export const APPS = [
  "connect-start",
  "connect-status",
  "connect-answer",
  "answer-worker",
  "failure-recorder",
  "lex-transcript",
  "connect-text-offer",
  "caller-left",
  "text-delivery",
] as const;
export type App = (typeof APPS)[number];
/** The functions each strategy deploys (STRATEGY_DEPLOYMENTS), as the stacks' tests expect them. */
export const POLLING_APPS = [
  "connect-start",
  "connect-status",
  "answer-worker",
  "failure-recorder",
  "lex-transcript",
] as const satisfies readonly App[];
export const NATIVE_ASYNC_APPS = ["connect-answer", "lex-transcript"] as const satisfies readonly App[];
/**
 * native-async with progressive answers (the default): connect-start registers the turn and dispatches
 * answer-worker, which writes the answer; connect-answer waits for its parts.
 */
export const NATIVE_ASYNC_PROGRESSIVE_APPS = [
  "connect-start",
  "connect-answer",
  "answer-worker",
  "failure-recorder",
  "lex-transcript",
] as const satisfies readonly App[];

/** The dev stack's configuration switched to native-async: with progressive answers (the default), or without. */
export const nativeAsyncConfig = (
  devFile: Readonly<Record<string, unknown>>,
  { progressiveAnswers }: { progressiveAnswers?: boolean } = {},
) => ({
  ...devFile,
  "holdline:strategy": "native-async",
  ...(progressiveAnswers === undefined ? {} : { "holdline:progressiveAnswers": progressiveAnswers }),
});

/** The apps the text offer adds to any strategy. */
export const TEXT_APPS = [
  "connect-text-offer",
  "caller-left",
  "text-delivery",
] as const satisfies readonly App[];

/** The apps a strategy deploys (STRATEGY_DEPLOYMENTS), without the text offer's. */
export type StrategyApp = Exclude<App, (typeof TEXT_APPS)[number]>;

/** An SMS phone number and configuration set in the dev stack's account and Region. */
export const SMS_NUMBER_ARN = `arn:aws:sms-voice:us-east-1:${ACCOUNT_ID}:phone-number/phone-0123456789abcdef0123456789abcdef`;
export const SMS_CONFIGURATION_SET = "holdline-texts";
export const SMS_CONFIGURATION_SET_ARN = `arn:aws:sms-voice:us-east-1:${ACCOUNT_ID}:configuration-set/${SMS_CONFIGURATION_SET}`;

/** A stack configuration with the text offer on, sending from the dev Region's number (and a configuration set). */
export const textOfferConfig = (
  stack: Readonly<Record<string, unknown>>,
  {
    offer = {},
    configurationSet,
  }: { offer?: Readonly<Record<string, unknown>>; configurationSet?: string } = {},
) => ({
  ...stack,
  "holdline:textOffer": { enabled: true, ...offer },
  "holdline:sms": {
    originationIdentity: SMS_NUMBER_ARN,
    ...(configurationSet === undefined ? {} : { configurationSet }),
  },
});

/** The dev stack file's choices: its answer deadline and silence gap. */
export const budget = deriveBudget({ answerDeadlineMs: 60_000, maxSilenceMs: 3_000 });
export const DEV_REGION = "us-east-1";
/** The alias of the bot the dev stack creates, as Lex would name it. */
export const DEV_LEX_ALIAS = `arn:aws:lex:${DEV_REGION}:${ACCOUNT_ID}:bot-alias/${CREATED_BOT.id}/${CREATED_BOT.aliasId}`;
export const DEV_INSTANCE_ARN = `arn:aws:connect:${DEV_REGION}:${ACCOUNT_ID}:instance/${CREATED_INSTANCE_ID}`;
export const DEV_MODEL_ARNS = [
  `arn:aws:bedrock:${DEV_REGION}:${ACCOUNT_ID}:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0`,
  "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
  "arn:aws:bedrock:us-east-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
  "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
];

export const PROD_REGION = "ap-northeast-1";
export const PROD_INSTANCE_ID = "5c1e7a2b-3d4f-4e6a-9b8c-7d6e5f4a3b2c";
export const PROD_INSTANCE_ARN = `arn:aws:connect:${PROD_REGION}:${ACCOUNT_ID}:instance/${PROD_INSTANCE_ID}`;
export const PROD_LEX_ALIAS = `arn:aws:lex:${PROD_REGION}:${ACCOUNT_ID}:bot-alias/${CREATED_BOT.id}/${CREATED_BOT.aliasId}`;
export const PROD_GUARDRAIL_ARN = `arn:aws:bedrock:${PROD_REGION}:${ACCOUNT_ID}:guardrail/abcd1234efgh`;
export const PROD_MODEL_ARNS = [
  `arn:aws:bedrock:${PROD_REGION}:${ACCOUNT_ID}:inference-profile/jp.anthropic.claude-haiku-4-5-20251001-v1:0`,
  "arn:aws:bedrock:ap-northeast-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
  "arn:aws:bedrock:ap-northeast-3::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0",
];

/** The single resource of `type` the run has. */
export const only = (run: ProgramRun, type: string): RegisteredResource => {
  const [found, ...others] = run.ofType(type);
  if (found === undefined || others.length > 0) throw new Error(`expected one ${type}`);
  return found;
};

interface Statement {
  Sid: string;
  Action: string[];
  Resource: string[];
}

/** An app's function. */
export const fn = (run: ProgramRun, app: App) => run.one(T.function, `-${app}`);
/** Every statement granted to a function's role, across all its inline policies. */
export const statementsOf = (run: ProgramRun, app: App): Statement[] => {
  const roleName = run.one(T.role, `-${app}-role`).state.name;
  return run
    .ofType(T.rolePolicy)
    .filter((policy) => policy.inputs.role === roleName)
    .flatMap((policy) => JSON.parse(policy.inputs.policy).Statement as Statement[]);
};
/** The actions a function's role may take on one resource, sorted. */
export const actionsOn = (run: ProgramRun, app: App, resource: string) =>
  statementsOf(run, app)
    .filter((statement) => statement.Resource.includes(resource))
    .flatMap((statement) => statement.Action)
    .sort();

/** The deployed contact flow's document. */
export const flowDocument = (run: ProgramRun) => JSON.parse(run.ofType(T.flow)[0]?.inputs.content ?? "null");
/** The parameters of the flow's Lambda invocations. */
export const invokedLambdas = (run: ProgramRun) =>
  (flowDocument(run).Actions as { Type: string; Parameters: Record<string, string> }[])
    .filter((action) => action.Type === "InvokeLambdaFunction")
    .map((action) => action.Parameters);
/** The flow's blocks that hand the caller to the Lex bot. */
export const lexBlocks = (run: ProgramRun) =>
  (
    flowDocument(run).Actions as {
      Type: string;
      Parameters: { LexV2Bot?: { AliasArn?: string } };
      Transitions: { Conditions?: { Condition: { Operands: string[] } }[] };
    }[]
  ).filter((action) => action.Type === "ConnectParticipantWithLexBot");

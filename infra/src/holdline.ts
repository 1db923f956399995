import { join } from "node:path";
import { functionMemoryMb } from "@holdline/budget/function-memory";
import { deriveBudget, type TimingBudget } from "@holdline/budget/timing-budget";
import { PROMPT_PACKS } from "@holdline/contact-flow/holdline/prompt-packs";
import * as aws from "@pulumi/aws";
import * as awsnative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import { Alarms, type HoldlineMetrics } from "./alarms.ts";
import { awsNativeProviderArgs } from "./aws-native-provider.ts";
import { modelAccess } from "./bedrock-access.ts";
import { type ConnectFunctions, ConnectIntegration, existingBotAliasArn } from "./connect-integration.ts";
import { ExecutionTable, type TableAction } from "./execution-table.ts";
import { HoldlineFunction } from "./holdline-function.ts";
import { lambdaBundle } from "./lambda-bundle.ts";
import { allow, type PolicyStatement } from "./policy-document.ts";
import { SpeechInput } from "./speech-input.ts";
import type { StackSettings } from "./stack-settings.ts";
import {
  type AppName,
  type DeploymentName,
  deploymentFor,
  type StrategyDeployment,
  TEXT_APPS,
  type TextAppName,
} from "./strategy-deployment.ts";
import { smsResourceArns, TEXT_MESSAGES, TextDeliveryPipeline } from "./text-delivery-pipeline.ts";
import { WorkerFailurePipeline } from "./worker-failure-pipeline.ts";

export type { AppName };

/**
 * The store operations each app's use cases perform, and so the only item actions its role gets:
 * start = create if absent + read + conditional transition; status = read + transition (deadline,
 * re-dispatch); worker = read + transition + history Query; answer = start and run in one invocation;
 * recorder = read + transition; the Lex code hook never touches the store. The history Query belongs to
 * the model call: a deployment in which an app calls no model grants it no Query (`storeActionsOf`).
 */
export const STORE_ACTIONS: Readonly<Record<AppName, readonly TableAction[]>> = {
  "connect-start": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
  "connect-status": ["dynamodb:GetItem", "dynamodb:UpdateItem"],
  "answer-worker": ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query"],
  "connect-answer": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"],
  "failure-recorder": ["dynamodb:GetItem", "dynamodb:UpdateItem"],
  "lex-transcript": [],
  // The text offer: consent is recorded on the turn's item; caller-left finds the contact's turns by its key
  // (a Query on the contact id, not the history Query) and marks them due; the consumer claims and records.
  "connect-text-offer": ["dynamodb:GetItem", "dynamodb:UpdateItem"],
  "caller-left": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"],
  "text-delivery": ["dynamodb:GetItem", "dynamodb:UpdateItem"],
};

const isTextApp = (app: AppName): app is TextAppName => (TEXT_APPS as readonly AppName[]).includes(app);

/**
 * An app's item actions in a deployment: its use cases' (`STORE_ACTIONS`), without the history Query when it
 * calls no model there (connect-answer with progressive answers only reads a turn's parts, and registers the
 * turn when connect-start did not).
 */
export const storeActionsOf = (app: AppName, deployment: StrategyDeployment): readonly TableAction[] =>
  (deployment.modelCallers as readonly AppName[]).includes(app) || isTextApp(app)
    ? STORE_ACTIONS[app]
    : STORE_ACTIONS[app].filter((action) => action !== "dynamodb:Query");

/**
 * Holdline's own metrics each app emits (docs/operations.md, Metrics), so that each is alarmed only on what it
 * can emit: the Connect-facing handlers count `Responses`; the apps whose use cases run `ExecutionSupervisor`
 * (start and status, both in connect-answer) report a crashed attempt stopped with none left; those that
 * register a turn report a start the store never confirmed. Those that dispatch the worker through Lambda
 * (the deployment's `workerDispatchers`) also report a dispatch refused for good: `holdlineMetricsOf`.
 */
export const HOLDLINE_METRICS: Readonly<Record<AppName, HoldlineMetrics>> = {
  "connect-start": { connectFacing: true, recoveries: ["attempt_stopped", "start_abandoned"] },
  "connect-status": { connectFacing: true, recoveries: ["attempt_stopped"] },
  "connect-answer": { connectFacing: true, recoveries: ["attempt_stopped", "start_abandoned"] },
  "answer-worker": { connectFacing: false, recoveries: [] },
  "failure-recorder": { connectFacing: false, recoveries: [] },
  "lex-transcript": { connectFacing: false, recoveries: [] },
  // connect-text-offer answers Connect, but not with a turn's status: no `deadline_exceeded` to alarm on. The
  // consumer's own metric (`TextDeliveriesFailed`) is alarmed by `Alarms`' text delivery alarms.
  "connect-text-offer": { connectFacing: false, recoveries: [] },
  "caller-left": { connectFacing: false, recoveries: [] },
  "text-delivery": { connectFacing: false, recoveries: [] },
};

/** Each app's metrics in a deployment: `HOLDLINE_METRICS`, and `dispatch_refused` for its worker dispatchers. */
export const holdlineMetricsOf = (
  deployment: StrategyDeployment,
): Readonly<Record<AppName, HoldlineMetrics>> =>
  Object.fromEntries(
    Object.entries(HOLDLINE_METRICS).map(([app, metrics]) => [
      app,
      (deployment.workerDispatchers as readonly string[]).includes(app)
        ? { ...metrics, recoveries: [...metrics.recoveries, "dispatch_refused"] }
        : metrics,
    ]),
  ) as Record<AppName, HoldlineMetrics>;

export interface HoldlineArgs {
  readonly settings: StackSettings;
  /** The repository's `apps/` directory; each function's code is `<app>/dist`. */
  readonly appsDirectory: string;
}

/** What an app is in a deployment: its description, timeout and memory, and the part it plays there. */
interface FunctionProfile {
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Variables that tell the app its part in this deployment, beside the store, model and worker settings. */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * What each app is in a deployment, its timeout and its memory: the one place where an app differs between
 * deployments. Native-async with progressive answers (`waitsForParts`) has connect-start register the turn
 * and dispatch answer-worker on the caller's path (`HOLDLINE_START_ROLE=register`; polling leaves it to its
 * default, `answer`), and connect-answer only wait for the parts the worker writes: billed for that wait, it
 * is sized for it (`connectAnswerProgressive`), and its slower cold start at that size overlaps the model's
 * time to a first part. Without progressive answers connect-answer runs the model in place (`connectAnswer`).
 */
const FUNCTION_PROFILES = (
  budget: TimingBudget,
  deployment: DeploymentName,
): Readonly<Record<AppName, FunctionProfile>> => {
  const waitsForParts = deployment === "native-async-progressive";
  return {
    "connect-start": {
      timeoutSeconds: budget.connectStart.lambdaTimeoutSeconds,
      memoryMb: functionMemoryMb.connectStart,
      ...(waitsForParts
        ? {
            description:
              "Holdline: registers a caller turn and dispatches the worker before connect-answer waits for its parts (native-async flow, progressive answers)",
            environment: { HOLDLINE_START_ROLE: "register" },
          }
        : { description: "Holdline: registers a caller turn and dispatches the worker (polling flow)" }),
    },
    "connect-status": {
      description: "Holdline: long-polls a caller turn's execution (polling flow)",
      timeoutSeconds: budget.connectStatus.lambdaTimeoutSeconds,
      memoryMb: functionMemoryMb.connectStatus,
    },
    "connect-answer": {
      timeoutSeconds: budget.connectAnswer.lambdaTimeoutSeconds,
      ...(waitsForParts
        ? {
            description:
              "Holdline: returns a caller turn's answer parts as answer-worker writes them, registering the turn if connect-start did not (native-async flow, progressive answers)",
            memoryMb: functionMemoryMb.connectAnswerProgressive,
          }
        : {
            description:
              "Holdline: answers a caller turn within one asynchronous invocation (native-async flow)",
            memoryMb: functionMemoryMb.connectAnswer,
          }),
    },
    "answer-worker": {
      description: "Holdline: runs one execution (claim, call the model, complete or fail)",
      timeoutSeconds: budget.worker.lambdaTimeoutSeconds,
      memoryMb: functionMemoryMb.worker,
    },
    "failure-recorder": {
      description: "Holdline: fails the executions whose worker events Lambda gave up on",
      timeoutSeconds: budget.failureRecorder.lambdaTimeoutSeconds,
      memoryMb: functionMemoryMb.failureRecorder,
    },
    "lex-transcript": {
      description: "Holdline: Lex V2 code hook putting the caller's words in the session for the flow",
      timeoutSeconds: budget.lexTranscript.lambdaTimeoutSeconds,
      memoryMb: functionMemoryMb.lexTranscript,
    },
    "connect-text-offer": {
      description:
        "Holdline: records a caller's consent to get the answer by text message (the flow's offer)",
      timeoutSeconds: budget.connectTextOffer.lambdaTimeoutSeconds,
      memoryMb: functionMemoryMb.connectTextOffer,
    },
    "caller-left": {
      description:
        "Holdline: marks a consented text delivery due when the caller's contact ends (contact events)",
      timeoutSeconds: budget.callerLeft.lambdaTimeoutSeconds,
      memoryMb: functionMemoryMb.callerLeft,
    },
    "text-delivery": {
      description: "Holdline: sends the answer by text message (the executions table's stream consumer)",
      timeoutSeconds: budget.textDelivery.lambdaTimeoutSeconds,
      memoryMb: functionMemoryMb.textDelivery,
    },
  };
};

/** The flow's Lambda blocks by the app behind each. */
const FLOW_BLOCKS = {
  "connect-start": "start",
  "connect-status": "status",
  "connect-answer": "answer",
} as const satisfies Partial<Record<AppName, keyof ConnectFunctions>>;

/**
 * One Holdline environment: the table, the functions its strategy runs (STRATEGY_DEPLOYMENTS, the row
 * `deploymentFor` picks from the strategy and the progressive-answers setting), the worker's failure pipeline
 * when the deployment has a worker, the Lex V2 bot, Connect, alarms.
 */
export class Holdline extends pulumi.ComponentResource {
  readonly budget: TimingBudget;
  readonly table: ExecutionTable;
  /** The functions this stack's strategy deploys, by app. */
  readonly functions: Readonly<Partial<Record<AppName, HoldlineFunction>>>;
  /** answer-worker's failure queue, its consumer and dead letters; absent when the strategy has no worker. */
  readonly failures: WorkerFailurePipeline | undefined;
  /** The stream consumer, the contact-event rule and their failure queue; absent when the text offer is off. */
  readonly textDelivery: TextDeliveryPipeline | undefined;
  /** Holdline's own Lex V2 bot; absent when the stack names an existing bot alias. */
  readonly speech: SpeechInput | undefined;
  readonly lexBotAliasArn: pulumi.Output<string>;
  readonly connect: ConnectIntegration;
  readonly alarms: Alarms;

  constructor(name: string, args: HoldlineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("holdline:infra:Holdline", name, {}, opts);
    const { settings } = args;
    const { profile } = settings;
    const budget = deriveBudget(settings.budgetChoices);
    this.budget = budget;
    // One setting for progressive answers: which functions run (native-async), what they record, what the flow
    // speaks (ConnectIntegration builds it from the same budget).
    const { name: deploymentName, deployment } = deploymentFor(
      settings.strategy,
      budget.choices.progressiveAnswers,
    );
    const location = {
      partition: aws.getPartitionOutput({}, { parent: this }).partition,
      region: aws.getRegionOutput({}, { parent: this }).region,
      accountId: aws.getCallerIdentityOutput({}, { parent: this }).accountId,
    };

    this.table = new ExecutionTable(
      `${name}-executions`,
      {
        deletionProtection: profile.tableDeletionProtection,
        pointInTimeRecoveryDays: profile.pointInTimeRecoveryDays,
        // The stream exists for text-delivery alone.
        stream: settings.textOffer !== undefined,
      },
      { parent: this },
    );
    // The apps derive their budget from the same choices, so their waits match these timeouts, and they record
    // the parts of answers exactly when the flow speaks them.
    const storeEnvironment = {
      HOLDLINE_TABLE_NAME: this.table.name,
      HOLDLINE_DEFAULT_LOCALE: settings.locale,
      HOLDLINE_MAX_SILENCE_MS: String(budget.choices.maxSilenceMs),
      HOLDLINE_ANSWER_DEADLINE_MS: String(budget.choices.answerDeadlineMs),
      HOLDLINE_PROGRESSIVE_ANSWERS: String(budget.choices.progressiveAnswers),
    };
    const model = modelAccess(settings.bedrock, location);
    const profiles = FUNCTION_PROFILES(budget, deploymentName);
    const holdlineFunction = (
      app: AppName,
      extra: {
        environment?: Readonly<Record<string, pulumi.Input<string>>>;
        statements?: readonly PolicyStatement[];
        reservedConcurrency?: number | undefined;
      } = {},
    ) => {
      const storeActions = storeActionsOf(app, deployment);
      const usesStore = storeActions.length > 0;
      const usesModel = (deployment.modelCallers as readonly AppName[]).includes(app);
      const { environment: roleEnvironment, ...functionProfile } = profiles[app];
      // Refuses a missing or stale bundle before anything is deployed.
      const bundle = lambdaBundle(join(args.appsDirectory, app), app);
      return new HoldlineFunction(
        `${name}-${app}`,
        {
          code: bundle.archive,
          ...functionProfile,
          environment: {
            ...(usesStore ? storeEnvironment : {}),
            ...(usesModel ? model.environment : {}),
            ...roleEnvironment,
            ...extra.environment,
            // Only a bundle built with a source map ships one, and only then does Node read it.
            ...(bundle.sourceMap ? { NODE_OPTIONS: "--enable-source-maps" } : {}),
          },
          statements: [
            ...(usesStore ? [this.table.allow("ExecutionStore", storeActions)] : []),
            ...(usesModel ? model.statements : []),
            ...(extra.statements ?? []),
          ],
          logRetentionDays: profile.logRetentionDays,
          reservedConcurrency: extra.reservedConcurrency,
        },
        { parent: this },
      );
    };

    const deploys = (app: AppName) => (deployment.functions as readonly AppName[]).includes(app);
    const worker = deploys("answer-worker")
      ? holdlineFunction("answer-worker", { reservedConcurrency: profile.workerReservedConcurrency })
      : undefined;
    const functions: Partial<Record<AppName, HoldlineFunction>> = {};
    if (worker !== undefined) functions["answer-worker"] = worker;
    for (const app of deployment.functions) {
      if (app === "answer-worker") continue;
      const dispatches = (deployment.workerDispatchers as readonly AppName[]).includes(app);
      if (dispatches && worker === undefined) {
        throw new pulumi.RunError(
          `${app} dispatches answer-worker, which the ${deploymentName} deployment lacks`,
        );
      }
      functions[app] = holdlineFunction(
        app,
        dispatches && worker !== undefined
          ? {
              environment: { HOLDLINE_WORKER_FUNCTION: worker.name },
              statements: [allow("DispatchWorker", ["lambda:InvokeFunction"], [worker.arn])],
            }
          : {},
      );
    }
    // The answer by text message: the same three functions whatever the strategy, and only when it is on.
    const { textOffer } = settings;
    if (textOffer !== undefined) {
      for (const app of TEXT_APPS) {
        functions[app] = holdlineFunction(
          app,
          app === "text-delivery"
            ? {
                environment: {
                  HOLDLINE_SMS_ORIGINATION_IDENTITY: textOffer.sms.originationIdentityArn,
                  ...(textOffer.sms.configurationSet === undefined
                    ? {}
                    : { HOLDLINE_SMS_CONFIGURATION_SET: textOffer.sms.configurationSet }),
                  HOLDLINE_TEXT_MAX_SEGMENTS: String(TEXT_MESSAGES.maxSegments),
                  HOLDLINE_TEXT_MAX_ATTEMPTS: String(TEXT_MESSAGES.maxAttempts),
                },
              }
            : {},
        );
      }
    }
    this.functions = functions;

    const recorder = functions["failure-recorder"];
    this.failures =
      deployment.workerFailurePipeline && worker !== undefined && recorder !== undefined
        ? new WorkerFailurePipeline(
            `${name}-worker-failures`,
            {
              worker,
              recorder,
              maximumRetryAttempts: budget.worker.maximumRetryAttempts,
              maximumEventAgeSeconds: budget.worker.maximumEventAgeSeconds,
              failureRetentionSeconds: profile.failureQueueRetentionSeconds,
              deadLetterRetentionSeconds: profile.deadLetterRetentionSeconds,
            },
            { parent: this },
          )
        : undefined;

    const prompts = PROMPT_PACKS[settings.locale];
    if (prompts === undefined) throw new pulumi.RunError(`no prompt pack for ${settings.locale}`);
    const transcript = functions["lex-transcript"];
    if (transcript === undefined) throw new pulumi.RunError("every strategy deploys lex-transcript");
    const { lexBot } = settings.connect;
    // Only Holdline's own bot and its association with the instance are aws-native resources.
    let awsNative: awsnative.Provider | undefined;
    if (lexBot.kind === "create") {
      // aws-native reads no `aws:*` key: its provider gets the aws provider's Region and the stack's
      // credential and account settings, so the bot lands where everything else does.
      awsNative = new awsnative.Provider(`${name}-aws-native`, awsNativeProviderArgs(location.region), {
        parent: this,
      });
      this.speech = new SpeechInput(
        `${name}-speech`,
        // Every locale with a prompt pack: switching `holdline:locale` needs no change to the bot.
        { locales: Object.values(PROMPT_PACKS), codeHook: transcript, accountId: location.accountId },
        { parent: this, providers: [awsNative] },
      );
      this.lexBotAliasArn = this.speech.botAliasArn;
    } else {
      this.speech = undefined;
      this.lexBotAliasArn = pulumi
        .all([location.accountId, location.region])
        .apply(([accountId, region]) => existingBotAliasArn(lexBot, accountId, region));
    }
    const flowFunctions: { -readonly [K in keyof ConnectFunctions]: HoldlineFunction } = {};
    const blocks: Partial<Record<AppName, keyof ConnectFunctions>> = FLOW_BLOCKS;
    for (const app of deployment.invokedByFlow) {
      const fn = functions[app];
      const block = blocks[app];
      if (fn !== undefined && block !== undefined) flowFunctions[block] = fn;
    }
    // The flow invokes connect-text-offer when the caller takes the offer, whatever the strategy.
    const offerFunction = functions["connect-text-offer"];
    if (offerFunction !== undefined) flowFunctions.textOffer = offerFunction;
    this.connect = new ConnectIntegration(
      `${name}-connect`,
      {
        instance: settings.connect.instance,
        strategy: settings.strategy,
        prompts,
        budget,
        lexBot: { aliasArn: this.lexBotAliasArn, associate: lexBot.kind === "create" },
        functions: flowFunctions,
        // The offer's key and timing; connect-text-offer's ARN is `flowFunctions.textOffer`.
        ...(settings.textOffer === undefined
          ? {}
          : { textOffer: { key: settings.textOffer.key, afterSeconds: settings.textOffer.afterSeconds } }),
        lexCodeHook: transcript,
        phoneNumber: settings.connect.phoneNumber,
        accountId: location.accountId,
        region: location.region,
      },
      { parent: this, ...(awsNative === undefined ? {} : { providers: [awsNative] }) },
    );

    const deliveryFunction = functions["text-delivery"];
    const callerLeft = functions["caller-left"];
    this.textDelivery =
      textOffer !== undefined && deliveryFunction !== undefined && callerLeft !== undefined
        ? new TextDeliveryPipeline(
            `${name}-text-delivery`,
            {
              table: this.table,
              delivery: deliveryFunction,
              callerLeft,
              instanceArn: this.connect.instanceArn,
              sms: pulumi
                .all([location.partition, location.region, location.accountId])
                .apply(([partition, region, accountId]) =>
                  smsResourceArns(textOffer.sms, { partition, region, accountId }),
                ),
              deliveryMapping: budget.textDelivery,
              maxSendAttempts: TEXT_MESSAGES.maxAttempts,
              callerLeftAsync: budget.callerLeft,
            },
            { parent: this },
          )
        : undefined;

    this.alarms = new Alarms(
      `${name}-alarms`,
      {
        functions: this.functions as Readonly<Record<string, HoldlineFunction>>,
        holdlineMetrics: holdlineMetricsOf(deployment),
        workerFailures:
          worker === undefined || this.failures === undefined
            ? undefined
            : {
                worker,
                failureQueue: this.failures.failureQueue,
                deadLetterQueue: this.failures.deadLetterQueue,
              },
        textDelivery:
          deliveryFunction === undefined || callerLeft === undefined || this.textDelivery === undefined
            ? undefined
            : {
                delivery: deliveryFunction,
                callerLeft,
                failureQueue: this.textDelivery.failureQueue,
              },
        thresholds: profile.alarms,
        topicArn: settings.alarmTopicArn,
      },
      { parent: this },
    );

    this.registerOutputs({
      tableName: this.table.name,
      contactFlowId: this.connect.contactFlow.contactFlowId,
      failureQueueUrl: this.failures?.failureQueue.url,
      deadLetterQueueUrl: this.failures?.deadLetterQueue.url,
      textFailureQueueUrl: this.textDelivery?.failureQueue.url,
    });
  }

  /** Function names by app, for the stack outputs. */
  functionNames(): pulumi.Output<Partial<Record<AppName, string>>> {
    return this.byApp((fn) => fn.name);
  }

  /** Log group names by app, for `aws logs tail`. */
  logGroupNames(): pulumi.Output<Partial<Record<AppName, string>>> {
    return this.byApp((fn) => fn.logGroup.name);
  }

  private byApp(
    pick: (fn: HoldlineFunction) => pulumi.Output<string>,
  ): pulumi.Output<Partial<Record<AppName, string>>> {
    return pulumi.all(
      Object.fromEntries(
        Object.entries(this.functions).map(([app, fn]) => [app, pick(fn as HoldlineFunction)]),
      ),
    ) as pulumi.Output<Partial<Record<AppName, string>>>;
  }
}

import { join } from "node:path";
import { functionMemoryMb } from "@holdline/budget/function-memory";
import { deriveBudget, type TimingBudget } from "@holdline/budget/timing-budget";
import { PROMPT_PACKS } from "@holdline/contact-flow/holdline/prompt-packs";
import * as aws from "@pulumi/aws";
import * as awsnative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import { Alarms, type HoldlineMetrics } from "./alarms.ts";
import { modelAccess } from "./bedrock-access.ts";
import { ConnectIntegration, existingBotAliasArn } from "./connect-integration.ts";
import { ExecutionTable, type TableAction } from "./execution-table.ts";
import { HoldlineFunction } from "./holdline-function.ts";
import { allow, type PolicyStatement } from "./policy-document.ts";
import { SpeechInput } from "./speech-input.ts";
import type { StackSettings } from "./stack-settings.ts";
import { WorkerFailurePipeline } from "./worker-failure-pipeline.ts";

export type AppName =
  | "connect-start"
  | "connect-status"
  | "connect-answer"
  | "answer-worker"
  | "failure-recorder"
  | "lex-transcript";

/**
 * The store operations each app's use cases perform, and so the only item actions its role gets:
 * start = create if absent + read + conditional transition; status = read + transition (deadline,
 * re-dispatch); worker = read + transition + history Query; answer = start and run in one invocation;
 * recorder = read + transition; the Lex code hook never touches the store.
 */
export const STORE_ACTIONS: Readonly<Record<AppName, readonly TableAction[]>> = {
  "connect-start": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
  "connect-status": ["dynamodb:GetItem", "dynamodb:UpdateItem"],
  "answer-worker": ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query"],
  "connect-answer": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"],
  "failure-recorder": ["dynamodb:GetItem", "dynamodb:UpdateItem"],
  "lex-transcript": [],
};

/**
 * Holdline's own metrics each app emits (docs/operations.md, Metrics), so that each is alarmed only on what it
 * can emit: the Connect-facing handlers count `Responses`; the apps whose use cases run `ExecutionSupervisor`
 * (start and status, both in connect-answer) report a crashed attempt stopped with none left; those that
 * dispatch the worker through Lambda report a dispatch refused for good; those that register a turn report a
 * start the store never confirmed.
 */
export const HOLDLINE_METRICS: Readonly<Record<AppName, HoldlineMetrics>> = {
  "connect-start": {
    connectFacing: true,
    recoveries: ["attempt_stopped", "dispatch_refused", "start_abandoned"],
  },
  "connect-status": { connectFacing: true, recoveries: ["attempt_stopped", "dispatch_refused"] },
  "connect-answer": { connectFacing: true, recoveries: ["attempt_stopped", "start_abandoned"] },
  "answer-worker": { connectFacing: false, recoveries: [] },
  "failure-recorder": { connectFacing: false, recoveries: [] },
  "lex-transcript": { connectFacing: false, recoveries: [] },
};

export interface HoldlineArgs {
  readonly settings: StackSettings;
  /** The repository's `apps/` directory; each function's code is `<app>/dist`. */
  readonly appsDirectory: string;
}

/**
 * One Holdline environment: the table, the six functions, the worker's failure pipeline, the Lex V2 bot,
 * Connect, alarms.
 */
export class Holdline extends pulumi.ComponentResource {
  readonly budget: TimingBudget;
  readonly table: ExecutionTable;
  readonly functions: Readonly<Record<AppName, HoldlineFunction>>;
  readonly failures: WorkerFailurePipeline;
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
      },
      { parent: this },
    );
    // The apps derive their budget from the same two choices, so their waits match these timeouts.
    const storeEnvironment = {
      HOLDLINE_TABLE_NAME: this.table.name,
      HOLDLINE_DEFAULT_LOCALE: settings.locale,
      HOLDLINE_MAX_SILENCE_MS: String(budget.choices.maxSilenceMs),
      HOLDLINE_ANSWER_DEADLINE_MS: String(budget.choices.answerDeadlineMs),
    };
    const model = modelAccess(settings.bedrock, location);
    const holdlineFunction = (
      app: AppName,
      fn: {
        description: string;
        timeoutSeconds: number;
        memoryMb: number;
        environment?: Readonly<Record<string, pulumi.Input<string>>>;
        statements?: PolicyStatement[];
        reservedConcurrency?: number | undefined;
      },
    ) => {
      const storeActions = STORE_ACTIONS[app];
      const usesStore = storeActions.length > 0;
      return new HoldlineFunction(
        `${name}-${app}`,
        {
          codeDirectory: join(args.appsDirectory, app, "dist"),
          description: fn.description,
          timeoutSeconds: fn.timeoutSeconds,
          memoryMb: fn.memoryMb,
          environment: { ...(usesStore ? storeEnvironment : {}), ...fn.environment },
          statements: [
            ...(usesStore ? [this.table.allow("ExecutionStore", storeActions)] : []),
            ...(fn.statements ?? []),
          ],
          logRetentionDays: profile.logRetentionDays,
          reservedConcurrency: fn.reservedConcurrency,
        },
        { parent: this },
      );
    };

    const worker = holdlineFunction("answer-worker", {
      description: "Holdline: runs one execution (claim, call the model, complete or fail)",
      timeoutSeconds: budget.worker.lambdaTimeoutSeconds,
      memoryMb: functionMemoryMb.worker,
      environment: model.environment,
      statements: [...model.statements],
      reservedConcurrency: profile.workerReservedConcurrency,
    });
    const dispatch = {
      environment: { HOLDLINE_WORKER_FUNCTION: worker.name },
      statements: [allow("DispatchWorker", ["lambda:InvokeFunction"], [worker.arn])],
    };
    const start = holdlineFunction("connect-start", {
      description: "Holdline: registers a caller turn and dispatches the worker (polling flow)",
      timeoutSeconds: budget.connectStart.lambdaTimeoutSeconds,
      memoryMb: functionMemoryMb.connectStart,
      ...dispatch,
    });
    const status = holdlineFunction("connect-status", {
      description: "Holdline: long-polls a caller turn's execution (polling flow)",
      timeoutSeconds: budget.connectStatus.lambdaTimeoutSeconds,
      memoryMb: functionMemoryMb.connectStatus,
      ...dispatch,
    });
    const answer = holdlineFunction("connect-answer", {
      description: "Holdline: answers a caller turn within one asynchronous invocation (native-async flow)",
      timeoutSeconds: budget.connectAnswer.lambdaTimeoutSeconds,
      memoryMb: functionMemoryMb.connectAnswer,
      environment: model.environment,
      statements: [...model.statements],
    });
    const recorder = holdlineFunction("failure-recorder", {
      description: "Holdline: fails the executions whose worker events Lambda gave up on",
      timeoutSeconds: budget.failureRecorder.lambdaTimeoutSeconds,
      memoryMb: functionMemoryMb.failureRecorder,
    });
    const transcript = holdlineFunction("lex-transcript", {
      description: "Holdline: Lex V2 code hook putting the caller's words in the session for the flow",
      timeoutSeconds: budget.lexTranscript.lambdaTimeoutSeconds,
      memoryMb: functionMemoryMb.lexTranscript,
    });
    this.functions = {
      "connect-start": start,
      "connect-status": status,
      "connect-answer": answer,
      "answer-worker": worker,
      "failure-recorder": recorder,
      "lex-transcript": transcript,
    };

    this.failures = new WorkerFailurePipeline(
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
    );

    const prompts = PROMPT_PACKS[settings.locale];
    if (prompts === undefined) throw new pulumi.RunError(`no prompt pack for ${settings.locale}`);
    const { lexBot } = settings.connect;
    // Only Holdline's own bot and its association with the instance are aws-native resources.
    let awsNative: awsnative.Provider | undefined;
    if (lexBot.kind === "create") {
      // aws-native reads no `aws:region`: its provider gets the Region the aws provider deploys to.
      awsNative = new awsnative.Provider(
        `${name}-aws-native`,
        { region: location.region as pulumi.Output<awsnative.Region> },
        { parent: this },
      );
      this.speech = new SpeechInput(
        `${name}-speech`,
        // Every locale with a prompt pack: switching `holdline:locale` needs no change to the bot.
        { locales: Object.values(PROMPT_PACKS), codeHook: transcript },
        { parent: this, providers: [awsNative] },
      );
      this.lexBotAliasArn = this.speech.botAliasArn;
    } else {
      this.speech = undefined;
      this.lexBotAliasArn = pulumi
        .all([location.accountId, location.region])
        .apply(([accountId, region]) => existingBotAliasArn(lexBot, accountId, region));
    }
    this.connect = new ConnectIntegration(
      `${name}-connect`,
      {
        instance: settings.connect.instance,
        strategy: settings.strategy,
        prompts,
        budget,
        lexBot: { aliasArn: this.lexBotAliasArn, associate: lexBot.kind === "create" },
        functions: { start, status, answer },
        lexCodeHook: transcript,
        phoneNumber: settings.connect.phoneNumber,
        accountId: location.accountId,
        region: location.region,
      },
      { parent: this, ...(awsNative === undefined ? {} : { providers: [awsNative] }) },
    );

    this.alarms = new Alarms(
      `${name}-alarms`,
      {
        functions: this.functions,
        holdlineMetrics: HOLDLINE_METRICS,
        worker,
        failureQueue: this.failures.failureQueue,
        deadLetterQueue: this.failures.deadLetterQueue,
        thresholds: profile.alarms,
        topicArn: settings.alarmTopicArn,
      },
      { parent: this },
    );

    this.registerOutputs({
      tableName: this.table.name,
      contactFlowId: this.connect.contactFlow.contactFlowId,
      failureQueueUrl: this.failures.failureQueue.url,
      deadLetterQueueUrl: this.failures.deadLetterQueue.url,
    });
  }

  /** Function names by app, for the stack outputs. */
  functionNames(): pulumi.Output<Record<AppName, string>> {
    return this.byApp((fn) => fn.name);
  }

  /** Log group names by app, for `aws logs tail`. */
  logGroupNames(): pulumi.Output<Record<AppName, string>> {
    return this.byApp((fn) => fn.logGroup.name);
  }

  private byApp(
    pick: (fn: HoldlineFunction) => pulumi.Output<string>,
  ): pulumi.Output<Record<AppName, string>> {
    return pulumi.all(
      Object.fromEntries(Object.entries(this.functions).map(([app, fn]) => [app, pick(fn)])),
    ) as pulumi.Output<Record<AppName, string>>;
  }
}

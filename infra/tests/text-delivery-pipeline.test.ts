import { DELIVERY_DUE_FILTER_PATTERN } from "@holdline/adapters-dynamodb/text-delivery-item";
import { functionMemoryMb } from "@holdline/budget/function-memory";
import { describe, expect, it } from "vitest";
import { DELIVERY_BATCH, TEXT_MESSAGES } from "../src/text-delivery-pipeline.ts";
import {
  actionsOn,
  budget,
  DEV_INSTANCE_ARN,
  DEV_MODEL_ARNS,
  fn,
  nativeAsyncConfig,
  only,
  POLLING_APPS,
  PROD_GUARDRAIL_ARN,
  PROD_INSTANCE_ARN,
  PROD_MODEL_ARNS,
  SMS_CONFIGURATION_SET,
  SMS_CONFIGURATION_SET_ARN,
  SMS_NUMBER_ARN,
  statementsOf,
  T,
  TEXT_APPS,
  textOfferConfig,
} from "./support/holdline-stacks.ts";
import { privilegeViolations } from "./support/least-privilege.ts";
import {
  ACCOUNT_ID,
  CREATED_INSTANCE_ID,
  type ProgramRun,
  STREAM_LABEL,
  stackFile,
  stackRun,
} from "./support/pulumi-program.ts";

// `TextDeliveryPipeline` and what the text offer adds: the table's stream, the three functions, their roles,
// the stream's mapping, the contact-event rule, the failure queue, the alarms. Off, none of it exists.

const tableOf = (run: ProgramRun) => only(run, T.table);
const streamArnOf = (run: ProgramRun) => tableOf(run).state.streamArn as string;
const failureQueue = (run: ProgramRun) => run.one(T.queue, "-text-delivery-failures");
const rule = (run: ProgramRun) => only(run, T.eventRule);
const deliveryMapping = (run: ProgramRun) =>
  run
    .ofType(T.eventSourceMapping)
    .find((mapping) => mapping.inputs.functionName === fn(run, "text-delivery").state.arn);
/** A role's statements besides its own log writes, by Sid (across its inline policies). */
const grantsOf = (run: ProgramRun, app: (typeof TEXT_APPS)[number]) =>
  statementsOf(run, app)
    .filter((statement) => statement.Sid !== "WriteOwnLogs")
    .map(({ Sid, Action, Resource }) => ({ Sid, Action: [...Action].sort(), Resource }))
    .sort((a, b) => a.Sid.localeCompare(b.Sid));

describe("the dev stack (polling) with the text offer on and a configuration set", () => {
  const run = stackRun("dev", textOfferConfig(stackFile("dev"), { configurationSet: SMS_CONFIGURATION_SET }));

  it("turns on the executions table's stream with both images", () => {
    expect(tableOf(run).inputs).toMatchObject({ streamEnabled: true, streamViewType: "NEW_AND_OLD_IMAGES" });
    expect(streamArnOf(run)).toBe(`${tableOf(run).state.arn}/stream/${STREAM_LABEL}`);
  });

  it("deploys connect-text-offer, caller-left and text-delivery beside the strategy's, timed and sized by the budget", () => {
    const deployed = run.ofType(T.function).map((created) => created.name.replace(/^holdline-dev-/, ""));
    expect(deployed.sort()).toEqual([...POLLING_APPS, ...TEXT_APPS].sort());
    const expected = {
      "connect-text-offer": [budget.connectTextOffer.lambdaTimeoutSeconds, functionMemoryMb.connectTextOffer],
      "caller-left": [budget.callerLeft.lambdaTimeoutSeconds, functionMemoryMb.callerLeft],
      "text-delivery": [budget.textDelivery.lambdaTimeoutSeconds, functionMemoryMb.textDelivery],
    } as const;
    for (const app of TEXT_APPS) {
      const { inputs } = fn(run, app);
      expect([app, inputs.timeout, inputs.memorySize]).toEqual([app, ...expected[app]]);
    }
  });

  it("tells text-delivery the origination identity, the configuration set and the text's limits", () => {
    const table = tableOf(run).state.name;
    expect(fn(run, "text-delivery").inputs.environment.variables).toMatchObject({
      HOLDLINE_TABLE_NAME: table,
      HOLDLINE_SMS_ORIGINATION_IDENTITY: SMS_NUMBER_ARN,
      HOLDLINE_SMS_CONFIGURATION_SET: SMS_CONFIGURATION_SET,
      HOLDLINE_TEXT_MAX_SEGMENTS: String(TEXT_MESSAGES.maxSegments),
      HOLDLINE_TEXT_MAX_ATTEMPTS: String(TEXT_MESSAGES.maxAttempts),
    });
  });

  it("gives each text function exactly the variables its app reads (composition's commonEnv, smsEnv, textDeliveryEnv)", () => {
    // The apps' own loaders cannot be imported here yet (the dependency rule), so the names are listed.
    const store = [
      "HOLDLINE_TABLE_NAME",
      "HOLDLINE_DEFAULT_LOCALE",
      "HOLDLINE_MAX_SILENCE_MS",
      "HOLDLINE_ANSWER_DEADLINE_MS",
      "HOLDLINE_PROGRESSIVE_ANSWERS",
    ];
    const names = (app: (typeof TEXT_APPS)[number]) =>
      Object.keys(fn(run, app).inputs.environment.variables).sort();

    expect(names("connect-text-offer")).toEqual([...store].sort());
    expect(names("caller-left")).toEqual([...store].sort());
    expect(names("text-delivery")).toEqual(
      [
        ...store,
        "HOLDLINE_SMS_ORIGINATION_IDENTITY",
        "HOLDLINE_SMS_CONFIGURATION_SET",
        "HOLDLINE_TEXT_MAX_SEGMENTS",
        "HOLDLINE_TEXT_MAX_ATTEMPTS",
      ].sort(),
    );
  });

  it("grants text-delivery its items, this stream, sending from the configured identity and set, its failure queue: nothing else", () => {
    const table = tableOf(run).state.arn;
    expect(grantsOf(run, "text-delivery")).toEqual([
      { Sid: "ExecutionStore", Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"], Resource: [table] },
      {
        Sid: "ReadExecutionStream",
        Action: [
          "dynamodb:DescribeStream",
          "dynamodb:GetRecords",
          "dynamodb:GetShardIterator",
          "dynamodb:ListStreams",
        ],
        Resource: [streamArnOf(run)],
      },
      {
        Sid: "SendDeliveryFailureRecords",
        Action: ["sqs:SendMessage"],
        Resource: [failureQueue(run).state.arn],
      },
      {
        Sid: "SendTextFromConfiguredIdentity",
        Action: ["sms-voice:SendTextMessage"],
        Resource: [SMS_NUMBER_ARN, SMS_CONFIGURATION_SET_ARN],
      },
    ]);
  });

  it("grants caller-left Get, Query and Update on the table and its failure records: nothing else", () => {
    expect(grantsOf(run, "caller-left")).toEqual([
      {
        Sid: "ExecutionStore",
        Action: ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"],
        Resource: [tableOf(run).state.arn],
      },
      {
        Sid: "SendCallerLeftFailureRecords",
        Action: ["sqs:SendMessage"],
        Resource: [failureQueue(run).state.arn],
      },
    ]);
  });

  it("grants connect-text-offer Get and Update on the table only", () => {
    expect(grantsOf(run, "connect-text-offer")).toEqual([
      {
        Sid: "ExecutionStore",
        Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
        Resource: [tableOf(run).state.arn],
      },
    ]);
  });

  it("lets no other function read the stream, send a text or write a text failure record", () => {
    for (const app of POLLING_APPS) {
      expect([app, actionsOn(run, app, streamArnOf(run))]).toEqual([app, []]);
      expect([app, actionsOn(run, app, SMS_NUMBER_ARN)]).toEqual([app, []]);
      expect([app, actionsOn(run, app, failureQueue(run).state.arn)]).toEqual([app, []]);
    }
  });

  it("maps the stream to text-delivery through the adapter's filter, with the budget's retries, age and batch", () => {
    const mapping = deliveryMapping(run);

    expect(mapping?.inputs).toEqual({
      eventSourceArn: streamArnOf(run),
      functionName: fn(run, "text-delivery").state.arn,
      startingPosition: "LATEST",
      batchSize: budget.textDelivery.batchSize,
      maximumBatchingWindowInSeconds: 0,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: budget.textDelivery.maximumRetryAttempts,
      maximumRecordAgeInSeconds: budget.textDelivery.maximumRecordAgeSeconds,
      functionResponseTypes: ["ReportBatchItemFailures"],
      filterCriteria: { filters: [{ pattern: JSON.stringify(DELIVERY_DUE_FILTER_PATTERN) }] },
      destinationConfig: { onFailure: { destinationArn: failureQueue(run).state.arn } },
      enabled: true,
    });
    expect(JSON.parse(mapping?.inputs.filterCriteria.filters[0].pattern)).toEqual(
      DELIVERY_DUE_FILTER_PATTERN,
    );
    expect(DELIVERY_BATCH.startingPosition).toBe("LATEST");
  });

  it("retries a record at least as often as the consumer tries a send, so the consumer records the failure", () => {
    const mapping = deliveryMapping(run);
    const attempts = Number(fn(run, "text-delivery").inputs.environment.variables.HOLDLINE_TEXT_MAX_ATTEMPTS);

    expect(mapping?.inputs.maximumRetryAttempts).toBeGreaterThanOrEqual(attempts);
  });

  it("creates the mapping and caller-left's async config only after their roles may read and send", () => {
    expect(run.dependsOn(T.eventSourceMapping, "-text-delivery-delivery-source")).toEqual([
      "holdline-dev-text-delivery-delivery",
    ]);
    expect(run.dependsOn(T.eventInvokeConfig, "-text-delivery-caller-left-async")).toEqual([
      "holdline-dev-text-delivery-caller-left",
    ]);
  });

  it("keeps what text-delivery and caller-left gave up on in an encrypted queue for 14 days", () => {
    expect(failureQueue(run).inputs).toEqual({
      messageRetentionSeconds: 14 * 24 * 60 * 60,
      sqsManagedSseEnabled: true,
    });
  });

  it("routes this instance's DISCONNECTED contact events to caller-left, which only that rule may invoke", () => {
    const callerLeft = fn(run, "caller-left");

    expect(JSON.parse(rule(run).inputs.eventPattern)).toEqual({
      source: ["aws.connect"],
      "detail-type": ["Amazon Connect Contact Event"],
      detail: { eventType: ["DISCONNECTED"], instanceArn: [DEV_INSTANCE_ARN] },
    });
    expect(only(run, T.eventTarget).inputs).toEqual({
      rule: rule(run).state.name,
      arn: callerLeft.state.arn,
    });
    expect(
      run
        .ofType(T.permission)
        .filter((permission) => permission.inputs.principal === "events.amazonaws.com")
        .map((permission) => permission.inputs),
    ).toEqual([
      {
        function: callerLeft.state.name,
        action: "lambda:InvokeFunction",
        principal: "events.amazonaws.com",
        sourceArn: rule(run).state.arn,
      },
    ]);
    expect(String(rule(run).state.arn).split(":")[4]).toBe(ACCOUNT_ID);
  });

  it("retries caller-left's events as the budget says and sends those it gives up on to the failure queue", () => {
    const configs = run.ofType(T.eventInvokeConfig).map((config) => config.inputs);

    expect(configs).toContainEqual({
      functionName: fn(run, "caller-left").state.name,
      maximumRetryAttempts: budget.callerLeft.maximumRetryAttempts,
      maximumEventAgeInSeconds: budget.callerLeft.maximumEventAgeSeconds,
      destinationConfig: { onFailure: { destination: failureQueue(run).state.arn } },
    });
  });

  it("associates connect-text-offer with the instance, as the flow's other functions, and grants Connect nothing itself", () => {
    const associated = run.ofType(T.association).map((association) => association.inputs);

    expect(associated).toContainEqual({
      instanceId: CREATED_INSTANCE_ID,
      functionArn: fn(run, "connect-text-offer").state.arn,
    });
    expect(associated).toHaveLength(3);
    expect(run.ofType(T.permission).filter((p) => p.inputs.principal === "connect.amazonaws.com")).toEqual(
      [],
    );
  });

  it("alarms on texts recorded failed, on anything in the failure queue, on lost failure records, on caller-left's errors", () => {
    const alarm = (suffix: string) => run.one(T.alarm, `alarms-${suffix}`).inputs;

    expect(alarm("text-deliveries-failed")).toMatchObject({
      namespace: "Holdline",
      metricName: "TextDeliveriesFailed",
      dimensions: { service: "text-delivery" },
      statistic: "Sum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 5,
      period: 300,
    });
    expect(alarm("text-failures")).toMatchObject({
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: failureQueue(run).state.name },
      statistic: "Maximum",
      threshold: 1,
    });
    for (const app of ["text-delivery", "caller-left"] as const) {
      expect(alarm(`${app}-failure-deliveries`)).toMatchObject({
        metricName: "DestinationDeliveryFailures",
        dimensions: { FunctionName: fn(run, app).state.name },
        threshold: 1,
      });
    }
    expect(alarm("caller-left-errors")).toMatchObject({
      metricName: "Errors",
      dimensions: { FunctionName: fn(run, "caller-left").state.name },
    });
  });

  it("exports the failure queue", () => {
    expect(run.outputs.textFailureQueueUrl).toBe(failureQueue(run).state.url);
  });

  it("grants no wildcard action and no unscoped resource: the SMS ARNs are the configured ones", () => {
    expect(
      privilegeViolations(run, {
        externalArns: [...DEV_MODEL_ARNS, SMS_NUMBER_ARN, SMS_CONFIGURATION_SET_ARN],
      }),
    ).toEqual([]);
    expect(privilegeViolations(run, { externalArns: DEV_MODEL_ARNS })).toEqual([
      expect.stringContaining(`resource ${SMS_NUMBER_ARN} is neither`),
      expect.stringContaining(`resource ${SMS_CONFIGURATION_SET_ARN} is neither`),
    ]);
  });
});

describe("the dev stack switched to native-async, with the text offer and no configuration set", () => {
  const run = stackRun("dev", textOfferConfig(nativeAsyncConfig(stackFile("dev"))));

  it("deploys the three text functions beside connect-start and connect-answer and associates the offer's with the instance", () => {
    expect(
      run
        .ofType(T.association)
        .map((association) => association.inputs.functionArn)
        .sort(),
    ).toEqual(
      [
        fn(run, "connect-start").state.arn,
        fn(run, "connect-answer").state.arn,
        fn(run, "connect-text-offer").state.arn,
      ].sort(),
    );
  });

  it("lets text-delivery send from the identity alone and gives it no configuration set", () => {
    const sends = statementsOf(run, "text-delivery").filter((statement) =>
      statement.Action.includes("sms-voice:SendTextMessage"),
    );

    expect(sends.map((statement) => statement.Resource)).toEqual([[SMS_NUMBER_ARN]]);
    expect(
      fn(run, "text-delivery").inputs.environment.variables.HOLDLINE_SMS_CONFIGURATION_SET,
    ).toBeUndefined();
  });

  it("grants no wildcard action and no unscoped resource", () => {
    expect(privilegeViolations(run, { externalArns: [...DEV_MODEL_ARNS, SMS_NUMBER_ARN] })).toEqual([]);
  });
});

describe("the prod stack with the text offer, a pool and a configuration set by name", () => {
  const POOL_ARN = `arn:aws:sms-voice:ap-northeast-1:${ACCOUNT_ID}:pool/pool-0123456789abcdef0123456789abcdef`;
  const run = stackRun("prod", {
    ...stackFile("prod"),
    "holdline:textOffer": { enabled: true, key: 9, afterSeconds: 20 },
    "holdline:sms": { originationIdentity: POOL_ARN, configurationSet: "holdline-prod-texts" },
  });

  it("names the configuration set in the stack's account and Region, and listens to the existing instance", () => {
    const sends = statementsOf(run, "text-delivery").filter((statement) =>
      statement.Action.includes("sms-voice:SendTextMessage"),
    );

    expect(sends.map((statement) => statement.Resource)).toEqual([
      [POOL_ARN, `arn:aws:sms-voice:ap-northeast-1:${ACCOUNT_ID}:configuration-set/holdline-prod-texts`],
    ]);
    expect(JSON.parse(rule(run).inputs.eventPattern).detail.instanceArn).toEqual([PROD_INSTANCE_ARN]);
  });

  it("alarms on the first failed text within a minute", () => {
    expect(run.one(T.alarm, "alarms-text-deliveries-failed").inputs).toMatchObject({
      threshold: 1,
      period: 60,
    });
  });

  it("grants no wildcard action and no unscoped resource", () => {
    expect(
      privilegeViolations(run, {
        externalArns: [
          ...PROD_MODEL_ARNS,
          PROD_GUARDRAIL_ARN,
          POOL_ARN,
          `arn:aws:sms-voice:ap-northeast-1:${ACCOUNT_ID}:configuration-set/holdline-prod-texts`,
        ],
      }),
    ).toEqual([]);
  });
});

describe("stacks without the text offer: the dev and prod files, and one that says enabled: false", () => {
  const dev = stackRun("dev");
  const prod = stackRun("prod");
  const off = stackRun("dev", { ...stackFile("dev"), "holdline:textOffer": { enabled: false } });

  it("give the table no stream, and deploy none of the text functions, rule, queue or alarms", () => {
    for (const run of [dev, prod, off]) {
      const table = tableOf(run);
      expect([table.inputs.streamEnabled, table.inputs.streamViewType, table.state.streamArn]).toEqual([
        undefined,
        undefined,
        undefined,
      ]);
      const names = run.resources.map((resource) => resource.name);
      expect(names.filter((name) => /text|caller-left/.test(name))).toEqual([]);
      expect([run.ofType(T.eventRule), run.ofType(T.eventTarget)]).toEqual([[], []]);
      expect(run.ofType(T.eventSourceMapping).map((mapping) => mapping.inputs.eventSourceArn)).toEqual([
        run.one(T.queue, "worker-failures-queue").state.arn,
      ]);
      expect(run.outputs.textFailureQueueUrl).toBeUndefined();
    }
  });
});

import { DELIVERY_DUE_FILTER_PATTERN } from "@holdline/adapters-dynamodb/text-delivery-item";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ExecutionTable } from "./execution-table.ts";
import type { HoldlineFunction } from "./holdline-function.ts";
import { allow, type PolicyStatement, policyJson } from "./policy-document.ts";
import type { SmsSettings } from "./stack-settings.ts";

/** The only API action text-delivery calls on AWS End User Messaging SMS. */
export const SEND_TEXT_ACTION = "sms-voice:SendTextMessage";

/**
 * How the stream's records reach text-delivery, besides the budget's batch size, retries and record age: one batch
 * at a time per shard, delivered at once (a caller who left is waiting for the text); a failing batch is halved
 * until the failing record is alone, and the consumer reports the records it could not finish
 * (`ReportBatchItemFailures`) so the others are not sent again. New records only: a mapping created on an existing
 * stream owes nothing to changes made before it existed.
 */
export const DELIVERY_BATCH = {
  startingPosition: "LATEST",
  maximumBatchingWindowInSeconds: 0,
  bisectBatchOnFunctionError: true,
} as const;

/**
 * What a text may cost and how often it is tried: text-delivery's `HOLDLINE_TEXT_MAX_SEGMENTS` (each segment is
 * billed; a longer answer is cut at a sentence) and `HOLDLINE_TEXT_MAX_ATTEMPTS` (sends per delivery, the first
 * included, before the consumer records it failed).
 */
export const TEXT_MESSAGES = { maxSegments: 5, maxAttempts: 3 } as const;

/** SQS's longest retention: the failure records wait for a person. */
export const TEXT_FAILURE_RETENTION_SECONDS = 14 * 24 * 60 * 60;

/** Connect's contact events: the detail type on EventBridge (docs/text-delivery.md, evidence on the name). */
export const CONTACT_EVENT_DETAIL_TYPE = "Amazon Connect Contact Event";

/** The rule's pattern: a contact of this instance ended (the caller hung up, or the flow ended the call). */
export const callerLeftPattern = (instanceArn: string) => ({
  source: ["aws.connect"],
  "detail-type": [CONTACT_EVENT_DETAIL_TYPE],
  detail: { eventType: ["DISCONNECTED"], instanceArn: [instanceArn] },
});

/** The ESM's filter, as Lambda takes it: the adapter's pattern, unchanged. */
export const deliveryDueFilter = () => JSON.stringify(DELIVERY_DUE_FILTER_PATTERN);

/**
 * The resources text-delivery may send with: the configured origination identity and, when one is configured,
 * the configuration set (by its ARN: a name is the set of that name in the stack's account and Region). Both must
 * be in the stack's Region, where the function calls the SMS API.
 */
export function smsResourceArns(
  sms: SmsSettings,
  { partition, region, accountId }: { partition: string; region: string; accountId: string },
): { originationIdentityArn: string; configurationSetArn: string | undefined } {
  if (sms.region !== region) {
    throw new pulumi.RunError(
      `holdline:sms.originationIdentity is in ${sms.region}, but this stack deploys to ${region}: ` +
        "text-delivery sends from its own Region",
    );
  }
  const { configurationSet } = sms;
  let configurationSetArn: string | undefined;
  if (configurationSet === undefined) configurationSetArn = undefined;
  else if (configurationSet.startsWith("arn:")) {
    const setRegion = configurationSet.split(":")[3];
    if (setRegion !== region) {
      throw new pulumi.RunError(
        `holdline:sms.configurationSet is in ${setRegion}, but this stack deploys to ${region}`,
      );
    }
    configurationSetArn = configurationSet;
  } else {
    configurationSetArn = `arn:${partition}:sms-voice:${region}:${accountId}:configuration-set/${configurationSet}`;
  }
  return { originationIdentityArn: sms.originationIdentityArn, configurationSetArn };
}

export interface TextDeliveryPipelineArgs {
  /** The executions table, with its stream on. */
  readonly table: ExecutionTable;
  /** text-delivery, the stream's consumer. */
  readonly delivery: HoldlineFunction;
  /** caller-left, invoked by the contact-event rule. */
  readonly callerLeft: HoldlineFunction;
  /** The Connect instance whose contacts' ends are listened to. */
  readonly instanceArn: pulumi.Input<string>;
  /** Where the texts may be sent from (`smsResourceArns`). */
  readonly sms: pulumi.Input<{ originationIdentityArn: string; configurationSetArn: string | undefined }>;
  /** The mapping's settings (the budget's `textDelivery`). */
  readonly deliveryMapping: {
    readonly batchSize: number;
    readonly maximumRetryAttempts: number;
    readonly maximumRecordAgeSeconds: number;
  };
  /**
   * The consumer's own send attempts (`HOLDLINE_TEXT_MAX_ATTEMPTS`): the mapping must retry a record at least as
   * often, so that the consumer, not the mapping, gives up on a send and records the failure on the execution.
   */
  readonly maxSendAttempts: number;
  /** caller-left's asynchronous retries and event age (the budget's `callerLeft`). */
  readonly callerLeftAsync: {
    readonly maximumRetryAttempts: number;
    readonly maximumEventAgeSeconds: number;
  };
}

/**
 * Delivers the answer by text once a caller who asked for it has left and the answer is there: the executions
 * table's stream feeds text-delivery through an event source mapping that lets through only the records of a due
 * delivery (the adapter's `DELIVERY_DUE_FILTER_PATTERN`); Connect's contact events (an EventBridge rule on this
 * instance's `DISCONNECTED`) invoke caller-left, which marks a consented delivery due. What neither can finish
 * (the mapping's retries or the record's age exhausted; caller-left's asynchronous retries exhausted) goes to one
 * encrypted failure queue, kept 14 days for a person (docs/operations.md). Each role gets exactly what its side
 * needs: text-delivery reads this stream, sends from the configured identity only, and writes failure records;
 * caller-left writes failure records.
 */
export class TextDeliveryPipeline extends pulumi.ComponentResource {
  readonly failureQueue: aws.sqs.Queue;
  readonly eventSourceMapping: aws.lambda.EventSourceMapping;
  readonly callerLeftRule: aws.cloudwatch.EventRule;
  readonly callerLeftAsync: aws.lambda.FunctionEventInvokeConfig;

  constructor(name: string, args: TextDeliveryPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("holdline:infra:TextDeliveryPipeline", name, {}, opts);
    if (args.table.streamArn === undefined) {
      throw new pulumi.RunError("the text offer needs the executions table's stream");
    }
    if (args.deliveryMapping.maximumRetryAttempts < args.maxSendAttempts) {
      throw new pulumi.RunError(
        `text-delivery's mapping retries a record ${args.deliveryMapping.maximumRetryAttempts} times, fewer than ` +
          `its ${args.maxSendAttempts} send attempts: it would give up before the consumer records the failure`,
      );
    }
    this.failureQueue = new aws.sqs.Queue(
      `${name}-failures`,
      { messageRetentionSeconds: TEXT_FAILURE_RETENTION_SECONDS, sqsManagedSseEnabled: true },
      { parent: this },
    );

    const sms = pulumi.output(args.sms);
    const deliveryStatements: pulumi.Input<PolicyStatement>[] = [
      args.table.allowStreamRead("ReadExecutionStream"),
      sms.apply(
        ({ originationIdentityArn, configurationSetArn }): PolicyStatement =>
          allow(
            "SendTextFromConfiguredIdentity",
            [SEND_TEXT_ACTION],
            [originationIdentityArn, ...(configurationSetArn === undefined ? [] : [configurationSetArn])],
          ),
      ),
      allow("SendDeliveryFailureRecords", ["sqs:SendMessage"], [this.failureQueue.arn]),
    ];
    // The mapping's poller reads the stream, and Lambda delivers to an on-failure destination, with the
    // function's own execution role.
    const deliveryMayConsume = new aws.iam.RolePolicy(
      `${name}-delivery`,
      { role: args.delivery.role.id, policy: pulumi.all(deliveryStatements).apply(policyJson) },
      { parent: this },
    );
    const callerLeftMaySend = new aws.iam.RolePolicy(
      `${name}-caller-left`,
      {
        role: args.callerLeft.role.id,
        policy: policyJson([
          allow("SendCallerLeftFailureRecords", ["sqs:SendMessage"], [this.failureQueue.arn]),
        ]),
      },
      { parent: this },
    );

    // Lambda checks the role's permissions when these are created: grant first.
    this.eventSourceMapping = new aws.lambda.EventSourceMapping(
      `${name}-delivery-source`,
      {
        eventSourceArn: args.table.streamArn,
        functionName: args.delivery.arn,
        ...DELIVERY_BATCH,
        batchSize: args.deliveryMapping.batchSize,
        maximumRetryAttempts: args.deliveryMapping.maximumRetryAttempts,
        maximumRecordAgeInSeconds: args.deliveryMapping.maximumRecordAgeSeconds,
        functionResponseTypes: ["ReportBatchItemFailures"],
        filterCriteria: { filters: [{ pattern: deliveryDueFilter() }] },
        destinationConfig: { onFailure: { destinationArn: this.failureQueue.arn } },
        enabled: true,
      },
      { parent: this, dependsOn: [deliveryMayConsume] },
    );

    this.callerLeftRule = new aws.cloudwatch.EventRule(
      `${name}-caller-left`,
      {
        description: "Holdline: a contact of the Connect instance ended; caller-left marks its text due",
        eventPattern: pulumi.output(args.instanceArn).apply((arn) => JSON.stringify(callerLeftPattern(arn))),
      },
      { parent: this },
    );
    const invoke = new aws.lambda.Permission(
      `${name}-caller-left-invoke`,
      {
        function: args.callerLeft.name,
        action: "lambda:InvokeFunction",
        principal: "events.amazonaws.com",
        sourceArn: this.callerLeftRule.arn,
      },
      { parent: this },
    );
    new aws.cloudwatch.EventTarget(
      `${name}-caller-left-target`,
      { rule: this.callerLeftRule.name, arn: args.callerLeft.arn },
      { parent: this, dependsOn: [invoke] },
    );
    this.callerLeftAsync = new aws.lambda.FunctionEventInvokeConfig(
      `${name}-caller-left-async`,
      {
        functionName: args.callerLeft.name,
        maximumRetryAttempts: args.callerLeftAsync.maximumRetryAttempts,
        maximumEventAgeInSeconds: args.callerLeftAsync.maximumEventAgeSeconds,
        destinationConfig: { onFailure: { destination: this.failureQueue.arn } },
      },
      { parent: this, dependsOn: [callerLeftMaySend] },
    );
    this.registerOutputs({ failureQueueUrl: this.failureQueue.url });
  }
}

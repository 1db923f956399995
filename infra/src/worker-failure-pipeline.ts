import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { HoldlineFunction } from "./holdline-function.ts";
import { allow, policyJson } from "./policy-document.ts";

export interface WorkerFailurePipelineArgs {
  /** answer-worker, invoked asynchronously (`Event`) by connect-start and connect-status. */
  readonly worker: HoldlineFunction;
  /** failure-recorder, the failure queue's consumer. */
  readonly recorder: HoldlineFunction;
  /** Lambda's asynchronous retries of the worker before the on-failure destination (from the budget). */
  readonly maximumRetryAttempts: number;
  /** Age after which Lambda stops retrying a worker event and sends it to the destination (from the budget). */
  readonly maximumEventAgeSeconds: number;
  readonly failureRetentionSeconds: number;
  readonly deadLetterRetentionSeconds: number;
}

/**
 * AWS's guidance for an SQS event source: a visibility timeout of at least six times the function's
 * timeout, so a batch still being retried by the poller is not delivered twice.
 */
export const VISIBILITY_TIMEOUT_FUNCTION_TIMEOUTS = 6;
/** Receives before a record goes to the dead-letter queue; AWS suggests at least 5 for Lambda consumers. */
export const MAX_RECEIVE_COUNT = 5;
/** A caller is waiting on every record: deliver at once instead of batching for longer. */
export const RECORDER_BATCH = { batchSize: 10, maximumBatchingWindowInSeconds: 0 } as const;

/**
 * Makes a worker's failure reach its caller: Lambda sends the invocation record of a worker event that
 * failed every attempt to an SQS queue, failure-recorder marks the execution failed (so the flow plays the
 * error prompt), and records it cannot process land in the queue's own dead-letter queue. Each function's
 * role gets exactly the queue actions its side needs, on this queue only.
 */
export class WorkerFailurePipeline extends pulumi.ComponentResource {
  readonly failureQueue: aws.sqs.Queue;
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly eventInvokeConfig: aws.lambda.FunctionEventInvokeConfig;
  readonly eventSourceMapping: aws.lambda.EventSourceMapping;

  constructor(name: string, args: WorkerFailurePipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("holdline:infra:WorkerFailurePipeline", name, {}, opts);
    this.deadLetterQueue = new aws.sqs.Queue(
      `${name}-dlq`,
      { messageRetentionSeconds: args.deadLetterRetentionSeconds, sqsManagedSseEnabled: true },
      { parent: this },
    );
    this.failureQueue = new aws.sqs.Queue(
      `${name}-queue`,
      {
        visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_FUNCTION_TIMEOUTS * args.recorder.timeoutSeconds,
        messageRetentionSeconds: args.failureRetentionSeconds,
        sqsManagedSseEnabled: true,
        redrivePolicy: pulumi.jsonStringify({
          deadLetterTargetArn: this.deadLetterQueue.arn,
          maxReceiveCount: MAX_RECEIVE_COUNT,
        }),
      },
      { parent: this },
    );
    new aws.sqs.RedriveAllowPolicy(
      `${name}-dlq-sources`,
      {
        queueUrl: this.deadLetterQueue.url,
        redriveAllowPolicy: pulumi.jsonStringify({
          redrivePermission: "byQueue",
          sourceQueueArns: [this.failureQueue.arn],
        }),
      },
      { parent: this },
    );

    // Lambda delivers to an on-failure destination with the function's own execution role.
    const workerMaySend = new aws.iam.RolePolicy(
      `${name}-worker-send`,
      {
        role: args.worker.role.id,
        policy: policyJson([allow("SendFailureRecords", ["sqs:SendMessage"], [this.failureQueue.arn])]),
      },
      { parent: this },
    );
    const recorderMayConsume = new aws.iam.RolePolicy(
      `${name}-recorder-consume`,
      {
        role: args.recorder.role.id,
        policy: policyJson([
          allow(
            "ConsumeFailureRecords",
            ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
            [this.failureQueue.arn],
          ),
        ]),
      },
      { parent: this },
    );

    // Lambda checks the role's permissions when these are created: grant first.
    this.eventInvokeConfig = new aws.lambda.FunctionEventInvokeConfig(
      `${name}-worker-async`,
      {
        functionName: args.worker.name,
        maximumRetryAttempts: args.maximumRetryAttempts,
        maximumEventAgeInSeconds: args.maximumEventAgeSeconds,
        destinationConfig: { onFailure: { destination: this.failureQueue.arn } },
      },
      { parent: this, dependsOn: [workerMaySend] },
    );
    this.eventSourceMapping = new aws.lambda.EventSourceMapping(
      `${name}-recorder-source`,
      {
        eventSourceArn: this.failureQueue.arn,
        functionName: args.recorder.arn,
        ...RECORDER_BATCH,
        functionResponseTypes: ["ReportBatchItemFailures"],
        enabled: true,
      },
      { parent: this, dependsOn: [recorderMayConsume] },
    );
    this.registerOutputs({
      failureQueueUrl: this.failureQueue.url,
      deadLetterQueueUrl: this.deadLetterQueue.url,
    });
  }
}

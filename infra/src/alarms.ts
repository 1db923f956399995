import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { HoldlineFunction } from "./holdline-function.ts";
import type { AlarmThresholds } from "./stack-settings.ts";

export interface AlarmsArgs {
  /** Every function, by a short stable key used in the alarm names (`connect-start`, …). */
  readonly functions: Readonly<Record<string, HoldlineFunction>>;
  /** The function whose on-failure deliveries must never fail (a lost failure is a caller left waiting). */
  readonly worker: HoldlineFunction;
  readonly failureQueue: aws.sqs.Queue;
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly thresholds: AlarmThresholds;
  /** Where alarm and OK notifications go; without it the alarms only show in the console. */
  readonly topicArn: string | undefined;
}

/**
 * The alarms that say Holdline is failing callers: per function errors, throttles and a p99 duration
 * close to the timeout (the next step is timeouts, which Connect retries); the worker's failed deliveries
 * to its on-failure queue; anything in the dead-letter queue; a failure queue nobody drains.
 */
export class Alarms extends pulumi.ComponentResource {
  readonly alarms: aws.cloudwatch.MetricAlarm[] = [];

  constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("holdline:infra:Alarms", name, {}, opts);
    const { thresholds } = args;
    const actions = args.topicArn === undefined ? [] : [args.topicArn];
    const alarm = (suffix: string, alarmArgs: aws.cloudwatch.MetricAlarmArgs) =>
      this.alarms.push(
        new aws.cloudwatch.MetricAlarm(
          `${name}-${suffix}`,
          {
            evaluationPeriods: 1,
            treatMissingData: "notBreaching",
            alarmActions: actions,
            okActions: actions,
            ...alarmArgs,
          },
          { parent: this },
        ),
      );
    const lambdaMetric = (fn: HoldlineFunction, metricName: string) => ({
      namespace: "AWS/Lambda",
      metricName,
      dimensions: { FunctionName: fn.name },
      period: thresholds.periodSeconds,
    });

    for (const [key, fn] of Object.entries(args.functions)) {
      alarm(`${key}-errors`, {
        ...lambdaMetric(fn, "Errors"),
        alarmDescription: `${key} failed invocations`,
        statistic: "Sum",
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: thresholds.errorsPerPeriod,
      });
      alarm(`${key}-throttles`, {
        ...lambdaMetric(fn, "Throttles"),
        alarmDescription: `${key} throttled invocations`,
        statistic: "Sum",
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
      });
      alarm(`${key}-duration-p99`, {
        ...lambdaMetric(fn, "Duration"),
        alarmDescription: `${key} p99 duration above ${thresholds.p99DurationFractionOfTimeout} of its ${fn.timeoutSeconds} s timeout`,
        extendedStatistic: "p99",
        comparisonOperator: "GreaterThanThreshold",
        threshold: Math.round(thresholds.p99DurationFractionOfTimeout * fn.timeoutSeconds * 1000),
      });
    }
    alarm("worker-failure-deliveries", {
      ...lambdaMetric(args.worker, "DestinationDeliveryFailures"),
      alarmDescription: "answer-worker failure records that did not reach the failure queue",
      statistic: "Sum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
    });
    alarm("dead-letters", {
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: args.deadLetterQueue.name },
      period: 60,
      alarmDescription: "failure records failure-recorder could not process: replay them (docs/deploy.md)",
      statistic: "Maximum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: 1,
    });
    alarm("failure-queue-age", {
      namespace: "AWS/SQS",
      metricName: "ApproximateAgeOfOldestMessage",
      dimensions: { QueueName: args.failureQueue.name },
      period: 60,
      alarmDescription: "failure records waiting: callers are not told their answer failed",
      statistic: "Maximum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: thresholds.failureQueueAgeSeconds,
    });
    this.registerOutputs({ alarmNames: this.alarms.map((created) => created.name) });
  }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { HoldlineFunction } from "./holdline-function.ts";
import type { AlarmThresholds } from "./stack-settings.ts";

/** The recoveries alarmed on: each is a turn that failed late or was left stranded (docs/operations.md). */
export type AlarmedRecovery = "attempt_stopped" | "dispatch_refused" | "start_abandoned";

const RECOVERY_MEANINGS: Readonly<Record<AlarmedRecovery, string>> = {
  attempt_stopped:
    "an attempt stopped renewing its lease (crashed) with no attempt left: the turn failed worker_failed",
  dispatch_refused:
    "the worker could not be invoked at all (missing, access denied, invalid request): the turn failed dispatch_failed",
  start_abandoned: "the store never confirmed a turn's create in time: the caller heard the error prompt",
};

/** Holdline's own metrics a function emits (namespace `Holdline`), so that it is alarmed only on those. */
export interface HoldlineMetrics {
  /** Its handler answers Connect: `Responses` with `status` and `errorCode`. */
  readonly connectFacing: boolean;
  /** The alarmed recoveries its use cases report: `Recoveries` with `event`. */
  readonly recoveries: readonly AlarmedRecovery[];
}

/** Powertools Metrics' namespace in the functions (`METRICS_NAMESPACE` in packages/composition). */
export const HOLDLINE_NAMESPACE = "Holdline";

/** text-delivery's count of deliveries it recorded `failed` (the caller will get no text). */
export const TEXT_DELIVERIES_FAILED_METRIC = "TextDeliveriesFailed";

export interface AlarmsArgs {
  /**
   * Every function, by a short stable key used in the alarm names: the app's name (`connect-start`, …), which
   * is also the `service` dimension its Powertools metrics carry.
   */
  readonly functions: Readonly<Record<string, HoldlineFunction>>;
  /** What each function (same keys) emits of Holdline's own metrics; absent: nothing. */
  readonly holdlineMetrics: Readonly<Record<string, HoldlineMetrics>>;
  /**
   * answer-worker, whose on-failure deliveries must never fail (a lost failure is a caller left waiting), and its
   * failure queue and dead letters; absent when the strategy runs no worker.
   */
  readonly workerFailures:
    | {
        readonly worker: HoldlineFunction;
        readonly failureQueue: aws.sqs.Queue;
        readonly deadLetterQueue: aws.sqs.Queue;
      }
    | undefined;
  /**
   * The answer by text message: text-delivery (its `TextDeliveriesFailed`, and its failure records' delivery),
   * caller-left (its failure records' delivery) and their failure queue; absent when the text offer is off.
   */
  readonly textDelivery:
    | {
        readonly delivery: HoldlineFunction;
        readonly callerLeft: HoldlineFunction;
        readonly failureQueue: aws.sqs.Queue;
      }
    | undefined;
  readonly thresholds: AlarmThresholds;
  /** Where alarm and OK notifications go; without it the alarms only show in the console. */
  readonly topicArn: string | undefined;
}

/**
 * The alarms that say Holdline is failing callers: per function errors, throttles and a p99 duration
 * close to the timeout (the next step is timeouts, which Connect retries); per function, from Holdline's own
 * metrics, turns failed late or left stranded (`Recoveries`) and answers `deadline_exceeded` (`Responses`);
 * the worker's failed deliveries to its on-failure queue; anything in the dead-letter queue; a failure queue
 * nobody drains; with the text offer, texts recorded failed, anything in the text failure queue, and failure
 * records of text-delivery or caller-left that did not reach it (caller-left's errors are its `errors` alarm).
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

    // Powertools puts `service` (the app's name) on every metric, and an alarm matches a metric only by its
    // whole dimension set, so each alarm names the function's own series.
    const holdlineMetric = (service: string, metricName: string, dimensions: Record<string, string>) => ({
      namespace: HOLDLINE_NAMESPACE,
      metricName,
      dimensions: { service, ...dimensions },
      period: thresholds.periodSeconds,
      statistic: "Sum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
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
      const emits = args.holdlineMetrics[key];
      for (const recovery of emits?.recoveries ?? []) {
        alarm(`${key}-${recovery.replaceAll("_", "-")}`, {
          ...holdlineMetric(key, "Recoveries", { event: recovery }),
          alarmDescription: `${key}: ${RECOVERY_MEANINGS[recovery]}`,
          threshold: thresholds.strandedTurnsPerPeriod,
        });
      }
      if (emits?.connectFacing === true) {
        alarm(`${key}-deadline-exceeded`, {
          ...holdlineMetric(key, "Responses", { status: "error", errorCode: "deadline_exceeded" }),
          alarmDescription: `${key} answered error deadline_exceeded: callers waited out the deadline and heard the error prompt`,
          threshold: thresholds.deadlineExceededPerPeriod,
        });
      }
    }
    const { workerFailures } = args;
    if (workerFailures !== undefined) {
      alarm("worker-failure-deliveries", {
        ...lambdaMetric(workerFailures.worker, "DestinationDeliveryFailures"),
        alarmDescription: "answer-worker failure records that did not reach the failure queue",
        statistic: "Sum",
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
      });
      alarm("dead-letters", {
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: workerFailures.deadLetterQueue.name },
        period: 60,
        alarmDescription: "failure records failure-recorder could not process: replay them (docs/deploy.md)",
        statistic: "Maximum",
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
      });
      alarm("failure-queue-age", {
        namespace: "AWS/SQS",
        metricName: "ApproximateAgeOfOldestMessage",
        dimensions: { QueueName: workerFailures.failureQueue.name },
        period: 60,
        alarmDescription: "failure records waiting: callers are not told their answer failed",
        statistic: "Maximum",
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: thresholds.failureQueueAgeSeconds,
      });
    }
    const { textDelivery } = args;
    if (textDelivery !== undefined) {
      alarm("text-deliveries-failed", {
        ...holdlineMetric("text-delivery", TEXT_DELIVERIES_FAILED_METRIC, {}),
        alarmDescription:
          "texts recorded failed: callers who asked for the answer by text will not get it (docs/operations.md)",
        threshold: thresholds.failedTextsPerPeriod,
      });
      alarm("text-failures", {
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: textDelivery.failureQueue.name },
        period: 60,
        alarmDescription:
          "stream batches text-delivery gave up on, or contact events caller-left gave up on: look at them (docs/operations.md)",
        statistic: "Maximum",
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
      });
      for (const [key, fn] of [
        ["text-delivery", textDelivery.delivery],
        ["caller-left", textDelivery.callerLeft],
      ] as const) {
        alarm(`${key}-failure-deliveries`, {
          ...lambdaMetric(fn, "DestinationDeliveryFailures"),
          alarmDescription: `${key} failure records that did not reach the text failure queue`,
          statistic: "Sum",
          comparisonOperator: "GreaterThanOrEqualToThreshold",
          threshold: 1,
        });
      }
    }
    this.registerOutputs({ alarmNames: this.alarms.map((created) => created.name) });
  }
}

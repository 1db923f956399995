import { describe, expect, it } from "vitest";
import { fn, nativeAsyncConfig, POLLING_APPS, T } from "./support/holdline-stacks.ts";
import { stackFile, stackRun } from "./support/pulumi-program.ts";

// `Alarms`: on every function, and on the failure pipeline.

describe("the dev stack: polling, en-US, a new Connect instance, a claimed number", () => {
  const run = stackRun("dev");

  it("alarms on errors, throttles and a p99 duration near each function's timeout", () => {
    for (const app of POLLING_APPS) {
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

  it("alarms on Holdline's own metrics: turns failed late or stranded, answers past the deadline", () => {
    // `service` is the app's name (its Powertools serviceName): an alarm matches the whole dimension set.
    const holdlineAlarms = run
      .ofType(T.alarm)
      .filter((alarm) => alarm.inputs.namespace === "Holdline")
      .map(({ inputs }) => ({
        metric: inputs.metricName,
        dimensions: inputs.dimensions,
        statistic: inputs.statistic,
        comparison: inputs.comparisonOperator,
        threshold: inputs.threshold,
        period: inputs.period,
      }));
    const recovery = (service: string, event: string) => ({
      metric: "Recoveries",
      dimensions: { service, event },
      statistic: "Sum",
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      period: 300,
    });
    const deadline = (service: string) => ({
      metric: "Responses",
      dimensions: { service, status: "error", errorCode: "deadline_exceeded" },
      statistic: "Sum",
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 5,
      period: 300,
    });

    expect(holdlineAlarms).toEqual(
      expect.arrayContaining([
        recovery("connect-start", "attempt_stopped"),
        recovery("connect-start", "dispatch_refused"),
        recovery("connect-start", "start_abandoned"),
        recovery("connect-status", "attempt_stopped"),
        recovery("connect-status", "dispatch_refused"),
        deadline("connect-start"),
        deadline("connect-status"),
      ]),
    );
    // A polling stack deploys no connect-answer, so nothing alarms on it.
    expect(holdlineAlarms).toHaveLength(7);
    expect(run.one(T.alarm, "alarms-connect-status-dispatch-refused").inputs.dimensions).toEqual({
      service: "connect-status",
      event: "dispatch_refused",
    });
    expect(run.one(T.alarm, "alarms-connect-start-deadline-exceeded").inputs.metricName).toBe("Responses");
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
});

describe("the dev stack switched to native-async, with progressive answers (the default)", () => {
  const run = stackRun("dev", nativeAsyncConfig(stackFile("dev")));
  const holdlineAlarms = () =>
    run
      .ofType(T.alarm)
      .filter((alarm) => alarm.inputs.namespace === "Holdline")
      .map(({ inputs }) => ({ metric: inputs.metricName, dimensions: inputs.dimensions }));

  it("alarms on connect-start's and connect-answer's refused dispatches of the worker, beside their stranded turns and deadlines", () => {
    const alarmsOf = (service: "connect-start" | "connect-answer") => [
      { metric: "Recoveries", dimensions: { service, event: "attempt_stopped" } },
      { metric: "Recoveries", dimensions: { service, event: "dispatch_refused" } },
      { metric: "Recoveries", dimensions: { service, event: "start_abandoned" } },
      { metric: "Responses", dimensions: { service, status: "error", errorCode: "deadline_exceeded" } },
    ];

    expect(holdlineAlarms()).toEqual(
      expect.arrayContaining([...alarmsOf("connect-start"), ...alarmsOf("connect-answer")]),
    );
    expect(holdlineAlarms()).toHaveLength(8);
    expect(run.one(T.alarm, "alarms-connect-start-dispatch-refused").inputs.dimensions).toEqual({
      service: "connect-start",
      event: "dispatch_refused",
    });
  });

  it("alarms on connect-start's errors, throttles and duration", () => {
    for (const suffix of ["errors", "throttles", "duration-p99"]) {
      expect(run.one(T.alarm, `alarms-connect-start-${suffix}`).inputs.dimensions).toEqual({
        FunctionName: fn(run, "connect-start").state.name,
      });
    }
  });

  it("alarms on the worker's failure pipeline: dead letters, queue age, failed deliveries", () => {
    expect(run.one(T.alarm, "alarms-worker-failure-deliveries").inputs.dimensions).toEqual({
      FunctionName: fn(run, "answer-worker").state.name,
    });
    expect(run.one(T.alarm, "alarms-dead-letters").inputs.dimensions).toEqual({
      QueueName: run.one(T.queue, "worker-failures-dlq").state.name,
    });
    expect(run.one(T.alarm, "alarms-failure-queue-age").inputs.dimensions).toEqual({
      QueueName: run.one(T.queue, "worker-failures-queue").state.name,
    });
  });

  it("alarms on errors, throttles and duration of answer-worker and failure-recorder too", () => {
    for (const app of ["answer-worker", "failure-recorder"] as const) {
      for (const suffix of ["errors", "throttles", "duration-p99"]) {
        expect(run.one(T.alarm, `alarms-${app}-${suffix}`).inputs.dimensions).toEqual({
          FunctionName: fn(run, app).state.name,
        });
      }
    }
  });
});

describe("the dev stack switched to native-async without progressive answers", () => {
  const run = stackRun("dev", nativeAsyncConfig(stackFile("dev"), { progressiveAnswers: false }));

  it("alarms on no refused dispatch: connect-answer dispatches nothing", () => {
    const recoveries = run
      .ofType(T.alarm)
      .filter((alarm) => alarm.inputs.metricName === "Recoveries")
      .map((alarm) => alarm.inputs.dimensions.event)
      .sort();

    expect(recoveries).toEqual(["attempt_stopped", "start_abandoned"]);
  });
});

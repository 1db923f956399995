import { describe, expect, it } from "vitest";
import { actionsOn, budget, fn, T } from "./support/holdline-stacks.ts";
import { stackRun } from "./support/pulumi-program.ts";

// `WorkerFailurePipeline`: where the worker's failed events go, who records them, and their dead letters.

describe("the dev stack: polling, en-US, a new Connect instance, a claimed number", () => {
  const run = stackRun("dev");

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
});

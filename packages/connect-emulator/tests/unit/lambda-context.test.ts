import { describe, expect, it } from "vitest";
import { lambdaContext } from "../../src/lambda-context.ts";

const ARN = "arn:aws:lambda:ap-northeast-1:123456789012:function:holdline-local-answer-worker:live";

describe("lambdaContext", () => {
  it("counts the remaining time down from the timeout on the given clock, never below zero", () => {
    // Prepare
    let now = 1_000;
    const context = lambdaContext({
      functionArn: ARN,
      requestId: "r1",
      startedAt: 1_000,
      timeoutMs: 8_000,
      now: () => now,
      logStreamName: "local",
    });

    // Act
    const atStart = context.getRemainingTimeInMillis();
    now = 6_000;
    const later = context.getRemainingTimeInMillis();
    now = 20_000;
    const past = context.getRemainingTimeInMillis();

    // Assess
    expect([atStart, later, past]).toEqual([8_000, 3_000, 0]);
  });

  it("names the function and its log group from the ARN, keeping the ARN as invoked", () => {
    const context = lambdaContext({
      functionArn: ARN,
      requestId: "r1",
      startedAt: 0,
      timeoutMs: 1,
      now: () => 0,
      logStreamName: "emulated",
    });

    expect(context).toMatchObject({
      functionName: "holdline-local-answer-worker",
      invokedFunctionArn: ARN,
      logGroupName: "/aws/lambda/holdline-local-answer-worker",
      logStreamName: "emulated",
      awsRequestId: "r1",
    });
  });
});

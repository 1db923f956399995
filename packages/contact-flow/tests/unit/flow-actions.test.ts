import { describe, expect, it } from "vitest";
import { invokeLambda, loadLambdaResult, minimumWaitTime, wait } from "../../src/flow-actions.ts";

/**
 * The action constructors write the console's names. Sources: mgaffigan/pulumi-amazon-connect
 * docs/wire-format-checks.md ("MGW": what the live CreateContactFlow API rejected and required) and the console
 * export of an asynchronous flow reported in issue 14.
 */
describe("wait", () => {
  const branches = { onTimeout: "late", onLambdaReturned: "load", onContinue: "music", onError: "oops" };

  it("writes TimeLimitSeconds, never the reference's TimeoutSeconds (MGW: rejected outright)", () => {
    // Act
    const plain = wait("w", { timeLimitSeconds: 30 }, branches);

    // Assess
    expect(plain.Parameters).toEqual({ TimeLimitSeconds: "30" });
  });

  it('writes MinimumWaitTimeSeconds "1" beside ContinueExecution "TRUE" in keep-running mode (issue 14\'s export; MGW: required)', () => {
    // Act
    const keepRunning = wait(
      "w",
      {
        timeLimitSeconds: 62,
        continueExecution: true,
        lambdaInvocationId: "$.LambdaInvocation.InvocationId",
      },
      branches,
    );

    // Assess
    expect(keepRunning.Parameters).toEqual({
      TimeLimitSeconds: "62",
      MinimumWaitTimeSeconds: "1",
      ContinueExecution: "TRUE",
      InterruptibleEvents: {
        LambdaReturned: { AsyncLambdaCompletionEvent: { Identifier: "$.LambdaInvocation.InvocationId" } },
      },
    });
  });

  it("takes another minimum wait from WaitOptions", () => {
    expect(
      wait("w", { timeLimitSeconds: 62, continueExecution: true, minimumWaitSeconds: 3 }, branches)
        .Parameters,
    ).toMatchObject({ MinimumWaitTimeSeconds: "3" });
  });

  it("refuses a minimum wait outside keep-running mode, and one under a second", () => {
    expect(() => wait("w", { timeLimitSeconds: 5, minimumWaitSeconds: 1 }, branches)).toThrow(TypeError);
    expect(() => minimumWaitTime(0)).toThrow(RangeError);
    expect(() => minimumWaitTime(1.5)).toThrow(RangeError);
  });
});

describe("the asynchronous Lambda", () => {
  it("loads the result by LambdaInvocationId, as the console exports it (issue 14)", () => {
    expect(
      loadLambdaResult("load", "$.LambdaInvocation.InvocationId", {
        next: "n",
        onInProgress: "w",
        onError: "e",
      }).Parameters,
    ).toEqual({ LambdaInvocationId: "$.LambdaInvocation.InvocationId" });
  });

  it.each(["SYNCHRONOUS", "ASYNCHRONOUS"] as const)(
    "always writes InvocationType (%s), which the console always emits (MGW)",
    (invocationType) => {
      // Act
      const invoke = invokeLambda(
        "i",
        { functionArn: "arn:f", invocationType, timeLimitSeconds: 8, responseType: "STRING_MAP" },
        { next: "n", onError: "e" },
      );

      // Assess
      expect(invoke.Parameters.InvocationType).toBe(invocationType);
      expect(invoke.Parameters.InvocationTimeLimitSeconds).toBe("8");
    },
  );
});

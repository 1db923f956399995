import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type LambdaContext, withLambdaContext } from "../../src/lambda/lambda-context.ts";
import { createObservability } from "../../src/lambda/observability.ts";

const context = (awsRequestId: string): LambdaContext => ({
  awsRequestId,
  functionName: "holdline-dev-connect-start",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:111122223333:function:holdline-dev-connect-start",
  memoryLimitInMB: "256",
  logGroupName: "/aws/lambda/holdline-dev-connect-start",
  logStreamName: "2026/01/01/[$LATEST]abc",
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 1000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** Powertools' Logger writes JSON lines to stdout; the tests' environment silences it, so it is on here. */
function capturedLines(): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: unknown) => {
    for (const line of String(chunk).split("\n")) {
      if (line.trim().startsWith("{")) lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    return true;
  });
  return lines;
}

describe("withLambdaContext", () => {
  beforeEach(() => {
    vi.stubEnv("POWERTOOLS_LOG_LEVEL", "INFO");
    // Lambda sets this; Powertools reports a cold start only for on-demand sandboxes.
    vi.stubEnv("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it("puts Lambda's request id and the cold-start flag on each invocation's log lines", async () => {
    // Prepare
    const { logger } = createObservability("connect-start");
    const lines = capturedLines();
    const handler = withLambdaContext(logger, async (event: { turn: number }) => {
      logger.info("answered Connect", { turn: event.turn });
      return event.turn;
    });

    // Act
    await handler({ turn: 1 }, context("req-1"));
    await handler({ turn: 2 }, context("req-2"));

    // Assess
    expect(lines.map((line) => [line.function_request_id, line.cold_start, line.turn])).toEqual([
      ["req-1", true, 1],
      ["req-2", false, 2],
    ]);
    expect(lines[0]).toMatchObject({ function_name: "holdline-dev-connect-start", service: "connect-start" });
  });

  it("adds nothing when called without a context, as tests and local calls do", async () => {
    // Prepare
    const { logger } = createObservability("connect-start");
    const lines = capturedLines();
    const handler = withLambdaContext(logger, async () => {
      logger.info("answered Connect");
      return "ok";
    });

    // Act
    const result = await handler({});

    // Assess
    expect(result).toBe("ok");
    expect(lines.map((line) => "function_request_id" in line)).toEqual([false]);
  });
});

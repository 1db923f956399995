import { type AddressInfo, createServer } from "node:net";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { DispatchError } from "@holdline/domain/errors";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLambdaClient, type LambdaClientOptions } from "../../src/lambda-client.factory.ts";
import { LambdaWorkDispatcher } from "../../src/lambda-work-dispatcher.ts";
import { parseWorkerPayload } from "../../src/worker-payload.ts";
import { TEST_CLIENT_TIMEOUTS, TEST_DISPATCH_DEADLINE_MS } from "../support/test-timeouts.ts";
import { LocalLambdaEndpoint } from "@holdline/local-aws/local-lambda-endpoint";

const WORKER = "holdline-answer-worker";
const WORKER_ARN = "arn:aws:lambda:ap-northeast-1:111122223333:function:holdline-answer-worker:live";
const KEY = { contactId: "2842f992-51fb-4a63-9fcc-3363116d4179", turn: 3 };

let endpoint: LocalLambdaEndpoint;
let client: LambdaClient | undefined;

beforeEach(async () => {
  endpoint = await LocalLambdaEndpoint.start();
});

afterEach(async () => {
  client?.destroy();
  client = undefined;
  await endpoint.close();
});

function dispatcherFor(
  options: Partial<LambdaClientOptions> = {},
  functionName = WORKER,
  deadlineMs = TEST_DISPATCH_DEADLINE_MS,
) {
  client = createLambdaClient({
    region: "ap-northeast-1",
    endpoint: endpoint.url,
    credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" },
    ...TEST_CLIENT_TIMEOUTS,
    ...options,
  });
  return new LambdaWorkDispatcher(client, { functionName, deadlineMs });
}

/** A loopback URL whose port was free a moment ago: connecting to it is refused. */
async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

async function dispatchError(dispatch: Promise<void>): Promise<DispatchError> {
  const error = await dispatch.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DispatchError);
  return error as DispatchError;
}

describe("LambdaWorkDispatcher through the SDK against a local Lambda endpoint", () => {
  it("sends an asynchronous Event invocation of the configured function", async () => {
    // Prepare
    const dispatcher = dispatcherFor();

    // Act
    await dispatcher.dispatch(KEY);

    // Assess
    expect(endpoint.received).toHaveLength(1);
    expect(endpoint.received[0]).toMatchObject({
      method: "POST",
      functionName: WORKER,
      invocationType: "Event",
    });
  });

  it("sends the key as the JSON payload, which the worker's parser reads back", async () => {
    // Prepare
    const dispatcher = dispatcherFor();

    // Act
    await dispatcher.dispatch(KEY);

    // Assess
    const body = endpoint.received[0]?.body ?? "";
    expect(JSON.parse(body)).toEqual({ contactId: KEY.contactId, turn: 3 });
    expect(parseWorkerPayload(JSON.parse(body))).toEqual({ ok: true, key: KEY });
  });

  it("addresses a qualified function ARN", async () => {
    // Prepare
    const dispatcher = dispatcherFor({}, WORKER_ARN);

    // Act
    await dispatcher.dispatch(KEY);

    // Assess
    expect(endpoint.received[0]?.functionName).toBe(WORKER_ARN);
  });

  it("signs the request with SigV4", async () => {
    // Prepare
    const dispatcher = dispatcherFor();

    // Act
    await dispatcher.dispatch(KEY);

    // Assess
    expect(endpoint.received[0]?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDLOCAL\/\d{8}\/ap-northeast-1\/lambda\/aws4_request/,
    );
  });

  it("fails retryable after the SDK's bounded attempts when Lambda throttles", async () => {
    // Prepare
    const dispatcher = dispatcherFor({ maxAttempts: 2 });
    const throttled = { kind: "error", status: 429, errorType: "TooManyRequestsException" } as const;
    endpoint.reply(throttled, throttled, throttled);

    // Act
    const error = await dispatchError(dispatcher.dispatch(KEY));

    // Assess
    expect(error).toMatchObject({ code: "dispatch_failed", retryable: true });
    expect(error.message).toContain("TooManyRequestsException");
    expect(endpoint.received).toHaveLength(2);
  });

  it("succeeds when a throttled first attempt is retried by the SDK", async () => {
    // Prepare
    const dispatcher = dispatcherFor({ maxAttempts: 2 });
    endpoint.reply({ kind: "error", status: 429, errorType: "TooManyRequestsException" });

    // Act
    await dispatcher.dispatch(KEY);

    // Assess
    expect(endpoint.received.map((request) => request.invocationType)).toEqual(["Event", "Event"]);
  });

  it("fails not retryable, without retrying, when the function does not exist", async () => {
    // Prepare
    const dispatcher = dispatcherFor({ maxAttempts: 3 });
    endpoint.reply({
      kind: "error",
      status: 404,
      errorType: "ResourceNotFoundException",
      message: `Function not found: ${WORKER}`,
    });

    // Act
    const error = await dispatchError(dispatcher.dispatch(KEY));

    // Assess
    expect(error).toMatchObject({ code: "dispatch_failed", retryable: false });
    expect(error.message).toContain("ResourceNotFoundException");
    expect(endpoint.received).toHaveLength(1);
  });

  it("fails not retryable when Lambda denies the invocation", async () => {
    // Prepare
    const dispatcher = dispatcherFor({ maxAttempts: 1 });
    endpoint.reply({ kind: "error", status: 403, errorType: "AccessDeniedException" });

    // Act
    const error = await dispatchError(dispatcher.dispatch(KEY));

    // Assess
    expect(error.retryable).toBe(false);
  });

  it("fails retryable on Lambda's own fault", async () => {
    // Prepare
    const dispatcher = dispatcherFor({ maxAttempts: 1 });
    endpoint.reply({ kind: "error", status: 500, errorType: "ServiceException" });

    // Act
    const error = await dispatchError(dispatcher.dispatch(KEY));

    // Assess
    expect(error).toMatchObject({ code: "dispatch_failed", retryable: true });
  });

  it("fails when Lambda answers with a status other than 202", async () => {
    // Prepare
    const dispatcher = dispatcherFor({ maxAttempts: 1 });
    endpoint.reply({ kind: "status", status: 200 });

    // Act
    const error = await dispatchError(dispatcher.dispatch(KEY));

    // Assess
    expect(error).toMatchObject({ code: "dispatch_failed", retryable: false });
    expect(error.message).toContain("status 200");
  });

  it("gives up at the request timeout when Lambda does not answer", async () => {
    // Prepare
    const dispatcher = dispatcherFor({ maxAttempts: 1, requestTimeoutMs: 200 });
    endpoint.reply({ kind: "hang" });
    const started = performance.now();

    // Act
    const error = await dispatchError(dispatcher.dispatch(KEY));

    // Assess
    expect(error.retryable).toBe(true);
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it("gives up at its own deadline whatever the SDK's timeouts", async () => {
    // Prepare
    const dispatcher = dispatcherFor({ maxAttempts: 1, requestTimeoutMs: 5_000 }, WORKER, 150);
    endpoint.reply({ kind: "hang" });
    const started = performance.now();

    // Act
    const error = await dispatchError(dispatcher.dispatch(KEY));

    // Assess
    expect(error).toMatchObject({ code: "dispatch_failed", retryable: true });
    expect(error.message).toContain("150 ms");
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("does not wait out a throttling Retry-After hint past its deadline", async () => {
    // Prepare
    const dispatcher = dispatcherFor({ maxAttempts: 2 }, WORKER, 500);
    endpoint.reply({
      kind: "error",
      status: 429,
      errorType: "TooManyRequestsException",
      retryAfterSeconds: 5,
    });
    const started = performance.now();

    // Act
    const error = await dispatchError(dispatcher.dispatch(KEY));

    // Assess
    expect(error).toMatchObject({ code: "dispatch_failed", retryable: true });
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it("fails retryable when nothing listens at the endpoint", async () => {
    // Prepare
    const dispatcher = dispatcherFor({ maxAttempts: 1, endpoint: await closedPortUrl() });

    // Act
    const error = await dispatchError(dispatcher.dispatch(KEY));

    // Assess
    expect(error.retryable).toBe(true);
    expect(endpoint.received).toHaveLength(0);
  });
});

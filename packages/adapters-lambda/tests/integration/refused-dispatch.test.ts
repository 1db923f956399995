import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { ExecutionPolicy } from "@holdline/domain/execution/execution-policy";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { InMemoryExecutionStore } from "@holdline/domain/testing/fakes/in-memory-execution-store";
import { ExecutionSupervisor } from "@holdline/domain/use-cases/execution-supervisor";
import { StartExecution } from "@holdline/domain/use-cases/start-execution/start-execution.use-case";
import { LocalLambdaEndpoint, type ScriptedReply } from "@holdline/local-aws/local-lambda-endpoint";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLambdaClient } from "../../src/lambda-client.factory.ts";
import { LambdaWorkDispatcher } from "../../src/lambda-work-dispatcher.ts";
import { TEST_CLIENT_TIMEOUTS, TEST_DISPATCH_DEADLINE_MS } from "../support/test-timeouts.ts";

const POLICY: ExecutionPolicy = {
  deadlineMs: 60_000,
  leaseMs: 65_000,
  maxAttempts: 1,
  lostDispatchAfterMs: 5_000,
  pollIntervalMs: 250,
  retentionSeconds: 3_600,
  historyTurns: 0,
};
const KEY = { contactId: "2842f992-51fb-4a63-9fcc-3363116d4179", turn: 1 };
const QUESTION = { question: "What time do you open?", locale: "en-US" };

let endpoint: LocalLambdaEndpoint;
let client: LambdaClient;

beforeEach(async () => {
  endpoint = await LocalLambdaEndpoint.start();
  client = createLambdaClient({
    region: "ap-northeast-1",
    endpoint: endpoint.url,
    credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" },
    ...TEST_CLIENT_TIMEOUTS,
  });
});

afterEach(async () => {
  client.destroy();
  await endpoint.close();
});

/** StartExecution as connect-start wires it, dispatching through the SDK to the local Lambda endpoint. */
function startExecution() {
  const clock = new ManualClock(Date.UTC(2026, 10, 23, 9, 0, 0));
  const store = new InMemoryExecutionStore(clock);
  const dispatcher = new LambdaWorkDispatcher(client, {
    functionName: "holdline-answer-worker",
    deadlineMs: TEST_DISPATCH_DEADLINE_MS,
  });
  const supervisor = new ExecutionSupervisor(store, dispatcher, clock, POLICY);
  return { store, start: new StartExecution(store, supervisor, clock, POLICY) };
}

const refusal = (status: number, errorType: string): ScriptedReply => ({ kind: "error", status, errorType });

describe("a start whose Event invocation Lambda refuses, through the SDK", () => {
  it.each([
    [403, "AccessDeniedException"],
    [404, "ResourceNotFoundException"],
    [400, "InvalidParameterValueException"],
  ])("fails the execution dispatch_failed at once on HTTP %i %s, without retrying", async (status, type) => {
    // Prepare
    const { store, start } = startExecution();
    endpoint.reply(refusal(status, type), refusal(status, type));

    // Act
    const { execution } = await start.execute({ key: KEY, input: QUESTION, fastPathWaitMs: 0 });

    // Assess
    expect(execution).toMatchObject({
      status: "failed",
      error: { code: "dispatch_failed", retryable: false },
    });
    expect(execution.error?.message).toContain(type);
    expect(await store.get(KEY)).toEqual(execution);
    expect(endpoint.received).toHaveLength(1);
  });

  it.each([
    [429, "TooManyRequestsException"],
    [500, "ServiceException"],
  ])("keeps the execution queued for a later dispatch on HTTP %i %s", async (status, type) => {
    // Prepare
    const { store, start } = startExecution();
    endpoint.reply(refusal(status, type), refusal(status, type));

    // Act
    const { execution } = await start.execute({ key: KEY, input: QUESTION, fastPathWaitMs: 0 });

    // Assess
    expect(execution.status).toBe("queued");
    expect((await store.get(KEY))?.status).toBe("queued");
    expect(endpoint.received).toHaveLength(TEST_CLIENT_TIMEOUTS.maxAttempts);
  });
});

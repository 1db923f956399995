import { connectEvent } from "@holdline/adapters-connect/testing/connect-event.builder";
import { DynamoDbExecutionStore } from "@holdline/adapters-dynamodb/dynamodb-execution-store";
import { useLocalExecutionTable } from "@holdline/adapters-dynamodb/testing/local-execution-table";
import { deriveBudget } from "@holdline/budget/timing-budget";
import type { Clock } from "@holdline/domain/ports/clock.port";
import { ScriptedLlmClient, stream } from "@holdline/domain/testing/fakes/scripted-llm-client";
import { RunExecution } from "@holdline/domain/use-cases/run-execution/run-execution.use-case";
import { LOCAL_CREDENTIALS } from "@holdline/local-aws/local-dynamodb";
import { importLambdaBundle } from "@holdline/local-aws/lambda-bundle";
import { LocalLambdaEndpoint } from "@holdline/local-aws/local-lambda-endpoint";
import { localAwsEnvironment } from "@holdline/local-aws/local-aws-environment";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Handler = (
  event: unknown,
  context?: { getRemainingTimeInMillis(): number },
) => Promise<Record<string, string>>;

const PARTS = ["はい、営業しております。", "朝9時から夜7時までです。"];
const progressiveEvent = (cursor: string) =>
  connectEvent({
    parameters: { question: "営業時間を教えてください。", turn: "1", locale: "ja-JP", cursor },
  });
/** Lambda's context for a 60-second function with 20 s left: the handler waits up to 16 s. */
const context = { getRemainingTimeInMillis: () => 20_000 };

const wallClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, Math.max(0, ms));
      signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    }),
};

// The built bundle, configured with a worker (HOLDLINE_WORKER_FUNCTION): a progressive request goes to it.
describe("connect-answer bundle with a worker", { timeout: 30_000 }, () => {
  const table = useLocalExecutionTable();
  let lambda: LocalLambdaEndpoint;
  let handler: Handler;
  const workerRuns: Promise<unknown>[] = [];

  beforeAll(async () => {
    // answer-worker: the Event the bundle sends starts a run of the turn on the same table.
    lambda = await LocalLambdaEndpoint.start({
      onEvent: (invocation) => {
        const { contactId, turn } = JSON.parse(invocation.body) as { contactId: string; turn: number };
        const store = new DynamoDbExecutionStore(table.client, table.tableName, wallClock, {
          operationTimeoutMs: 3_000,
        });
        const model = new ScriptedLlmClient(wallClock, [
          stream(
            [
              [200, PARTS[0] ?? ""],
              [700, PARTS[1] ?? ""],
            ],
            900,
          ),
        ]);
        workerRuns.push(
          new RunExecution(store, model, wallClock, deriveBudget().policy).execute({ contactId, turn }),
        );
      },
    });
    ({ handler } = await importLambdaBundle<Handler>(`${import.meta.dirname}/../..`, {
      ...localAwsEnvironment(LOCAL_CREDENTIALS),
      HOLDLINE_TABLE_NAME: table.tableName,
      HOLDLINE_DYNAMODB_ENDPOINT: table.local.endpoint,
      HOLDLINE_WORKER_FUNCTION: "holdline-answer-worker",
      HOLDLINE_LAMBDA_ENDPOINT: lambda.url,
    }));
  });

  afterAll(async () => {
    await Promise.allSettled(workerRuns);
    await lambda?.close();
  });

  it("dispatches answer-worker as an Event invocation and answers its first part, then the rest by cursor", async () => {
    // Act
    const first = await handler(progressiveEvent("0"), context);
    const rest = await handler(progressiveEvent(first.cursor ?? ""), context);

    // Assess
    expect(first).toMatchObject({ status: "partial", answer: PARTS[0], cursor: "1" });
    expect(rest).toMatchObject({ status: expect.stringMatching(/^(partial|completed)$/), answer: PARTS[1] });
    expect(lambda.received).toHaveLength(1);
    expect(lambda.received[0]).toMatchObject({
      functionName: "holdline-answer-worker",
      invocationType: "Event",
    });
    expect(JSON.parse(lambda.received[0]?.body ?? "")).toEqual({
      contactId: "2842f992-51fb-4a63-9fcc-3363116d4179",
      turn: 1,
    });
  });
});

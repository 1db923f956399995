// Run by `measureReaderCpu` (reader-cpu.ts) in a child process of its own: loads connect-answer's built bundle as
// Lambda would, against dynalite in a further child process, and writes what one warm invocation costs in CPU.
import { writeFileSync } from "node:fs";
import { createDynamoDbClient } from "@holdline/adapters-dynamodb/dynamodb-client";
import { DynamoDbExecutionStore } from "@holdline/adapters-dynamodb/dynamodb-execution-store";
import { executionTableDefinition } from "@holdline/adapters-dynamodb/execution-table";
import { claim, complete, newExecution, newWriterToken } from "@holdline/domain/execution/execution";
import { importLambdaBundle } from "@holdline/local-aws/lambda-bundle";
import { localAwsEnvironment } from "@holdline/local-aws/local-aws-environment";
import { LOCAL_CREDENTIALS, startLocalDynamoDb } from "@holdline/local-aws/local-dynamodb";
import type { ReaderCpuResult } from "./reader-cpu.ts";

type Handler = (event: unknown, context: { getRemainingTimeInMillis(): number }) => Promise<unknown>;

const [appDirectory, resultFile] = process.argv.slice(2);
if (appDirectory === undefined || resultFile === undefined)
  throw new Error("usage: <app directory> <result file>");

const TABLE = "holdline-reader-cpu";
const CONTACT_ID = "5e1f0a4c-2b7d-4c3e-9a8f-0d6b1c2e3f40";
const QUESTION = "駐車場はありますか？";
const PARTS = ["はい、店舗の裏に六台分ございます。", "満車の際は近くの提携駐車場をご利用ください。"];
const WARM_UP = 30;
const MEASURED = 300;

const wallClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};
const dynamodb = await startLocalDynamoDb({ childProcess: true, tables: [executionTableDefinition(TABLE)] });
const client = createDynamoDbClient({
  endpoint: dynamodb.endpoint,
  region: dynamodb.region,
  credentials: dynamodb.credentials,
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 1_500,
  maxAttempts: 2,
});
try {
  // A turn answer-worker has finished: two parts, completed.
  const store = new DynamoDbExecutionStore(client, TABLE, wallClock, { operationTimeoutMs: 3_000 });
  const by = newWriterToken();
  const queued = newExecution({
    key: { contactId: CONTACT_ID, turn: 1 },
    input: { question: QUESTION, locale: "ja-JP" },
    now: Date.now(),
    deadlineMs: 60_000,
    retentionSeconds: 3_600,
    by,
  });
  await store.createIfAbsent(queued);
  const running = await store.transition(
    claim(queued, { now: Date.now(), leaseMs: 4_500, maxAttempts: 2, by }),
    {
      version: queued.version,
      status: "queued",
    },
  );
  await store.transition(complete(running, { now: Date.now(), answer: PARTS.join(""), parts: PARTS, by }), {
    version: running.version,
    status: "running",
  });

  const { handler } = await importLambdaBundle<Handler>(appDirectory, {
    ...localAwsEnvironment(LOCAL_CREDENTIALS),
    HOLDLINE_TABLE_NAME: TABLE,
    HOLDLINE_DYNAMODB_ENDPOINT: dynamodb.endpoint,
    HOLDLINE_WORKER_FUNCTION: "holdline-answer-worker",
  });
  // The flow's first request for the turn (cursor 0): one read finds the parts, and the answer is mapped.
  const event = {
    Name: "ContactFlowEvent",
    Details: {
      ContactData: {
        ContactId: CONTACT_ID,
        InitialContactId: CONTACT_ID,
        Channel: "VOICE",
        InstanceARN:
          "arn:aws:connect:ap-northeast-1:123456789012:instance/11111111-2222-4333-8444-555555555555",
        Attributes: {},
      },
      Parameters: { question: QUESTION, turn: "1", locale: "ja-JP", cursor: "0" },
    },
  };
  const context = { getRemainingTimeInMillis: () => 50_000 };
  const response = (await handler(event, context)) as { status?: string };
  if (response.status !== "completed") throw new Error(`expected completed, got ${JSON.stringify(response)}`);
  for (let round = 0; round < WARM_UP; round += 1) await handler(event, context);
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  for (let round = 0; round < MEASURED; round += 1) await handler(event, context);
  const cpu = process.cpuUsage(cpuBefore);
  const result: ReaderCpuResult = {
    invocations: MEASURED,
    cpuMsPerInvocation: (cpu.user + cpu.system) / 1_000 / MEASURED,
    wallMsPerInvocation: (performance.now() - startedAt) / MEASURED,
  };
  writeFileSync(resultFile, JSON.stringify(result));
} finally {
  client.destroy();
  await dynamodb.stop();
}

/**
 * Store benchmark: create/claim/complete/get throughput and latency of `DynamoDbExecutionStore` against
 * dynalite in a child process on loopback, plus the DynamoDB requests and capacity units one execution
 * costs. Run with `pnpm bench` at the root, or `pnpm --filter @holdline/adapters-dynamodb bench`.
 *
 * Options: `--executions N` (default 2000) and `--concurrency 1,8,32`.
 */
import { randomUUID } from "node:crypto";
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { SystemClock } from "@holdline/adapters-node/system-clock";
import {
  claim,
  complete,
  type Execution,
  fail,
  formatKey,
  newExecution,
} from "@holdline/domain/execution/execution";
import { freshTableName, type LocalDynamoDb, startLocalDynamoDb } from "@holdline/local-aws/local-dynamodb";
import { createDynamoDbClient } from "../src/dynamodb-client.ts";
import { DynamoDbExecutionStore } from "../src/dynamodb-execution-store.ts";
import { meterDynamoDbRequests, type RequestMeter } from "../tests/support/dynamodb-request-meter.ts";
import { TEST_CLIENT_TIMEOUTS, TEST_STORE_OPTIONS } from "../tests/support/test-timeouts.ts";
import { toItem } from "../src/execution-item.ts";
import { executionTableDefinition } from "../src/execution-table.ts";
import { itemSizeBytes } from "../src/item-size.ts";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

const { values } = parseArgs({
  options: {
    executions: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "1,8,32" },
  },
});
const EXECUTIONS = Number(values.executions);
const CONCURRENCY = values.concurrency.split(",").map(Number);
const LEASE = { leaseMs: 30_000, maxAttempts: 2 };
/** About what a spoken answer runs to: 200 Japanese characters, 600 bytes. */
const TYPICAL_ANSWER = "ご質問ありがとうございます。".repeat(15).slice(0, 200);
const OPERATIONS = ["create", "claim", "complete", "get"] as const;
type Operation = (typeof OPERATIONS)[number];

const clock = new SystemClock();

interface Bench {
  readonly local: LocalDynamoDb;
  store(tableName: string): { store: DynamoDbExecutionStore; meter: RequestMeter; destroy(): void };
}

async function main(): Promise<void> {
  const started = performance.now();
  const local = await startLocalDynamoDb({ childProcess: true });
  const bench: Bench = {
    local,
    store(tableName) {
      const client = createDynamoDbClient({
        endpoint: local.endpoint,
        region: local.region,
        credentials: local.credentials,
        ...TEST_CLIENT_TIMEOUTS,
      });
      const meter = meterDynamoDbRequests(client, { consumedCapacity: true });
      return {
        store: new DynamoDbExecutionStore(client, tableName, clock, TEST_STORE_OPTIONS),
        meter,
        destroy: () => client.destroy(),
      };
    },
  };
  try {
    console.log(`# DynamoDbExecutionStore on dynalite\n`);
    console.log(
      `dynalite in a child process on 127.0.0.1, ${availableParallelism()} cores, Node ${process.version}; ` +
        `${EXECUTIONS.toLocaleString("en-US")} executions per concurrency level, each phase run to completion ` +
        `before the next; answers of ${Buffer.byteLength(TYPICAL_ANSWER)} bytes.\n`,
    );
    console.log("| concurrency | operation | ops/s | p50 ms | p99 ms | max ms |");
    console.log("|---:|---|---:|---:|---:|---:|");
    for (const concurrency of CONCURRENCY) await throughput(bench, concurrency);
    console.log("");
    await costPerExecution(bench);
  } finally {
    await local.stop();
  }
  console.log(`\n_${((performance.now() - started) / 1000).toFixed(1)} s in all._`);
}

async function throughput(bench: Bench, concurrency: number): Promise<void> {
  const tableName = freshTableName("bench");
  await bench.local.createTable(executionTableDefinition(tableName));
  const { store, destroy } = bench.store(tableName);
  const contactId = randomUUID();
  let executions: Execution[] = Array.from({ length: EXECUTIONS }, (_, index) =>
    newExecution({
      key: { contactId: `${contactId}-${index % 100}`, turn: Math.floor(index / 100) + 1 },
      input: { question: "営業時間は何時までですか？", locale: "ja-JP" },
      now: clock.now(),
      deadlineMs: 55_000,
      retentionSeconds: 86_400,
    }),
  );
  const phases: Record<Operation, (execution: Execution) => Promise<Execution>> = {
    create: async (execution) => (await store.createIfAbsent(execution)).execution,
    claim: (execution) => store.transition(claim(execution, { now: clock.now(), ...LEASE }), execution),
    complete: (execution) =>
      store.transition(complete(execution, { now: clock.now(), answer: TYPICAL_ANSWER }), execution),
    get: async (execution) => {
      const read = await store.get(execution);
      if (read === undefined) throw new Error(`lost ${formatKey(execution)}`);
      return read;
    },
  };
  try {
    for (const operation of OPERATIONS) {
      const { results, latencies, elapsedMs } = await runPool(executions, concurrency, phases[operation]);
      executions = results;
      latencies.sort((a, b) => a - b);
      console.log(
        `| ${concurrency} | ${operation} | ${Math.round((executions.length / elapsedMs) * 1000).toLocaleString("en-US")} ` +
          `| ${percentile(latencies, 0.5).toFixed(2)} | ${percentile(latencies, 0.99).toFixed(2)} ` +
          `| ${(latencies.at(-1) ?? 0).toFixed(2)} |`,
      );
    }
  } finally {
    destroy();
  }
}

async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<T>,
): Promise<{ results: T[]; latencies: number[]; elapsedMs: number }> {
  const results: T[] = new Array(items.length);
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < items.length; index = next++) {
        const before = performance.now();
        results[index] = await work(items[index] as T);
        latencies.push(performance.now() - before);
      }
    }),
  );
  return { results, latencies, elapsedMs: performance.now() - started };
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;

/**
 * One execution's happy path (create, claim, complete, one status read) plus the two extra paths that
 * happen in practice: a duplicate start (Connect retry) and a status poll while the work runs.
 */
async function costPerExecution(bench: Bench): Promise<void> {
  const tableName = freshTableName("cost");
  await bench.local.createTable(executionTableDefinition(tableName));
  const { store, meter, destroy } = bench.store(tableName);
  console.log("## Cost of one execution\n");
  console.log(
    "Happy path = create, claim, complete, one status read. Units as dynalite reports them " +
      "(`ReturnConsumedCapacity: TOTAL`); in brackets, computed from item sizes per the DynamoDB guide " +
      "(a write costs 1 unit per started KB of the larger of the old and new item; a strongly consistent " +
      "read 1 unit per started 4 KB). A refused conditional write is still charged, but dynalite returns " +
      "no capacity with the error, so the duplicate start's write units are computed only. dynalite measures " +
      "strings in UTF-16 code units, so for Japanese text its figures run low: the bracketed ones are what " +
      "DynamoDB charges.\n",
  );
  console.log("| answer | item size | requests | write units | read units | duplicate start | status poll |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  try {
    for (const [label, answer] of [
      ["none (failed)", ""],
      ["typical, 200 ja chars", TYPICAL_ANSWER],
      ["2,000 ja chars", "あ".repeat(2_000)],
      ["30,000 ja chars", "あ".repeat(30_000)],
    ] as const) {
      const created = (
        await store.createIfAbsent(
          newExecution({
            key: { contactId: randomUUID(), turn: 1 },
            input: { question: "営業時間は何時までですか？", locale: "ja-JP" },
            now: clock.now(),
            deadlineMs: 55_000,
            retentionSeconds: 86_400,
            // Every write carries its writer's token (`lastWriter`), as the use cases' do.
            by: randomUUID(),
          }),
        )
      ).execution;
      const by = randomUUID();
      const running = await store.transition(claim(created, { now: clock.now(), ...LEASE, by }), created);
      const finished =
        answer === ""
          ? await store.transition(
              fail(running, {
                now: clock.now(),
                error: { code: "model_error", message: "the model failed", retryable: false },
                by,
              }),
              running,
            )
          : await store.transition(complete(running, { now: clock.now(), answer, by }), running);
      await store.get(finished);
      const happy = snapshot(meter);
      meter.reset();
      await store.createIfAbsent(created);
      const duplicate = snapshot(meter);
      meter.reset();
      await store.get(finished);
      const poll = snapshot(meter);
      meter.reset();

      const sizes = [created, running, finished].map((execution) => itemSizeBytes(toItem(execution)));
      const [createdSize = 0, runningSize = 0, finishedSize = 0] = sizes;
      const kb = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));
      const computedWrites = kb(createdSize) + kb(Math.max(createdSize, runningSize)) + kb(finishedSize);
      const computedReads = Math.max(1, Math.ceil(finishedSize / 4096));
      console.log(
        `| ${label} | ${finishedSize.toLocaleString("en-US")} B | ${happy.requests} ` +
          `| ${happy.writeUnits} (${computedWrites}) | ${happy.readUnits} (${computedReads}) ` +
          `| ${duplicate.requests} req, [${kb(finishedSize)}] W + ${duplicate.readUnits} (${computedReads}) R ` +
          `| ${poll.requests} req, ${poll.readUnits} (${computedReads}) R |`,
      );
    }
  } finally {
    destroy();
  }
}

function snapshot(meter: RequestMeter): { requests: number; writeUnits: number; readUnits: number } {
  const units = (...operations: string[]) =>
    operations.reduce((sum, operation) => sum + (meter.operations[operation]?.capacityUnits ?? 0), 0);
  return {
    requests: meter.totalCalls(),
    writeUnits: units("PutItem", "UpdateItem"),
    readUnits: units("GetItem", "Query"),
  };
}

await main();

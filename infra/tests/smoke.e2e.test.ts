import { createDynamoDbClient } from "@holdline/adapters-dynamodb/dynamodb-client";
import { DynamoDbExecutionStore } from "@holdline/adapters-dynamodb/dynamodb-execution-store";
import { executionTableDefinition } from "@holdline/adapters-dynamodb/execution-table";
import { SystemClock } from "@holdline/adapters-node/system-clock";
import { deriveBudget } from "@holdline/budget/timing-budget";
import { EN_US } from "@holdline/contact-flow/holdline/prompt-packs";
import {
  answer,
  failure,
  type LlmStep,
  ScriptedLlmClient,
  stream,
} from "@holdline/domain/testing/fakes/scripted-llm-client";
import { LocalLambdaEndpoint } from "@holdline/local-aws/local-lambda-endpoint";
import { startLocalDynamoDb } from "@holdline/local-aws/local-dynamodb";
import { LOCAL_ARNS, LOCAL_TABLE_NAME, wireLocalHoldline } from "@holdline/local-call/local-holdline";
import type { Context } from "aws-lambda";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createSmokeLambdaClient } from "../src/smoke/lambda-invoke.ts";
import { runSmokeCommand } from "../src/smoke/smoke-command.ts";
import type { SmokeResult } from "../src/smoke/smoke-turn.ts";

/**
 * `pnpm smoke` against the deployed functions' stand-ins: the real connect-start, connect-status and
 * connect-answer handlers, built through their apps' composition roots (local-call's `wireLocalHoldline`),
 * the worker behind a simulated `Event` invocation, executions in dynalite through the DynamoDB adapter,
 * and the functions behind a `LocalLambdaEndpoint` that the smoke check reaches through the real SDK client.
 */

type LocalFunction = {
  readonly handler: (event: unknown, context: Context) => Promise<unknown>;
  readonly timeoutMs?: number;
};

const cleanups: (() => Promise<void>)[] = [];

beforeAll(() => {
  vi.stubEnv("POWERTOOLS_LOG_LEVEL", "SILENT");
  vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "true");
  vi.stubEnv("AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED", "true");
});

afterAll(() => {
  vi.unstubAllEnvs();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The deployment: dynalite, the handlers on it, and the Lambda endpoint running them by ARN. */
async function localDeployment(script: readonly LlmStep[]) {
  const clock = new SystemClock();
  const budget = deriveBudget();
  const dynamodb = await startLocalDynamoDb({ tables: [executionTableDefinition(LOCAL_TABLE_NAME)] });
  const client = createDynamoDbClient({
    endpoint: dynamodb.endpoint,
    region: dynamodb.region,
    credentials: dynamodb.credentials,
    connectionTimeoutMs: budget.dynamodb.connectionTimeoutMs,
    requestTimeoutMs: budget.dynamodb.requestTimeoutMs,
    maxAttempts: budget.dynamodb.maxAttempts,
  });
  const store = new DynamoDbExecutionStore(client, LOCAL_TABLE_NAME, clock, {
    operationTimeoutMs: budget.dynamodb.operationTimeoutMs,
  });
  const llm = new ScriptedLlmClient(clock, script);
  const holdline = wireLocalHoldline({ clock, store, model: llm });
  const lambda = await LocalLambdaEndpoint.start({
    onRequestResponse: async (invocation) => {
      const fn = holdline.functions[invocation.functionName ?? ""] as LocalFunction | undefined;
      if (fn === undefined) throw new Error(`no local function ${invocation.functionName}`);
      const startedAt = Date.now();
      const timeoutMs = fn.timeoutMs ?? 8_000;
      const context = {
        awsRequestId: crypto.randomUUID(),
        getRemainingTimeInMillis: () => Math.max(0, startedAt + timeoutMs - Date.now()),
      } as unknown as Context;
      return fn.handler(JSON.parse(invocation.body), context);
    },
  });
  let serverStopped = false;
  const stopStore = async () => {
    serverStopped = true;
    await dynamodb.stop();
  };
  cleanups.push(async () => {
    await lambda.close();
    // With the store down, Lambda would retry the failed background work a minute later: close() cancels it.
    if (!serverStopped) await holdline.idle();
    await holdline.close();
    client.destroy();
    if (!serverStopped) await dynamodb.stop();
  });
  return { lambda, store, llm, stopStore };
}

/** `pnpm smoke <argv> --json` with the SDK client aimed at the endpoint; the exit code and the result. */
async function smoke(
  endpoint: LocalLambdaEndpoint,
  argv: readonly string[],
  contactId = crypto.randomUUID(),
) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runSmokeCommand([...argv, "--endpoint", endpoint.url, "--locale", "en-US"], {
    readStack: () => Promise.reject(new Error("no stack in this test")),
    lambdaClient: (options) =>
      createSmokeLambdaClient({
        ...options,
        credentials: { accessKeyId: "AKIDSTUB", secretAccessKey: "stub-secret" },
      }),
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    newContactId: () => contactId,
  });
  return { code, stdout: out.join(""), stderr: err.join(""), contactId };
}

const resultOf = (stdout: string) => JSON.parse(stdout) as SmokeResult & { passed: boolean };

const POLLING = ["--start", LOCAL_ARNS.start, "--status", LOCAL_ARNS.status];
const PARTS = ["We open at nine.", "We close at six on weekdays."];

describe("pnpm smoke against the local Lambda endpoint and dynalite", { timeout: 30_000 }, () => {
  it("polling: reports each part the caller would hear, every invocation's time and the whole turn's, and exits 0", async () => {
    // Prepare: the model writes two parts over 1.5 s, longer than connect-start's fast path.
    const { lambda, store, llm } = await localDeployment([
      stream(
        [
          [400, PARTS[0] ?? ""],
          [1_200, PARTS[1] ?? ""],
        ],
        1_500,
      ),
    ]);

    // Act
    const run = await smoke(lambda, [...POLLING, "--json"]);

    // Assess
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const result = resultOf(run.stdout);
    expect(result.passed).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.final).toEqual({ status: "completed", errorCode: "", errorPrompt: "" });
    const answers = result.heard.filter((line) => line.kind === "answer").map((line) => line.text);
    expect(answers.join(" ")).toBe(PARTS.join(" "));
    // connect-start first with cursor "0", then connect-status with each response's cursor.
    expect(result.invocations[0]).toMatchObject({ fn: "connect-start", cursorSent: "0" });
    expect(result.invocations.slice(1).every((invocation) => invocation.fn === "connect-status")).toBe(true);
    expect(result.invocations.length).toBeGreaterThan(1);
    for (const [index, invocation] of result.invocations.entries()) {
      expect(invocation.functionName).toBe(index === 0 ? LOCAL_ARNS.start : LOCAL_ARNS.status);
      expect(invocation.durationMs).toBeGreaterThan(0);
      const previous = result.invocations[index - 1]?.response?.cursor;
      if (previous !== undefined) expect(invocation.cursorSent).toBe(previous);
    }
    const last = result.invocations.at(-1);
    expect(last?.response).toMatchObject({ status: "completed", cursor: "2" });
    expect(result.totalMs).toBeGreaterThanOrEqual((last?.atMs ?? 0) + (last?.durationMs ?? 0));
    // The model's 1.5 s and no more than a few long-polls besides.
    expect(result.totalMs).toBeGreaterThanOrEqual(1_200);
    expect(result.totalMs).toBeLessThan(10_000);
    expect(llm.calls).toBe(1);
    expect(await store.get({ contactId: run.contactId, turn: 1 })).toMatchObject({
      status: "completed",
      parts: PARTS,
    });
  });

  it("polling, as text: the invocations, the answer with its arrival time, and PASS", async () => {
    // Prepare
    const { lambda } = await localDeployment([answer("We are open until six today.", 100)]);

    // Act
    const run = await smoke(lambda, POLLING);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Holdline smoke check: polling, en-US, contact ${run.contactId}, turn 1`);
    expect(run.stdout).toMatch(
      /connect-start\s+arn:aws:lambda:ap-northeast-1:123456789012:function:holdline-local-connect-start {2}cursor 0 {2}took \d+\.\d\d s/,
    );
    expect(run.stdout).toMatch(/\d+\.\d\d s {2}answer {2}We are open until six today\./);
    expect(run.stdout).toMatch(/the turn ended completed after \d+\.\d\d s and \d+ invocation\(s\)\nPASS\n$/);
  });

  it("native-async without connect-start: connect-answer, invoked RequestResponse with cursor 0, registers the turn and answers; exits 0", async () => {
    // Prepare
    const { lambda, llm } = await localDeployment([answer("Whole cakes need two days.", 300)]);

    // Act
    const run = await smoke(lambda, ["--answer", LOCAL_ARNS.answer, "--json"]);

    // Assess
    expect(run.code).toBe(0);
    const result = resultOf(run.stdout);
    expect(result.strategy).toBe("native-async");
    expect(result.invocations[0]).toMatchObject({ fn: "connect-answer", cursorSent: "0" });
    expect(result.invocations.every((invocation) => invocation.fn === "connect-answer")).toBe(true);
    expect(result.final).toEqual({ status: "completed", errorCode: "", errorPrompt: "" });
    expect(result.heard).toEqual([
      { atMs: expect.any(Number), kind: "answer", text: "Whole cakes need two days." },
    ]);
    // The model's 300 ms are inside the turn, whether connect-answer runs it or waits for the worker's.
    expect(result.totalMs).toBeGreaterThanOrEqual(300);
    expect(llm.calls).toBe(1);
  });

  it("native-async with progressive answers: connect-start registers and dispatches, then connect-answer returns the parts; exits 0", async () => {
    // Prepare: two parts over 1.2 s, written by the worker connect-start dispatched.
    const { lambda, store, llm } = await localDeployment([
      stream(
        [
          [300, PARTS[0] ?? ""],
          [900, PARTS[1] ?? ""],
        ],
        1_200,
      ),
    ]);

    // Act: connect-start as the stack deploys it there (`HOLDLINE_START_ROLE=register`).
    const run = await smoke(lambda, [
      "--start",
      LOCAL_ARNS.register,
      "--answer",
      LOCAL_ARNS.answer,
      "--json",
    ]);

    // Assess
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const result = resultOf(run.stdout);
    expect(result.problems).toEqual([]);
    expect(result.strategy).toBe("native-async");
    expect(result.invocations[0]).toMatchObject({
      fn: "connect-start",
      functionName: LOCAL_ARNS.register,
      cursorSent: "0",
      response: { status: "in_progress" },
    });
    // It answers within its register time, not after a fast-path wait for the answer.
    expect(result.invocations[0]?.durationMs).toBeLessThan(1_000);
    expect(result.invocations[1]).toMatchObject({ fn: "connect-answer", cursorSent: "0" });
    expect(result.invocations.slice(1).every((invocation) => invocation.fn === "connect-answer")).toBe(true);
    expect(result.final).toEqual({ status: "completed", errorCode: "", errorPrompt: "" });
    const answers = result.heard.filter((line) => line.kind === "answer").map((line) => line.text);
    expect(answers.join(" ")).toBe(PARTS.join(" "));
    // One turn, one model call: connect-answer found the turn connect-start registered.
    expect(llm.calls).toBe(1);
    expect(await store.get({ contactId: run.contactId, turn: 1 })).toMatchObject({
      status: "completed",
      parts: PARTS,
    });
  });

  it("the worker failing: reports the error the caller would hear and its code, and exits 1", async () => {
    // Prepare: the model fails (not retryable) at 3 s, after connect-start's fast path (2.1 s) said in_progress.
    const { lambda, store } = await localDeployment([failure("model_error", 3_000)]);

    // Act
    const run = await smoke(lambda, [...POLLING, "--json"]);

    // Assess
    expect(run.code).toBe(1);
    const result = resultOf(run.stdout);
    expect(result.passed).toBe(false);
    expect(result.final).toEqual({ status: "error", errorCode: "model_error", errorPrompt: "full" });
    expect(result.heard).toEqual([
      // Progressive polling (the default) acknowledges the question, then long-polls at once.
      { atMs: expect.any(Number), kind: "filler", text: EN_US.acknowledgement },
      ...result.heard.slice(1, -1),
      { atMs: expect.any(Number), kind: "error", text: EN_US.error },
    ]);
    expect(result.problems).toEqual(["the caller would hear the error prompt (errorCode model_error)"]);
    expect(await store.get({ contactId: run.contactId, turn: 1 })).toMatchObject({ status: "failed" });
  });

  it("the store down: connect-start answers an error and the check exits 1 naming its code", async () => {
    // Prepare
    const { lambda, stopStore } = await localDeployment([answer("never asked", 100)]);
    await stopStore();

    // Act
    const run = await smoke(lambda, [...POLLING, "--json"]);

    // Assess
    expect(run.code).toBe(1);
    const result = resultOf(run.stdout);
    expect(result.invocations).toHaveLength(1);
    expect(result.invocations[0]).toMatchObject({ fn: "connect-start", response: { status: "error" } });
    expect(result.final).toEqual({ status: "error", errorCode: "store_unavailable", errorPrompt: "full" });
    expect(result.problems).toEqual(["the caller would hear the error prompt (errorCode store_unavailable)"]);
  });

  it("an invocation that fails (no such function) is reported and exits 1", async () => {
    // Prepare
    const { lambda } = await localDeployment([answer("never asked", 100)]);
    lambda.reply({
      kind: "error",
      status: 404,
      errorType: "ResourceNotFoundException",
      message: "Function not found: holdline-dev-connect-start",
    });

    // Act
    const run = await smoke(lambda, POLLING);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "FAILED: the invocation failed: ResourceNotFoundException: Function not found: holdline-dev-connect-start",
    );
    expect(run.stdout).toMatch(/\nFAIL\n {2}- connect-start \(.*holdline-local-connect-start\) failed: /);
  });
});

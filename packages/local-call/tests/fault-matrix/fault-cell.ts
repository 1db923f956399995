import { monitorEventLoopDelay } from "node:perf_hooks";
import { createDynamoDbClient } from "@holdline/adapters-dynamodb/dynamodb-client";
import { DynamoDbExecutionStore } from "@holdline/adapters-dynamodb/dynamodb-execution-store";
import { createLambdaClient } from "@holdline/adapters-lambda/lambda-client.factory";
import { LambdaWorkDispatcher } from "@holdline/adapters-lambda/lambda-work-dispatcher";
import { parseWorkerPayload } from "@holdline/adapters-lambda/worker-payload";
import { SystemClock } from "@holdline/adapters-node/system-clock";
import { deriveBudget } from "@holdline/budget/timing-budget";
import { say } from "@holdline/connect-emulator/caller-script";
import type { CallResult } from "@holdline/connect-emulator/connect-emulator";
import type { LambdaFunction } from "@holdline/connect-emulator/lambda-function";
import { EN_US } from "@holdline/contact-flow/holdline/prompt-packs";
import type { Execution } from "@holdline/domain/execution/execution";
import { BedrockStub } from "@holdline/local-aws/bedrock-stub";
import { answer, awsError, type StubStep } from "@holdline/local-aws/bedrock-stub-script";
import { FaultProxy, type Matcher } from "@holdline/local-aws/fault-proxy";
import { LocalLambdaEndpoint } from "@holdline/local-aws/local-lambda-endpoint";
import { BRISK_SPEECH } from "../../src/brisk-speech.ts";
import {
  LOCAL_ARNS,
  LOCAL_TABLE_NAME,
  type LocalHoldline,
  wireLocalHoldline,
} from "../../src/local-holdline.ts";
import { eventsOf } from "../unit/harness.ts";
import { type Cell, FAULTS, type Step } from "./fault-cells.ts";

export const QUESTION = "Can I order a birthday cake?";
export const ANSWER = "Whole cakes need two days' notice.";
/** Longer than connect-start's fast-path wait (2.1 s), so the caller is put on hold and polling runs. */
export const MODEL_LATENCY_MS = 3_000;
/** Each attempt of the worker dies this long into its model call (polling's failure-record cells). */
const CRASH_AFTER_MS = 1_000;
/** The model refuses after this long (native-async's failure-record cells). */
const MODEL_ERROR_AFTER_MS = 1_000;

export interface SharedDynamoDb {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** What one cell observed, times in ms; `at` values are since the caller finished asking. */
export interface CellObservation {
  readonly cell: Cell;
  readonly heard: "answer" | "error" | "unavailable" | "nothing";
  readonly answerAt: number | undefined;
  readonly errorAt: number | undefined;
  /** When the model finished answering (the stub sent its last answer), or its failure was knowable. */
  readonly modelDoneAt: number | undefined;
  readonly failureKnowableAt: number | undefined;
  readonly longestSilenceMs: number;
  /** The longest single attempt per Connect-facing function, and its limit. */
  readonly longestAttemptMs: Readonly<Record<string, number>>;
  readonly invocationErrors: readonly string[];
  /** Each `error` a Connect-facing function answered, as `<function>: <errorCode>`, in order. */
  readonly errorResponses: readonly string[];
  readonly endReason: string;
  /** `complete()` calls on the port, and Converse requests that reached the stub. */
  readonly modelCalls: number;
  readonly modelRequests: number;
  readonly finalStatus: string;
  readonly errorCode: string | undefined;
  /** Claims the stored execution counts: the bound on model calls (one per attempt). */
  readonly attempts: number;
  /** When the stored execution became completed or failed. */
  readonly finishedAt: number | undefined;
  /** Requests the fault applied to, as the proxy recorded them (a slowdown: how many replies it held). */
  readonly faulted: readonly string[];
  /** When the first faulted request arrived at the proxy. */
  readonly faultAt: number | undefined;
  readonly wallMs: number;
  /** The longest this process's event loop was held up during the cell: a timer fires that much late. */
  readonly schedulingLagMs: number;
  readonly result: CallResult;
}

/** An UpdateItem that sets `status` to this value (the adapter names each value after its attribute). */
const setsStatus = (status: string) => (json: unknown) =>
  (json as { ExpressionAttributeValues?: Record<string, { S?: string }> }).ExpressionAttributeValues?.[
    ":status"
  ]?.S === status;

const STORE_MATCH: Partial<Record<Step, Matcher>> = {
  create: { operation: "PutItem" },
  claim: { operation: "UpdateItem", body: setsStatus("running") },
  complete: { operation: "UpdateItem", body: setsStatus("completed") },
  "failure-record": { operation: "UpdateItem", body: setsStatus("failed") },
};

/**
 * Runs one cell: a real-time call through the real handlers, with the DynamoDB adapter on dynalite, the
 * Lambda `Invoke` dispatcher on the local endpoint and the Bedrock adapter on the stub, each behind its own
 * fault proxy; the fault armed as the cell says.
 */
export async function runCell(cell: Cell, dynamodb: SharedDynamoDb): Promise<CellObservation> {
  const started = Date.now();
  const lag = monitorEventLoopDelay({ resolution: 20 });
  lag.enable();
  const clock = new SystemClock();
  const budget = deriveBudget();
  const contactId = crypto.randomUUID();
  const { fault } = cell;
  const step = fault.kind === "step" ? fault.step : undefined;
  let modelDoneAt: number | undefined;
  let failureKnowableAt: number | undefined;

  const script = (): StubStep => {
    if (step === "failure-record" && cell.strategy === "polling") {
      failureKnowableAt = Date.now() + CRASH_AFTER_MS;
    } else if (step === "failure-record") {
      failureKnowableAt = Date.now() + MODEL_ERROR_AFTER_MS;
      return awsError(400, "ValidationException", "The model refused the request.", MODEL_ERROR_AFTER_MS);
    }
    modelDoneAt = Date.now() + MODEL_LATENCY_MS;
    return answer(ANSWER, { latencyMs: MODEL_LATENCY_MS });
  };
  const bedrock = await BedrockStub.start((_request, _call) => script());
  let holdline: LocalHoldline | undefined;
  const lambda = await LocalLambdaEndpoint.start({
    onEvent: (invocation) => {
      const parsed = parseWorkerPayload(JSON.parse(invocation.body));
      if (!parsed.ok) return;
      // What Lambda accepted goes to the worker as it was sent: a run, or an abandoned start to end.
      if (parsed.abandon !== undefined) void holdline?.dispatcher.abandon(parsed.abandon);
      else void holdline?.dispatcher.dispatch(parsed.key);
    },
  });
  const proxies = {
    store: await FaultProxy.start({ target: dynamodb.endpoint }),
    dispatch: await FaultProxy.start({ target: lambda.url }),
    model: await FaultProxy.start({ target: bedrock.url }),
  };
  const storeClient = createDynamoDbClient({
    endpoint: proxies.store.url,
    region: dynamodb.region,
    credentials: dynamodb.credentials,
    ...budget.dynamodb,
  });
  const directClient = createDynamoDbClient({
    endpoint: dynamodb.endpoint,
    region: dynamodb.region,
    credentials: dynamodb.credentials,
    ...budget.dynamodb,
  });
  const lambdaClient = createLambdaClient({
    endpoint: proxies.dispatch.url,
    region: dynamodb.region,
    credentials: dynamodb.credentials,
    connectionTimeoutMs: budget.lambdaInvoke.connectionTimeoutMs,
    requestTimeoutMs: budget.lambdaInvoke.requestTimeoutMs,
    maxAttempts: budget.lambdaInvoke.maxAttempts,
  });
  const storeOptions = { operationTimeoutMs: budget.dynamodb.operationTimeoutMs };
  holdline = wireLocalHoldline({
    clock,
    store: new DynamoDbExecutionStore(storeClient, LOCAL_TABLE_NAME, clock, storeOptions),
    workDispatcher: new LambdaWorkDispatcher(lambdaClient, {
      functionName: LOCAL_ARNS.worker,
      deadlineMs: budget.lambdaInvoke.dispatchDeadlineMs,
    }),
    environment: {
      HOLDLINE_BEDROCK_MODEL_ID: "amazon.nova-micro-v1:0",
      HOLDLINE_BEDROCK_REGION: dynamodb.region,
      HOLDLINE_BEDROCK_ENDPOINT: proxies.model.url,
    },
    emulator: BRISK_SPEECH,
  });
  const direct = new DynamoDbExecutionStore(directClient, LOCAL_TABLE_NAME, clock, storeOptions);

  try {
    arm(cell, holdline, proxies);
    const call = holdline.call(
      cell.strategy,
      EN_US,
      { turns: [say(QUESTION), say("No, that's all.")] },
      { contactId },
    );
    const result = await call.settled;
    await holdline.idle();
    const stored = await direct.get({ contactId, turn: 1 });
    const records = Object.values(proxies).flatMap((proxy) => proxy.records);
    const hit = records.filter((record) => record.fault !== undefined && record.fault !== "slow");
    const slowed = records.filter((record) => record.fault === "slow").length;
    const faulted = [
      ...hit.map((record) => `${record.operation} ${record.fault} → ${record.outcome}`),
      ...(slowed === 0 ? [] : [`${slowed} replies slowed`]),
    ];
    return observe(cell, result, stored, {
      faultEpochMs: hit[0]?.at,
      modelDoneAt,
      failureKnowableAt,
      modelCalls: holdline.model.calls,
      modelRequests: bedrock.calls,
      faulted,
      wallMs: Date.now() - started,
      schedulingLagMs: Math.round(lag.max / 1e6),
    });
  } finally {
    lag.disable();
    await holdline.close();
    storeClient.destroy();
    directClient.destroy();
    lambdaClient.destroy();
    for (const proxy of Object.values(proxies)) await proxy.close();
    await lambda.close();
    await bedrock.close();
  }
}

function arm(
  cell: Cell,
  holdline: LocalHoldline,
  proxies: Readonly<Record<"store" | "dispatch" | "model", FaultProxy>>,
): void {
  const { fault } = cell;
  if (fault.kind === "none") return;
  if (fault.kind === "slow") {
    proxies[fault.service].slow(fault.ms);
    return;
  }
  const injected = FAULTS[fault.fault];
  if (fault.step === "failure-record" && cell.strategy === "polling") {
    // Every attempt dies: after one crash, the lease brings a second attempt, which would answer.
    holdline.faults.crashDuringNextModelCall({
      afterMs: CRASH_AFTER_MS,
      count: holdline.budget.policy.maxAttempts,
    });
  }
  if (fault.step === "dispatch") {
    proxies.dispatch.inject({ match: { operation: "Invoke" }, fault: injected });
  } else if (fault.step === "model") {
    proxies.model.inject({ fault: injected });
  } else if (fault.step === "status-read") {
    // connect-start long-polls with GetItem too: arm the fault when connect-status first runs.
    let statusRunning = false;
    const functions = holdline.functions as Record<string, LambdaFunction>;
    const status = functions[LOCAL_ARNS.status];
    if (status === undefined) throw new Error("connect-status is not mapped");
    functions[LOCAL_ARNS.status] = {
      ...status,
      handler: (event, context) => {
        statusRunning = true;
        return status.handler(event, context);
      },
    };
    proxies.store.inject({
      match: (request) => statusRunning && request.operation === "GetItem",
      fault: injected,
    });
  } else {
    const match = STORE_MATCH[fault.step];
    if (match === undefined) throw new Error(`no store match for ${fault.step}`);
    proxies.store.inject({ match, fault: injected });
  }
}

interface Measured {
  readonly faultEpochMs: number | undefined;
  readonly modelDoneAt: number | undefined;
  readonly failureKnowableAt: number | undefined;
  readonly modelCalls: number;
  readonly modelRequests: number;
  readonly faulted: readonly string[];
  readonly wallMs: number;
  readonly schedulingLagMs: number;
}

function observe(
  cell: Cell,
  result: CallResult,
  stored: Execution | undefined,
  measured: Measured,
): CellObservation {
  const asked = eventsOf(result, "caller-input").find((event) => event.value === QUESTION);
  const askedAt = result.startedAt + (asked?.at ?? 0);
  const since = (epochMs: number | undefined) => (epochMs === undefined ? undefined : epochMs - askedAt);
  const prompts = eventsOf(result, "prompt");
  const firstAt = (text: string) => prompts.find((event) => event.text === text)?.at;
  const answerAt = firstAt(ANSWER);
  const errorAt = firstAt(EN_US.error);
  const unavailableAt = firstAt(EN_US.unavailable);
  const heard =
    answerAt !== undefined
      ? "answer"
      : errorAt !== undefined
        ? "error"
        : unavailableAt !== undefined
          ? "unavailable"
          : "nothing";
  const longestAttemptMs: Record<string, number> = {};
  const invocationErrors: string[] = [];
  const errorResponses: string[] = [];
  const longest = (name: string, ms: number) => {
    longestAttemptMs[name] = Math.max(longestAttemptMs[name] ?? 0, ms);
  };
  const asyncResults = eventsOf(result, "async-result");
  for (const invocation of eventsOf(result, "invocation")) {
    const name = invocation.functionName.replace(/^.*holdline-local-/, "");
    for (const attempt of invocation.attempts)
      longest(name, (attempt.endAt ?? result.durationMs) - attempt.at);
    // An asynchronous invocation (connect-answer) reports its end apart, with its retries inside.
    const ended = asyncResults.find((event) => event.invocationId === invocation.invocationId);
    if (invocation.mode === "ASYNCHRONOUS") longest(name, (ended?.at ?? result.durationMs) - invocation.at);
    const outcome = ended?.outcome ?? invocation.outcome;
    if (outcome.status === "error") {
      invocationErrors.push(`${name}: ${outcome.errorType} (${outcome.message})`);
    } else if (outcome.status === "success") {
      const response = outcome.response as { status?: unknown; errorCode?: unknown } | undefined;
      if (response?.status === "error") errorResponses.push(`${name}: ${String(response.errorCode)}`);
    }
  }
  return {
    cell,
    heard,
    answerAt: answerAt === undefined ? undefined : result.startedAt + answerAt - askedAt,
    errorAt: errorAt === undefined ? undefined : result.startedAt + errorAt - askedAt,
    modelDoneAt: since(measured.modelDoneAt),
    failureKnowableAt: since(measured.failureKnowableAt),
    longestSilenceMs: result.longestSilence?.durationMs ?? 0,
    longestAttemptMs,
    invocationErrors,
    errorResponses,
    endReason: result.endReason,
    modelCalls: measured.modelCalls,
    modelRequests: measured.modelRequests,
    finalStatus: stored?.status ?? "absent",
    errorCode: stored?.error?.code,
    attempts: stored?.attempt ?? 0,
    finishedAt: since(stored?.finishedAt),
    faulted: measured.faulted,
    faultAt: since(measured.faultEpochMs),
    wallMs: measured.wallMs,
    schedulingLagMs: measured.schedulingLagMs,
    result,
  };
}

import { functionMemoryMb } from "@holdline/budget/function-memory";
import { say } from "@holdline/connect-emulator/caller-script";
import { type CallResult, ConnectEmulator } from "@holdline/connect-emulator/connect-emulator";
import { functionName } from "@holdline/connect-emulator/lambda-function";
import {
  SEED_PROMPT_DURATIONS_MS,
  seedCaller,
} from "@holdline/connect-emulator/testing/seed-baseline/seed-call";
import {
  type SeedTableRequest,
  seedBaseline,
} from "@holdline/connect-emulator/testing/seed-baseline/seed-lambdas";
import { ACTION_IDS } from "@holdline/contact-flow/holdline/holdline-flows";
import { holdlineLexBot } from "@holdline/contact-flow/holdline/lex-bot-simulation";
import { JA_JP } from "@holdline/contact-flow/holdline/prompt-packs";
import { SEED_000_FLOW } from "@holdline/contact-flow/reference/seed-000-flow";
import type { Clock } from "@holdline/domain/ports/clock.port";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { InMemoryExecutionStore } from "@holdline/domain/testing/fakes/in-memory-execution-store";
import { answer, ScriptedLlmClient } from "@holdline/domain/testing/fakes/scripted-llm-client";
import { LOCAL_ARNS, wireLocalHoldline } from "@holdline/local-call/local-holdline";
import type { BilledInvocation, CallUsage } from "./cost-model.ts";
import { InfrastructureLatency } from "./latency-model.ts";
import { MeteredExecutionStore } from "./metered-execution-store.ts";
import { billed, type FunctionSize, type HandlerRun, meteredFunctions } from "./metered-lambda-functions.ts";
import { seededRandom } from "./seeded-random.ts";
import { TimedLlmClient } from "./timed-llm-client.ts";

export const STRATEGIES = ["seed", "polling", "native-async"] as const;
export type StrategyName = (typeof STRATEGIES)[number];

export const STRATEGY_LABELS: Readonly<Record<StrategyName, string>> = {
  seed: "seed (1 s polling, Loop 2)",
  polling: "Holdline polling",
  "native-async": "Holdline native-async",
};

/** What one simulated call showed. Times are milliseconds. */
export interface CallMeasurement {
  readonly strategy: StrategyName;
  readonly nominalModelMs: number;
  /** The model's latency in this call, after jitter. */
  readonly modelMs: number;
  /** The caller heard the answer (the seed: its "completed" prompt). */
  readonly answered: boolean;
  /** From the model's answer coming back to the caller starting to hear it; absent when unanswered. */
  readonly answerDelayMs?: number;
  readonly longestSilenceMs: number;
  readonly lambdaInvocations: number;
  readonly dynamodbRequests: number;
  readonly modelCalls: number;
  readonly usage: CallUsage;
}

const START = Date.UTC(2026, 10, 23, 9);
export const QUESTION = "誕生日ケーキの予約はできますか？";
const ANSWER = "ホールケーキのご予約は、お受け取りの二日前まで承っております。店頭かお電話でどうぞ。";
const GOODBYE = "いいえ、以上です。";
/** The seed's "ラムダの実行が完了しました。" prompt: where its flow would speak the answer. */
export const SEED_COMPLETED_PROMPT = "6b04c75b-44fb-467b-a000-14261649124f";

/**
 * The post gives neither memory nor architecture for its two Python functions, so they are priced at the
 * console's defaults: 128 MB, x86_64.
 */
export const SEED_FUNCTION_SIZE: FunctionSize = { memoryMb: 128, architecture: "x86_64" };

/**
 * Each Connect-facing function at the size a stack deploys it (`functionMemoryMb`): connect-answer waits for
 * the worker's parts with progressive answers and runs the model in place without them.
 */
const holdlineSizes = (progressive: boolean): Readonly<Record<string, number>> => ({
  [functionName(LOCAL_ARNS.start)]: functionMemoryMb.connectStart,
  [functionName(LOCAL_ARNS.register)]: functionMemoryMb.connectStart,
  [functionName(LOCAL_ARNS.status)]: functionMemoryMb.connectStatus,
  [functionName(LOCAL_ARNS.answer)]: progressive
    ? functionMemoryMb.connectAnswerProgressive
    : functionMemoryMb.connectAnswer,
});

const holdlineSize = (progressive: boolean) => {
  const sizes = holdlineSizes(progressive);
  return (name: string): FunctionSize => {
    const memoryMb = sizes[name];
    if (memoryMb === undefined) throw new Error(`no memory size for ${name}`);
    return { memoryMb, architecture: "arm64" };
  };
};

/**
 * Lex's recognition after the caller stops speaking, as the emulator plays it (its default, set explicitly so
 * the north star's physical limit uses the same figure).
 */
export const SPEECH_RECOGNITION_MS = 300;

/** The emulator's own overheads are off: the metered functions add the modelled round trip instead. */
const NO_EMULATOR_LATENCY = { invocationOverheadMs: 0, asyncDispatchMs: 0, retryDelayMs: 100 };

/** The model latency of call `index` in a cell: the same for every strategy, so they face the same calls. */
export const modelLatencyOf = (nominalModelMs: number, index: number): number =>
  new InfrastructureLatency(seededRandom(`model/${nominalModelMs}/${index}`)).modelLatency(nominalModelMs);

/** Connect's contact ids are UUIDs (the handlers refuse anything else); these are stable per call. */
export const contactIdOf = (strategy: StrategyName, nominalModelMs: number, index: number): string =>
  `0c0ffee0-${STRATEGIES.indexOf(strategy) + 1}000-4000-8000-${(nominalModelMs * 1_000 + index)
    .toString(16)
    .padStart(12, "0")}`;

const firstPromptAt = (result: CallResult, identifier: string): number | undefined =>
  result.timeline.find((event) => event.kind === "prompt" && event.identifier === identifier)?.at;

/** One call, on virtual time, with the strategy's real (or, for the seed, seed-equivalent) handlers. */
export function simulateCall(
  strategy: StrategyName,
  nominalModelMs: number,
  index: number,
): Promise<CallMeasurement> {
  return strategy === "seed"
    ? seedCall(nominalModelMs, index)
    : holdlineCall(strategy, nominalModelMs, index);
}

/** One simulated call as it ran: the caller's timeline and what it cost. Shared by the matrix and the north star. */
export interface SimulatedRun {
  readonly ended: CallResult;
  /** Epoch ms the model's answer came back (the seed: `lambda_execution` sending its `completed` write). */
  readonly modelDoneAt?: number;
  readonly modelCalls: number;
  readonly lambdaInvocations: number;
  readonly dynamodbRequests: number;
  readonly usage: CallUsage;
}

/** The seed's flow and Lambdas, the work taking `modelMs`; `latencyLabel` seeds the infrastructure's draws. */
export async function runSeedCall(options: {
  readonly modelMs: number;
  readonly latencyLabel: string;
  readonly contactId: string;
}): Promise<SimulatedRun> {
  const clock = new ManualClock(START);
  const latency = new InfrastructureLatency(seededRandom(options.latencyLabel));
  const table = { requests: 0, readUnits: 0, writeUnits: 0 };
  let modelDoneAt: number | undefined;
  const tableLatency = (request: SeedTableRequest) => {
    table.requests += 1;
    if (request.operation === "get_item") {
      // boto3's get_item reads eventually consistently unless told otherwise: half a unit.
      table.readUnits += 0.5;
    } else {
      table.writeUnits += 1;
      // lambda_execution sends its `completed` write the moment its slow work is done.
      if (request.status === "completed") modelDoneAt = clock.now();
    }
    return latency.dynamodbRequest();
  };
  const baseline = seedBaseline(clock, { modelTimeMs: options.modelMs, tableLatency });
  const runs: HandlerRun[] = [];
  const functions = meteredFunctions(baseline.functions, {
    clock,
    legMs: () => latency.connectLambdaLeg(),
    sizeOf: () => SEED_FUNCTION_SIZE,
    runs,
  });
  const emulator = new ConnectEmulator({
    clock,
    functions,
    promptDurationsMs: SEED_PROMPT_DURATIONS_MS,
    latency: NO_EMULATOR_LATENCY,
  });
  const call = emulator.call(SEED_000_FLOW, seedCaller(), { contactId: options.contactId });
  const ended = await clock.run(call.ended);
  await clock.run(call.settled);
  return {
    ended,
    ...(modelDoneAt === undefined ? {} : { modelDoneAt }),
    modelCalls: modelDoneAt === undefined ? 0 : 1,
    lambdaInvocations: runs.length,
    dynamodbRequests: table.requests,
    usage: { invocations: billed(runs), readUnits: table.readUnits, writeUnits: table.writeUnits },
  };
}

export interface HoldlineRunOptions {
  readonly strategy: Exclude<StrategyName, "seed">;
  /** The model on the run's clock (a `TimedLlmClient`, so the run can tell when it answered). */
  readonly model: (clock: Clock) => TimedLlmClient;
  readonly latencyLabel: string;
  readonly contactId: string;
  /**
   * Progressive answers, both halves: the flow speaks parts (`buildHoldlineFlow`'s `progressive`) and the
   * functions record them (`HOLDLINE_PROGRESSIVE_ANSWERS`).
   */
  readonly progressive: boolean;
}

/** Holdline's real handlers and generated flow for the strategy, on virtual time with the latency model. */
export async function runHoldlineCall(
  options: HoldlineRunOptions,
): Promise<SimulatedRun & { readonly model: TimedLlmClient }> {
  const { strategy, progressive } = options;
  const clock = new ManualClock(START);
  const model = options.model(clock);
  const latency = new InfrastructureLatency(seededRandom(options.latencyLabel));
  const store = new MeteredExecutionStore(new InMemoryExecutionStore(clock), clock, () =>
    latency.dynamodbRequest(),
  );
  const holdline = wireLocalHoldline({
    clock,
    store,
    model,
    dispatchLatencyMs: latency.asyncDispatch(),
    environment: { HOLDLINE_PROGRESSIVE_ANSWERS: progressive ? "true" : "false" },
  });
  const runs: HandlerRun[] = [];
  const functions = meteredFunctions(holdline.functions, {
    clock,
    legMs: () => latency.connectLambdaLeg(),
    sizeOf: holdlineSize(progressive),
    runs,
  });
  const emulator = new ConnectEmulator({
    clock,
    functions,
    lex: holdlineLexBot,
    lexProcessingMs: SPEECH_RECOGNITION_MS,
    latency: NO_EMULATOR_LATENCY,
  });
  // local-call's flow: the generated flow, ARNs and budget; progressive exactly when the functions are.
  const flow = holdline.flow(strategy, JA_JP);
  try {
    const call = emulator.call(
      flow,
      { turns: [say(QUESTION), say(GOODBYE)] },
      { contactId: options.contactId },
    );
    const ended = await clock.run(call.ended);
    await clock.run(call.settled);
    await clock.run(holdline.idle());

    const workerRuns: BilledInvocation[] = holdline.dispatcher.invocations
      .filter((invocation) => invocation.result !== "lost")
      .map((invocation) => ({
        memoryMb: functionMemoryMb.worker,
        architecture: "arm64",
        durationMs: invocation.endAt - invocation.at,
      }));
    // failure-recorder runs only when a worker fails; none of these calls fail, but count any that do.
    const recorderRuns: BilledInvocation[] = holdline.failureQueue.sent.map(() => ({
      memoryMb: functionMemoryMb.failureRecorder,
      architecture: "arm64",
      durationMs: 100,
    }));
    const invocations = [...billed(runs), ...workerRuns, ...recorderRuns];
    const answeredAt = model.calls[0]?.answeredAt;
    return {
      ended,
      model,
      ...(answeredAt === undefined ? {} : { modelDoneAt: answeredAt }),
      modelCalls: model.calls.length,
      lambdaInvocations: runs.length + workerRuns.length + recorderRuns.length,
      dynamodbRequests: store.meter.requests,
      usage: { invocations, readUnits: store.meter.readUnits, writeUnits: store.meter.writeUnits },
    };
  } finally {
    await holdline.close();
  }
}

/** What the strategy matrix keeps of a run. */
function measured(
  strategy: StrategyName,
  nominalModelMs: number,
  modelMs: number,
  run: SimulatedRun,
  answerIdentifier: string,
): CallMeasurement {
  const heardAt = firstPromptAt(run.ended, answerIdentifier);
  const doneAt = run.modelDoneAt === undefined ? undefined : run.modelDoneAt - run.ended.startedAt;
  return {
    strategy,
    nominalModelMs,
    modelMs,
    answered: heardAt !== undefined,
    ...(heardAt === undefined || doneAt === undefined ? {} : { answerDelayMs: heardAt - doneAt }),
    longestSilenceMs: run.ended.longestSilence?.durationMs ?? 0,
    lambdaInvocations: run.lambdaInvocations,
    dynamodbRequests: run.dynamodbRequests,
    modelCalls: run.modelCalls,
    usage: run.usage,
  };
}

async function seedCall(nominalModelMs: number, index: number): Promise<CallMeasurement> {
  const modelMs = modelLatencyOf(nominalModelMs, index);
  const run = await runSeedCall({
    modelMs,
    latencyLabel: `seed/${nominalModelMs}/${index}`,
    contactId: contactIdOf("seed", nominalModelMs, index),
  });
  return measured("seed", nominalModelMs, modelMs, run, SEED_COMPLETED_PROMPT);
}

async function holdlineCall(
  strategy: Exclude<StrategyName, "seed">,
  nominalModelMs: number,
  index: number,
): Promise<CallMeasurement> {
  const modelMs = modelLatencyOf(nominalModelMs, index);
  const run = await runHoldlineCall({
    strategy,
    // The matrix's model answers all at once, so progressive answers would have nothing to speak early: the
    // strategies are compared as before them (the north star measures them), from the model's one answer.
    progressive: false,
    model: (clock) => new TimedLlmClient(new ScriptedLlmClient(clock, [answer(ANSWER, modelMs)]), clock),
    latencyLabel: `${strategy}/${nominalModelMs}/${index}`,
    contactId: contactIdOf(strategy, nominalModelMs, index),
  });
  return measured(strategy, nominalModelMs, modelMs, run, ACTION_IDS.sayAnswer);
}

import { BedrockRuntimeClientId } from "@holdline/adapters-bedrock/bedrock-llm-client.module";
import { loadConfig as loadWorkerConfig } from "@holdline/app-answer-worker/config";
import {
  buildContainer as buildWorkerContainer,
  dependenciesFrom as workerDependencies,
} from "@holdline/app-answer-worker/container";
import { createHandler as createWorkerHandler } from "@holdline/app-answer-worker/handler";
import { loadConfig as loadAnswerConfig } from "@holdline/app-connect-answer/config";
import {
  dependenciesFrom as answerDependencies,
  buildContainer as buildAnswerContainer,
  buildProgressiveContainer as buildAnswerProgressiveContainer,
} from "@holdline/app-connect-answer/container";
import { createHandler as createAnswerHandler } from "@holdline/app-connect-answer/handler";
import { loadConfig as loadStartConfig, type StartRole } from "@holdline/app-connect-start/config";
import {
  buildContainer as buildStartContainer,
  dependenciesFrom as startDependencies,
} from "@holdline/app-connect-start/container";
import { createHandler as createStartHandler } from "@holdline/app-connect-start/handler";
import { loadConfig as loadStatusConfig } from "@holdline/app-connect-status/config";
import {
  buildContainer as buildStatusContainer,
  dependenciesFrom as statusDependencies,
} from "@holdline/app-connect-status/container";
import { createHandler as createStatusHandler } from "@holdline/app-connect-status/handler";
import { loadConfig as loadRecorderConfig } from "@holdline/app-failure-recorder/config";
import {
  buildContainer as buildRecorderContainer,
  dependenciesFrom as recorderDependencies,
} from "@holdline/app-failure-recorder/container";
import { createHandler as createRecorderHandler } from "@holdline/app-failure-recorder/handler";
import type { TimingBudget } from "@holdline/budget/timing-budget";
import { budgetFrom } from "@holdline/composition/config/environment.schema";
import type { ConnectHandler } from "@holdline/composition/lambda/connect-handler";
import { FLOW_PARAMETERS } from "@holdline/connect-contract/flow-contract";
import type { CallerScript } from "@holdline/connect-emulator/caller-script";
import {
  type CallOptions,
  ConnectEmulator,
  type ConnectEmulatorOptions,
  type EmulatedCall,
} from "@holdline/connect-emulator/connect-emulator";
import type { LambdaFunction, LambdaFunctions } from "@holdline/connect-emulator/lambda-function";
import type { FlowDocument } from "@holdline/contact-flow/flow-language";
import { buildHoldlineFlow, type Strategy } from "@holdline/contact-flow/holdline/holdline-flows";
import { holdlineLexBot } from "@holdline/contact-flow/holdline/lex-bot-simulation";
import type { PromptPack } from "@holdline/contact-flow/holdline/prompt-packs";
import type { ExecutionKey } from "@holdline/domain/execution/execution";
import { type Clock, ClockId } from "@holdline/domain/ports/clock.port";
import { type ExecutionStore, ExecutionStoreId } from "@holdline/domain/ports/execution-store.port";
import { type LlmClient, LlmClientId } from "@holdline/domain/ports/llm-client.port";
import { type WorkDispatcher, WorkDispatcherId } from "@holdline/domain/ports/work-dispatcher.port";
import type { Container } from "inversify";
import { BackgroundWork } from "./background-work.ts";
import { CallNotes, type LocalNote } from "./call-notes.ts";
import { RuntimeExitError, runInEnvironment } from "./execution-environment.ts";
import { SqsFailureDestination } from "./failure-destination.ts";
import { LambdaEventDispatcher } from "./lambda-event-dispatcher.ts";
import {
  type DeliveryCapableStore,
  type LocalTexts,
  type LocalTextsOptions,
  wireTexts,
} from "./local-text-delivery.ts";
import { ObservedExecutionStore } from "./observed-execution-store.ts";
import { ObservedLlmClient } from "./observed-llm-client.ts";

const ACCOUNT = "arn:aws:lambda:ap-northeast-1:123456789012:function";

/** Where the local functions "live": the ARNs the flow invokes and the worker is dispatched to. */
export const LOCAL_ARNS = {
  start: `${ACCOUNT}:holdline-local-connect-start`,
  /**
   * connect-start as the native-async stack with progressive answers deploys it (`HOLDLINE_START_ROLE=register`):
   * a stack runs one strategy, this harness both, so each has its own.
   */
  register: `${ACCOUNT}:holdline-local-connect-start-register`,
  status: `${ACCOUNT}:holdline-local-connect-status`,
  answer: `${ACCOUNT}:holdline-local-connect-answer`,
  worker: `${ACCOUNT}:holdline-local-answer-worker`,
  failureRecorder: `${ACCOUNT}:holdline-local-failure-recorder`,
  failureQueue: "arn:aws:sqs:ap-northeast-1:123456789012:holdline-local-worker-failures",
  lexBotAlias: "arn:aws:lex:ap-northeast-1:123456789012:bot-alias/HOLDLINE01/LOCALALIAS",
  textOffer: `${ACCOUNT}:holdline-local-connect-text-offer`,
  textDelivery: `${ACCOUNT}:holdline-local-text-delivery`,
  instance: "arn:aws:connect:ap-northeast-1:123456789012:instance/11111111-2222-4333-8444-555555555555",
} as const;

export const LOCAL_TABLE_NAME = "holdline-local-executions";

/** The text offer of the local flows: the stack's defaults (infra's `holdline:textOffer`). */
export const LOCAL_TEXT_OFFER = { key: "1", afterSeconds: 10 } as const;

/** The functions Connect invokes from a flow. */
export type ConnectFunction = "start" | "register" | "status" | "answer";

const APP_NAMES: Readonly<Record<ConnectFunction, string>> = {
  start: "connect-start",
  register: "connect-start",
  status: "connect-status",
  answer: "connect-answer",
};

export interface LocalHoldlineOptions {
  /** `ManualClock` (virtual time) with an in-memory store; `SystemClock` for real time and real I/O. */
  readonly clock: Clock;
  /** Where executions live: `InMemoryExecutionStore` on virtual time, `DynamoDbExecutionStore` on dynalite. */
  readonly store: ExecutionStore;
  /**
   * The model. Default: the one the answer-worker's own container picks from `environment`, i.e. Bedrock
   * when `HOLDLINE_BEDROCK_MODEL_ID` is set, the embedded FAQ model otherwise.
   */
  readonly model?: LlmClient;
  /**
   * `HOLDLINE_*` settings as the Lambdas read them (`HOLDLINE_MAX_SILENCE_MS`, `HOLDLINE_ANSWER_DEADLINE_MS`,
   * `HOLDLINE_BEDROCK_*`). The table name and the worker function are set here.
   */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /**
   * What connect-start, connect-status and connect-answer (progressive answers) dispatch the worker through.
   * Default: the simulated `Event` invocation (`LocalHoldline.dispatcher`). Given, e.g. the real
   * `LambdaWorkDispatcher` over HTTP to a `LocalLambdaEndpoint` that hands each accepted event to
   * `LocalHoldline.dispatcher.dispatch`.
   */
  readonly workDispatcher?: WorkDispatcher;
  /** From an `Invoke` (Event) of the worker to its handler starting. Default 100 ms. */
  readonly dispatchLatencyMs?: number;
  /** From the worker failing to failure-recorder receiving the record through SQS. Default 300 ms. */
  readonly failureDeliveryMs?: number;
  /** Passed to the Connect emulator: latencies, speech rates, Lex timing; `lex` replaces Holdline's bot. */
  readonly emulator?: Partial<Omit<ConnectEmulatorOptions, "clock" | "functions">>;
  /** Sees every back-end line as it happens (the demo's progress line). */
  readonly onNote?: (note: LocalNote) => void;
  /**
   * The answer by text message (issue 18): connect-text-offer for the flows' offer, caller-left behind the
   * contact's end, text-delivery behind the table's stream. Needs a `store` with both ports.
   */
  readonly texts?: LocalTextsOptions;
}

/** Faults to rehearse on demand; each applies to the next `count` occurrences. */
export interface LocalFaults {
  /** `Invoke` of the worker fails: the execution stays queued until a reader dispatches it again. */
  failNextDispatch(count?: number): void;
  /** The worker's event is accepted and never runs. */
  loseNextDispatch(count?: number): void;
  /** The function calling the model (answer-worker, or connect-answer) dies `afterMs` into the call. */
  crashDuringNextModelCall(options?: { afterMs?: number; count?: number }): void;
  /** Lambda throttles the function's next attempts (the handler does not run; Connect retries). */
  throttle(fn: ConnectFunction, count?: number): void;
  /** The handler runs to the end, then the invocation fails anyway (Connect retries, the work is repeated). */
  failAfterRunning(fn: ConnectFunction, count?: number): void;
}

export interface LocalHoldline {
  readonly clock: Clock;
  readonly budget: TimingBudget;
  /** The shared store, unobserved: what a test reads back. */
  readonly store: ExecutionStore;
  /** Every model call, across the worker and connect-answer. */
  readonly model: ObservedLlmClient;
  readonly dispatcher: LambdaEventDispatcher;
  readonly failureQueue: SqsFailureDestination;
  /** The Connect-facing functions by ARN, as the emulator invokes them. */
  readonly functions: LambdaFunctions;
  readonly emulator: ConnectEmulator;
  readonly notes: CallNotes;
  readonly faults: LocalFaults;
  /** The text delivery, when `texts` was given. */
  readonly texts: LocalTexts | undefined;
  /**
   * The flow `buildHoldlineFlow` generates for this strategy and prompt pack, from the Lambdas' budget: progressive
   * exactly when the functions write parts (`HOLDLINE_PROGRESSIVE_ANSWERS`, on by default).
   */
  flow(strategy: Strategy, prompts: PromptPack): FlowDocument;
  /** Starts a call on that flow; store transitions and background Lambda runs appear on its timeline. */
  call(strategy: Strategy, prompts: PromptPack, script: CallerScript, options?: CallOptions): EmulatedCall;
  /** Resolves once no background invocation (worker, failure delivery) is running or pending. */
  idle(): Promise<void>;
  /** Cancels pending background waits and destroys the SDK clients the containers created. */
  close(): Promise<void>;
}

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

const take = (counters: Map<string, number>, name: string): boolean => {
  const left = counters.get(name) ?? 0;
  if (left <= 0) return false;
  counters.set(name, left - 1);
  return true;
};

/**
 * A whole Holdline on one machine: each app's own composition root (`buildContainer` + `dependenciesFrom`)
 * with its ports rebound (clock, store, dispatcher, model), the Connect-facing handlers mapped by ARN into
 * the Connect emulator, the worker behind a simulated asynchronous `Event` invocation, and its on-failure
 * destination delivered through a simulated SQS queue to failure-recorder.
 */
export function wireLocalHoldline(options: LocalHoldlineOptions): LocalHoldline {
  const { clock } = options;
  const work = new BackgroundWork(clock);
  const notes = new CallNotes(clock, options.onNote);
  const noteAbout = (key: Partial<ExecutionKey> | undefined, source: string, text: string) => {
    if (typeof key?.contactId !== "string") return;
    notes.add(key.contactId, source, key.turn === undefined ? text : `turn ${key.turn}: ${text}`);
  };
  const environment = {
    ...options.environment,
    HOLDLINE_TABLE_NAME: LOCAL_TABLE_NAME,
    HOLDLINE_WORKER_FUNCTION: LOCAL_ARNS.worker,
  };
  const observed = (writer: string) => new ObservedExecutionStore(options.store, writer, notes);
  const rebindCommon = (container: Container, writer: string) => {
    container.rebind(ClockId).toConstantValue(clock);
    container.rebind(ExecutionStoreId).toConstantValue(observed(writer));
  };

  // answer-worker: its container picks the model (Bedrock or FAQ) unless one is given.
  const workerConfig = loadWorkerConfig(environment);
  const budget = budgetFrom(workerConfig);
  const workerContainer = buildWorkerContainer(workerConfig, budget);
  rebindCommon(workerContainer, "answer-worker");
  const model = new ObservedLlmClient(options.model ?? workerContainer.get(LlmClientId), clock);
  workerContainer.rebind(LlmClientId).toConstantValue(model);
  const workerHandler = createWorkerHandler(workerDependencies(workerContainer));

  // failure-recorder, behind the worker's on-failure destination.
  const recorderConfig = loadRecorderConfig(environment);
  const recorderContainer = buildRecorderContainer(recorderConfig, budget);
  rebindCommon(recorderContainer, "failure-recorder");
  const recorderHandler = createRecorderHandler(recorderDependencies(recorderContainer));
  const failureQueue = new SqsFailureDestination({
    clock,
    work,
    queueArn: LOCAL_ARNS.failureQueue,
    consumer: (event) => recorderHandler(event),
    ...(options.failureDeliveryMs === undefined ? {} : { deliveryLatencyMs: options.failureDeliveryMs }),
    note: (payload, text) => noteAbout(payload as Partial<ExecutionKey>, "failure-recorder", text),
  });

  const dispatcher = new LambdaEventDispatcher({
    clock,
    work,
    functionArn: LOCAL_ARNS.worker,
    // The context too: its request id prefixes the worker's writes, which the failure record names.
    handler: (event, context) => workerHandler(event, context),
    timeoutMs: budget.worker.lambdaTimeoutSeconds * 1_000,
    maximumRetryAttempts: budget.worker.maximumRetryAttempts,
    ...(options.dispatchLatencyMs === undefined ? {} : { dispatchLatencyMs: options.dispatchLatencyMs }),
    onFailure: (record) => failureQueue.send(record),
    note: (key, source, text) => noteAbout(key, source, text),
  });

  // connect-start and connect-status dispatch through the simulated Event invocation (or the given dispatcher).
  // connect-start in each role a stack may deploy it in: polling's (`answer`), and native-async's with
  // progressive answers (`register`: it only registers and dispatches, before connect-answer).
  const startHandlerIn = (role: StartRole) => {
    const startConfig = loadStartConfig({ ...environment, HOLDLINE_START_ROLE: role });
    const startContainer = buildStartContainer(startConfig, budget);
    rebindCommon(startContainer, "connect-start");
    startContainer.rebind(WorkDispatcherId).toConstantValue(options.workDispatcher ?? dispatcher);
    return createStartHandler(startDependencies(startContainer, startConfig, budget));
  };
  const startHandler = startHandlerIn("answer");
  const registerHandler = startHandlerIn("register");

  const statusConfig = loadStatusConfig(environment);
  const statusContainer = buildStatusContainer(statusConfig, budget);
  rebindCommon(statusContainer, "connect-status");
  statusContainer.rebind(WorkDispatcherId).toConstantValue(options.workDispatcher ?? dispatcher);
  const statusHandler = createStatusHandler(statusDependencies(statusContainer, statusConfig, budget));

  // connect-answer runs a turn without a cursor itself (its inline dispatcher and the model); a progressive
  // turn (the flow sends a cursor) it hands to answer-worker through the simulated Event invocation, as
  // connect-start does, and reads its parts.
  const answerConfig = loadAnswerConfig(environment);
  const answerContainer = buildAnswerContainer(answerConfig, budget);
  rebindCommon(answerContainer, "connect-answer");
  answerContainer.rebind(LlmClientId).toConstantValue(model);
  const answerProgressive = buildAnswerProgressiveContainer(answerContainer, answerConfig, budget);
  answerProgressive?.rebind(WorkDispatcherId).toConstantValue(options.workDispatcher ?? dispatcher);
  const answerHandler = createAnswerHandler(
    answerDependencies(answerContainer, answerConfig, budget, answerProgressive),
  );

  const throttles = new Map<string, number>();
  const failuresAfterRun = new Map<string, number>();
  const connectFunction = (name: ConnectFunction, handler: ConnectHandler, timeoutSeconds: number) =>
    ({
      timeoutMs: timeoutSeconds * 1_000,
      throttle: () => take(throttles, name),
      handler: async (event, context) => {
        const turn = Number(event.Details?.Parameters?.[FLOW_PARAMETERS.turn]);
        const key = {
          contactId: event.Details?.ContactData?.ContactId,
          ...(Number.isInteger(turn) ? { turn } : {}),
        };
        let response: Awaited<ReturnType<ConnectHandler>>;
        try {
          // Each invocation in its own environment, so a crash fails only this one.
          response = await runInEnvironment(() => handler(event, context)).result;
        } catch (error) {
          const what = error instanceof RuntimeExitError ? "CRASHED" : "failed";
          noteAbout(key, APP_NAMES[name], `an attempt ${what} (${describe(error)}); Connect may retry`);
          throw error;
        }
        if (take(failuresAfterRun, name)) {
          noteAbout(
            key,
            APP_NAMES[name],
            "ran, but its response was lost (simulated fault); Connect may retry",
          );
          throw new Error("ServiceException: the function ran but its response was lost (simulated fault)");
        }
        return response;
      },
    }) satisfies LambdaFunction;
  const texts =
    options.texts === undefined
      ? undefined
      : wireTexts({
          ...options.texts,
          clock,
          work,
          notes,
          budget,
          environment,
          store: options.store as DeliveryCapableStore,
          instanceArn: LOCAL_ARNS.instance,
          textDeliveryArn: LOCAL_ARNS.textDelivery,
        });
  const functions: LambdaFunctions = {
    [LOCAL_ARNS.start]: connectFunction("start", startHandler, budget.connectStart.lambdaTimeoutSeconds),
    [LOCAL_ARNS.register]: connectFunction(
      "register",
      registerHandler,
      budget.connectStart.lambdaTimeoutSeconds,
    ),
    [LOCAL_ARNS.status]: connectFunction("status", statusHandler, budget.connectStatus.lambdaTimeoutSeconds),
    [LOCAL_ARNS.answer]: connectFunction("answer", answerHandler, budget.connectAnswer.lambdaTimeoutSeconds),
    ...(texts === undefined ? {} : { [LOCAL_ARNS.textOffer]: texts.textOffer }),
  };
  // The emulator knows no application's bot: Holdline's flows need Holdline's.
  const emulator = new ConnectEmulator({ lex: holdlineLexBot, ...options.emulator, clock, functions });

  // Progressive answers from the one setting the functions read (`HOLDLINE_PROGRESSIVE_ANSWERS`), as a stack
  // deploys them: the flow speaks parts exactly when the functions write them.
  const flow = (strategy: Strategy, prompts: PromptPack) =>
    buildHoldlineFlow(strategy, {
      lambdas: {
        start: strategy === "native-async" ? LOCAL_ARNS.register : LOCAL_ARNS.start,
        status: LOCAL_ARNS.status,
        answer: LOCAL_ARNS.answer,
      },
      lexBotAliasArn: LOCAL_ARNS.lexBotAlias,
      prompts,
      budget,
      name: `holdline-local-${strategy}-${prompts.locale}`,
      progressive: budget.choices.progressiveAnswers,
      // The offer of a text, exactly when the text delivery is wired (as a stack enables both together).
      ...(options.texts === undefined
        ? {}
        : {
            textOffer: {
              functionArn: LOCAL_ARNS.textOffer,
              key: LOCAL_TEXT_OFFER.key,
              afterSeconds: options.texts.afterSeconds ?? LOCAL_TEXT_OFFER.afterSeconds,
            },
          }),
    });

  return {
    clock,
    budget,
    store: options.store,
    model,
    dispatcher,
    failureQueue,
    functions,
    emulator,
    notes,
    texts,
    faults: {
      failNextDispatch: (count = 1) => dispatcher.failNextDispatch(count),
      loseNextDispatch: (count = 1) => dispatcher.loseNextDispatch(count),
      crashDuringNextModelCall: (crash) => model.crashCallerDuringNextCall(crash),
      throttle: (fn, count = 1) => throttles.set(fn, (throttles.get(fn) ?? 0) + count),
      failAfterRunning: (fn, count = 1) => failuresAfterRun.set(fn, (failuresAfterRun.get(fn) ?? 0) + count),
    },
    flow,
    call: (strategy, prompts, script, callOptions) => {
      const call = emulator.call(flow(strategy, prompts), script, callOptions);
      notes.attach(call);
      // Connect's DISCONNECTED contact event, however the call ended (hang-up or the flow's disconnect).
      if (texts !== undefined)
        call.ended.then(
          () => texts.contactEnded(call.contactId),
          () => undefined,
        );
      return call;
    },
    idle: async () => {
      // Text delivery: a contact's end posts an event, the stream's records start invocations, and those
      // write records of their own; done when a round adds nothing.
      for (let last = -1; ; ) {
        await work.idle();
        if (texts === undefined) return;
        await texts.settled();
        const progress = texts.progress();
        if (progress === last) return;
        last = progress;
      }
    },
    close: async () => {
      texts?.close();
      await work.close();
      // Only the worker's container may have built a Bedrock client (the others share its model).
      if (options.model === undefined && workerContainer.isBound(BedrockRuntimeClientId)) {
        workerContainer.get(BedrockRuntimeClientId).destroy();
      }
    },
  };
}

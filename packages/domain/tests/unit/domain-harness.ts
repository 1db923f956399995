import type { ExecutionKey } from "../../src/execution/execution.ts";
import type { ExecutionPolicy } from "../../src/execution/execution-policy.ts";
import type { LlmRequest } from "../../src/ports/llm-client.port.ts";
import { AbandonStart } from "../../src/use-cases/abandon-start/abandon-start.use-case.ts";
import { CheckExecution } from "../../src/use-cases/check-execution/check-execution.use-case.ts";
import { ExecutionSupervisor } from "../../src/use-cases/execution-supervisor.ts";
import { RecordFailure } from "../../src/use-cases/record-failure/record-failure.use-case.ts";
import { RunExecution } from "../../src/use-cases/run-execution/run-execution.use-case.ts";
import { StartExecution } from "../../src/use-cases/start-execution/start-execution.use-case.ts";
import { ManualClock } from "../support/clock/manual-clock.ts";
import {
  InMemoryExecutionStore,
  type InMemoryExecutionStoreOptions,
} from "../support/fakes/in-memory-execution-store.ts";
import { RecordingDispatcher } from "../support/fakes/recording-dispatcher.ts";
import { RecordingEvents } from "../support/fakes/recording-events.ts";
import { answer, type LlmStep, ScriptedLlmClient } from "../support/fakes/scripted-llm-client.ts";

export const policy: ExecutionPolicy = {
  deadlineMs: 60_000,
  leaseMs: 20_000,
  maxAttempts: 2,
  lostDispatchAfterMs: 4_000,
  pollIntervalMs: 500,
  retentionSeconds: 3_600,
  historyTurns: 3,
};

export interface DomainOptions {
  /** Steps in order, or a function choosing each call's step. */
  readonly script?: readonly LlmStep[] | ((request: LlmRequest, call: number) => LlmStep);
  readonly policy?: Partial<ExecutionPolicy>;
  /**
   * Run the worker in the background for every dispatch (and every abandoned start), as an asynchronous
   * invocation would.
   */
  readonly inlineWorker?: boolean;
  readonly store?: InMemoryExecutionStoreOptions;
}

/** The domain wired to its fakes on virtual time, as a composition root would wire it to adapters. */
export function domain({
  script = [answer("We open at nine.", 2_000)],
  policy: overrides = {},
  inlineWorker = false,
  store: storeOptions = {},
}: DomainOptions = {}) {
  const clock = new ManualClock();
  const store = new InMemoryExecutionStore(clock, storeOptions);
  const llm = new ScriptedLlmClient(clock, script);
  const rules = { ...policy, ...overrides };
  const events = new RecordingEvents();
  const run = new RunExecution(store, llm, clock, rules, events);
  const abandon = new AbandonStart(store, clock, rules, events);
  const workers: Promise<unknown>[] = [];
  const dispatcher = new RecordingDispatcher(
    inlineWorker ? (key) => void workers.push(run.execute(key)) : undefined,
    inlineWorker ? (unconfirmed) => void workers.push(abandon.execute(unconfirmed)) : undefined,
  );
  const supervisor = new ExecutionSupervisor(store, dispatcher, clock, rules, events);
  return {
    clock,
    store,
    dispatcher,
    llm,
    workers,
    events,
    start: new StartExecution(store, supervisor, clock, rules, events),
    run,
    abandon,
    check: new CheckExecution(store, supervisor, clock, rules),
    recordFailure: new RecordFailure(store, clock, rules),
  };
}

let contacts = 0;
export const newKey = (turn = 1): ExecutionKey => ({ contactId: `contact-${++contacts}`, turn });

export const question = (text = "What time do you open?", locale = "en-US") => ({ question: text, locale });

import { type ExecutionPolicy, ExecutionPolicyId } from "@holdline/domain/execution/execution-policy";
import { type Clock, ClockId } from "@holdline/domain/ports/clock.port";
import {
  type ExecutionEvents,
  ExecutionEventsId,
  NO_EVENTS,
} from "@holdline/domain/ports/execution-events.port";
import { type ExecutionStore, ExecutionStoreId } from "@holdline/domain/ports/execution-store.port";
import { type LlmClient, LlmClientId } from "@holdline/domain/ports/llm-client.port";
import { type WorkDispatcher, WorkDispatcherId } from "@holdline/domain/ports/work-dispatcher.port";
import {
  AbandonStart,
  AbandonStartId,
} from "@holdline/domain/use-cases/abandon-start/abandon-start.use-case";
import {
  CheckExecution,
  CheckExecutionId,
} from "@holdline/domain/use-cases/check-execution/check-execution.use-case";
import { ExecutionSupervisor, ExecutionSupervisorId } from "@holdline/domain/use-cases/execution-supervisor";
import {
  RecordFailure,
  RecordFailureId,
} from "@holdline/domain/use-cases/record-failure/record-failure.use-case";
import {
  RunExecution,
  RunExecutionId,
} from "@holdline/domain/use-cases/run-execution/run-execution.use-case";
import {
  StartExecution,
  StartExecutionId,
} from "@holdline/domain/use-cases/start-execution/start-execution.use-case";
import { ContainerModule } from "inversify";

/** `ExecutionEvents` when the container binds it, else nothing reported. */
const EVENTS = { serviceIdentifier: ExecutionEventsId, optional: true } as const;
const eventsOr = (events: ExecutionEvents | undefined): ExecutionEvents => events ?? NO_EVENTS;

/**
 * Binds the use cases to whatever adapters the container holds for the ports. Plain classes bound with
 * `toResolvedValue`: no decorators, nothing esbuild would have to emit metadata for. Bindings resolve lazily,
 * so an app that never asks for `RunExecution` needs no `LlmClient`. Recoveries go to `ExecutionEvents`
 * when the container binds it (the apps bind Powertools), else nowhere.
 */
export const useCasesModule = (policy: ExecutionPolicy): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(ExecutionPolicyId).toConstantValue(policy);
    bind(ExecutionSupervisorId)
      .toResolvedValue(
        (
          store: ExecutionStore,
          dispatcher: WorkDispatcher,
          clock: Clock,
          rules: ExecutionPolicy,
          events: ExecutionEvents | undefined,
        ) => new ExecutionSupervisor(store, dispatcher, clock, rules, eventsOr(events)),
        [ExecutionStoreId, WorkDispatcherId, ClockId, ExecutionPolicyId, EVENTS],
      )
      .inSingletonScope();
    bind(StartExecutionId)
      .toResolvedValue(
        (
          store: ExecutionStore,
          supervisor: ExecutionSupervisor,
          clock: Clock,
          rules: ExecutionPolicy,
          events: ExecutionEvents | undefined,
        ) => new StartExecution(store, supervisor, clock, rules, eventsOr(events)),
        [ExecutionStoreId, ExecutionSupervisorId, ClockId, ExecutionPolicyId, EVENTS],
      )
      .inSingletonScope();
    bind(AbandonStartId)
      .toResolvedValue(
        (store: ExecutionStore, clock: Clock, rules: ExecutionPolicy, events: ExecutionEvents | undefined) =>
          new AbandonStart(store, clock, rules, eventsOr(events)),
        [ExecutionStoreId, ClockId, ExecutionPolicyId, EVENTS],
      )
      .inSingletonScope();
    bind(CheckExecutionId)
      .toResolvedValue(
        (store: ExecutionStore, supervisor: ExecutionSupervisor, clock: Clock, rules: ExecutionPolicy) =>
          new CheckExecution(store, supervisor, clock, rules),
        [ExecutionStoreId, ExecutionSupervisorId, ClockId, ExecutionPolicyId],
      )
      .inSingletonScope();
    bind(RunExecutionId)
      .toResolvedValue(
        (
          store: ExecutionStore,
          llm: LlmClient,
          clock: Clock,
          rules: ExecutionPolicy,
          events: ExecutionEvents | undefined,
        ) => new RunExecution(store, llm, clock, rules, eventsOr(events)),
        [ExecutionStoreId, LlmClientId, ClockId, ExecutionPolicyId, EVENTS],
      )
      .inSingletonScope();
    bind(RecordFailureId)
      .toResolvedValue(
        (store: ExecutionStore, clock: Clock, rules: ExecutionPolicy) =>
          new RecordFailure(store, clock, rules),
        [ExecutionStoreId, ClockId, ExecutionPolicyId],
      )
      .inSingletonScope();
  });

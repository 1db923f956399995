import { ExecutionEventsId } from "@holdline/domain/ports/execution-events.port";
import { ContainerModule } from "inversify";
import { PowertoolsExecutionEvents } from "../lambda/execution-events.ts";
import { type Observability, ObservabilityId } from "../lambda/observability.ts";

/**
 * Binds the `ExecutionEvents` port to `PowertoolsExecutionEvents` (a log line and a `Recoveries` metric per
 * recovery) on the function's `Observability`, bound beside it so that the handler logs and counts through
 * the same Logger and Metrics.
 */
export const eventsModule = (observability: Observability): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(ObservabilityId).toConstantValue(observability);
    bind(ExecutionEventsId).toConstantValue(new PowertoolsExecutionEvents(observability));
  });

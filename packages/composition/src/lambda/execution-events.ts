import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { formatKey } from "@holdline/domain/execution/execution";
import type {
  ExecutionEvents,
  RecoveryEvent,
  RecoveryKind,
} from "@holdline/domain/ports/execution-events.port";
import type { Observability } from "./observability.ts";

/** The metric counting recoveries, one data point per event, dimensions `service` and `event` (its kind). */
export const RECOVERIES_METRIC = "Recoveries";

/** The log line's message for each kind: what happened, in the words an operator searches for. */
export const RECOVERY_MESSAGES: Readonly<Record<RecoveryKind, string>> = {
  lost_reply_recovered: "recovered a store write whose reply was lost",
  reclaimed_after_lease: "dispatched a new attempt after the running one missed its heartbeat",
  attempt_stopped: "failed a turn whose attempt missed its heartbeat with no attempt left",
  dispatch_refused: "failed a turn whose dispatch was refused for good",
  start_abandoned: "abandoned a start the store never confirmed: the caller heard an error",
  start_abandon_settled: "settled an abandoned start",
};

/** The kinds logged at warn: a caller heard an error because of the fault. The others are info. */
export const WARNED_RECOVERIES: ReadonlySet<RecoveryKind> = new Set<RecoveryKind>([
  "attempt_stopped",
  "dispatch_refused",
  "start_abandoned",
]);

/**
 * `ExecutionEvents` on Powertools: each event is one structured log line (message per kind; `event`,
 * `contactId`, `turn`, `executionId` and the event's own fields) and one `Recoveries` count published at once
 * as a single metric with the dimension `event`. Reporting never throws: a failing logger or metrics client
 * is swallowed, and one failing does not keep the other from running.
 */
export class PowertoolsExecutionEvents implements ExecutionEvents {
  constructor(private readonly observability: Observability) {}

  report(event: RecoveryEvent): void {
    try {
      this.log(event);
    } catch {
      // Reporting never changes an outcome.
    }
    try {
      this.count(event);
    } catch {
      // Reporting never changes an outcome.
    }
  }

  private log(event: RecoveryEvent): void {
    const { kind, key, ...details } = event;
    const fields = {
      event: kind,
      contactId: key.contactId,
      turn: key.turn,
      executionId: formatKey(key),
      ...details,
    };
    const { logger } = this.observability;
    if (WARNED_RECOVERIES.has(kind)) logger.warn(RECOVERY_MESSAGES[kind], fields);
    else logger.info(RECOVERY_MESSAGES[kind], fields);
  }

  private count(event: RecoveryEvent): void {
    const metric = this.observability.metrics.singleMetric();
    metric.addDimension("event", event.kind);
    metric.addMetric(RECOVERIES_METRIC, MetricUnit.Count, 1);
  }
}

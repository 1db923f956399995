import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { ServiceIdentifier } from "inversify";

export const METRICS_NAMESPACE = "Holdline";

export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Whether the caller's question and the answer may be logged (off unless HOLDLINE_DEBUG_CONTENT is set). */
  readonly logContent: boolean;
}

/**
 * Powertools Logger (JSON, cold start) and Metrics (EMF), one pair per function, created once per cold start.
 * Every metric carries the dimension `service` = `serviceName` (the app's name), which the alarms match.
 */
export function createObservability(serviceName: string, logContent = false): Observability {
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName }),
    logContent,
  };
}

/** The function's one `Observability`, bound by `eventsModule`: its handler and its use cases share it. */
export const ObservabilityId: ServiceIdentifier<Observability> = Symbol.for("holdline.Observability");

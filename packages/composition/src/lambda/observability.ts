import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";

export const METRICS_NAMESPACE = "Holdline";

export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Whether the caller's question and the answer may be logged (off unless HOLDLINE_DEBUG_CONTENT is set). */
  readonly logContent: boolean;
}

/** Powertools Logger (JSON, cold start) and Metrics (EMF), one pair per function, created once per cold start. */
export function createObservability(serviceName: string, logContent = false): Observability {
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName }),
    logContent,
  };
}

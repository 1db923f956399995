import { functionMemoryMb } from "@holdline/budget/function-memory";
import { type CostBreakdown, costPerThousandCalls } from "./cost-model.ts";
import { maximum, mean, percentile } from "./sample-statistics.ts";
import { type CallMeasurement, STRATEGIES, type StrategyName, simulateCall } from "./strategy-calls.ts";

export const MODEL_LATENCIES_MS = [1_000, 3_000, 7_000, 12_000, 25_000, 45_000] as const;

/** One (strategy × model latency) cell, summarised. Times are milliseconds. */
export interface CellSummary {
  readonly strategy: StrategyName;
  readonly nominalModelMs: number;
  readonly calls: number;
  /** Share of calls, 0–1, in which the caller heard the answer. */
  readonly answered: number;
  /** Over the answered calls only; NaN when none was answered. */
  readonly answerDelayP50Ms: number;
  readonly answerDelayP99Ms: number;
  readonly longestSilenceP50Ms: number;
  readonly longestSilenceMaxMs: number;
  readonly lambdaInvocationsPerCall: number;
  readonly dynamodbRequestsPerCall: number;
  readonly modelCallsPerCall: number;
  readonly costPerThousand: CostBreakdown;
  /** The same calls with every function at Holdline's size: compares the patterns, not the settings. */
  readonly costPerThousandAtHoldlineSize: CostBreakdown;
}

/** Holdline's Connect-facing functions and worker: `functionMemoryMb` (512 MB) on arm64. */
const HOLDLINE_SIZE = { memoryMb: functionMemoryMb.worker, architecture: "arm64" } as const;

export function summariseCell(measurements: readonly CallMeasurement[]): CellSummary {
  const [first] = measurements;
  if (first === undefined) throw new Error("a cell needs at least one call");
  const delays = measurements.flatMap((call) =>
    call.answerDelayMs === undefined ? [] : [call.answerDelayMs],
  );
  const silences = measurements.map((call) => call.longestSilenceMs);
  return {
    strategy: first.strategy,
    nominalModelMs: first.nominalModelMs,
    calls: measurements.length,
    answered: measurements.filter((call) => call.answered).length / measurements.length,
    answerDelayP50Ms: percentile(delays, 50),
    answerDelayP99Ms: percentile(delays, 99),
    longestSilenceP50Ms: percentile(silences, 50),
    longestSilenceMaxMs: maximum(silences),
    lambdaInvocationsPerCall: mean(measurements.map((call) => call.lambdaInvocations)),
    dynamodbRequestsPerCall: mean(measurements.map((call) => call.dynamodbRequests)),
    modelCallsPerCall: mean(measurements.map((call) => call.modelCalls)),
    costPerThousand: costPerThousandCalls(measurements.map((call) => call.usage)),
    costPerThousandAtHoldlineSize: costPerThousandCalls(
      measurements.map((call) => ({
        ...call.usage,
        invocations: call.usage.invocations.map((invocation) => ({ ...invocation, ...HOLDLINE_SIZE })),
      })),
    ),
  };
}

export interface MatrixResult {
  readonly callsPerCell: number;
  readonly cells: readonly CellSummary[];
  /** Holdline calls that did not make exactly one model call for their one turn. */
  readonly violations: readonly string[];
  readonly wallMs: number;
}

/**
 * Every strategy over every model latency, `callsPerCell` calls each, one after another on virtual time.
 * Call `i` of a latency has the same model latency under every strategy.
 */
export async function runStrategyMatrix(
  callsPerCell: number,
  latencies: readonly number[] = MODEL_LATENCIES_MS,
): Promise<MatrixResult> {
  const started = performance.now();
  const cells: CellSummary[] = [];
  const violations: string[] = [];
  for (const nominalModelMs of latencies) {
    for (const strategy of STRATEGIES) {
      const measurements: CallMeasurement[] = [];
      for (let index = 0; index < callsPerCell; index += 1) {
        const call = await simulateCall(strategy, nominalModelMs, index);
        if (strategy !== "seed" && call.modelCalls !== 1) {
          violations.push(`${strategy} ${nominalModelMs} ms call ${index}: ${call.modelCalls} model calls`);
        }
        measurements.push(call);
      }
      cells.push(summariseCell(measurements));
    }
  }
  return { callsPerCell, cells, violations, wallMs: performance.now() - started };
}

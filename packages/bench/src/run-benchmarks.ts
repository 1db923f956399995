/**
 * `pnpm bench` (this package's part): the seed's pattern and Holdline's two strategies over model latencies
 * on virtual time, the north star (first word heard, with and without progressive answers, on virtual time), a
 * sweep of simultaneous calls on dynalite in real time, and the Lambda bundles; writes docs/benchmarks.md and
 * docs/benchmarks-overhead.svg. Exits 1, leaving the docs as they were, when an invariant breaks: a
 * virtual-time Holdline call without exactly one model call, or whose caller heard the answer's parts other
 * than as written; at any level of the sweep, an answer lost, a turn stranded, or a (contact, turn) with more
 * model calls than claims. A slow machine (unanswered calls, error prompts, long silences under load) and
 * issue 16's missed targets are reported, not failed.
 *
 * Options: `--calls N` per cell of the matrix and of the north star (default 100), `--concurrent
 * 50,100,200,500` (the sweep's levels), `--strategies polling,native-async`, `--only sweep` or `--only
 * north-star` (that part alone, printed, no docs written), `--out DIR` (default the repository's docs/).
 */
import { writeFileSync } from "node:fs";
import { cpus, platform, release, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { duration, renderBenchmarksReport, sweepTable } from "./benchmarks-report.ts";
import { countsText, invariantFailures, storeSaturated } from "./concurrency-accounting.ts";
import {
  type ConcurrencyResult,
  parseLevels,
  runConcurrencySweep,
  SWEEP_LEVELS,
} from "./concurrent-calls.ts";
import { measureBundles } from "./lambda-bundles.ts";
import { type NorthStarResult, runNorthStar } from "./north-star.ts";
import { northStarConsoleReport } from "./north-star-report.ts";
import { renderOverheadChart } from "./overhead-chart.ts";
import { measureReaderCpu } from "./reader-cpu.ts";
import { STRATEGIES, STRATEGY_LABELS } from "./strategy-calls.ts";
import { MODEL_LATENCIES_MS, runStrategyMatrix } from "./strategy-matrix.ts";

const CHART_FILE = "benchmarks-overhead.svg";
const SERIES_COLORS = { seed: "#d95f02", polling: "#1b9e77", "native-async": "#7570b3" } as const;
const CONCURRENT_MODEL_MS = 200;

const STRATEGY_OPTIONS = ["polling", "native-async"] as const;
type SweepStrategy = (typeof STRATEGY_OPTIONS)[number];

function parseStrategies(text: string): SweepStrategy[] {
  const names = text.split(",").map((name) => name.trim());
  const unknown = names.filter((name) => !(STRATEGY_OPTIONS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new RangeError(`--strategies: unknown ${unknown.join(", ")}`);
  return names as SweepStrategy[];
}

function progressLine(result: ConcurrencyResult): string {
  const errors = countsText({ ...result.errorPrompts, ...result.unavailablePrompts });
  return (
    `  ${result.strategy} × ${result.calls}: ${result.answered} answered, error prompts ${errors}, ` +
    `${result.modelCalls} model calls, ${result.answersLost} answers lost (${result.answersUndeliverable} not taken by ` +
    `the store), ${result.turnsStranded} stranded, ` +
    `${result.overCalled} over-called; store p99 ${duration(result.store.latencyP99Ms)}, ` +
    `failed ${countsText(result.store.failures)}; ${(result.wallMs / 1000).toFixed(1)} s`
  );
}

/** The invariants say little if the store always kept up: say so (a fast machine is not a failure). */
function warnIfNeverSaturated(sweep: readonly ConcurrencyResult[]): void {
  if (sweep.some((result) => storeSaturated(result.store))) return;
  console.warn(
    "\nNote: no level saturated the store (no store call went unanswered); add a higher --concurrent level " +
      "to check the invariants under saturation.",
  );
}

/** The broken invariants, each with the traces of a few of the turns that broke it. */
function reportBroken(failures: readonly string[], sweep: readonly ConcurrencyResult[]): void {
  console.error(`\nInvariants broken; docs/benchmarks.md left as it was:\n- ${failures.join("\n- ")}`);
  const examples = sweep.flatMap((result) =>
    result.examples.map((example) => `[${result.strategy} × ${result.calls}] ${example}`),
  );
  if (examples.length > 0) console.error(`\nExamples:\n${examples.join("\n")}`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    // `pnpm --filter @holdline/bench bench -- --calls 5` passes the `--` through.
    args: process.argv.slice(2).filter((arg, index) => !(index === 0 && arg === "--")),
    options: {
      calls: { type: "string", default: "100" },
      concurrent: { type: "string", default: SWEEP_LEVELS.join(",") },
      strategies: { type: "string", default: STRATEGY_OPTIONS.join(",") },
      only: { type: "string" },
      out: { type: "string", default: join(import.meta.dirname, "..", "..", "..", "docs") },
    },
  });
  if (values.only !== undefined && values.only !== "sweep" && values.only !== "north-star") {
    throw new RangeError("--only takes: sweep, north-star");
  }
  // The handlers' JSON logs and metrics would bury the output.
  process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
  process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const started = performance.now();
  const callsPerCell = Number(values.calls);
  const levels = parseLevels(values.concurrent);
  const strategies = parseStrategies(values.strategies);

  if (values.only === "sweep") {
    const sweep = await sweepOnDynalite(levels, strategies);
    console.log(`\n${sweepTable(sweep)}`);
    warnIfNeverSaturated(sweep);
    const failures = sweep.flatMap(invariantFailures);
    if (failures.length > 0) {
      reportBroken(failures, sweep);
      return 1;
    }
    console.log("\nEvery level: 0 answers lost, 0 turns stranded, 0 (contact, turn)s over-called.");
    return 0;
  }

  if (values.only === "north-star") {
    const northStar = await northStarOnVirtualTime(callsPerCell);
    console.log(`\n${northStarConsoleReport(northStar)}`);
    if (northStar.violations.length > 0) {
      reportBroken(
        northStar.violations.map((violation) => `north star: ${violation}`),
        [],
      );
      return 1;
    }
    console.log("\nEvery Holdline call: one model call for its turn, its answer heard as written.");
    return 0;
  }

  console.log(`strategies × model latencies on virtual time, ${callsPerCell} calls per cell…`);
  const matrix = await runStrategyMatrix(callsPerCell);
  console.log(`  done in ${(matrix.wallMs / 1000).toFixed(1)} s`);

  const northStar = await northStarOnVirtualTime(callsPerCell);

  const concurrency = await sweepOnDynalite(levels, strategies);
  warnIfNeverSaturated(concurrency);

  console.log("Lambda bundles: build and cold module load…");
  const bundles = measureBundles();
  console.log("connect-answer's CPU per warm invocation…");
  const readerCpu = measureReaderCpu();

  const failures = [
    ...matrix.violations.map((violation) => `virtual time: ${violation}`),
    ...northStar.violations.map((violation) => `north star: ${violation}`),
    ...concurrency.flatMap(invariantFailures),
    ...bundles.offenders.map((app) => `${app}: a Connect-facing bundle contains the Bedrock client`),
  ];
  if (failures.length > 0) {
    reportBroken(failures, concurrency);
    return 1;
  }

  const cpuList = cpus();
  const report = renderBenchmarksReport({
    command: "pnpm install --frozen-lockfile && pnpm bench",
    generatedAt: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    machine: {
      node: process.version,
      cpuModel: cpuList[0]?.model.trim() ?? "unknown CPU",
      cpus: cpuList.length,
      platform: `${platform()} ${release()}`,
      memoryGiB: totalmem() / 1024 ** 3,
    },
    matrix,
    northStar,
    concurrency,
    bundles,
    readerCpu,
    totalWallMs: performance.now() - started,
    chartFile: CHART_FILE,
  });
  const chart = renderOverheadChart({
    title: "Answer delay after the model finished",
    subtitle: `p50 (solid) and p99 (dashed) of ${callsPerCell} calls per point, virtual time, latency model in docs/benchmarks.md`,
    xLabels: MODEL_LATENCIES_MS.map((ms) => `${ms / 1000} s`),
    series: STRATEGIES.map((strategy) => {
      const cells = MODEL_LATENCIES_MS.map((latency) =>
        matrix.cells.find((cell) => cell.strategy === strategy && cell.nominalModelMs === latency),
      );
      return {
        label: STRATEGY_LABELS[strategy],
        color: SERIES_COLORS[strategy],
        p50: cells.map((cell) => cell?.answerDelayP50Ms),
        p99: cells.map((cell) => cell?.answerDelayP99Ms),
      };
    }),
  });
  writeFileSync(join(values.out, "benchmarks.md"), report);
  writeFileSync(join(values.out, CHART_FILE), chart);
  console.log(`\nwrote ${join(values.out, "benchmarks.md")} and ${CHART_FILE}`);
  const headlines = report.split("## Headline ratios")[1]?.split("![")[0]?.trim();
  if (headlines !== undefined) console.log(`\n${headlines}`);
  return 0;
}

async function northStarOnVirtualTime(callsPerCell: number): Promise<NorthStarResult> {
  console.log(
    `the north star on virtual time (first word heard, with and without progressive answers), ${callsPerCell} calls per cell…`,
  );
  const result = await runNorthStar(callsPerCell);
  console.log(`  done in ${(result.wallMs / 1000).toFixed(1)} s`);
  return result;
}

function sweepOnDynalite(
  levels: readonly number[],
  strategies: readonly SweepStrategy[],
): Promise<ConcurrencyResult[]> {
  console.log(
    `simultaneous calls on dynalite, real time: ${levels.join(", ")} per strategy (${strategies.join(", ")})…`,
  );
  return runConcurrencySweep({
    levels,
    strategies,
    modelLatencyMs: CONCURRENT_MODEL_MS,
    onRun: (result) => console.log(progressLine(result)),
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);

/**
 * `pnpm bench` (this package's part): the seed's pattern and Holdline's two strategies over model latencies
 * on virtual time, simultaneous calls on dynalite in real time, and the Lambda bundles; writes
 * docs/benchmarks.md and docs/benchmarks-overhead.svg. Exits 1, leaving the docs as they were, when an
 * invariant breaks: a Holdline call without exactly one model call, a simultaneous call not answered.
 *
 * Options: `--calls N` per (strategy × latency) cell (default 100), `--concurrent N` (default 500),
 * `--out DIR` (default the repository's docs/).
 */
import { writeFileSync } from "node:fs";
import { cpus, platform, release, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { renderBenchmarksReport } from "./benchmarks-report.ts";
import { type ConcurrencyResult, runConcurrentCalls } from "./concurrent-calls.ts";
import { measureBundles } from "./lambda-bundles.ts";
import { renderOverheadChart } from "./overhead-chart.ts";
import { STRATEGIES, STRATEGY_LABELS } from "./strategy-calls.ts";
import { MODEL_LATENCIES_MS, runStrategyMatrix } from "./strategy-matrix.ts";

const CHART_FILE = "benchmarks-overhead.svg";
const SERIES_COLORS = { seed: "#d95f02", polling: "#1b9e77", "native-async": "#7570b3" } as const;
const CONCURRENT_MODEL_MS = 200;

function concurrencyFailures(result: ConcurrencyResult): string[] {
  const failures: string[] = [];
  if (result.answered !== result.calls) failures.push(`${result.calls - result.answered} calls not answered`);
  if (result.completedInStore !== result.calls) {
    failures.push(`${result.calls - result.completedInStore} executions not completed after one claim`);
  }
  if (result.violations.length > 0) {
    failures.push(`model not called exactly once for ${result.violations.slice(0, 5).join(", ")}…`);
  }
  return failures.map((failure) => `${result.strategy}, ${result.calls} simultaneous calls: ${failure}`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      calls: { type: "string", default: "100" },
      concurrent: { type: "string", default: "500" },
      out: { type: "string", default: join(import.meta.dirname, "..", "..", "..", "docs") },
    },
  });
  // The handlers' JSON logs and metrics would bury the output.
  process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
  process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const started = performance.now();
  const callsPerCell = Number(values.calls);
  const concurrent = Number(values.concurrent);

  console.log(`strategies × model latencies on virtual time, ${callsPerCell} calls per cell…`);
  const matrix = await runStrategyMatrix(callsPerCell);
  console.log(`  done in ${(matrix.wallMs / 1000).toFixed(1)} s`);

  const concurrency: ConcurrencyResult[] = [];
  for (const strategy of ["polling", "native-async"] as const) {
    console.log(`${concurrent} simultaneous ${strategy} calls on dynalite, real time…`);
    const result = await runConcurrentCalls({
      strategy,
      calls: concurrent,
      modelLatencyMs: CONCURRENT_MODEL_MS,
    });
    console.log(
      `  ${result.answered}/${result.calls} answered, ${result.modelCalls} model calls, in ${(result.wallMs / 1000).toFixed(1)} s`,
    );
    concurrency.push(result);
  }

  console.log("Lambda bundles: build and cold module load…");
  const bundles = measureBundles();

  const failures = [
    ...matrix.violations.map((violation) => `virtual time: ${violation}`),
    ...concurrency.flatMap(concurrencyFailures),
    ...bundles.offenders.map((app) => `${app}: a Connect-facing bundle contains the Bedrock client`),
  ];
  if (failures.length > 0) {
    console.error(`\nInvariants broken; docs/benchmarks.md left as it was:\n- ${failures.join("\n- ")}`);
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
    concurrency,
    bundles,
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

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);

import { describe, expect, it } from "vitest";
import {
  type BenchmarkReportInput,
  duration,
  p99Rank,
  ratio,
  renderBenchmarksReport,
} from "../../src/benchmarks-report.ts";
import type { CostBreakdown } from "../../src/cost-model.ts";
import { STRATEGIES, type StrategyName } from "../../src/strategy-calls.ts";
import type { CellSummary } from "../../src/strategy-matrix.ts";
import { northStarResultOf } from "../support/north-star-fixtures.ts";

describe("formatting", () => {
  it("writes durations in ms under a second and in seconds above, and — for none", () => {
    expect(duration(27.4)).toBe("27 ms");
    expect(duration(1_810)).toBe("1.81 s");
    expect(duration(Number.NaN)).toBe("—");
  });

  it("writes ratios with two significant places, and — when a side is missing or zero", () => {
    expect(ratio(1, 3)).toBe("0.33×");
    expect(ratio(7, 2)).toBe("3.5×");
    expect(ratio(770, 10)).toBe("77×");
    expect(ratio(1, 0)).toBe("—");
    expect(ratio(Number.NaN, 1)).toBe("—");
  });

  it("names which call the nearest-rank p99 is", () => {
    expect(p99Rank(30)).toBe("is the worst call");
    expect(p99Rank(100)).toBe("is the second-worst call");
    expect(p99Rank(200)).toBe("is the third-worst call");
    expect(p99Rank(1_000)).toBe("is the 11th-worst call");
  });
});

const cost = (total: number): CostBreakdown => ({
  lambdaRequests: 0,
  lambdaDuration: total,
  dynamodb: 0,
  total,
});

const cell = (strategy: StrategyName, nominalModelMs: number, answered: number): CellSummary => ({
  strategy,
  nominalModelMs,
  calls: 10,
  answered,
  answerDelayP50Ms: answered === 0 ? Number.NaN : 200,
  answerDelayP99Ms: answered === 0 ? Number.NaN : 1_800,
  longestSilenceP50Ms: strategy === "seed" ? 8_000 : 2_500,
  longestSilenceMaxMs: strategy === "seed" ? 8_000 : 2_800,
  lambdaInvocationsPerCall: strategy === "polling" ? 5 : 1,
  dynamodbRequestsPerCall: 4,
  modelCallsPerCall: 1,
  costPerThousand: cost(strategy === "seed" ? 0.1 : 0.3),
  costPerThousandAtHoldlineSize: cost(0.3),
});

const input: BenchmarkReportInput = {
  command: "pnpm bench",
  generatedAt: "2026-11-23T00:00:00Z",
  machine: { node: "v20.20.2", cpuModel: "Test CPU", cpus: 2, platform: "linux", memoryGiB: 8 },
  matrix: {
    callsPerCell: 10,
    wallMs: 1_000,
    violations: [],
    cells: [12_000, 45_000].flatMap((latency) =>
      STRATEGIES.map((strategy) =>
        cell(strategy, latency, strategy === "seed" && latency === 45_000 ? 0 : 1),
      ),
    ),
  },
  northStar: northStarResultOf(),
  concurrency: [
    {
      strategy: "polling",
      calls: 500,
      modelLatencyMs: 200,
      wallMs: 6_000,
      eventLoopDelayP99Ms: 120,
      answered: 480,
      errorPrompts: { store_unavailable: 15, execution_not_found: 3 },
      unavailablePrompts: { "Lambda timeout": 2 },
      nothingHeard: 0,
      longestSilenceP50Ms: 2_100,
      longestSilenceMaxMs: 4_200,
      modelCalls: 480,
      answersLost: 0,
      answersLostBy: {},
      answersUndeliverable: 1,
      completedNotHeard: 0,
      turnsStranded: 0,
      turnsStrandedBy: {},
      overCalled: 0,
      blockTimeouts: 2,
      handlerOverheadMs: [100, 200],
      heardOverheadMs: [110, 210],
      dynamodbRequests: 3_500,
      store: {
        calls: 3_500,
        latencyP50Ms: 700,
        latencyP99Ms: 3_050,
        failures: { store_unavailable: 18 },
      },
      examples: [],
    },
  ],
  bundles: {
    runs: 3,
    bareNodeMs: 50,
    offenders: [],
    rows: [{ app: "connect-start", kib: 890, loadMs: 100, hasBedrock: false }],
  },
  readerCpu: { invocations: 300, cpuMsPerInvocation: 3, wallMsPerInvocation: 2.5 },
  totalWallMs: 30_000,
  chartFile: "benchmarks-overhead.svg",
};

describe("renderBenchmarksReport", () => {
  it("states the command and the machine, and links the chart", () => {
    // Act
    const report = renderBenchmarksReport(input);

    // Assess
    expect(report).toContain("pnpm bench");
    expect(report).toContain("2 × Test CPU");
    expect(report).toContain("Node v20.20.2");
    expect(report).toContain("](benchmarks-overhead.svg)");
  });

  it("leads with the north star, and has its section with the targets and the Connect prices", () => {
    // Act
    const report = renderBenchmarksReport(input);

    // Assess
    expect(report.split("## Headline ratios")[1]?.trimStart()).toMatch(
      /^- \*\*End of the question → first word/,
    );
    expect(report).toContain("## The north star: first word heard");
    expect(report).toContain("### Targets (issue 16)");
    expect(report).toContain("| Amazon Connect voice usage (inbound) | $0.018 per minute");
  });

  it("puts the answered share at the headline latencies and the silence ratios first", () => {
    // Act
    const report = renderBenchmarksReport(input);

    // Assess
    expect(report).toContain("seed (1 s polling, Loop 2) 100 / 0 %");
    expect(report).toContain("polling ÷ seed 0.35×");
  });

  it("has a row per strategy and latency, with — where nothing was answered", () => {
    // Act
    const report = renderBenchmarksReport(input);

    // Assess
    expect(report).toContain("| 45 s | seed (1 s polling, Loop 2) | 0 % | — / — | 8.00 s / 8.00 s |");
    expect(report).toContain("| 12 s | Holdline polling | 100 % | 200 ms / 1.80 s | 2.50 s / 2.80 s | 5.0 |");
  });

  it("has a sweep row per level and strategy: what callers heard, the invariants in bold, the store's load", () => {
    // Act
    const report = renderBenchmarksReport(input);

    // Assess
    expect(report).toContain(
      "| 500 | polling | 480 | 15 store_unavailable; 3 execution_not_found; 2 unavailable: Lambda timeout | " +
        "2.10 s / 4.20 s | 480 | **0** (0) | 1 | **0** | **0** | 700 ms / 3.05 s | 18 store_unavailable | yes | 6.00 s |",
    );
    expect(report).toContain("| 500 | polling | 100 ms / 200 ms | 110 ms / 210 ms | 2 | 7.0 | 120 ms |");
    expect(report).toContain(
      "500 simultaneous calls per strategy; the store saturated at 500. At every level: 0 answers lost",
    );
  });

  it("shows connect-answer's CPU per warm invocation stretched to each memory size's share of a vCPU", () => {
    // Act
    const report = renderBenchmarksReport(input);

    // Assess: 3 ms on a whole core is 3 × 1769 / 512 ≈ 10.4 ms at 512 MB and 3 × 1769 / 128 ≈ 41.5 ms at 128 MB
    expect(report).toContain("| this machine (one core) | 3.0 |");
    expect(report).toContain("| 512 MB (connectAnswer) | 10.4 |");
    expect(report).toContain("| 128 MB (connectAnswerProgressive) | 41.5 |");
    expect(report).toContain("bench:reader-cpu");
  });
});

import { functionMemoryMb } from "@holdline/budget/function-memory";
import { deriveBudget } from "@holdline/budget/timing-budget";
import { RESEND_MAX_DELAY_MS } from "@holdline/domain/use-cases/conditional-write";
import { countsText, storeSaturated } from "./concurrency-accounting.ts";
import type { ConcurrencyResult } from "./concurrent-calls.ts";
import { CONNECT_PRICE_SOURCES, PRICE_SOURCES, US_EAST_1_PRICES } from "./cost-model.ts";
import { type BundleMeasurement, bundlesTable } from "./lambda-bundles.ts";
import { LATENCY_MODEL, MODEL_LATENCY_JITTER } from "./latency-model.ts";
import type { NorthStarResult } from "./north-star.ts";
import { northStarHeadlines, renderNorthStarSection } from "./north-star-report.ts";
import { atMemory, type ReaderCpuResult, readerCpuTable } from "./reader-cpu.ts";
import { dollars, duration, p99Rank, percent, ratio, seconds } from "./report-format.ts";
import { percentile } from "./sample-statistics.ts";
import { SEED_FUNCTION_SIZE, STRATEGIES, STRATEGY_LABELS, type StrategyName } from "./strategy-calls.ts";
import type { CellSummary, MatrixResult } from "./strategy-matrix.ts";

export interface MachineInfo {
  readonly node: string;
  readonly cpuModel: string;
  readonly cpus: number;
  readonly platform: string;
  readonly memoryGiB: number;
}

export interface BenchmarkReportInput {
  readonly command: string;
  readonly generatedAt: string;
  readonly machine: MachineInfo;
  readonly matrix: MatrixResult;
  readonly northStar: NorthStarResult;
  readonly concurrency: readonly ConcurrencyResult[];
  readonly bundles: BundleMeasurement;
  readonly readerCpu: ReaderCpuResult;
  readonly totalWallMs: number;
  /** Relative to docs/. */
  readonly chartFile: string;
}

const HEADLINE_LATENCIES = [12_000, 25_000, 45_000];
/** The store's SDK timeouts under the sweep: the budget's, as the Lambdas use them. */
const STORE_TIMEOUTS = deriveBudget().dynamodb;
/** A worker re-sending its completion until the deadline tries at least this close to it. */
const RESEND_WINDOW_MS = RESEND_MAX_DELAY_MS + STORE_TIMEOUTS.operationTimeoutMs;

export { duration, p99Rank, ratio, seconds } from "./report-format.ts";

function cellOf(cells: readonly CellSummary[], strategy: StrategyName, latency: number): CellSummary {
  const cell = cells.find(
    (candidate) => candidate.strategy === strategy && candidate.nominalModelMs === latency,
  );
  if (cell === undefined) throw new Error(`no cell for ${strategy} at ${latency} ms`);
  return cell;
}

const latenciesOf = (cells: readonly CellSummary[]) => [...new Set(cells.map((cell) => cell.nominalModelMs))];

function headlines(cells: readonly CellSummary[]): string[] {
  const latencies = latenciesOf(cells);
  const shown = HEADLINE_LATENCIES.filter((latency) => latencies.includes(latency));
  const answeredAt = (strategy: StrategyName) =>
    shown.map((latency) => (cellOf(cells, strategy, latency).answered * 100).toFixed(0)).join(" / ");
  const worstSilence = (strategy: StrategyName) =>
    Math.max(...latencies.map((latency) => cellOf(cells, strategy, latency).longestSilenceMaxMs));
  const lines = [
    `- **Calls that got their answer** at ${shown.map(seconds).join(" / ")} of model time: ` +
      STRATEGIES.map((strategy) => `${STRATEGY_LABELS[strategy]} ${answeredAt(strategy)} %`).join("; ") +
      ".",
    `- **Longest silence in any call**: ${STRATEGIES.map(
      (strategy) => `${STRATEGY_LABELS[strategy]} ${duration(worstSilence(strategy))}`,
    ).join(
      ", ",
    )} — polling ÷ seed ${ratio(worstSilence("polling"), worstSilence("seed"))}, native-async ÷ seed ${ratio(
      worstSilence("native-async"),
      worstSilence("seed"),
    )}.`,
  ];
  const delays = (numerator: StrategyName, denominator: StrategyName, which: "P50" | "P99") =>
    latencies
      .map((latency) => {
        const a = cellOf(cells, numerator, latency)[`answerDelay${which}Ms`];
        const b = cellOf(cells, denominator, latency)[`answerDelay${which}Ms`];
        return `${seconds(latency)} ${ratio(a, b)}`;
      })
      .join(", ");
  lines.push(
    `- **Answer delay after the model finished, Holdline polling ÷ seed** — p50: ${delays("polling", "seed", "P50")}; ` +
      `p99: ${delays("polling", "seed", "P99")} ("—": the seed answered no call).`,
    `- **native-async ÷ polling** — answer delay p50: ${delays("native-async", "polling", "P50")}; p99: ${delays(
      "native-async",
      "polling",
      "P99",
    )}.`,
  );
  const costRatios = (
    numerator: StrategyName,
    denominator: StrategyName,
    cost: "costPerThousand" | "costPerThousandAtHoldlineSize" = "costPerThousand",
  ) =>
    latencies
      .map(
        (latency) =>
          `${seconds(latency)} ${ratio(
            cellOf(cells, numerator, latency)[cost].total,
            cellOf(cells, denominator, latency)[cost].total,
          )}`,
      )
      .join(", ");
  const invocationRatios = latencies
    .map(
      (latency) =>
        `${seconds(latency)} ${ratio(
          cellOf(cells, "native-async", latency).lambdaInvocationsPerCall,
          cellOf(cells, "polling", latency).lambdaInvocationsPerCall,
        )}`,
    )
    .join(", ");
  lines.push(
    `- **Lambda + DynamoDB cost per call**, polling ÷ seed: ${costRatios("polling", "seed")} ` +
      `(with the seed's functions also at 512 MB arm64: ${costRatios("polling", "seed", "costPerThousandAtHoldlineSize")}); ` +
      `native-async ÷ polling: ${costRatios("native-async", "polling")}.`,
    `- **Lambda invocations per call**, native-async ÷ polling: ${invocationRatios}.`,
  );
  return lines;
}

function strategyTable(cells: readonly CellSummary[]): string {
  const rows = latenciesOf(cells).flatMap((latency) =>
    STRATEGIES.map((strategy) => {
      const cell = cellOf(cells, strategy, latency);
      return (
        `| ${seconds(latency)} | ${STRATEGY_LABELS[strategy]} | ${percent(cell.answered)} | ` +
        `${duration(cell.answerDelayP50Ms)} / ${duration(cell.answerDelayP99Ms)} | ` +
        `${duration(cell.longestSilenceP50Ms)} / ${duration(cell.longestSilenceMaxMs)} | ` +
        `${cell.lambdaInvocationsPerCall.toFixed(1)} | ${cell.dynamodbRequestsPerCall.toFixed(1)} | ` +
        `${dollars(cell.costPerThousand.total)} |`
      );
    }),
  );
  return [
    "| model latency | strategy | answered | answer delay p50 / p99 | longest silence p50 / max | Lambda invocations per call | DynamoDB requests per call | Lambda + DynamoDB per 1,000 calls |",
    "|---:|---|---:|---:|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}

function costTable(cells: readonly CellSummary[]): string {
  const rows = latenciesOf(cells).flatMap((latency) =>
    STRATEGIES.map((strategy) => {
      const { costPerThousand: cost } = cellOf(cells, strategy, latency);
      return `| ${seconds(latency)} | ${STRATEGY_LABELS[strategy]} | ${dollars(cost.lambdaRequests)} | ${dollars(
        cost.lambdaDuration,
      )} | ${dollars(cost.dynamodb)} | ${dollars(cost.total)} |`;
    }),
  );
  return [
    "| model latency | strategy | Lambda requests | Lambda duration | DynamoDB requests | total |",
    "|---:|---|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}

const errorPromptsText = (result: ConcurrencyResult): string => {
  const unavailable = Object.fromEntries(
    Object.entries(result.unavailablePrompts).map(([cause, count]) => [`unavailable: ${cause}`, count]),
  );
  const nothing: Record<string, number> =
    result.nothingHeard === 0 ? {} : { "heard nothing": result.nothingHeard };
  return countsText({ ...result.errorPrompts, ...unavailable, ...nothing });
};

/** The sweep, one row per (level, strategy): what callers heard, and the three invariants. */
export function sweepTable(results: readonly ConcurrencyResult[]): string {
  const rows = results.map(
    (result) =>
      `| ${result.calls} | ${result.strategy} | ${result.answered} | ${errorPromptsText(result)} | ` +
      `${duration(result.longestSilenceP50Ms)} / ${duration(result.longestSilenceMaxMs)} | ${result.modelCalls} | ` +
      `**${result.answersLost}** (${result.completedNotHeard}) | ${result.answersUndeliverable} | ` +
      `**${result.turnsStranded}** | **${result.overCalled}** | ` +
      `${duration(result.store.latencyP50Ms)} / ${duration(result.store.latencyP99Ms)} | ` +
      `${countsText(result.store.failures)} | ${storeSaturated(result.store) ? "yes" : "no"} | ${duration(result.wallMs)} |`,
  );
  return [
    "| simultaneous calls | strategy | answered | error prompts heard (code) | longest silence p50 / max | model calls | answers lost (of which `completed` in the store) | answers the store would not take before the deadline | turns stranded | (contact, turn)s with more model calls than claims | store call p50 / p99 | store calls failed | store saturated | wall time |",
    "|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|",
    ...rows,
  ].join("\n");
}

/** One sentence: the levels, where the store saturated, and the invariants (the docs are written only if they held). */
function sweepSummary(results: readonly ConcurrencyResult[]): string {
  const levels = [...new Set(results.map((result) => result.calls))];
  const saturated = [
    ...new Set(results.filter((result) => storeSaturated(result.store)).map((result) => result.calls)),
  ];
  const held = results.every(
    (result) => result.answersLost === 0 && result.turnsStranded === 0 && result.overCalled === 0,
  );
  return `${levels.join(", ")} simultaneous calls per strategy; the store saturated at ${
    saturated.length === 0 ? "no level" : saturated.join(", ")
  }. ${held ? "At every level: 0 answers lost, 0 turns stranded, 0 (contact, turn)s with more model calls than claims." : "Invariants broken (see the bold columns)."}`;
}

function sweepDelayTable(results: readonly ConcurrencyResult[]): string {
  const rows = results.map(
    (result) =>
      `| ${result.calls} | ${result.strategy} | ${duration(percentile(result.handlerOverheadMs, 50))} / ${duration(
        percentile(result.handlerOverheadMs, 99),
      )} | ${duration(percentile(result.heardOverheadMs, 50))} / ${duration(percentile(result.heardOverheadMs, 99))} | ` +
      `${result.blockTimeouts} | ${(result.dynamodbRequests / result.calls).toFixed(1)} | ${duration(result.eventLoopDelayP99Ms)} |`,
  );
  return [
    "| simultaneous calls | strategy | model answer → handler returns `completed`, p50 / p99 | model answer → caller hears it, p50 / p99 | Connect block time limits hit | DynamoDB requests per call | the bench process's event-loop delay, p99 |",
    "|---:|---|---:|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}

function latencyTable(): string {
  const rows = Object.values(LATENCY_MODEL).map(
    (figure) => `| ${figure.what} | ${figure.p50Ms} ms | ${figure.p99Ms} ms | ${figure.basis} |`,
  );
  return [
    "| what | p50 | p99 | basis |",
    "|---|---:|---:|---|",
    ...rows,
    `| The model's latency | nominal | ±${MODEL_LATENCY_JITTER * 100} % | Uniform jitter around each column's nominal value; call *i* of a column gets the same latency under every strategy. |`,
  ].join("\n");
}

function priceTable(): string {
  return [
    "| item | price | source |",
    "|---|---|---|",
    ...[...PRICE_SOURCES, ...CONNECT_PRICE_SOURCES].map(
      (source) => `| ${source.item} | ${source.price} | ${source.source} |`,
    ),
  ].join("\n");
}

export function renderBenchmarksReport(input: BenchmarkReportInput): string {
  const { matrix, machine } = input;
  const cells = matrix.cells;
  return `# Benchmarks

<!-- Generated by \`pnpm bench\` (packages/bench/src/run-benchmarks.ts). Edit the generator, not this file. -->

Holdline's two strategies against the pattern of the seed post (seed 000), on the same callers, in one run:

\`\`\`sh
${input.command}
\`\`\`

Generated ${input.generatedAt} on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB.toFixed(1)} GiB, ${machine.platform}, Node ${machine.node}; this part of \`pnpm bench\` took ${duration(input.totalWallMs)}.
Every figure below is a ratio or a side-by-side comparison **inside this model**: the virtual-time figures depend on
the latency model and prompt lengths stated below, the real-time figures on this machine. None is a promise
about a deployment.

## Headline ratios

${[...northStarHeadlines(input.northStar), ...headlines(cells)].join("\n")}

![Answer delay after the model finished, by model latency](${input.chartFile})

## What was run

- **The same caller, three ways.** A caller asks one question (Japanese), the model takes the column's latency
  (±${MODEL_LATENCY_JITTER * 100} %, ${matrix.callsPerCell} calls per cell, seeded so every run simulates the same calls), and the caller then says
  goodbye. Everything runs through the Connect emulator on virtual time (\`ManualClock\`), so a 45 s wait costs
  milliseconds and the run is reproducible.
  - **seed**: the seed's own console export (\`SEED_000_FLOW\`) with TypeScript equivalents of its two Python
    Lambdas (\`packages/connect-emulator/tests/support/seed-baseline\`): \`lambda_execution\` invoked synchronously for 8 s
    and killed by its 30 s timeout, \`lambda_execution_status_check\` reading DynamoDB every 1 s for 8 s, a Loop of
    count 2. Where the post's flow says 「ラムダの実行が完了しました。」 is counted as the answer.
  - **Holdline polling** and **Holdline native-async**: the flows \`buildHoldlineFlow\` generates and the real
    handlers, wired by \`wireLocalHoldline\` (packages/local-call) with the worker behind the simulated \`Event\`
    invocation, on the in-memory store with the DynamoDB adapter's request pattern and capacity units
    (\`MeteredExecutionStore\`). The model answers all at once, so the matrix runs both strategies without
    progressive answers (\`progressive: false\`, \`HOLDLINE_PROGRESSIVE_ANSWERS=false\`), as before issue 16;
    [the north star](#the-north-star-first-word-heard) measures them with a model that streams.
- **Latency model.** Every Connect → Lambda invocation gets a request leg before the handler and a response leg
  after it; every Event invocation a dispatch delay; every DynamoDB request a round trip (figures below).
- **Answer delay**: from the model's answer coming back (the seed: \`lambda_execution\` sending its \`completed\`
  write) to the caller starting to hear the answer prompt, over the calls that were answered. **Longest silence**:
  the longest stretch of the whole call in which the caller hears no prompt and is not being listened to.
  **Answered**: the answer prompt played before the call ended.
- **Counts per call**: Lambda invocations (Connect's attempts, Event invocations of the worker, failure-recorder
  runs), DynamoDB requests (the seed: one \`update_item\` or \`get_item\` each).

## Strategy × model latency

${strategyTable(cells)}

Percentiles are nearest-rank over the ${matrix.callsPerCell} calls of a cell (p99 ${p99Rank(matrix.callsPerCell)}).
Virtual-time matrix: ${duration(matrix.wallMs)} of wall time.

### Reading the numbers

- **Under 8 s the seed answers synchronously**: its caller hears nothing while the model works (the silence grows
  with the model), then hears the answer almost at once. Holdline fills the wait with prompts of at most the
  budget's gap (3 s) and pays for it: a model that finishes while a prompt is playing is heard when that prompt
  ends in polling, whose prompts play between synchronous long-polls. native-async plays its hold-on prompt and
  every filler on the Continue branch of an armed \`Wait\`, so a returning Lambda (\`LambdaReturned\`) cuts
  the prompt short and the answer follows at once.
- **Over 8 s the seed's caller hears 8 s silences**, and the answer comes at the next of its 1 s polls. Work
  longer than about 30 s never completes: \`lambda_execution\`'s 30 s timeout kills it before it writes
  \`completed\`, and after the first invocation and three status checks (Loop count 2) the caller hears the
  error prompt.
- **Cost** is dominated by Lambda duration: a function waiting on the model is billed for the wait (the seed's
  \`lambda_execution\`, Holdline's answer-worker or connect-answer), and polling adds a billed long-poll every
  few seconds. The seed's functions are priced at ${SEED_FUNCTION_SIZE.memoryMb} MB ${SEED_FUNCTION_SIZE.architecture} (the console defaults; the post gives
  neither), Holdline's at \`functionMemoryMb\` on arm64 (512 MB; connect-answer ${functionMemoryMb.connectAnswerProgressive} MB where
  answer-worker writes the answer, in the north star's native-async rows with progressive answers).

### Cost per 1,000 calls, by item (${US_EAST_1_PRICES.region})

${costTable(cells)}

${renderNorthStarSection(input.northStar)}
## Simultaneous calls on dynalite, in real time: load without loss

${sweepSummary(input.concurrency)}

${sweepTable(input.concurrency)}

${sweepDelayTable(input.concurrency)}

Each row: that many callers ask at the same instant, in one process, through the real handlers wired into the
Connect emulator on the system clock (\`SystemClock\`), against one dynalite in a child process through the
DynamoDB adapter with the budget's SDK timeouts (${duration(STORE_TIMEOUTS.requestTimeoutMs)} per request,
${STORE_TIMEOUTS.maxAttempts} attempts, ${duration(STORE_TIMEOUTS.operationTimeoutMs)} for one store call) and one
socket per call (with the adapter's default pool of 50, requests would queue for a socket past the 1 s connection
timeout, an artefact of the one process). Every row starts a fresh dynalite. The model answers in a fixed
${input.concurrency[0]?.modelLatencyMs ?? 0} ms, prompts are spoken about twenty times faster than Polly, and no
latency is simulated: every delay is this machine's. One dynalite thread serves every request, and the emulator,
the handlers and the SDK share one Node thread (its event-loop delay is in the second table, and lengthens the
silences too), so the store saturates far below what DynamoDB would take: a store call's p99 near its cap and
calls failing with \`store_unavailable\` ("store saturated": some store call got no reply in time).

- **Reported, never failed**: unanswered calls, error prompts and silences. Under saturation a handler may
  rightly tell the caller \`error\`; that measures this machine, not a broken promise.
- **Failed (exit 1), at every level**: an **answer lost**, a **turn stranded**, a (contact, turn) with **more
  model calls than claims**.
- **Answer lost**: the model returned an answer for a turn whose caller did not hear it (an error prompt, or
  nothing, instead). A caller already told \`deadline_exceeded\` is no excuse: the worker aborts its model call at
  the lease or the deadline, so an answer that came back is one the system let finish; telling the caller "error"
  while it was on its way (the deadline declared while its completion was in flight included), or finishing a
  model call nobody will hear, is the defect. One case is reported apart instead, **an answer the store would not
  take before the deadline**: polling only (there the caller hears an answer only by reading it from the store;
  native-async's connect-answer holds it and returns it itself), the caller heard \`deadline_exceeded\`, and every
  try to record the answer got no reply from the store, the worker re-sending it until the deadline (its last try
  within ${duration(RESEND_WINDOW_MS)} of it). That is the store's capacity on this machine, not a broken promise.
- **Turn stranded**: an execution still \`queued\` or \`running\` once every call and every background invocation
  has finished; nothing will ever end it (a reader fails an execution at its deadline only while a caller polls).
- **More model calls than claims**: the model may be called once per claim (\`attempt\`; \`maxAttempts\` is
  ${deriveBudget().policy.maxAttempts}).
- Each caller's question carries its number, which traces each model call to its (contact, turn).

## Lambda bundles

Median of ${input.bundles.runs} fresh Node processes loading each bundle, less a bare \`node -e 0\` (${duration(input.bundles.bareNodeMs)});
this machine's disk and CPU, not Lambda's.

${bundlesTable(input.bundles)}

### connect-answer's CPU per warm invocation

With progressive answers connect-answer only waits for the worker's parts, and is sized for waiting
(\`connectAnswerProgressive\`, ${functionMemoryMb.connectAnswerProgressive} MB). The bench bills its duration but runs every
handler at this machine's speed, so what a smaller share of a vCPU costs is measured apart: connect-answer's built
bundle, in a process of its own, answering the request that reads a finished turn (one \`GetItem\` through the SDK to
dynalite in another process, the response mapped, Powertools' log line and metrics), ${input.readerCpu.invocations}
times warm (\`pnpm --filter @holdline/bench bench:reader-cpu\`). Lambda gives a function CPU in proportion to its
memory, one vCPU at 1,769 MB; taking this machine's core as one vCPU:

${readerCpuTable(input.readerCpu)}

So at ${functionMemoryMb.connectAnswerProgressive} MB the invocation that hands the caller a part takes about
${duration(atMemory(input.readerCpu.cpuMsPerInvocation, functionMemoryMb.connectAnswerProgressive) - atMemory(input.readerCpu.cpuMsPerInvocation, functionMemoryMb.connectAnswer))} longer than at ${functionMemoryMb.connectAnswer} MB, which the north star's overhead
over the physical limit (above) does not include. Not measured: a cold start at that size.

## The latency model and its sources

${latencyTable()}

Not modelled: cold starts (every invocation is warm; the bundles' cold module load above is this machine's, not
Lambda's init), the round trip of the \`Invoke\` call with which connect-start and connect-status dispatch the
worker (the simulated dispatcher accepts at once), Lex beyond the emulator's fixed 300 ms of recognition,
throttling, retries and failures.

## Prices (${US_EAST_1_PRICES.region}, list prices, no free tier)

${priceTable()}

Included: Lambda requests and GB-seconds (billed duration rounded up to 1 ms, at each function's memory) and
DynamoDB on-demand request units (strongly consistent reads at 1 RRU per 4 KB, the seed's eventually consistent
\`get_item\` at ½, writes at 1 WRU per KB of the larger of the item before and after). Excluded: **Bedrock tokens**
(the same one model call per turn under every strategy), Amazon Connect's per-minute voice usage and telephony
(except in the north star's total per answered turn, which adds them over the whole call), Lex charges, SQS (only
a failed worker sends a message: negligible), CloudWatch, storage and data transfer. The rates were taken
from the AWS pricing pages named above, whose rate tables are rendered in the browser; they match the figures
quoted by third-party summaries of those pages (e.g. the \`$0.625\` / \`$0.125\` per million on-demand units since
the November 2024 cut). Check the pages before quoting a cost.

## Also under \`pnpm bench\`

\`packages/adapters-dynamodb/bench/execution-store.bench.ts\` runs in the same \`pnpm bench\` (turbo runs each
package's \`bench\`) and prints the store's throughput and latency on dynalite and its requests and capacity units
per execution; see [dynamodb-store.md](dynamodb-store.md#benchmark).
`;
}

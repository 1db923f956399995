/**
 * The north star's part of docs/benchmarks.md (and of `--only north-star`'s output): the first word heard and
 * the gaps between parts beside the physical limit, the counts and costs, and issue 16's targets, a missed one
 * in bold.
 */
import { deriveBudget } from "@holdline/budget/timing-budget";
import { estimateSpeechMs } from "@holdline/connect-emulator/speech-timing";
import { JA_JP } from "@holdline/contact-flow/holdline/prompt-packs";
import { CONNECT_US_EAST_1_PRICES } from "./cost-model.ts";
import {
  GENERATION_TIMES_MS,
  NORTH_STAR_TARGETS,
  type NorthStarCell,
  type NorthStarResult,
  type NorthStarRow,
  type RowStatus,
  rowKey,
} from "./north-star.ts";
import { dollars, duration, p99Rank, percent, ratio, seconds } from "./report-format.ts";
import { SPEECH_RECOGNITION_MS, STRATEGY_LABELS } from "./strategy-calls.ts";
import { LARGE_MODEL_PACE, SENTENCE_TOKENS } from "./streaming-model.ts";

const bold = (text: string, missed: boolean): string => (missed ? `**${text}**` : text);

const rowLabel = (row: NorthStarRow): string =>
  row.strategy === "seed" ? "seed (no progressive mode)" : STRATEGY_LABELS[row.strategy];
const progressiveLabel = (row: NorthStarRow): string => (row.progressive ? "with" : "without");

const statusOf = (result: NorthStarResult, row: NorthStarRow): RowStatus =>
  result.statuses.get(rowKey(row)) ?? { kind: "measured" };

const isPending = (result: NorthStarResult, row: NorthStarRow): boolean =>
  statusOf(result, row).kind === "pending";

const generationTimesOf = (result: NorthStarResult): number[] => [
  ...new Set(result.cells.map((cell) => cell.nominalModelMs)),
];

const rowsOf = (result: NorthStarResult): NorthStarRow[] => {
  const seen = new Map<string, NorthStarRow>();
  for (const cell of result.cells) {
    seen.set(rowKey(cell), { strategy: cell.strategy, progressive: cell.progressive });
  }
  return [...seen.values()];
};

export function cellAt(
  result: NorthStarResult,
  row: NorthStarRow,
  nominalModelMs: number,
): NorthStarCell | undefined {
  return result.cells.find(
    (cell) =>
      cell.strategy === row.strategy &&
      cell.progressive === row.progressive &&
      cell.nominalModelMs === nominalModelMs,
  );
}

/** The same strategy without progressive answers, for a row with them. */
const withoutOf = (result: NorthStarResult, cell: NorthStarCell): NorthStarCell | undefined =>
  cellAt(result, { strategy: cell.strategy, progressive: false }, cell.nominalModelMs);

/** Costs of a cell with progressive answers over the same strategy without them. */
const costRatio = (result: NorthStarResult, cell: NorthStarCell): number => {
  const without = withoutOf(result, cell);
  return without === undefined || without.costPerThousand.total === 0
    ? Number.NaN
    : cell.costPerThousand.total / without.costPerThousand.total;
};

const pair = (a: number, b: number): string => `${duration(a)} / ${duration(b)}`;

/** Which targets a cell misses; only rows that progressive answers are measured in have any, the silence aside. */
export interface CellTargets {
  readonly firstWord: boolean;
  readonly gap: boolean;
  readonly cost: boolean;
  readonly silence: boolean;
}

export function cellTargets(result: NorthStarResult, cell: NorthStarCell): CellTargets {
  const targeted = cell.progressive && !isPending(result, cell);
  const t = NORTH_STAR_TARGETS;
  return {
    firstWord:
      targeted &&
      (cell.answered === 0 ||
        !(cell.overheadP50Ms <= t.overheadP50Ms && cell.overheadP99Ms <= t.overheadP99Ms)),
    gap: targeted && cell.callsWithGaps > 0 && !(cell.longestGapP99Ms <= t.gapP99Ms),
    cost: targeted && !(costRatio(result, cell) <= t.costRatio),
    silence:
      cell.strategy !== "seed" && !isPending(result, cell) && !(cell.longestSilenceMaxMs <= t.silenceMs),
  };
}

const answeredText = (cell: NorthStarCell): string =>
  cell.answersCutShort === 0
    ? percent(cell.answered)
    : `${percent(cell.answered)} (**${cell.answersCutShort} cut short**)`;

/** The north star: first word heard beside the physical limit, the overhead over it, the gaps between parts. */
export function northStarTable(result: NorthStarResult): string {
  const rows = generationTimesOf(result).flatMap((time) =>
    rowsOf(result).flatMap((row) => {
      const cell = cellAt(result, row, time);
      if (cell === undefined) return [];
      const head = `| ${seconds(time)} | ${rowLabel(row)} | ${progressiveLabel(row)} |`;
      if (isPending(result, row)) {
        return [
          `${head} pending | pending | ${pair(cell.limitP50Ms, cell.limitP99Ms)} | pending | pending | — | — |`,
        ];
      }
      const missed = cellTargets(result, cell);
      const gap = cell.callsWithGaps === 0 ? "—" : pair(cell.longestGapP50Ms, cell.longestGapP99Ms);
      return [
        `${head} ${answeredText(cell)} | ${pair(cell.firstWordP50Ms, cell.firstWordP99Ms)} | ` +
          `${pair(cell.limitP50Ms, cell.limitP99Ms)} | ${bold(pair(cell.overheadP50Ms, cell.overheadP99Ms), missed.firstWord)} | ` +
          `${bold(gap, missed.gap)} | ${bold(duration(cell.longestSilenceMaxMs), missed.silence)} | ` +
          `${cell.modelCallsPerCall.toFixed(2)} |`,
      ];
    }),
  );
  return [
    "| total generation | strategy | progressive answers | answered | end of question → first word heard, p50 / p99 | physical limit, p50 / p99 | overhead over the limit, p50 / p99 | longest gap between two parts, p50 / p99 | longest silence, max | model calls per turn |",
    "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}

const connectPerMinute = (): string => {
  const prices = CONNECT_US_EAST_1_PRICES;
  return `$${prices.voiceUsagePerMinute} + $${prices.inboundDidPerMinute} a minute`;
};

/** Counts and costs: Lambda + DynamoDB (with ÷ without), and the total per answered turn with Connect's minutes. */
export function northStarCostTable(result: NorthStarResult): string {
  const rows = generationTimesOf(result).flatMap((time) =>
    rowsOf(result).flatMap((row) => {
      const cell = cellAt(result, row, time);
      if (cell === undefined) return [];
      const head = `| ${seconds(time)} | ${rowLabel(row)} | ${progressiveLabel(row)} |`;
      if (isPending(result, row))
        return [`${head} pending | pending | pending | — | pending | pending | pending |`];
      const missed = cellTargets(result, cell);
      const versus = row.progressive ? bold(ratio(costRatio(result, cell), 1), missed.cost) : "—";
      return [
        `${head} ${cell.lambdaInvocationsPerCall.toFixed(1)} | ${cell.dynamodbRequestsPerCall.toFixed(1)} | ` +
          `${dollars(cell.costPerThousand.total)} | ${versus} | ${duration(cell.callP50Ms)} | ` +
          `${dollars(cell.connectPerThousand)} | ${dollars(cell.totalPerAnsweredTurn)} |`,
      ];
    }),
  );
  return [
    `| total generation | strategy | progressive answers | Lambda invocations per call | DynamoDB requests per call | Lambda + DynamoDB per 1,000 calls | with ÷ without | call length, p50 | Connect per 1,000 calls (${connectPerMinute()}) | Lambda + DynamoDB + Connect per answered turn |`,
    "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}

/** One target of issue 16 and where it was missed (empty: met wherever it applies). */
export interface TargetCheck {
  readonly target: string;
  readonly misses: readonly string[];
  /** Rows the target could not be checked on. */
  readonly pending: readonly string[];
}

const where = (cell: NorthStarCell): string =>
  `${STRATEGY_LABELS[cell.strategy]} at ${seconds(cell.nominalModelMs)}`;

export function evaluateTargets(result: NorthStarResult): TargetCheck[] {
  const t = NORTH_STAR_TARGETS;
  const progressiveRows = rowsOf(result).filter((row) => row.progressive);
  const pending = progressiveRows
    .filter((row) => isPending(result, row))
    .map((row) => STRATEGY_LABELS[row.strategy]);
  const cells = result.cells;
  const checked = (test: keyof CellTargets, text: (cell: NorthStarCell) => string) =>
    cells.filter((cell) => cellTargets(result, cell)[test]).map((cell) => `${where(cell)} (${text(cell)})`);
  return [
    {
      target: `First word heard ≤ ${duration(t.overheadP50Ms)} p50 and ≤ ${duration(t.overheadP99Ms)} p99 after the physical limit, with progressive answers, at every column`,
      misses: checked(
        "firstWord",
        (cell) => `p50 ${duration(cell.overheadP50Ms)}, p99 ${duration(cell.overheadP99Ms)}`,
      ),
      pending,
    },
    {
      target: `Longest gap between two parts ≤ ${duration(t.gapP99Ms)} p99 while generation is ahead of speech`,
      misses: checked("gap", (cell) => `p99 ${duration(cell.longestGapP99Ms)}`),
      pending,
    },
    {
      target: `Lambda + DynamoDB cost per call ≤ ${t.costRatio}× the same strategy without progressive answers`,
      misses: checked("cost", (cell) => ratio(costRatio(result, cell), 1)),
      pending,
    },
    {
      target: `The silence gap (${duration(t.silenceMs)}) holds in every Holdline call`,
      misses: checked(
        "silence",
        (cell) => `${progressiveLabel(cell)}: ${duration(cell.longestSilenceMaxMs)}`,
      ),
      pending: [],
    },
  ];
}

/** The targets as Markdown list items, a missed one in bold with where. */
export function targetLines(result: NorthStarResult): string[] {
  const lines = evaluateTargets(result).map((check) => {
    const pendingText =
      check.pending.length === 0 ? "" : `; pending for ${check.pending.join(", ")} (not measured, see below)`;
    return check.misses.length === 0
      ? `- ${check.target}: met${pendingText}.`
      : `- ${check.target}: **missed** at ${check.misses.join("; ")}${pendingText}.`;
  });
  lines.push(
    `- Exactly one model call per turn: an invariant, held in every Holdline call (the run fails otherwise), as is every caller hearing the parts in the order written, none twice, none lost.`,
  );
  const cut = result.cells.filter((cell) => cell.strategy !== "seed" && cell.answersCutShort > 0);
  if (cut.length === 0) {
    lines.push(
      "- Answers cut short (not a target of issue 16; the caller would not hear the whole answer): none, in every Holdline cell.",
    );
  } else {
    lines.push(
      `- **Answers cut short** (not a target of issue 16, but the caller did not hear the whole answer): ${cut
        .map(
          (cell) =>
            `${where(cell)} ${progressiveLabel(cell)} progressive answers, ${cell.answersCutShort} of ${cell.calls} calls`,
        )
        .join("; ")}.`,
    );
  }
  return lines;
}

/** A sentence per row and pending reason, for the reader of a row that says "pending". */
export function pendingNotes(result: NorthStarResult): string[] {
  return rowsOf(result).flatMap((row) => {
    const status = statusOf(result, row);
    if (status.kind !== "pending") return [];
    const why =
      status.reason === "refused"
        ? "connect-answer refused every progressive request (`dispatch_failed`: no worker to write the parts), so no call reached the model"
        : "no caller heard a word of the answer before the model had finished it, so progressive answers are not in effect for it";
    return [
      `- **${STRATEGY_LABELS[row.strategy]} with progressive answers: pending.** Run through the same handlers and the progressive flow, ${why}. ` +
        "Its figures would be the row without progressive answers under another name, so none are reported; the row fills in " +
        "by itself once the path exists (`pnpm bench` drives it through local-call's wiring of the real handlers).",
    ];
  });
}

/** What the tables do not say by themselves: where polling's first part waits, and what cut answers short. */
export function readingLines(result: NorthStarResult): string[] {
  const lines: string[] = [];
  const pollingWith: NorthStarRow = { strategy: "polling", progressive: true };
  const pollingCells = generationTimesOf(result).flatMap((time) => {
    const cell = cellAt(result, pollingWith, time);
    return cell === undefined ? [] : [cell];
  });
  if (pollingCells.length > 0 && !isPending(result, pollingWith)) {
    const shares = pollingCells
      .map((cell) => `${seconds(cell.nominalModelMs)} ${percent(cell.startAnswered / cell.calls)}`)
      .join(", ");
    const pace = LARGE_MODEL_PACE;
    lines.push(
      `- **Polling's first part**: connect-start waits ${duration(deriveBudget().connectStart.waitMs)} for a fast answer ` +
        "(`connectStart.waitMs`: the silence gap less the invocation overhead and recognition) and answered with the " +
        `first part within it in ${shares} of the calls with progressive answers. The model writes its first part ` +
        `${duration(pace.firstTokenMs + (SENTENCE_TOKENS.first * 1_000) / pace.tokensPerSecond)} after it starts, and it starts only after ` +
        "connect-start's create, the worker's dispatch and its claim. When the part misses the wait, the caller hears a " +
        `word of acknowledgement (“${JA_JP.acknowledgement}”, ${duration(estimateSpeechMs(JA_JP.acknowledgement, JA_JP.locale))} in the emulator's speech model) and ` +
        "the connect-status long-poll that follows it at once returns the part within a poll " +
        `(${duration(deriveBudget().policy.pollIntervalMs)}) of its being written; the hold-on prompt and fillers play only when ` +
        "a long-poll finds nothing.",
    );
  }
  for (const cell of result.cells) {
    if (cell.strategy === "seed" || cell.answersCutShort === 0) continue;
    lines.push(
      `- **${STRATEGY_LABELS[cell.strategy]} ${progressiveLabel(cell)} progressive answers at ${seconds(cell.nominalModelMs)}**: ` +
        `${cell.answersCutShort} of ${cell.calls} answers cut short by ${cell.cutShortBy.join(", ")}: the flow took that ` +
        "branch while the answer was being spoken (a keep-running Wait's event cuts the block on its Continue branch " +
        "short, in the emulator's default `keepRunningWaitEvent: cut-short`), so the caller did not hear the rest.",
    );
  }
  return lines;
}

const HEADLINE_TIMES = [12_000, 25_000, 45_000];

/** The north star's lines for the report's headline ratios. */
export function northStarHeadlines(result: NorthStarResult): string[] {
  const times = HEADLINE_TIMES.filter((time) => generationTimesOf(result).includes(time));
  const firstWord = (row: NorthStarRow, time: number): string => {
    const cell = cellAt(result, row, time);
    return cell === undefined || isPending(result, row) ? "pending" : duration(cell.firstWordP50Ms);
  };
  const strategies = (["polling", "native-async"] as const).map(
    (strategy) =>
      `${STRATEGY_LABELS[strategy]} ${times
        .map(
          (time) =>
            `${firstWord({ strategy, progressive: false }, time)} → ${firstWord({ strategy, progressive: true }, time)}`,
        )
        .join(", ")}`,
  );
  const limits = times.map((time) =>
    duration(cellAt(result, { strategy: "polling", progressive: true }, time)?.limitP50Ms ?? Number.NaN),
  );
  const seed = times.map((time) => firstWord({ strategy: "seed", progressive: false }, time));
  const lines = [
    `- **End of the question → first word of the answer heard (the north star), p50**, without → with progressive answers, at ${times
      .map(seconds)
      .join(
        " / ",
      )} of generation: ${strategies.join("; ")}; the seed ${seed.join(", ")}. The physical limit (first sentence written, plus recognition): ${limits.join(", ")}.`,
  ];
  const misses = evaluateTargets(result).filter((check) => check.misses.length > 0);
  lines.push(
    misses.length === 0
      ? "- **Issue 16's targets**: met wherever measured (see [the north star](#the-north-star-first-word-heard))."
      : `- **Issue 16's targets missed**: ${misses.map((check) => check.target.split(",")[0]).join("; ")} (see [the north star](#the-north-star-first-word-heard)).`,
  );
  return lines;
}

function streamingModelTable(): string {
  const pace = LARGE_MODEL_PACE;
  return [
    "| what | figure | basis |",
    "|---|---:|---|",
    `| Time to first token *F* | ${duration(pace.firstTokenMs)} | The large pace of the FAQ model's \`STREAMING_PACES\` ([latency-model.md](latency-model.md#per-model-size)): Artificial Analysis measured 0.76–0.96 s for Sonnet-class models on Bedrock; issue 16 states its targets with 0.8 s. A slower first token moves the limit and the first word alike, not the overhead. |`,
    `| Output rate *r* | ${pace.tokensPerSecond} tokens/s (${(1_000 / pace.tokensPerSecond).toFixed(0)} ms a token) | The low end of published large-model rates (Claude 2.1 on Bedrock 28, Llama 3.1 405B on Azure 29.4, Claude Opus 4.1 45 tokens/s; [latency-model.md](latency-model.md#per-model-size)): where a progressive answer helps most. |`,
    `| Answer length | (*T* − *F*) × *r* tokens | The column's total generation time *T* (±15 %, the matrix's draw per call) at that pace: about ${Math.round(((12_000 - pace.firstTokenMs) * pace.tokensPerSecond) / 1_000)} tokens at 12 s, ${Math.round(((45_000 - pace.firstTokenMs) * pace.tokensPerSecond) / 1_000)} at 45 s; at least ${SENTENCE_TOKENS.answerMin}. |`,
    `| First sentence | ${SENTENCE_TOKENS.first} tokens | Issue 16's planning figure (the FAQ's slow answer opens with 12–14 tokens): written at *F* + ${SENTENCE_TOKENS.first} / *r* = ${duration(pace.firstTokenMs + (SENTENCE_TOKENS.first * 1_000) / pace.tokensPerSecond)}. |`,
    `| Later sentences | ${SENTENCE_TOKENS.laterMin}–${SENTENCE_TOKENS.laterMax} tokens, uniform | The range of the FAQ's slow answer's later parts in ja-JP ([latency-model.md](latency-model.md#tokens-and-sentence-lengths)); seeded per call, the same answer in every row. |`,
    "| Tokens and parts | one token a character | Synthetic Japanese sentences ending in 。; the domain's `PartCutter` cuts them as they stream (ja-JP rules), a part complete when its last token is written. |",
    `| Speech recognition | ${duration(SPEECH_RECOGNITION_MS)} | The Connect emulator's Lex processing after the caller stops speaking. |`,
  ].join("\n");
}

/** The section of docs/benchmarks.md. */
export function renderNorthStarSection(result: NorthStarResult): string {
  const pending = pendingNotes(result);
  const reading = readingLines(result);
  return `## The north star: first word heard

How long a caller waits, from the end of their question to the first word of the answer, and the longest gap
between two parts of one answer, for the seed and both strategies with and without progressive answers (issue
16), over ${GENERATION_TIMES_MS.map(seconds).join(", ")} of total generation (±15 %, ${result.callsPerCell} calls per cell,
seeded). Everything runs on virtual time through the real handlers and the generated flows (\`wireLocalHoldline\`,
the Connect emulator, the latency model below); the model streams each answer at a large model's pace
(\`TimedLlmClient.streaming\`, \`streaming-model.ts\`), handing each part to the worker as its last token is written.
"With progressive answers": the flow speaks parts and the functions record them (the default); "without": the flow
built with \`progressive: false\` and \`HOLDLINE_PROGRESSIVE_ANSWERS=false\`.

- **Physical limit**: the earliest any system could speak: speech recognition after the question, then the
  model's first part written (its first sentence). **Overhead over the limit**: first word heard − limit, per
  call; the targets apply to it.
- **Longest gap between two parts**: per call, the longest pause (silence or filler) between the end of one
  prompt of the answer and the start of the next, counted while generation is ahead of speech (the next part
  was written before the previous prompt ended); "—": every answer was heard in one prompt.
- **Answered**: the caller heard the first word; "cut short": a prompt of the answer was interrupted and the
  caller did not hear all of it.
- Costs as in the matrix (Lambda requests and GB-seconds, DynamoDB request units), plus Amazon Connect's
  per-minute voice usage and inbound DID telephony over the whole call (greeting to goodbye), divided by the
  calls whose answer was heard in full (a turn cut short is not answered; "—": none was). Lex, Polly and
  Bedrock tokens are the same in every row and left out.

${northStarTable(result)}

${northStarCostTable(result)}

Percentiles are nearest-rank over the ${result.callsPerCell} calls of a cell (p99 ${p99Rank(result.callsPerCell)}).
North-star runs: ${duration(result.wallMs)} of wall time.
${pending.length === 0 ? "" : `\n${pending.join("\n")}\n`}${reading.length === 0 ? "" : `\n### Reading the north star\n\n${reading.join("\n")}\n`}
### Targets (issue 16)

${targetLines(result).join("\n")}

### The streaming latency model

${streamingModelTable()}

Sources and the per-size table: [latency-model.md](latency-model.md). The infrastructure around the model (Connect
↔ Lambda legs, Event dispatch, DynamoDB round trips) is the latency model of [the matrix](#the-latency-model-and-its-sources).
Not modelled: a model's own jitter within an answer, stalls mid-stream, a first token that grows with the prompt,
guardrails holding chunks.
`;
}

/** What `--only north-star` prints. */
export function northStarConsoleReport(result: NorthStarResult): string {
  const pending = pendingNotes(result);
  return [
    northStarTable(result),
    "",
    northStarCostTable(result),
    ...(pending.length === 0 ? [] : ["", ...pending]),
    ...(readingLines(result).length === 0 ? [] : ["", ...readingLines(result)]),
    "",
    "Targets (issue 16):",
    ...targetLines(result),
  ].join("\n");
}

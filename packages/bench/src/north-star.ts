/**
 * The north star (issue 16): from the end of the caller's question to the first word of the answer they hear,
 * and the longest gap between two parts of one answer, for the seed and both strategies with and without
 * progressive answers, over total generation times, on virtual time through the real handlers and flows.
 * Beside each figure, the physical limit: the moment the model has written its first part, plus speech
 * recognition; Holdline's overhead is the distance to it.
 */
import { deriveBudget } from "@holdline/budget/timing-budget";
import { ACTION_IDS } from "@holdline/contact-flow/holdline/holdline-flows";
import { joinParts } from "@holdline/domain/execution/answer-parts";
import {
  type CallUsage,
  type CostBreakdown,
  callCost,
  connectCallCost,
  costPerThousandCalls,
} from "./cost-model.ts";
import {
  cutShortBy,
  errorCodesOf,
  firstPartOfEachPrompt,
  firstResponseStatus,
  longestGapAhead,
  partGaps,
  promptsOf,
  questionEndAt,
} from "./north-star-measures.ts";
import { maximum, mean, percentile } from "./sample-statistics.ts";
import { seededRandom } from "./seeded-random.ts";
import {
  contactIdOf,
  modelLatencyOf,
  runHoldlineCall,
  runSeedCall,
  SEED_COMPLETED_PROMPT,
  SPEECH_RECOGNITION_MS,
  type SimulatedRun,
  type StrategyName,
} from "./strategy-calls.ts";
import { firstPartAtMs, type StreamedAnswer, streamedAnswer } from "./streaming-model.ts";
import { TimedLlmClient } from "./timed-llm-client.ts";

/** The total generation times of the columns (±15 % per call, as the strategy matrix's). */
export const GENERATION_TIMES_MS = [1_000, 3_000, 7_000, 12_000, 25_000, 45_000] as const;

/** A row: a strategy with or without progressive answers. The seed has no progressive mode. */
export interface NorthStarRow {
  readonly strategy: StrategyName;
  readonly progressive: boolean;
}

export const NORTH_STAR_ROWS: readonly NorthStarRow[] = [
  { strategy: "seed", progressive: false },
  { strategy: "polling", progressive: false },
  { strategy: "polling", progressive: true },
  { strategy: "native-async", progressive: false },
  { strategy: "native-async", progressive: true },
];

export const rowKey = (row: NorthStarRow): string =>
  `${row.strategy}/${row.progressive ? "with" : "without"}`;

/** The targets of issue 16 (reported, bold when missed; only the invariants fail the run). */
export const NORTH_STAR_TARGETS = {
  /** First word heard, over the physical limit: p50 and p99. */
  overheadP50Ms: 500,
  overheadP99Ms: 1_000,
  /** Longest gap between two parts while generation is ahead of speech, p99. */
  gapP99Ms: 1_000,
  /** Lambda + DynamoDB cost per call, with ÷ without progressive answers. */
  costRatio: 1.5,
  /** The silence gap of the budget. */
  silenceMs: deriveBudget().choices.maxSilenceMs,
} as const;

/** The actions whose prompts speak the answer: a part, the rest at completion, the rest before an apology. */
const HOLDLINE_ANSWER_PROMPTS = [ACTION_IDS.sayPart, ACTION_IDS.sayAnswer, ACTION_IDS.sayUnheard];

/** A connect-start response that carries the answer or its first part. */
const ANSWERING_STATUSES = ["partial", "completed"];

const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

/** What one call showed. Times in ms; "after the question" means after the end of the caller's question. */
export interface NorthStarCall extends NorthStarRow {
  readonly nominalModelMs: number;
  readonly index: number;
  /** The model's total generation time in this call, after jitter. */
  readonly modelMs: number;
  readonly answered: boolean;
  /** The first word of the answer heard, after the question; absent when unanswered. */
  readonly firstWordMs?: number;
  /** The physical limit, after the question: speech recognition, then the model's first part written. */
  readonly limitMs: number;
  /** The caller heard a word of the answer before the model had finished writing it. */
  readonly heardBeforeModelDone: boolean;
  /** A Lambda answered `dispatch_failed` (connect-answer with no worker to write progressive answers). */
  readonly refused: boolean;
  /** The longest gap between two heard parts while generation was ahead of speech; absent when none. */
  readonly longestGapMs?: number;
  /** Holdline: the prompts heard were the model's parts, in order, each once (undefined: no answer heard). */
  readonly heardAsWritten?: boolean;
  /** A prompt of the answer was cut short (the caller never hangs up here: the flow moved on mid-answer). */
  readonly answerCutShort: boolean;
  /** What cut it short (the branch the flow took at that instant). */
  readonly cutShortBy?: string;
  /** Polling: connect-start answered with the answer (or its first part) within its fast-path wait. */
  readonly startAnswered?: boolean;
  readonly longestSilenceMs: number;
  readonly callMs: number;
  readonly modelCalls: number;
  readonly lambdaInvocations: number;
  readonly dynamodbRequests: number;
  readonly usage: CallUsage;
}

/** The answer of call `index` of a column: the same for every row. */
export const answerOf = (nominalModelMs: number, index: number): StreamedAnswer =>
  streamedAnswer(
    modelLatencyOf(nominalModelMs, index),
    seededRandom(`north-star/answer/${nominalModelMs}/${index}`),
  );

/** One call of a row, on virtual time. */
export async function northStarCall(
  row: NorthStarRow,
  nominalModelMs: number,
  index: number,
): Promise<NorthStarCall> {
  const answer = answerOf(nominalModelMs, index);
  const latencyLabel = `north-star/${row.strategy}/${nominalModelMs}/${index}`;
  const contactId = contactIdOf(row.strategy, nominalModelMs, index);
  if (row.strategy === "seed") {
    const run = await runSeedCall({ modelMs: answer.totalMs, latencyLabel, contactId });
    const prompts = promptsOf(run.ended.timeline, [SEED_COMPLETED_PROMPT]);
    return measure(row, nominalModelMs, index, answer, run, prompts, undefined);
  }
  const run = await runHoldlineCall({
    strategy: row.strategy,
    progressive: row.progressive,
    model: (clock) => TimedLlmClient.streaming(clock, answer),
    latencyLabel,
    contactId,
  });
  const prompts = promptsOf(run.ended.timeline, HOLDLINE_ANSWER_PROMPTS);
  const startedAt = run.model.calls[0]?.startedAt;
  const written =
    startedAt === undefined
      ? []
      : answer.parts.map((part) => ({ at: startedAt - run.ended.startedAt + part.atMs, text: part.text }));
  return measure(row, nominalModelMs, index, answer, run, prompts, written);
}

function measure(
  row: NorthStarRow,
  nominalModelMs: number,
  index: number,
  answer: StreamedAnswer,
  run: SimulatedRun,
  prompts: ReturnType<typeof promptsOf>,
  /** Holdline's model parts in call time; undefined for the seed, which speaks no answer of its own. */
  written: readonly { at: number; text: string }[] | undefined,
): NorthStarCall {
  const { ended } = run;
  const questionEnd = questionEndAt(ended.timeline) ?? 0;
  const firstHeard = prompts[0]?.at;
  const modelDone = run.modelDoneAt === undefined ? undefined : run.modelDoneAt - ended.startedAt;
  const firstParts =
    written === undefined || prompts.length === 0
      ? undefined
      : firstPartOfEachPrompt(
          prompts.map((prompt) => prompt.text),
          written.map((part) => part.text),
          joinParts(answer.locale, ["", ""]),
        );
  const gaps =
    firstParts === undefined || written === undefined ? [] : partGaps(prompts, firstParts, written);
  const longestGapMs = longestGapAhead(gaps);
  return {
    ...row,
    nominalModelMs,
    index,
    modelMs: answer.totalMs,
    answered: firstHeard !== undefined,
    ...(firstHeard === undefined ? {} : { firstWordMs: firstHeard - questionEnd }),
    limitMs: SPEECH_RECOGNITION_MS + firstPartAtMs(answer),
    heardBeforeModelDone: firstHeard !== undefined && modelDone !== undefined && firstHeard < modelDone,
    refused: errorCodesOf(ended.timeline).includes("dispatch_failed"),
    ...(longestGapMs === undefined ? {} : { longestGapMs }),
    ...(written === undefined || prompts.length === 0 ? {} : { heardAsWritten: firstParts !== undefined }),
    answerCutShort: prompts.some((prompt) => prompt.interrupted),
    ...optional("cutShortBy", cutShortBy(ended.timeline, prompts)),
    ...(row.strategy === "polling"
      ? {
          startAnswered: ANSWERING_STATUSES.includes(
            firstResponseStatus(ended.timeline, ACTION_IDS.invokeStart) ?? "",
          ),
        }
      : {}),
    longestSilenceMs: ended.longestSilence?.durationMs ?? 0,
    callMs: ended.durationMs,
    modelCalls: run.modelCalls,
    lambdaInvocations: run.lambdaInvocations,
    dynamodbRequests: run.dynamodbRequests,
    usage: run.usage,
  };
}

/** One (row × generation time) cell, summarised. */
export interface NorthStarCell extends NorthStarRow {
  readonly nominalModelMs: number;
  readonly calls: number;
  /** Share of calls, 0–1, in which the caller heard the answer. */
  readonly answered: number;
  /** End of question → first word heard, over the answered calls (NaN when none). */
  readonly firstWordP50Ms: number;
  readonly firstWordP99Ms: number;
  /** The physical limit, over every call. */
  readonly limitP50Ms: number;
  readonly limitP99Ms: number;
  /** First word − limit, per answered call. */
  readonly overheadP50Ms: number;
  readonly overheadP99Ms: number;
  /** Each call's longest gap while generation was ahead, over the calls that had one (NaN when none). */
  readonly longestGapP50Ms: number;
  readonly longestGapP99Ms: number;
  readonly callsWithGaps: number;
  readonly longestSilenceMaxMs: number;
  readonly heardBeforeModelDone: number;
  readonly refused: number;
  readonly answersCutShort: number;
  /** What cut them short, each distinct cause once. */
  readonly cutShortBy: readonly string[];
  /** Polling: calls whose connect-start answered with the first part (its fast path). */
  readonly startAnswered: number;
  readonly modelCallsPerCall: number;
  readonly lambdaInvocationsPerCall: number;
  readonly dynamodbRequestsPerCall: number;
  /** Lambda + DynamoDB. */
  readonly costPerThousand: CostBreakdown;
  readonly callP50Ms: number;
  /** Connect's voice usage and telephony per 1,000 calls. */
  readonly connectPerThousand: number;
  /** Lambda, DynamoDB and Connect over every call, divided by the calls whose answer was heard in full (NaN when none). */
  readonly totalPerAnsweredTurn: number;
}

export function summariseNorthStarCell(calls: readonly NorthStarCall[]): NorthStarCell {
  const [first] = calls;
  if (first === undefined) throw new Error("a cell needs at least one call");
  const answered = calls.filter((call) => call.firstWordMs !== undefined);
  const firstWords = answered.map((call) => call.firstWordMs ?? Number.NaN);
  const overheads = answered.map((call) => (call.firstWordMs ?? Number.NaN) - call.limitMs);
  const limits = calls.map((call) => call.limitMs);
  const gaps = calls.flatMap((call) => (call.longestGapMs === undefined ? [] : [call.longestGapMs]));
  const heardInFull = answered.filter((call) => !call.answerCutShort).length;
  const total = calls.reduce(
    (sum, call) => sum + callCost(call.usage).total + connectCallCost(call.callMs),
    0,
  );
  return {
    strategy: first.strategy,
    progressive: first.progressive,
    nominalModelMs: first.nominalModelMs,
    calls: calls.length,
    answered: answered.length / calls.length,
    firstWordP50Ms: percentile(firstWords, 50),
    firstWordP99Ms: percentile(firstWords, 99),
    limitP50Ms: percentile(limits, 50),
    limitP99Ms: percentile(limits, 99),
    overheadP50Ms: percentile(overheads, 50),
    overheadP99Ms: percentile(overheads, 99),
    longestGapP50Ms: percentile(gaps, 50),
    longestGapP99Ms: percentile(gaps, 99),
    callsWithGaps: gaps.length,
    longestSilenceMaxMs: maximum(calls.map((call) => call.longestSilenceMs)),
    heardBeforeModelDone: calls.filter((call) => call.heardBeforeModelDone).length,
    refused: calls.filter((call) => call.refused).length,
    answersCutShort: calls.filter((call) => call.answerCutShort).length,
    cutShortBy: [
      ...new Set(calls.flatMap((call) => (call.cutShortBy === undefined ? [] : [call.cutShortBy]))),
    ],
    startAnswered: calls.filter((call) => call.startAnswered === true).length,
    modelCallsPerCall: mean(calls.map((call) => call.modelCalls)),
    lambdaInvocationsPerCall: mean(calls.map((call) => call.lambdaInvocations)),
    dynamodbRequestsPerCall: mean(calls.map((call) => call.dynamodbRequests)),
    costPerThousand: costPerThousandCalls(calls.map((call) => call.usage)),
    callP50Ms: percentile(
      calls.map((call) => call.callMs),
      50,
    ),
    connectPerThousand:
      (1_000 * calls.reduce((sum, call) => sum + connectCallCost(call.callMs), 0)) / calls.length,
    totalPerAnsweredTurn: heardInFull === 0 ? Number.NaN : total / heardInFull,
  };
}

/**
 * Whether a row's figures are progressive answers at work. `measured`: a row without progressive answers, or
 * one in which some caller heard the answer before the model had finished it. `pending`: progressive answers
 * are not in effect for this strategy (the reason says how it showed), so its figures would be the row without
 * them under another name.
 */
export type RowStatus =
  | { readonly kind: "measured" }
  | { readonly kind: "pending"; readonly reason: "refused" | "not-progressive" };

export function rowStatus(row: NorthStarRow, cells: readonly NorthStarCell[]): RowStatus {
  if (!row.progressive) return { kind: "measured" };
  const own = cells.filter((cell) => cell.strategy === row.strategy && cell.progressive);
  if (own.some((cell) => cell.heardBeforeModelDone > 0)) return { kind: "measured" };
  const everyCallRefused = own.length > 0 && own.every((cell) => cell.refused === cell.calls);
  return { kind: "pending", reason: everyCallRefused ? "refused" : "not-progressive" };
}

/**
 * The broken invariants, one line each (the run fails on any): a Holdline call without exactly one model call
 * for its one turn, or whose caller heard the answer other than as the model wrote it (a part lost, repeated or
 * out of order). A row pending because connect-answer refused progressive requests has no path that could call
 * the model, so its zero model calls are the pending status, not a broken promise.
 */
export function northStarViolations(
  calls: readonly NorthStarCall[],
  statuses: ReadonlyMap<string, RowStatus>,
): string[] {
  return calls.flatMap((call) => {
    if (call.strategy === "seed") return [];
    const status = statuses.get(rowKey(call));
    if (status?.kind === "pending" && status.reason === "refused") return [];
    const where = `${rowKey(call)} ${call.nominalModelMs} ms call ${call.index}`;
    return [
      ...(call.modelCalls === 1 ? [] : [`${where}: ${call.modelCalls} model calls for one turn`]),
      ...(call.heardAsWritten === false
        ? [`${where}: the caller heard the answer other than as the model wrote it`]
        : []),
    ];
  });
}

export interface NorthStarResult {
  readonly callsPerCell: number;
  readonly cells: readonly NorthStarCell[];
  readonly statuses: ReadonlyMap<string, RowStatus>;
  readonly violations: readonly string[];
  readonly wallMs: number;
}

/** Every row over every generation time, `callsPerCell` calls each, one after another on virtual time. */
export async function runNorthStar(
  callsPerCell: number,
  generationTimes: readonly number[] = GENERATION_TIMES_MS,
  rows: readonly NorthStarRow[] = NORTH_STAR_ROWS,
): Promise<NorthStarResult> {
  const started = performance.now();
  const cells: NorthStarCell[] = [];
  const calls: NorthStarCall[] = [];
  for (const nominalModelMs of generationTimes) {
    for (const row of rows) {
      const cellCalls: NorthStarCall[] = [];
      for (let index = 0; index < callsPerCell; index += 1) {
        cellCalls.push(await northStarCall(row, nominalModelMs, index));
      }
      calls.push(...cellCalls);
      cells.push(summariseNorthStarCell(cellCalls));
    }
  }
  const statuses = new Map(rows.map((row) => [rowKey(row), rowStatus(row, cells)]));
  return {
    callsPerCell,
    cells,
    statuses,
    violations: northStarViolations(calls, statuses),
    wallMs: performance.now() - started,
  };
}

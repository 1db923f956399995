import type { CostBreakdown } from "../../src/cost-model.ts";
import {
  type NorthStarCall,
  type NorthStarCell,
  type NorthStarResult,
  type NorthStarRow,
  type RowStatus,
  rowKey,
} from "../../src/north-star.ts";

const cost = (total: number): CostBreakdown => ({
  lambdaRequests: 0,
  lambdaDuration: total,
  dynamodb: 0,
  total,
});

/** A call of a row: answered 2.5 s after the question against a 2.3 s limit, unless told otherwise. */
export const northStarCallOf = (
  row: NorthStarRow,
  overrides: Partial<NorthStarCall> = {},
): NorthStarCall => ({
  ...row,
  nominalModelMs: 12_000,
  index: 0,
  modelMs: 12_000,
  answered: true,
  firstWordMs: 2_500,
  limitMs: 2_300,
  heardBeforeModelDone: row.progressive,
  refused: false,
  heardAsWritten: true,
  answerCutShort: false,
  longestSilenceMs: 2_300,
  callMs: 60_000,
  modelCalls: 1,
  lambdaInvocations: 2,
  dynamodbRequests: 10,
  usage: { invocations: [], readUnits: 0, writeUnits: 0 },
  ...overrides,
});

/** A cell of a row at a generation time, with figures that meet every target unless told otherwise. */
export const northStarCellOf = (
  row: NorthStarRow,
  nominalModelMs: number,
  overrides: Partial<NorthStarCell> = {},
): NorthStarCell => ({
  ...row,
  nominalModelMs,
  calls: 10,
  answered: 1,
  firstWordP50Ms: row.progressive ? 2_600 : nominalModelMs + 300,
  firstWordP99Ms: row.progressive ? 2_900 : nominalModelMs + 900,
  limitP50Ms: 2_300,
  limitP99Ms: 2_300,
  overheadP50Ms: row.progressive ? 300 : nominalModelMs - 2_000,
  overheadP99Ms: row.progressive ? 600 : nominalModelMs - 1_400,
  longestGapP50Ms: row.progressive ? 80 : Number.NaN,
  longestGapP99Ms: row.progressive ? 120 : Number.NaN,
  callsWithGaps: row.progressive ? 10 : 0,
  longestSilenceMaxMs: row.strategy === "seed" ? 8_000 : 2_300,
  heardBeforeModelDone: row.progressive ? 10 : 0,
  refused: 0,
  answersCutShort: 0,
  cutShortBy: [],
  startAnswered: 0,
  modelCallsPerCall: 1,
  lambdaInvocationsPerCall: 2,
  dynamodbRequestsPerCall: 20,
  costPerThousand: cost(row.progressive ? 0.12 : 0.1),
  callP50Ms: row.progressive ? 50_000 : 60_000,
  connectPerThousand: 20,
  totalPerAnsweredTurn: 0.02,
  ...overrides,
});

export const ROWS: readonly NorthStarRow[] = [
  { strategy: "seed", progressive: false },
  { strategy: "polling", progressive: false },
  { strategy: "polling", progressive: true },
  { strategy: "native-async", progressive: false },
  { strategy: "native-async", progressive: true },
];

/** A result over two generation times; `cells` replaces any cell it gives (same row and time). */
export function northStarResultOf(
  options: {
    readonly cells?: readonly NorthStarCell[];
    readonly statuses?: Readonly<Record<string, RowStatus>>;
  } = {},
): NorthStarResult {
  const replaced = options.cells ?? [];
  const cells = [12_000, 45_000].flatMap((time) =>
    ROWS.map(
      (row) =>
        replaced.find((cell) => rowKey(cell) === rowKey(row) && cell.nominalModelMs === time) ??
        northStarCellOf(row, time),
    ),
  );
  const statuses = new Map<string, RowStatus>(
    ROWS.map((row) => [rowKey(row), options.statuses?.[rowKey(row)] ?? { kind: "measured" }]),
  );
  return { callsPerCell: 10, cells, statuses, violations: [], wallMs: 2_000 };
}

import { describe, expect, it } from "vitest";
import {
  cellTargets,
  evaluateTargets,
  northStarCostTable,
  northStarHeadlines,
  northStarTable,
  pendingNotes,
  readingLines,
  renderNorthStarSection,
  targetLines,
} from "../../src/north-star-report.ts";
import { dollars } from "../../src/report-format.ts";
import { northStarCellOf, northStarResultOf } from "../support/north-star-fixtures.ts";

const POLLING_WITH = { strategy: "polling", progressive: true } as const;
const NATIVE_WITH = { strategy: "native-async", progressive: true } as const;

describe("the north star's targets", () => {
  it("are met by figures inside them, and apply only to rows with progressive answers (the silence to every Holdline row)", () => {
    // Prepare
    const result = northStarResultOf();

    // Act / Assess
    for (const cell of result.cells) {
      expect(cellTargets(result, cell)).toEqual({
        firstWord: false,
        gap: false,
        cost: false,
        silence: false,
      });
    }
    expect(evaluateTargets(result).every((check) => check.misses.length === 0)).toBe(true);
  });

  it("are missed by an overhead over 0.5 s p50 or 1 s p99, a gap over 1 s p99, a cost over 1.5× or a silence over 3 s", () => {
    // Prepare: polling without costs $0.10 per 1,000 calls in the fixtures.
    const result = northStarResultOf({
      cells: [
        northStarCellOf(POLLING_WITH, 12_000, { overheadP50Ms: 2_800, overheadP99Ms: 2_900 }),
        northStarCellOf(NATIVE_WITH, 12_000, { longestGapP99Ms: 1_300, longestSilenceMaxMs: 3_100 }),
        northStarCellOf(POLLING_WITH, 45_000, {
          overheadP99Ms: 1_100,
          costPerThousand: { lambdaRequests: 0, lambdaDuration: 0.2, dynamodb: 0, total: 0.2 },
        }),
      ],
    });

    // Act
    const checks = evaluateTargets(result);

    // Assess
    expect(checks.map((check) => check.misses)).toEqual([
      [
        "Holdline polling at 12 s (p50 2.80 s, p99 2.90 s)",
        "Holdline polling at 45 s (p50 300 ms, p99 1.10 s)",
      ],
      ["Holdline native-async at 12 s (p99 1.30 s)"],
      ["Holdline polling at 45 s (2.0×)"],
      ["Holdline native-async at 12 s (with: 3.10 s)"],
    ]);
    expect(northStarTable(result)).toContain(
      "| 12 s | Holdline polling | with | 100 % | 2.60 s / 2.90 s | 2.30 s / 2.30 s | **2.80 s / 2.90 s** | 80 ms / 120 ms | 2.30 s | 1.00 |",
    );
    expect(northStarCostTable(result)).toContain(
      "| 45 s | Holdline polling | with | 2.0 | 20.0 | $0.200 | **2.0×** |",
    );
    expect(targetLines(result)[0]).toContain("**missed** at Holdline polling at 12 s");
  });

  it("show the rows without progressive answers and the seed with no gap and no ratio", () => {
    // Act
    const result = northStarResultOf();

    // Assess
    expect(northStarTable(result)).toContain(
      "| 12 s | seed (no progressive mode) | without | 100 % | 12.30 s / 12.90 s | 2.30 s / 2.30 s | 10.00 s / 10.60 s | — | 8.00 s | 1.00 |",
    );
    expect(northStarCostTable(result)).toContain(
      "| 12 s | Holdline polling | without | 2.0 | 20.0 | $0.100 | — | 60.00 s | $20.000 | $0.020 |",
    );
  });

  it("flag answers cut short, and show — for a cost per answered turn with none answered in full", () => {
    // Prepare
    const result = northStarResultOf({
      cells: [
        northStarCellOf({ strategy: "native-async", progressive: false }, 45_000, {
          answersCutShort: 10,
          cutShortBy: ["`wait-for-answer` WaitCompleted"],
          totalPerAnsweredTurn: Number.NaN,
        }),
      ],
    });

    // Act / Assess
    expect(northStarTable(result)).toContain(
      "| 45 s | Holdline native-async | without | 100 % (**10 cut short**) |",
    );
    expect(targetLines(result).at(-1)).toContain(
      "Holdline native-async at 45 s without progressive answers, 10 of 10 calls",
    );
    expect(dollars(Number.NaN)).toBe("—");
    expect(readingLines(result).at(-1)).toContain(
      "10 of 10 answers cut short by `wait-for-answer` WaitCompleted",
    );
  });

  it("say so when no answer was cut short", () => {
    expect(targetLines(northStarResultOf()).at(-1)).toBe(
      "- Answers cut short (not a target of issue 16; the caller would not hear the whole answer): none, in every Holdline cell.",
    );
  });

  it("say how often polling's connect-start handed over the first part within its wait", () => {
    // Prepare
    const result = northStarResultOf({
      cells: [northStarCellOf(POLLING_WITH, 12_000, { startAnswered: 3 })],
    });

    // Act / Assess
    expect(readingLines(result)[0]).toContain("connect-start waits 2.10 s for a fast answer");
    expect(readingLines(result)[0]).toContain("within it in 12 s 30 %, 45 s 0 % of the calls");
    expect(readingLines(result)[0]).toContain("a word of acknowledgement (“はい”, 267 ms");
  });
});

describe("a pending row", () => {
  const result = northStarResultOf({
    statuses: { "native-async/with": { kind: "pending", reason: "refused" } },
    cells: [northStarCellOf(NATIVE_WITH, 12_000, { answered: 0, refused: 10, heardBeforeModelDone: 0 })],
  });

  it("says pending instead of figures, keeps the limit, and is checked against no target", () => {
    // Act / Assess
    expect(northStarTable(result)).toContain(
      "| 12 s | Holdline native-async | with | pending | pending | 2.30 s / 2.30 s | pending | pending | — | — |",
    );
    expect(northStarCostTable(result)).toContain("| 12 s | Holdline native-async | with | pending |");
    expect(evaluateTargets(result)[0]?.pending).toEqual(["Holdline native-async"]);
    expect(targetLines(result)[0]).toContain("pending for Holdline native-async");
  });

  it("is explained, with why, and pending in the headline", () => {
    // Act / Assess
    expect(pendingNotes(result)).toEqual([expect.stringContaining("`dispatch_failed`")]);
    expect(northStarHeadlines(result)[0]).toContain("Holdline native-async 12.30 s → pending");
    expect(renderNorthStarSection(result)).toContain(
      "**Holdline native-async with progressive answers: pending.**",
    );
  });
});

describe("the headline", () => {
  it("puts the first word heard without → with progressive answers beside the limit at 12 s and 45 s", () => {
    // Act
    const [line] = northStarHeadlines(northStarResultOf());

    // Assess
    expect(line).toContain(
      "at 12 s / 45 s of generation: Holdline polling 12.30 s → 2.60 s, 45.30 s → 2.60 s",
    );
    expect(line).toContain("the seed 12.30 s, 45.30 s");
    expect(line).toContain("The physical limit (first sentence written, plus recognition): 2.30 s, 2.30 s.");
  });
});

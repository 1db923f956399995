import { describe, expect, it } from "vitest";
import {
  northStarCall,
  northStarViolations,
  type RowStatus,
  rowKey,
  rowStatus,
  summariseNorthStarCell,
} from "../../src/north-star.ts";
import { northStarCallOf, northStarCellOf } from "../support/north-star-fixtures.ts";

const POLLING_WITH = { strategy: "polling", progressive: true } as const;
const NATIVE_WITH = { strategy: "native-async", progressive: true } as const;

describe("summariseNorthStarCell", () => {
  it("takes the first word and the overhead over the answered calls, the limit over all", () => {
    // Prepare: overheads 200, 400, 900 ms; one call unanswered.
    const calls = [
      northStarCallOf(POLLING_WITH, { firstWordMs: 2_500, limitMs: 2_300 }),
      northStarCallOf(POLLING_WITH, { firstWordMs: 2_800, limitMs: 2_400 }),
      northStarCallOf(POLLING_WITH, { firstWordMs: 3_100, limitMs: 2_200 }),
      northStarCallOf(POLLING_WITH, { answered: false, firstWordMs: undefined, limitMs: 2_600 }),
    ];

    // Act
    const cell = summariseNorthStarCell(calls);

    // Assess
    expect(cell.answered).toBe(0.75);
    expect([cell.firstWordP50Ms, cell.firstWordP99Ms]).toEqual([2_800, 3_100]);
    expect([cell.overheadP50Ms, cell.overheadP99Ms]).toEqual([400, 900]);
    expect([cell.limitP50Ms, cell.limitP99Ms]).toEqual([2_300, 2_600]);
  });

  it("takes the longest gap over the calls that had one, and counts cut-short answers out of the answered turns", () => {
    // Prepare
    const calls = [
      northStarCallOf(POLLING_WITH, { longestGapMs: 80, callMs: 60_000 }),
      northStarCallOf(POLLING_WITH, { longestGapMs: 300, callMs: 60_000 }),
      northStarCallOf(POLLING_WITH, { answerCutShort: true, callMs: 60_000 }),
    ];

    // Act
    const cell = summariseNorthStarCell(calls);

    // Assess: three one-minute calls at $0.018 + $0.0022 a minute, two of them heard in full.
    expect(cell.callsWithGaps).toBe(2);
    expect(cell.longestGapP99Ms).toBe(300);
    expect(cell.answersCutShort).toBe(1);
    expect(cell.connectPerThousand).toBeCloseTo(20.2, 9);
    expect(cell.totalPerAnsweredTurn).toBeCloseTo((3 * 0.0202) / 2, 9);
  });
});

describe("rowStatus", () => {
  it("counts a row without progressive answers, or one where a caller heard before the model finished, as measured", () => {
    // Act / Assess
    expect(rowStatus({ strategy: "native-async", progressive: false }, [])).toEqual({ kind: "measured" });
    expect(
      rowStatus(NATIVE_WITH, [northStarCellOf(NATIVE_WITH, 12_000, { heardBeforeModelDone: 1 })]),
    ).toEqual({
      kind: "measured",
    });
  });

  it("reports a progressive row pending when nobody heard before the model finished, or every call was refused", () => {
    // Prepare
    const inPlace = northStarCellOf(NATIVE_WITH, 12_000, { heardBeforeModelDone: 0 });
    const refused = northStarCellOf(NATIVE_WITH, 12_000, {
      heardBeforeModelDone: 0,
      answered: 0,
      refused: 10,
    });

    // Act / Assess
    expect(rowStatus(NATIVE_WITH, [inPlace])).toEqual({ kind: "pending", reason: "not-progressive" });
    expect(rowStatus(NATIVE_WITH, [refused])).toEqual({ kind: "pending", reason: "refused" });
  });
});

describe("northStarViolations", () => {
  const measured = new Map<string, RowStatus>();

  it("fails a Holdline call without exactly one model call, or heard other than as written; never the seed", () => {
    // Prepare
    const calls = [
      northStarCallOf(POLLING_WITH, { modelCalls: 2, index: 3 }),
      northStarCallOf(POLLING_WITH, { heardAsWritten: false, index: 4 }),
      northStarCallOf({ strategy: "seed", progressive: false }, { modelCalls: 0 }),
      northStarCallOf(POLLING_WITH),
    ];

    // Act
    const violations = northStarViolations(calls, measured);

    // Assess
    expect(violations).toEqual([
      "polling/with 12000 ms call 3: 2 model calls for one turn",
      "polling/with 12000 ms call 4: the caller heard the answer other than as the model wrote it",
    ]);
  });

  it("leaves out a row pending because every progressive request was refused (no path calls the model)", () => {
    // Prepare
    const statuses = new Map<string, RowStatus>([
      [rowKey(NATIVE_WITH), { kind: "pending", reason: "refused" }],
    ]);
    const calls = [northStarCallOf(NATIVE_WITH, { modelCalls: 0, refused: true, answered: false })];

    // Act / Assess
    expect(northStarViolations(calls, statuses)).toEqual([]);
    expect(northStarViolations(calls, measured)).toHaveLength(1);
  });
});

describe("northStarCall (virtual time, real handlers)", () => {
  it("polling with progressive answers: the first part heard before the model finishes, parts as written, one model call", async () => {
    // Act
    const call = await northStarCall(POLLING_WITH, 12_000, 0);

    // Assess
    expect(call).toMatchObject({
      answered: true,
      heardBeforeModelDone: true,
      heardAsWritten: true,
      answerCutShort: false,
      modelCalls: 1,
    });
    expect(call.firstWordMs).toBeLessThan(call.modelMs);
    expect(call.firstWordMs).toBeGreaterThanOrEqual(call.limitMs);
    expect(call.longestGapMs).toBeGreaterThanOrEqual(0);
  });

  it("polling without: the whole answer in one prompt once the model is done, and the same limit for the same call", async () => {
    // Act
    const [without, withParts] = await Promise.all([
      northStarCall({ strategy: "polling", progressive: false }, 12_000, 0),
      northStarCall(POLLING_WITH, 12_000, 0),
    ]);

    // Assess
    expect(without).toMatchObject({
      answered: true,
      heardBeforeModelDone: false,
      heardAsWritten: true,
      modelCalls: 1,
    });
    expect(without.longestGapMs).toBeUndefined();
    expect(without.firstWordMs).toBeGreaterThan(without.modelMs);
    expect(without.limitMs).toBe(withParts.limitMs);
  });

  it("the seed: its completed prompt as the first word, after the whole generation", async () => {
    // Act
    const call = await northStarCall({ strategy: "seed", progressive: false }, 3_000, 0);

    // Assess
    expect(call.answered).toBe(true);
    expect(call.firstWordMs).toBeGreaterThan(call.modelMs);
    expect(call.heardAsWritten).toBeUndefined();
  });
});

import { appendFileSync } from "node:fs";
import { executionTableDefinition } from "@holdline/adapters-dynamodb/execution-table";
import { type LocalDynamoDb, startLocalDynamoDb } from "@holdline/local-aws/local-dynamodb";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { LOCAL_TABLE_NAME } from "../../src/local-holdline.ts";
import { shortfalls, summary } from "./assess-cell.ts";
import { runCell } from "./fault-cell.ts";
import type { Cell } from "./fault-cells.ts";

/** Set to a file path to append one JSON line per cell (what docs/operations.md's fault table is made from). */
const REPORT = process.env.HOLDLINE_FAULT_MATRIX_REPORT;

/** Cells that take about 30 s (a model client waiting out its timeout, an SQS redelivery) start first. */
const longFirst = (cell: Cell): number =>
  cell.fault.kind === "step" &&
  ((cell.fault.step === "model" && (cell.fault.fault === "drop" || cell.fault.fault === "hang")) ||
    (cell.fault.step === "failure-record" && cell.fault.fault === "refuse"))
    ? 0
    : 1;

/** Cells start at most one per `START_SPACING_MS`, so wiring dozens of handlers does not starve the first calls. */
const START_SPACING_MS = 200;
let nextStart = 0;
const startSlot = (): Promise<void> => {
  const at = Math.max(Date.now(), nextStart);
  nextStart = at + START_SPACING_MS;
  return new Promise((resolve) => setTimeout(resolve, at - Date.now()));
};

/**
 * Runs cells concurrently (each on its own proxies, stub and Lambda endpoint, one dynalite per file in its own
 * process), and fails a cell with the list of its shortfalls and a one-line summary of what the caller heard.
 * Real time on a loaded machine (`pnpm test` runs every package at once) can stretch a handler past a bound by
 * a few hundred milliseconds: the silence bound allows for the scheduling lag the cell measured, and a failed
 * cell is run again, twice at most, and fails only if every run does.
 */
export function describeMatrix(title: string, cells: readonly Cell[]): void {
  const ordered = [...cells].sort((a, b) => longFirst(a) - longFirst(b));
  describe.concurrent(title, { timeout: 120_000, retry: 2 }, () => {
    let dynamodb: LocalDynamoDb;

    beforeAll(async () => {
      // The SDK's default credential chain, read by the Bedrock client the worker's container builds.
      vi.stubEnv("AWS_ACCESS_KEY_ID", "holdline-local");
      vi.stubEnv("AWS_SECRET_ACCESS_KEY", "holdline-local");
      dynamodb = await startLocalDynamoDb({
        tables: [executionTableDefinition(LOCAL_TABLE_NAME)],
        childProcess: true,
      });
    });

    afterAll(async () => {
      await dynamodb?.stop();
      vi.unstubAllEnvs();
    });

    it.each(ordered.map((cell) => ({ ...cell, name: cell.id })))("$name", async (cell) => {
      // Act
      await startSlot();
      const observation = await runCell(cell, dynamodb);

      // Assess
      const line = summary(observation);
      const found = shortfalls(observation);
      if (REPORT !== undefined) {
        const { result: _timeline, cell: _cell, ...figures } = observation;
        appendFileSync(
          REPORT,
          `${JSON.stringify({ id: cell.id, expected: cell.expected, found, line, ...figures })}\n`,
        );
      }
      expect(found, line).toEqual([]);
    });
  });
}

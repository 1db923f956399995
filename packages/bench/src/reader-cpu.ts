// connect-answer's CPU per warm invocation (issue 16's cost target sized it at 128 MB): the bench bills
// Lambda's duration, not its CPU, so what a smaller share of a vCPU adds to the first word is measured here.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { functionMemoryMb } from "@holdline/budget/function-memory";

export interface ReaderCpuResult {
  readonly invocations: number;
  /** User and system CPU of the bundle's process per warm invocation, on this machine. */
  readonly cpuMsPerInvocation: number;
  readonly wallMsPerInvocation: number;
}

/**
 * Lambda allocates CPU in proportion to memory, one full vCPU at 1,769 MB (the Lambda developer guide, "Configure
 * Lambda function memory"); below it a function gets that fraction of one.
 */
export const FULL_VCPU_MB = 1_769;

/** The CPU time stretched to a memory size's share of a vCPU, taking this machine's core as one vCPU. */
export const atMemory = (cpuMs: number, memoryMb: number): number =>
  cpuMs * Math.max(1, FULL_VCPU_MB / memoryMb);

const APP = join(import.meta.dirname, "..", "..", "..", "apps", "connect-answer");

/**
 * Loads connect-answer's built bundle (`measureBundles` builds it) in a child process against dynalite and times
 * the invocation that reads a finished turn and answers it: the request with which a waiting connect-answer
 * hands the caller a part once its long-poll sees it.
 */
export function measureReaderCpu(): ReaderCpuResult {
  const directory = mkdtempSync(join(tmpdir(), "holdline-reader-cpu-"));
  const resultFile = join(directory, "result.json");
  try {
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "reader-cpu.child.ts"), APP, resultFile],
      {
        cwd: import.meta.dirname,
        env: {
          ...process.env,
          POWERTOOLS_LOG_LEVEL: "INFO",
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        },
        stdio: ["ignore", "ignore", "pipe"],
        encoding: "utf8",
        timeout: 120_000,
      },
    );
    if (run.status !== 0) throw new Error(`the reader CPU measurement failed: ${run.stderr}`);
    return JSON.parse(readFileSync(resultFile, "utf8")) as ReaderCpuResult;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

export function readerCpuTable(result: ReaderCpuResult): string {
  const rows = [
    ["this machine (one core)", result.cpuMsPerInvocation],
    [
      `${functionMemoryMb.connectAnswer} MB (connectAnswer)`,
      atMemory(result.cpuMsPerInvocation, functionMemoryMb.connectAnswer),
    ],
    [
      `${functionMemoryMb.connectAnswerProgressive} MB (connectAnswerProgressive)`,
      atMemory(result.cpuMsPerInvocation, functionMemoryMb.connectAnswerProgressive),
    ],
  ] as const;
  return [
    "| CPU share | connect-answer's work per warm invocation (ms) |",
    "|---|---:|",
    ...rows.map(([share, ms]) => `| ${share} | ${ms.toFixed(1)} |`),
  ].join("\n");
}

import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { lambdaNodeBinary } from "./lambda-node.ts";

export interface BundleInvocation {
  readonly event: unknown;
  /** The context's `awsRequestId`, which the function's log lines must carry. */
  readonly requestId: string;
}

export interface BundleRunRequest {
  /** The bundle file (an app's `dist/index.mjs`), exporting `handler`. */
  readonly bundle: string;
  /** The function's whole environment (nothing of the test process is passed on but PATH). */
  readonly environment: Readonly<Record<string, string>>;
  /** Handled one after another in the same process, as a warm Lambda sandbox would. */
  readonly invocations: readonly BundleInvocation[];
  readonly functionName?: string;
  /** What the context's remaining time counts down from. */
  readonly timeoutMs?: number;
}

export type InvocationResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: string };

export interface BundleRun {
  /** `process.version` of the child, e.g. `v24.11.1`. */
  readonly nodeVersion: string;
  readonly results: readonly InvocationResult[];
  /**
   * The JSON lines the bundle wrote (Powertools' log lines and EMF metrics): stdout's in order, then stderr's
   * (Powertools writes warnings and errors there).
   */
  readonly logLines: readonly Record<string, unknown>[];
  readonly stderr: string;
}

const RUNNER = new URL("./bundle-runner.mjs", import.meta.url);

/** Runs a built bundle's handler on the Lambda runtime's Node, in a child process. */
export async function runBundleOnLambdaNode(request: BundleRunRequest): Promise<BundleRun> {
  const binary = lambdaNodeBinary();
  if (binary === undefined) {
    throw new Error(
      `no Lambda runtime Node for ${process.platform}-${process.arch}: run pnpm install on Linux x64`,
    );
  }
  const directory = await mkdtemp(join(tmpdir(), "holdline-lambda-node-"));
  const resultFile = join(directory, "results.json");
  try {
    const child = spawn(binary, [RUNNER.pathname], {
      // What Lambda itself sets that the bundles read (Powertools reports cold starts of on-demand sandboxes).
      env: {
        PATH: process.env.PATH ?? "",
        AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
        AWS_LAMBDA_FUNCTION_NAME: request.functionName ?? "holdline-function",
        ...request.environment,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    const exited = new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", resolve);
    });
    child.stdin.end(
      JSON.stringify({
        bundle: request.bundle,
        functionName: request.functionName ?? "holdline-function",
        timeoutMs: request.timeoutMs ?? 30_000,
        invocations: request.invocations,
        resultFile,
      }),
    );
    const code = await exited;
    if (code !== 0) throw new Error(`the bundle's process exited with ${code}: ${stderr}`);
    const { nodeVersion, results } = JSON.parse(await readFile(resultFile, "utf8")) as {
      nodeVersion: string;
      results: InvocationResult[];
    };
    return { nodeVersion, results, logLines: [...jsonLines(stdout), ...jsonLines(stderr)], stderr };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

function jsonLines(output: string): Record<string, unknown>[] {
  return output.split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/**
 * For each request id the run's log lines name, whether they all said `cold start` or all `warm`
 * (`mixed` otherwise); lines naming no request id are gathered under `(no request id)`. Metric lines (EMF) are
 * left out: they carry no Lambda context.
 */
export function logContexts(run: BundleRun): Record<string, "cold start" | "warm" | "mixed"> {
  const seen = new Map<string, Set<boolean>>();
  for (const line of run.logLines) {
    if ("_aws" in line) continue;
    const requestId =
      typeof line.function_request_id === "string" ? line.function_request_id : "(no request id)";
    const flags = seen.get(requestId) ?? new Set<boolean>();
    flags.add(line.cold_start === true);
    seen.set(requestId, flags);
  }
  return Object.fromEntries(
    [...seen].map(([requestId, flags]) => [
      requestId,
      flags.size > 1 ? "mixed" : flags.has(true) ? "cold start" : "warm",
    ]),
  );
}

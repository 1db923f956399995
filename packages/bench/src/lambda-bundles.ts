// Bundle size and cold module-load time of every Lambda app (issue 6): builds each bundle, then loads it
// in fresh Node processes and reports the median load time minus a bare `node -e 0`.
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const APPS = join(ROOT, "apps");
const CONNECT_FACING = new Set(["connect-start", "connect-status", "connect-answer"]);

export interface BundleRow {
  readonly app: string;
  readonly kib: number;
  /** Median load time of the bundle in a fresh process, less a bare process's. */
  readonly loadMs: number;
  readonly hasBedrock: boolean;
}

export interface BundleMeasurement {
  readonly runs: number;
  readonly bareNodeMs: number;
  readonly rows: readonly BundleRow[];
  /** Connect-facing bundles (other than connect-answer) that pulled in the Bedrock client. */
  readonly offenders: readonly string[];
}

const environment = {
  ...process.env,
  AWS_REGION: "us-east-1",
  AWS_ACCESS_KEY_ID: "bench",
  AWS_SECRET_ACCESS_KEY: "bench",
  AWS_LAMBDA_FUNCTION_NAME: "bench",
  HOLDLINE_TABLE_NAME: "executions",
  HOLDLINE_WORKER_FUNCTION: "answer-worker",
  HOLDLINE_BEDROCK_MODEL_ID: "anthropic.claude-3-haiku-20240307-v1:0",
  // text-delivery reads its SMS configuration at cold start (issue 18) and refuses to load without it.
  HOLDLINE_SMS_ORIGINATION_IDENTITY: "bench",
  POWERTOOLS_LOG_LEVEL: "SILENT",
};

function timeProcess(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env: environment, stdio: "ignore" });
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} exited with ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

export function measureBundles(runs = 11): BundleMeasurement {
  const apps = readdirSync(APPS).filter((name) =>
    statSync(join(APPS, name, "src", "index.ts"), { throwIfNoEntry: false }),
  );
  for (const app of apps) {
    execFileSync(process.execPath, [join(ROOT, "tools", "bundle-lambda.mjs")], {
      cwd: join(APPS, app),
      stdio: "ignore",
    });
  }

  const bareNodeMs = median(Array.from({ length: runs }, () => timeProcess(["-e", "0"])));
  const rows = apps.map((app): BundleRow => {
    const bundle = join(APPS, app, "dist", "index.mjs");
    const meta = JSON.parse(readFileSync(join(APPS, app, "dist", "meta.json"), "utf8")) as {
      inputs: Record<string, unknown>;
    };
    const hasBedrock = Object.keys(meta.inputs).some((input) => input.includes("client-bedrock-runtime"));
    const load = median(
      Array.from({ length: runs }, () =>
        timeProcess(["-e", `import(${JSON.stringify(pathToFileURL(bundle).href)})`]),
      ),
    );
    return { app, kib: statSync(bundle).size / 1024, loadMs: load - bareNodeMs, hasBedrock };
  });
  const offenders = rows
    .filter((row) => CONNECT_FACING.has(row.app) && row.app !== "connect-answer" && row.hasBedrock)
    .map((row) => row.app);
  return { runs, bareNodeMs, rows, offenders };
}

export function bundlesTable(measurement: BundleMeasurement): string {
  return [
    "| app | bundle (KiB, minified) | cold module load (ms) | Bedrock client inside |",
    "|---|---:|---:|---|",
    ...measurement.rows.map(
      (row) =>
        `| ${row.app} | ${row.kib.toFixed(0)} | ${row.loadMs.toFixed(0)} | ${row.hasBedrock ? "yes" : "no"} |`,
    ),
  ].join("\n");
}

import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/** The repository's root: the real command runs from there, as `pnpm emulate` does. */
export const root = fileURLToPath(new URL("../../../../", import.meta.url));
const cli = fileURLToPath(new URL("../../src/emulate.ts", import.meta.url));

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

// Not started by `pnpm emulate`: relative paths are the current directory's, whatever pnpm ran the tests.
export const environment = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => name !== "INIT_CWD" && name !== "npm_lifecycle_event"),
);

/** The process's exit code and output, whether it exits 0 or not. */
export const settle = (running: Promise<{ stdout: string; stderr: string }>): Promise<Run> =>
  running.then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

/** The real command, as `pnpm emulate` starts it: Node with tsx, from the repository's root. */
export const emulate = (...args: string[]): Promise<Run> =>
  settle(
    promisify(execFile)(process.execPath, ["--import", "tsx", cli, ...args], { cwd: root, env: environment }),
  );

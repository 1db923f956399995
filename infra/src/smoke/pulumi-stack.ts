import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { StackView } from "./smoke-options.ts";

/** infra/, where Pulumi.yaml is. */
const INFRA_DIRECTORY = fileURLToPath(new URL("../..", import.meta.url));

export class PulumiCliError extends Error {
  override readonly name = "PulumiCliError";
}

const pulumi = (args: readonly string[]): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(
      "pulumi",
      ["-C", INFRA_DIRECTORY, ...args, "--non-interactive"],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error === null) return resolve(stdout);
        const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
        reject(
          new PulumiCliError(
            missing
              ? "the Pulumi CLI is not on PATH: install it, or name the functions with --start/--status or --answer and --region"
              : `pulumi ${args.join(" ")} failed: ${stderr.trim() || error.message}`,
          ),
        );
      },
    );
  });

/**
 * The thin adapter to the Pulumi CLI (not tested here: no Pulumi CLI on the machine this was written on):
 * the stack's outputs (`pulumi stack output --json`) and its config (`pulumi config --json`, secrets blinded),
 * parsed as JSON. Throws `PulumiCliError`.
 */
export async function readPulumiStack(stack: string): Promise<StackView> {
  const [outputs, config] = await Promise.all([
    pulumi(["stack", "output", "--json", "--stack", stack]),
    pulumi(["config", "--json", "--stack", stack]),
  ]);
  const parse = (what: string, text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      throw new PulumiCliError(`pulumi ${what} --json printed something that is not JSON`);
    }
  };
  return { outputs: parse("stack output", outputs), config: parse("config", config) };
}

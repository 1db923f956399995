import { randomUUID } from "node:crypto";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { invokeThrough, type SmokeClientOptions } from "./lambda-invoke.ts";
import { parseSmokeArgs, resolveSmokeSettings, SMOKE_USAGE, type StackView } from "./smoke-options.ts";
import { formatSmokeReport } from "./smoke-report.ts";
import { runSmokeTurn } from "./smoke-turn.ts";

export interface SmokeCommandDependencies {
  /** The stack's outputs and config (`readPulumiStack`). */
  readonly readStack: (stack: string) => Promise<StackView>;
  readonly lambdaClient: (options: SmokeClientOptions) => LambdaClient;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Default a random UUID: each run is a new contact, so no turn is a replay of an earlier run's. */
  readonly newContactId?: () => string;
}

/** Room past the turn's own timeout for the last invocation to come back. */
const REQUEST_TIMEOUT_SLACK_MS = 5_000;

/**
 * `pnpm smoke`: 0 when the caller would hear an answer, 1 when they would hear an error or an invocation
 * failed, 2 for bad options or an unreadable stack.
 */
export async function runSmokeCommand(
  argv: readonly string[],
  dependencies: SmokeCommandDependencies,
): Promise<number> {
  const { stdout, stderr } = dependencies;
  const parsed = parseSmokeArgs(argv);
  if (parsed.kind === "help") {
    stdout(`${SMOKE_USAGE}\n`);
    return 0;
  }
  if (parsed.kind === "error") {
    stderr(`pnpm smoke: ${parsed.message}\n\n${SMOKE_USAGE}\n`);
    return 2;
  }
  let stack: StackView | undefined;
  if (parsed.args.stack !== undefined) {
    try {
      stack = await dependencies.readStack(parsed.args.stack);
    } catch (error) {
      stderr(`pnpm smoke: ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
  }
  const resolved = resolveSmokeSettings(parsed.args, stack);
  if (!resolved.ok) {
    stderr(`pnpm smoke: ${resolved.message}\n`);
    return 2;
  }
  const { settings } = resolved;
  const client = dependencies.lambdaClient({
    ...(settings.region === undefined ? {} : { region: settings.region }),
    ...(settings.profile === undefined ? {} : { profile: settings.profile }),
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    requestTimeoutMs: settings.timeoutMs + REQUEST_TIMEOUT_SLACK_MS,
  });
  try {
    const result = await runSmokeTurn({
      plan: settings.plan,
      contact: {
        contactId: (dependencies.newContactId ?? randomUUID)(),
        turn: 1,
        question: settings.question,
        locale: settings.locale,
      },
      progressive: settings.progressive,
      invoke: invokeThrough(client),
      timeoutMs: settings.timeoutMs,
    });
    stdout(
      settings.json
        ? `${JSON.stringify({ ...result, notes: settings.notes, passed: result.problems.length === 0 }, null, 2)}\n`
        : `${formatSmokeReport(result, settings.notes)}\n`,
    );
    return result.problems.length === 0 ? 0 : 1;
  } finally {
    client.destroy();
  }
}

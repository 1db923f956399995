import { parseArgs } from "node:util";
import type { CallerTurn } from "@holdline/connect-emulator/caller-script";

/** `--lambda <arn-or-name>=<module>[#export]`: the flow's function, and the local module standing in for it. */
export interface LambdaMapping {
  /** A full ARN (qualified or not) or a bare function name, as the user wrote it. */
  readonly key: string;
  /** The module's path as given; resolved against the caller's working directory. */
  readonly path: string;
  /** The export to call; default `handler`, then the default export. */
  readonly exportName?: string;
}

/** `--flow`, `--module`, `--hours`: `<id-or-arn>=<file.json>`, the resource and the file that gives it. */
export interface ResourceMapping {
  /** The id or ARN as the user wrote it; matched either way round, as the emulator matches it. */
  readonly key: string;
  /** The file's path as given; resolved against the caller's working directory. */
  readonly path: string;
}

export type KeepRunningWaitEvent = "cut-short" | "finish-block";
export type KeepRunningMinimumWait = "each-entry" | "not-applied";

export interface EmulateOptions {
  readonly flowPath: string;
  readonly lambdas: readonly LambdaMapping[];
  /** `--timeout <arn-or-name>=<seconds>`: the function's own timeout, by the same keys as `lambdas`. */
  readonly timeoutsMs: readonly { readonly key: string; readonly ms: number }[];
  /** The caller's turns from `--say`, `--press`, `--silence` (with `--wait` before them), in order. */
  readonly turns: readonly CallerTurn[];
  /** `--caller <file.json>`: the turns (and hang-up) from a file instead. */
  readonly callerFile?: string;
  readonly hangUpAfterMs?: number;
  /** Recorded prompts' lengths by prompt ARN or id. */
  readonly promptDurationsMs: Readonly<Record<string, number>>;
  /** The length of any other recorded prompt. */
  readonly defaultPromptMs?: number;
  /** The language for speaking time until the flow sets one. */
  readonly locale?: string;
  /** Contact attributes the call starts with. */
  readonly attributes: Readonly<Record<string, string>>;
  /** `--flow`: flows that TransferToFlow runs, by flow id or ARN. */
  readonly flows: readonly ResourceMapping[];
  /** `--module`: modules that InvokeFlowModule runs, by module id or ARN. */
  readonly modules: readonly ResourceMapping[];
  /** `--hours`: hours of operation for CheckHoursOfOperation, by id or ARN. */
  readonly hours: readonly ResourceMapping[];
  /** `--queue-full`: queues (ARN, id or the name the flow's metadata gives) at capacity. */
  readonly fullQueues: readonly string[];
  /** `--seed`: the seed of DistributeByPercentage's roll. */
  readonly randomSeed?: number;
  /** `--wait-event`: what a keep-running Wait's event does to the block running on Continue. */
  readonly keepRunningWaitEvent?: KeepRunningWaitEvent;
  /** `--minimum-wait`: how a keep-running Wait's MinimumWaitTimeSeconds acts. */
  readonly keepRunningMinimumWait?: KeepRunningMinimumWait;
  /** `--at`: when the contact starts, epoch milliseconds. */
  readonly startAt?: number;
  readonly realTime: boolean;
  readonly json: boolean;
  readonly verbose: boolean;
}

export type ParsedEmulateArgs =
  | { readonly kind: "run"; readonly options: EmulateOptions }
  | { readonly kind: "help" }
  | { readonly kind: "error"; readonly message: string };

export const EMULATE_USAGE = `Usage: pnpm emulate <flow.json> [options]

Runs an Amazon Connect contact flow (a console export, flow-language JSON) in the Connect emulator, with
your Lambda functions as local modules and a scripted caller, and prints what the caller hears and when,
each Lambda invocation and the silences. The emulator calls nothing in AWS (your modules may).

Lambda functions:
  --lambda <arn-or-name>=<module>   the module standing in for a function the flow invokes: the full ARN
                                    or the bare function name; the module exports \`handler\` (or a
                                    default export): .mjs/.js, or .ts; <module>#<export> picks another
                                    export. Repeat for each function; every one the flows invoke is needed
  --timeout <arn-or-name>=<seconds> the function's own timeout (Lambda's Timeout); default: none, so an
                                    attempt ends only at the block's invocation time limit

The caller (each input block takes the next turn; no turn left is silence):
  --say <text>          says this (a Lex bot block)
  --press <keys>        presses these keys, e.g. "1234#" (a Get customer input block)
  --silence             says nothing: the block times out
  --wait <seconds>      the next --say/--press starts this long after the prompt ends (default 0)
  --caller <file.json>  the turns from a file instead (see docs/connect-emulator.md, "Command line")
  --hang-up-after <seconds>   the caller hangs up this long after the call starts (default: 1 hour)

The call:
  --prompt-duration <prompt>=<seconds>   a recorded prompt's length, by prompt ARN or id (repeatable)
  --prompt-duration <seconds>            every other recorded prompt's length (default 1)
  --locale <tag>        the language for speaking time until the flow sets one (default en-US)
  --attribute <key>=<value>   a contact attribute the call starts with (repeatable)
  --at <ISO time>       when the call starts, with its offset, e.g. 2025-06-02T09:30:00+02:00 (default:
                        now); CheckHoursOfOperation reads the contact's time from this clock
  --real-time           run on the wall clock (default: virtual time, the whole call in about a second;
                        while one of your handlers runs, virtual time follows the wall clock)

Other flows and Connect resources (each <id-or-arn> is matched by id whether written as id or as ARN):
  --flow <id-or-arn>=<file.json>     a flow TransferToFlow runs (repeatable); without it, the call ends
                                     "transferred to flow". Its Lambda functions need a --lambda too
  --module <id-or-arn>=<file.json>   a flow module InvokeFlowModule runs (repeatable); its Lambda
                                     functions need a --lambda too
  --hours <id-or-arn>=<file.json>    hours of operation for CheckHoursOfOperation (repeatable): the output
                                     of aws connect describe-hours-of-operation, or its HoursOfOperation
  --queue-full <queue>               the queue is at capacity: TransferContactToQueue takes QueueAtCapacity;
                                     by ARN, id, or the queue's name in the flow's metadata (repeatable)
  --seed <n>                         the seed of DistributeByPercentage's roll (default 1): the same seed,
                                     the same branches
  --wait-event cut-short|finish-block   a keep-running Wait's event (the Lambda returning, the time limit)
                                     cuts short the block running on Continue (default), or lets it finish
  --minimum-wait each-entry|not-applied  a keep-running Wait holds the contact MinimumWaitTimeSeconds each
                                     time it enters (default), or goes down Continue at once

Output:
  --json                the result as JSON (end reason, attributes, the timeline as data) instead of text
  --verbose             also show branches, settings and Lex intents
  -h, --help            show this help

Exit codes: 0 the flow ended the call (disconnect, end of flow, transfer out of the emulator), 3 the caller
hung up first, 4 the run stopped on an error (an action the emulator cannot run, a missing branch),
2 bad options, an unreadable flow, Lambda module or hours file, a Lambda without a mapping, or a flow
module or hours the call needs and no --module or --hours gives, 1 a bug.

See docs/connect-emulator.md, "Command line".`;

/** Seconds, as the user wrote them, to whole milliseconds; undefined unless a finite number ≥ 0. */
export function secondsToMs(text: string): number | undefined {
  if (!/^\d+(\.\d+)?$/.test(text.trim())) return undefined;
  return Math.round(Number(text) * 1_000);
}

/** `key=value`, split at the first `=`; undefined when either side is empty. */
function keyValue(text: string): { key: string; value: string } | undefined {
  const at = text.indexOf("=");
  if (at <= 0 || at === text.length - 1) return undefined;
  return { key: text.slice(0, at).trim(), value: text.slice(at + 1).trim() };
}

/**
 * `--at`: an ISO 8601 date and time with its offset (`Z` or `±hh:mm`), to epoch milliseconds; undefined
 * unless it is one, and a real date (no 30 February).
 */
export function isoInstant(text: string): number | undefined {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|[+-](\d{2}):(\d{2}))$/.exec(
      text.trim(),
    );
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second = "0", offsetHours = "0", offsetMinutes = "0"] =
    match.slice(1);
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (
    calendar.getUTCFullYear() !== Number(year) ||
    calendar.getUTCMonth() !== Number(month) - 1 ||
    calendar.getUTCDate() !== Number(day) ||
    Number(hour) > 23 ||
    Number(minute) > 59 ||
    Number(second) > 59 ||
    Number(offsetHours) > 23 ||
    Number(offsetMinutes) > 59
  ) {
    return undefined;
  }
  const ms = Date.parse(text.trim());
  return Number.isNaN(ms) ? undefined : ms;
}

class UsageError extends Error {}

const WAIT_EVENTS: readonly KeepRunningWaitEvent[] = ["cut-short", "finish-block"];
const MINIMUM_WAITS: readonly KeepRunningMinimumWait[] = ["each-entry", "not-applied"];

/** The largest `--seed`: the roll's generator keeps 32 bits, so a larger seed would repeat a smaller one. */
export const MAX_SEED = 0xffff_ffff;

/** Reads the command line; never throws. */
export function parseEmulateArgs(argv: readonly string[]): ParsedEmulateArgs {
  try {
    return read(argv);
  } catch (error) {
    return { kind: "error", message: error instanceof Error ? error.message : String(error) };
  }
}

function read(argv: readonly string[]): ParsedEmulateArgs {
  const { values, positionals, tokens } = parse(argv);
  if (values.help === true) return { kind: "help" };
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? "give the flow's JSON file"
        : `one flow at a time, not ${positionals.length}`,
    );
  }
  const seconds = (option: string, text: string, max = Number.POSITIVE_INFINITY): number => {
    const ms = secondsToMs(text);
    if (ms === undefined || ms > max * 1_000) {
      throw new UsageError(
        `--${option} takes seconds${max === Number.POSITIVE_INFINITY ? "" : ` up to ${max}`}, not "${text}"`,
      );
    }
    return ms;
  };
  const pair = (option: string, text: string, shape: string) => {
    const parts = keyValue(text);
    if (parts === undefined) throw new UsageError(`--${option} takes ${shape}, not "${text}"`);
    return parts;
  };

  const lambdas: LambdaMapping[] = [];
  const timeoutsMs: { key: string; ms: number }[] = [];
  const turns: CallerTurn[] = [];
  const promptDurationsMs: Record<string, number> = {};
  const attributes: Record<string, string> = {};
  const flows: ResourceMapping[] = [];
  const modules: ResourceMapping[] = [];
  const hours: ResourceMapping[] = [];
  const fullQueues: string[] = [];
  const resource = (option: string, text: string): ResourceMapping => {
    const { key, value: path } = pair(option, text, "<id-or-arn>=<file.json>");
    return { key, path };
  };
  let defaultPromptMs: number | undefined;
  let waitMs: number | undefined;
  const turn = (content: CallerTurn) => {
    turns.push({ ...content, ...(waitMs === undefined ? {} : { afterMs: waitMs }) });
    waitMs = undefined;
  };

  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const value = token.value ?? "";
    switch (token.name) {
      case "lambda": {
        const { key, value: target } = pair("lambda", value, "<arn-or-name>=<module>");
        const hash = target.lastIndexOf("#");
        lambdas.push(
          hash > 0
            ? { key, path: target.slice(0, hash), exportName: target.slice(hash + 1) }
            : { key, path: target },
        );
        break;
      }
      case "timeout": {
        const { key, value: text } = pair("timeout", value, "<arn-or-name>=<seconds>");
        const ms = seconds("timeout", text, 900);
        if (ms === 0) throw new UsageError("--timeout must be more than 0 seconds");
        timeoutsMs.push({ key, ms });
        break;
      }
      case "say":
        if (value.trim() === "") throw new UsageError("--say needs something to say (use --silence)");
        turn({ say: value });
        break;
      case "press":
        if (!/^[0-9*#]+$/.test(value))
          throw new UsageError(`--press takes keys 0-9, * and #, not "${value}"`);
        turn({ press: value });
        break;
      case "silence":
        turn({});
        break;
      case "wait":
        if (waitMs !== undefined) throw new UsageError("two --wait in a row: give one");
        waitMs = seconds("wait", value);
        break;
      case "prompt-duration": {
        if (!value.includes("=")) {
          defaultPromptMs = seconds("prompt-duration", value);
          break;
        }
        const { key, value: text } = pair("prompt-duration", value, "<prompt>=<seconds> or <seconds>");
        promptDurationsMs[key] = seconds("prompt-duration", text);
        break;
      }
      case "flow":
        flows.push(resource("flow", value));
        break;
      case "module":
        modules.push(resource("module", value));
        break;
      case "hours":
        hours.push(resource("hours", value));
        break;
      case "queue-full":
        if (value.trim() === "") throw new UsageError("--queue-full needs the queue's ARN, id or name");
        fullQueues.push(value.trim());
        break;
      case "attribute": {
        const at = value.indexOf("=");
        if (at <= 0) throw new UsageError(`--attribute takes <key>=<value>, not "${value}"`);
        attributes[value.slice(0, at)] = value.slice(at + 1);
        break;
      }
    }
  }
  if (waitMs !== undefined) throw new UsageError("--wait must come before the --say or --press it delays");
  if (values.caller !== undefined && turns.length > 0) {
    throw new UsageError("give the caller's turns either inline (--say, --press, --silence) or in --caller");
  }
  const hangUp = values["hang-up-after"];
  const seed = values.seed;
  if (seed !== undefined && (!/^\d+$/.test(seed.trim()) || Number(seed) > MAX_SEED)) {
    throw new UsageError(`--seed takes a whole number from 0 to ${MAX_SEED}, not "${seed}"`);
  }
  const waitEvent = values["wait-event"];
  if (waitEvent !== undefined && !WAIT_EVENTS.includes(waitEvent as KeepRunningWaitEvent)) {
    throw new UsageError(`--wait-event takes ${WAIT_EVENTS.join(" or ")}, not "${waitEvent}"`);
  }
  const minimumWait = values["minimum-wait"];
  if (minimumWait !== undefined && !MINIMUM_WAITS.includes(minimumWait as KeepRunningMinimumWait)) {
    throw new UsageError(`--minimum-wait takes ${MINIMUM_WAITS.join(" or ")}, not "${minimumWait}"`);
  }
  const at = values.at;
  const startAt = at === undefined ? undefined : isoInstant(at);
  if (at !== undefined && startAt === undefined) {
    throw new UsageError(
      `--at takes an ISO date and time with its offset, e.g. 2025-06-02T09:30:00Z or 2025-06-02T09:30+02:00, not "${at}"`,
    );
  }
  return {
    kind: "run",
    options: {
      flowPath: positionals[0]!,
      lambdas,
      timeoutsMs,
      turns,
      ...(values.caller === undefined ? {} : { callerFile: values.caller }),
      ...(hangUp === undefined ? {} : { hangUpAfterMs: seconds("hang-up-after", hangUp) }),
      promptDurationsMs,
      ...(defaultPromptMs === undefined ? {} : { defaultPromptMs }),
      ...(values.locale === undefined ? {} : { locale: values.locale }),
      attributes,
      flows,
      modules,
      hours,
      fullQueues,
      ...(seed === undefined ? {} : { randomSeed: Number(seed) }),
      ...(waitEvent === undefined ? {} : { keepRunningWaitEvent: waitEvent as KeepRunningWaitEvent }),
      ...(minimumWait === undefined ? {} : { keepRunningMinimumWait: minimumWait as KeepRunningMinimumWait }),
      ...(startAt === undefined ? {} : { startAt }),
      realTime: values["real-time"] === true,
      json: values.json === true,
      verbose: values.verbose === true,
    },
  };
}

const parse = (argv: readonly string[]) =>
  parseArgs({
    // pnpm may pass a `--` on before the script's own arguments.
    args: argv[0] === "--" ? argv.slice(1) : [...argv],
    strict: true,
    allowPositionals: true,
    tokens: true,
    options: {
      lambda: { type: "string", multiple: true },
      timeout: { type: "string", multiple: true },
      say: { type: "string", multiple: true },
      press: { type: "string", multiple: true },
      silence: { type: "boolean", multiple: true },
      wait: { type: "string", multiple: true },
      caller: { type: "string" },
      "hang-up-after": { type: "string" },
      "prompt-duration": { type: "string", multiple: true },
      locale: { type: "string" },
      attribute: { type: "string", multiple: true },
      flow: { type: "string", multiple: true },
      module: { type: "string", multiple: true },
      hours: { type: "string", multiple: true },
      "queue-full": { type: "string", multiple: true },
      seed: { type: "string" },
      "wait-event": { type: "string" },
      "minimum-wait": { type: "string" },
      at: { type: "string" },
      "real-time": { type: "boolean" },
      json: { type: "boolean" },
      verbose: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });

import { SystemClock } from "@holdline/adapters-node/system-clock";
import type { CallerScript } from "@holdline/connect-emulator/caller-script";
import {
  type CallResult,
  ConnectEmulator,
  type ConnectEmulatorOptions,
} from "@holdline/connect-emulator/connect-emulator";
import { EmulatorError } from "@holdline/connect-emulator/emulator-errors";
import type { LambdaFunction } from "@holdline/connect-emulator/lambda-function";
import type { FlowDocument } from "@holdline/contact-flow/flow-language";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import type { EmulateOptions } from "./emulate-options.ts";
import { HandlerActivity, runOnVirtualTime } from "./virtual-time.ts";

/** How `pnpm emulate` exits; docs/connect-emulator.md, "Command line", lists the same. */
export const EXIT_CODES = {
  /** The flow ended the call: DisconnectParticipant, the end of the flow, a transfer out of the emulator. */
  completed: 0,
  /** A bug in the command itself. */
  failed: 1,
  /**
   * Bad options, an unreadable flow, caller, module or hours file, a Lambda the flow invokes with no mapping,
   * a flow module or hours the call needs and was not given.
   */
  usage: 2,
  /** The caller hung up before the flow ended the call. */
  hungUp: 3,
  /** The run stopped on an error: an action the emulator cannot run, a missing branch, a flow that spins. */
  stopped: 4,
} as const;

/** What a result may say beyond `endReason` (an emulator that keeps the timeline on an error says why). */
type ResultDetails = {
  readonly emulatorError?: { readonly code?: string; readonly message?: string };
  readonly transfer?: unknown;
};

const SETUP_ERRORS = new Set(["invalid_flow", "no_handler", "no_flow_module", "no_hours_of_operation"]);

/** For a stop on the setup's fault: the option that gives what was missing. */
const SETUP_HINTS: Readonly<Record<string, string>> = {
  no_handler: "map the function with --lambda <arn>=<module>",
  no_flow_module: "give the module with --module <id-or-arn>=<file.json>",
  no_hours_of_operation: "give the hours with --hours <id-or-arn>=<file.json>",
};

/**
 * The exit code for how the call ended. A stop on the setup's fault (a Lambda the flow computed with no
 * mapping, a module or hours not given) is a usage error; end reasons this version does not know count as an error, except those naming
 * a transfer, where the contact left the emulator's world as the flow meant it to.
 */
export function exitCodeFor(result: Pick<CallResult, "endReason">): number {
  const reason: string = result.endReason;
  const details = result as ResultDetails;
  if (SETUP_ERRORS.has(details.emulatorError?.code ?? "")) return EXIT_CODES.usage;
  switch (reason) {
    case "disconnected":
    case "flow-ended":
      return EXIT_CODES.completed;
    case "hung-up":
      return EXIT_CODES.hungUp;
    default:
      return /transfer/i.test(reason) ? EXIT_CODES.completed : EXIT_CODES.stopped;
  }
}

/** The exit code for an `EmulatorError` that stopped the run: the setup's fault (2) or the flow's (4). */
export const exitCodeForError = (error: EmulatorError): number =>
  SETUP_ERRORS.has(error.code) ? EXIT_CODES.usage : EXIT_CODES.stopped;

export type EmulationOutcome =
  | {
      readonly kind: "ended";
      readonly result: CallResult;
      readonly exitCode: number;
      /** Handlers were still running when the command stopped waiting for them after the call. */
      readonly unsettled: boolean;
    }
  | { readonly kind: "stopped"; readonly error: EmulatorError; readonly exitCode: number };

/** The flows, modules, hours and queues beside the flow (`--flow`, `--module`, `--hours`, `--queue-full`). */
export type ConnectResources = Pick<
  ConnectEmulatorOptions,
  "flows" | "flowModules" | "hoursOfOperation" | "queues"
>;

export interface Emulation {
  readonly flow: FlowDocument;
  /** By the ARN the flow invokes. */
  readonly functions: Readonly<Record<string, LambdaFunction>>;
  readonly script: CallerScript;
  readonly resources?: ConnectResources;
  readonly options: Pick<
    EmulateOptions,
    "promptDurationsMs" | "defaultPromptMs" | "locale" | "attributes" | "realTime"
  > &
    Partial<
      Pick<EmulateOptions, "randomSeed" | "keepRunningWaitEvent" | "keepRunningMinimumWait" | "startAt">
    >;
}

/** The wall clock, shifted so that the call starts at `startAt` (`--at` with `--real-time`). */
export class ShiftedSystemClock extends SystemClock {
  private readonly offsetMs: number;

  constructor(startAt: number) {
    super();
    this.offsetMs = startAt - Date.now();
  }

  override now(): number {
    return super.now() + this.offsetMs;
  }
}

/**
 * After the call ends, how long the handlers still running (a timed-out attempt, asynchronous work) are
 * waited for: Lambda stops a function at its timeout, so the longest timeout when every function has one,
 * else at least `SETTLE_MS`. On virtual time this costs nothing unless a handler is stuck in real work.
 */
export const SETTLE_MS = 10_000;

export function settleLimitMs(functions: Readonly<Record<string, LambdaFunction>>): number {
  const timeouts = Object.values(functions).map((fn) => fn.timeoutMs);
  const longest = Math.max(0, ...timeouts.map((ms) => ms ?? 0));
  return timeouts.every((ms) => ms !== undefined) ? longest : Math.max(SETTLE_MS, longest);
}

/**
 * Runs the call on virtual time (`ManualClock`) or the wall clock (`SystemClock`), from `startAt` when given,
 * then waits for the handlers still running, up to `settleLimitMs`. Throws `EmulatorError`
 * `invalid_flow` before the call starts if the flow is structurally broken.
 */
export async function runEmulation(emulation: Emulation): Promise<EmulationOutcome> {
  const { flow, script, options } = emulation;
  const activity = new HandlerActivity();
  const { startAt } = options;
  const clock = options.realTime
    ? startAt === undefined
      ? new SystemClock()
      : new ShiftedSystemClock(startAt)
    : new ManualClock(startAt ?? Date.now());
  const drive = <T>(work: Promise<T>): Promise<T> =>
    clock instanceof ManualClock ? runOnVirtualTime(clock, work, activity) : work;
  const emulator = new ConnectEmulator({
    clock,
    functions: Object.fromEntries(
      Object.entries(emulation.functions).map(([arn, fn]) => [arn, activity.track(fn)]),
    ),
    promptDurationsMs: options.promptDurationsMs,
    ...(options.defaultPromptMs === undefined ? {} : { defaultPromptMs: options.defaultPromptMs }),
    ...(options.locale === undefined ? {} : { defaultLocale: options.locale }),
    ...emulation.resources,
    ...(options.randomSeed === undefined ? {} : { randomSeed: options.randomSeed }),
    ...(options.keepRunningWaitEvent === undefined
      ? {}
      : { keepRunningWaitEvent: options.keepRunningWaitEvent }),
    ...(options.keepRunningMinimumWait === undefined
      ? {}
      : { keepRunningMinimumWait: options.keepRunningMinimumWait }),
  });
  const call = emulator.call(flow, script, { attributes: options.attributes });

  let ended: CallResult;
  try {
    ended = await drive(call.ended);
  } catch (error) {
    if (error instanceof EmulatorError) return { kind: "stopped", error, exitCode: exitCodeForError(error) };
    throw error;
  }
  const exitCode = exitCodeFor(ended);
  const giveUp = new AbortController();
  const waited = clock.sleep(settleLimitMs(emulation.functions), giveUp.signal).then(
    () => undefined,
    () => undefined,
  );
  const settled = await drive(Promise.race([call.settled, waited]));
  giveUp.abort();
  return settled === undefined
    ? { kind: "ended", result: ended, exitCode, unsettled: true }
    : { kind: "ended", result: settled, exitCode, unsettled: false };
}

const WORDS: Readonly<Record<number, string>> = {
  [EXIT_CODES.completed]: "the flow ended the call",
  [EXIT_CODES.usage]: "the setup is incomplete",
  [EXIT_CODES.hungUp]: "the caller hung up first",
  [EXIT_CODES.stopped]: "the call ended in an error",
};

/** The last line of the text output. */
export function describeExit(outcome: EmulationOutcome): string {
  const hint = (code: string | undefined) => {
    const option = code === undefined ? undefined : SETUP_HINTS[code];
    return option === undefined ? "" : `\n  (${option})`;
  };
  if (outcome.kind === "stopped") {
    return `exit ${outcome.exitCode}: the emulator stopped (${outcome.error.code}): ${outcome.error.message}${hint(outcome.error.code)}`;
  }
  const error = (outcome.result as ResultDetails).emulatorError;
  const why = error?.code === undefined ? "" : `: ${error.code}${error.message ? `: ${error.message}` : ""}`;
  return `exit ${outcome.exitCode}: ${WORDS[outcome.exitCode] ?? "?"} (${outcome.result.endReason}${why})${hint(error?.code)}`;
}

/** The `--json` output: the result as data, with the exit code. */
export function outcomeJson(outcome: EmulationOutcome): Record<string, unknown> {
  if (outcome.kind === "stopped") {
    return {
      exitCode: outcome.exitCode,
      error: { code: outcome.error.code, message: outcome.error.message },
    };
  }
  const { result } = outcome;
  const { emulatorError, transfer } = result as ResultDetails;
  return {
    exitCode: outcome.exitCode,
    endReason: result.endReason,
    ...(emulatorError === undefined ? {} : { emulatorError }),
    ...(transfer === undefined ? {} : { transfer }),
    contactId: result.contactId,
    startedAt: new Date(result.startedAt).toISOString(),
    durationMs: result.durationMs,
    longestSilence: result.longestSilence ?? null,
    attributes: result.attributes,
    ...(outcome.unsettled ? { unsettled: true } : {}),
    timeline: result.timeline,
  };
}

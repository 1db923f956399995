import { Console } from "node:console";
import { resolve } from "node:path";
import type { CallerScript, CallerTurn } from "@holdline/connect-emulator/caller-script";
import { EmulatorError } from "@holdline/connect-emulator/emulator-errors";
import { renderTimeline } from "@holdline/connect-emulator/render-timeline";
import type { FlowDocument } from "@holdline/contact-flow/flow-language";
import { validateFlow } from "@holdline/contact-flow/validate-flow";
import { CallerFileError, readCallerFile } from "./caller-file.ts";
import {
  fullQueueSetup,
  type LabelledFlow,
  ResourceMappingError,
  readFlowResources,
  readHoursResources,
  resourceReferences,
  sameResource,
  unmatchedResources,
} from "./connect-resources.ts";
import { EMULATE_USAGE, type EmulateOptions, parseEmulateArgs } from "./emulate-options.ts";
import {
  type ConnectResources,
  describeExit,
  EXIT_CODES,
  exitCodeForError,
  outcomeJson,
  runEmulation,
} from "./emulation.ts";
import { FlowFileError, readFlowFile } from "./flow-file.ts";
import { HoursFileError } from "./hours-file.ts";
import { LambdaMappingError, type MappedFunction, resolveFunctions } from "./lambda-modules.ts";

/** Without a hang-up time, the caller hangs up after an hour: a flow that loops forever still ends. */
export const DEFAULT_HANG_UP_MS = 3_600_000;

/**
 * Where relative paths start: the directory `pnpm emulate` was typed in (pnpm runs the script from the
 * workspace root and says where it was started in INIT_CWD), else the current directory.
 */
const invocationDirectory = (): string =>
  process.env.npm_lifecycle_event === "emulate" && process.env.INIT_CWD !== undefined
    ? process.env.INIT_CWD
    : process.cwd();

const seconds = (ms: number) => `${Number((ms / 1_000).toFixed(3))}s`;

const describeTurn = (turn: CallerTurn): string => {
  const parts = [
    ...(turn.afterMs ? [`after ${seconds(turn.afterMs)}`] : []),
    ...(turn.say === undefined ? [] : [`says "${turn.say}"`]),
    ...(turn.press === undefined ? [] : [`presses ${turn.press}`]),
    ...(turn.intent === undefined ? [] : [`(intent ${turn.intent})`]),
  ];
  return parts.length === 0 ? "silence" : parts.join(" ");
};

function setupLines(
  options: EmulateOptions,
  mapped: readonly MappedFunction[],
  script: CallerScript,
  resources: ConnectResources,
): string[] {
  const turns = script.turns ?? [];
  const keepRunning = [
    ...(options.keepRunningWaitEvent === undefined ? [] : [`event ${options.keepRunningWaitEvent}`]),
    ...(options.keepRunningMinimumWait === undefined
      ? []
      : [`minimum wait ${options.keepRunningMinimumWait}`]),
  ];
  return [
    `pnpm emulate: ${options.flowPath}`,
    `  time    ${options.realTime ? "real time (--real-time)" : "virtual: the whole call in about a second"}${
      options.startAt === undefined ? "" : `; starts ${new Date(options.startAt).toISOString()}`
    }`,
    ...options.flows.map((flow) => `  flow    ${flow.key} → ${flow.path}`),
    ...options.modules.map((module) => `  module  ${module.key} → ${module.path}`),
    ...options.hours.map((hours) => {
      const zone = Object.entries(resources.hoursOfOperation ?? {}).find(([key]) =>
        sameResource(key, hours.key),
      )?.[1].TimeZone;
      return `  hours   ${hours.key} → ${hours.path}${zone === undefined ? "" : ` (${zone})`}`;
    }),
    ...Object.keys(resources.queues ?? {}).map((queue) => `  queue   ${queue} at capacity`),
    ...(options.randomSeed === undefined ? [] : [`  seed    ${options.randomSeed}`]),
    ...(keepRunning.length === 0 ? [] : [`  wait    keep running: ${keepRunning.join(", ")}`]),
    ...mapped.map(
      (fn) =>
        `  λ       ${fn.arn} → ${fn.module}${fn.timeoutMs === undefined ? "" : ` (timeout ${seconds(fn.timeoutMs)})`}`,
    ),
    `  caller  ${turns.length === 0 ? "says nothing" : turns.map((turn, i) => `${i + 1}) ${describeTurn(turn)}`).join("  ")}${
      script.hangUpAtMs === undefined || script.hangUpAtMs === DEFAULT_HANG_UP_MS
        ? ""
        : `; hangs up at ${seconds(script.hangUpAtMs)}`
    }`,
    "",
  ];
}

/** The validator's errors, as a warning: Connect would likely refuse the flow, but the emulator still runs it. */
function validationWarning(flow: FlowDocument): string | undefined {
  const errors = validateFlow(flow).filter((issue) => issue.severity === "error");
  if (errors.length === 0) return undefined;
  const shown = errors.slice(0, 10).map((issue) => `  ${issue.message}`);
  const more = errors.length > shown.length ? [`  … and ${errors.length - shown.length} more`] : [];
  return [
    `warning: the flow validator finds ${errors.length} error${errors.length === 1 ? "" : "s"} (Connect may refuse this flow; it runs anyway):`,
    ...shown,
    ...more,
  ].join("\n");
}

/** `pnpm emulate`: the exit code says how the call ended (see EXIT_CODES). */
async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseEmulateArgs(argv);
  if (parsed.kind === "help") {
    process.stdout.write(`${EMULATE_USAGE}\n`);
    return EXIT_CODES.completed;
  }
  if (parsed.kind === "error") {
    process.stderr.write(`pnpm emulate: ${parsed.message}\n\n${EMULATE_USAGE}\n`);
    return EXIT_CODES.usage;
  }
  const { options } = parsed;
  const out = (text: string) => process.stdout.write(`${text}\n`);
  const complain = (text: string) => process.stderr.write(`pnpm emulate: ${text}\n`);
  // The handlers' own console output goes to stderr: stdout is the timeline (or the JSON) alone.
  globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });

  try {
    const base = invocationDirectory();
    const flow = await readFlowFile(resolve(base, options.flowPath));
    const invalid = validationWarning(flow);
    if (invalid !== undefined) complain(invalid);
    const flows = await readFlowResources("flow", options.flows, base);
    const modules = await readFlowResources("module", options.modules, base);
    for (const other of [...flows.labelled, ...modules.labelled]) {
      const warning = validationWarning(other.flow);
      if (warning !== undefined) complain(`${other.label}: ${warning}`);
    }
    const everyFlow: LabelledFlow[] = [{ flow }, ...flows.labelled, ...modules.labelled];
    const references = resourceReferences(everyFlow);
    for (const warning of unmatchedResources(
      { flow: options.flows, module: options.modules, hours: options.hours },
      references,
    ))
      complain(`warning: ${warning}`);
    if (references.queueHoursChecks.length > 0) {
      complain(
        `warning: CheckHoursOfOperation without HoursOfOperationId reads the target queue's hours, which the command cannot give; the call stops there (${references.queueHoursChecks.join(", ")})`,
      );
    }
    const resources: ConnectResources = {
      flows: flows.documents,
      flowModules: modules.documents,
      hoursOfOperation: await readHoursResources(options.hours, base),
      queues: fullQueueSetup(options.fullQueues, references, (warning) => complain(`warning: ${warning}`)),
    };
    const fromFile =
      options.callerFile === undefined ? undefined : await readCallerFile(resolve(base, options.callerFile));
    const script: CallerScript = {
      turns: fromFile?.turns ?? options.turns,
      hangUpAtMs: options.hangUpAfterMs ?? fromFile?.hangUpAtMs ?? DEFAULT_HANG_UP_MS,
    };
    const { functions, mapped } = await resolveFunctions(
      everyFlow,
      options.lambdas,
      options.timeoutsMs,
      base,
      (warning) => complain(`warning: ${warning}`),
    );
    if (!options.json) out(setupLines(options, mapped, script, resources).join("\n"));

    const outcome = await runEmulation({ flow, functions, script, resources, options });
    if (options.json) {
      out(JSON.stringify(outcomeJson(outcome), null, 2));
    } else {
      if (outcome.kind === "ended") out(renderTimeline(outcome.result, { showBranches: options.verbose }));
      out("");
      out(describeExit(outcome));
    }
    if (outcome.kind === "ended" && outcome.unsettled) {
      complain("warning: some handlers were still running when the command stopped waiting for them");
    }
    if (outcome.kind === "stopped" && options.json) complain(outcome.error.message);
    return outcome.exitCode;
  } catch (error) {
    if (
      error instanceof FlowFileError ||
      error instanceof CallerFileError ||
      error instanceof LambdaMappingError ||
      error instanceof HoursFileError ||
      error instanceof ResourceMappingError
    ) {
      complain(error.message);
      return EXIT_CODES.usage;
    }
    if (error instanceof EmulatorError) {
      complain(error.message);
      return exitCodeForError(error);
    }
    complain(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT_CODES.failed;
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
// The handlers may leave sockets, timers or unfinished promises behind: exit once the output is written.
process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));

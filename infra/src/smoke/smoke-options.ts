import { parseArgs } from "node:util";
import { SUPPORTED_LOCALES, type SupportedLocale } from "@holdline/connect-contract/flow-contract";
import * as z from "zod";
import type { SmokePlan } from "./smoke-turn.ts";

export const SMOKE_USAGE = `Usage: pnpm smoke --stack <name> [options]
       pnpm smoke --start <function> --status <function> [options]    (polling)
       pnpm smoke --start <function> --answer <function> [options]    (native-async, progressive answers)
       pnpm smoke --answer <function> [options]                       (native-async)

Invokes the deployed Connect-facing functions with a synthetic Connect event for one turn of a new contact
(connect-start, then connect-status with each response's cursor until the turn ends; or connect-answer, with
a RequestResponse invocation although Connect invokes it asynchronously, after connect-start when native-async
has progressive answers, as its flow does) and prints what the caller would hear and how long each invocation
and the whole turn took. Exits 1 when the caller would hear an error or an invocation fails, 2 for bad options
or an unreadable stack. One smoke turn is one real turn: a model call, and an execution item in the table
until it expires.

Options:
  --stack <name>        read the functions, strategy and locale from \`pulumi stack output\` and the Region
                        and profile from \`pulumi config\` (aws:region, aws:profile) of infra/'s stack
  --start <fn>          connect-start's name or ARN (with --status, polling; or with --answer, native-async
                        with progressive answers, which registers the turn before connect-answer)
  --status <fn>         connect-status's name or ARN
  --answer <fn>         connect-answer's name or ARN (native-async); without --start, connect-answer
                        registers the turn itself
  --region <region>     default: the stack's aws:region, a function ARN's Region, or the SDK's chain
  --profile <name>      default: the stack's aws:profile, or the SDK's chain (AWS_PROFILE, environment, SSO)
  --question <text>     what the caller asks (default: a question about opening hours in the locale)
  --no-progressive      the flow was built without progressive answers: send no cursor (default: the
                        stack's progressiveAnswers output, else progressive)
  --locale <tag>        ja-JP or en-US (default: the stack's locale, else ja-JP)
  --timeout-s <s>       the whole turn must end within this (default 90)
  --endpoint <url>      the Lambda endpoint (tests and local endpoints only)
  --json                print the result as JSON instead of text
  -h, --help            show this help

See docs/deploy.md, "The smoke check".`;

export interface SmokeArguments {
  readonly stack?: string;
  readonly start?: string;
  readonly status?: string;
  readonly answer?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly endpoint?: string;
  readonly question?: string;
  readonly locale?: string;
  /** False with `--no-progressive`; undefined leaves it to the stack (default progressive). */
  readonly progressive?: false;
  readonly timeoutSeconds: number;
  readonly json: boolean;
}

export type ParsedSmokeArgs =
  | { readonly kind: "run"; readonly args: SmokeArguments }
  | { readonly kind: "help" }
  | { readonly kind: "error"; readonly message: string };

const DEFAULT_TIMEOUT_SECONDS = 90;

/** Reads the command line; never throws. */
export function parseSmokeArgs(argv: readonly string[]): ParsedSmokeArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        stack: { type: "string" },
        start: { type: "string" },
        status: { type: "string" },
        answer: { type: "string" },
        region: { type: "string" },
        profile: { type: "string" },
        endpoint: { type: "string" },
        question: { type: "string" },
        locale: { type: "string" },
        "timeout-s": { type: "string" },
        "no-progressive": { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    return { kind: "error", message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help === true) return { kind: "help" };
  const text = (name: string) => {
    const value = values[name];
    return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
  };
  const timeout = text("timeout-s") ?? String(DEFAULT_TIMEOUT_SECONDS);
  const timeoutSeconds = Number(timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    return { kind: "error", message: `--timeout-s ${JSON.stringify(timeout)} is not a positive number` };
  }
  const locale = text("locale");
  if (locale !== undefined && !isLocale(locale)) {
    return { kind: "error", message: `--locale ${locale} is not one of ${SUPPORTED_LOCALES.join(", ")}` };
  }
  const args: Record<string, unknown> = { timeoutSeconds, json: values.json === true };
  for (const name of ["stack", "start", "status", "answer", "region", "profile", "endpoint", "question"]) {
    const value = text(name);
    if (value !== undefined) args[name] = value;
  }
  if (locale !== undefined) args.locale = locale;
  if (values["no-progressive"] === true) args.progressive = false;
  const parsed = args as unknown as SmokeArguments;
  if (parsed.answer !== undefined && parsed.status !== undefined) {
    return {
      kind: "error",
      message: "--answer (native-async) cannot be combined with --status (polling)",
    };
  }
  if (parsed.status !== undefined && parsed.start === undefined) {
    return { kind: "error", message: "--start and --status go together (the polling strategy invokes both)" };
  }
  if (parsed.start !== undefined && parsed.status === undefined && parsed.answer === undefined) {
    return {
      kind: "error",
      message:
        "--start goes with --status (polling) or --answer (native-async with progressive answers, whose flow invokes connect-start first)",
    };
  }
  if (parsed.start !== undefined && parsed.answer !== undefined && parsed.progressive === false) {
    return {
      kind: "error",
      message:
        "--start with --answer is native-async with progressive answers; a flow without them (--no-progressive) invokes connect-answer alone",
    };
  }
  if (parsed.stack === undefined && parsed.start === undefined && parsed.answer === undefined) {
    return { kind: "error", message: "say which functions to invoke: --stack, --start/--status or --answer" };
  }
  return { kind: "run", args: parsed };
}

const isLocale = (value: string): value is SupportedLocale =>
  (SUPPORTED_LOCALES as readonly string[]).includes(value);

/** What `pulumi stack output --json` and `pulumi config --json` printed, parsed, for one stack. */
export interface StackView {
  readonly outputs: unknown;
  readonly config: unknown;
}

/** The outputs `infra/index.ts` exports that the smoke check reads. */
const outputsSchema = z.object({
  strategy: z.enum(["polling", "native-async"]).optional(),
  /** Absent before the stacks exported it: the flows were progressive by default. */
  progressiveAnswers: z.boolean().optional(),
  locale: z.string().optional(),
  functionNames: z.record(z.string(), z.string()),
});

/** `pulumi config --json`: each key's `value` (a string; `[secret]` unless shown) and whether it is secret. */
const configSchema = z.record(
  z.string(),
  z.object({ value: z.unknown().optional(), secret: z.boolean().optional() }).loose(),
);

export interface SmokeSettings {
  readonly plan: SmokePlan;
  readonly region?: string;
  readonly profile?: string;
  readonly endpoint?: string;
  readonly locale: SupportedLocale;
  readonly question: string;
  /** Whether the deployed flow sends the cursor (progressive answers). */
  readonly progressive: boolean;
  readonly timeoutMs: number;
  readonly json: boolean;
  /** Said before the turn: where each setting came from, and what the check cannot carry over. */
  readonly notes: readonly string[];
}

export type ResolvedSettings =
  | { readonly ok: true; readonly settings: SmokeSettings }
  | { readonly ok: false; readonly message: string };

export const DEFAULT_QUESTIONS: Readonly<Record<SupportedLocale, string>> = {
  "ja-JP": "営業時間を教えてください。",
  "en-US": "What are your opening hours?",
};

/** `arn:aws:lambda:<region>:<account>:function:<name>[:qualifier]` → the Region. */
const regionOfArn = (fn: string | undefined): string | undefined =>
  /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):/.exec(fn ?? "")?.[1];

/**
 * The functions, Region, profile and locale of the turn: the flags, then the stack's outputs and config (when
 * `--stack` was given), then a function ARN's Region and the defaults. Never throws.
 */
export function resolveSmokeSettings(args: SmokeArguments, stack?: StackView): ResolvedSettings {
  const notes: string[] = [];
  let plan: SmokePlan | undefined;
  let stackLocale: string | undefined;
  let stackProgressive: boolean | undefined;
  let stackRegion: string | undefined;
  let stackProfile: string | undefined;

  if (stack !== undefined) {
    const outputs = outputsSchema.safeParse(stack.outputs);
    if (!outputs.success) {
      return {
        ok: false,
        message: `the stack's outputs have no functionNames (${outputs.error.issues[0]?.message ?? "unreadable"}): has it been deployed with this program?`,
      };
    }
    const { functionNames, strategy } = outputs.data;
    stackLocale = outputs.data.locale;
    stackProgressive = outputs.data.progressiveAnswers;
    const answer = functionNames["connect-answer"];
    const start = functionNames["connect-start"];
    const status = functionNames["connect-status"];
    const chosen = strategy ?? (answer !== undefined ? "native-async" : "polling");
    if (chosen === "native-async") {
      if (answer === undefined)
        return { ok: false, message: "the native-async stack exports no connect-answer" };
      // With progressive answers the stack deploys connect-start, which its flow invokes before connect-answer.
      const registersFirst = start !== undefined && (args.progressive ?? stackProgressive ?? true);
      plan = { strategy: "native-async", answer, ...(registersFirst ? { start } : {}) };
    } else {
      if (start === undefined || status === undefined) {
        return { ok: false, message: "the polling stack exports no connect-start and connect-status" };
      }
      plan = { strategy: "polling", start, status };
    }
    const config = configSchema.safeParse(stack.config ?? {});
    if (!config.success) return { ok: false, message: "`pulumi config --json` printed no config map" };
    const plain = (key: string) => {
      const entry = config.data[key];
      return entry === undefined ||
        entry.secret === true ||
        typeof entry.value !== "string" ||
        entry.value === ""
        ? undefined
        : entry.value;
    };
    stackRegion = plain("aws:region");
    stackProfile = plain("aws:profile");
    if (config.data["aws:assumeRoles"] !== undefined || config.data["aws:assumeRole"] !== undefined) {
      notes.push(
        "the stack deploys through aws:assumeRoles; the smoke check does not assume it: it invokes with your own credentials (a profile or the environment), which need lambda:InvokeFunction on the functions",
      );
    }
  }

  if (args.answer !== undefined) {
    plan = {
      strategy: "native-async",
      answer: args.answer,
      ...(args.start === undefined ? {} : { start: args.start }),
    };
  }
  if (args.start !== undefined && args.status !== undefined) {
    plan = { strategy: "polling", start: args.start, status: args.status };
  }
  if (plan === undefined) return { ok: false, message: "no functions to invoke" };
  const progressive = args.progressive ?? stackProgressive ?? true;
  if (plan.strategy === "native-async" && progressive && plan.start === undefined) {
    notes.push(
      "no connect-start to invoke first (--start, or a stack that deploys it): connect-answer registers the turn itself, as it does in the flow when connect-start fails",
    );
  }

  const arnRegion = regionOfArn(plan.strategy === "polling" ? plan.start : plan.answer);
  const region = args.region ?? stackRegion ?? arnRegion;
  const profile = args.profile ?? stackProfile;
  const requested = args.locale ?? stackLocale ?? "ja-JP";
  if (!isLocale(requested)) {
    return { ok: false, message: `locale ${requested} is not one of ${SUPPORTED_LOCALES.join(", ")}` };
  }
  return {
    ok: true,
    settings: {
      plan,
      ...(region === undefined ? {} : { region }),
      ...(profile === undefined ? {} : { profile }),
      ...(args.endpoint === undefined ? {} : { endpoint: args.endpoint }),
      locale: requested,
      question: args.question ?? DEFAULT_QUESTIONS[requested],
      progressive,
      timeoutMs: args.timeoutSeconds * 1_000,
      json: args.json,
      notes,
    },
  };
}

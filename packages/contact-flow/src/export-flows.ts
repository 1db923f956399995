import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { type BudgetChoices, defaultBudgetChoices, deriveBudget } from "@holdline/budget/timing-budget";
import type { FlowDocument } from "./flow-language.ts";
import {
  buildHoldlineFlow,
  DTMF_KEY,
  type HoldlineLambdaArns,
  STRATEGIES,
  type Strategy,
  type TextOfferOptions,
} from "./holdline/holdline-flows.ts";
import { PROMPT_PACKS } from "./holdline/prompt-packs.ts";

/**
 * `pnpm flow:export`: writes Holdline's generated flows, one file per strategy × locale, as JSON a user can
 * import in the Connect console ("Import flow") or pass to CreateContactFlow as `Content`.
 */

export const LOCALES = Object.keys(PROMPT_PACKS);

/** Obvious placeholders, used for any ARN not given: the files import, and show what to replace. */
export const PLACEHOLDER_ARNS = {
  start: "arn:aws:lambda:us-east-1:000000000000:function:REPLACE_ME-holdline-connect-start",
  status: "arn:aws:lambda:us-east-1:000000000000:function:REPLACE_ME-holdline-connect-status",
  answer: "arn:aws:lambda:us-east-1:000000000000:function:REPLACE_ME-holdline-connect-answer",
  lexBotAliasArn: "arn:aws:lex:us-east-1:000000000000:bot-alias/REPLACEME0/REPLACEME0",
} as const;

export interface ExportFlowsOptions {
  /** Folder the files are written to (created if missing). */
  readonly outDir: string;
  readonly lambdas: HoldlineLambdaArns;
  readonly lexBotAliasArn: string;
  /** Budget choices passed to `deriveBudget` (the rest are its defaults), e.g. `maxSilenceMs`. */
  readonly budgetChoices?: Partial<BudgetChoices>;
  readonly strategies?: readonly Strategy[];
  readonly locales?: readonly string[];
  /** Flow names are `<prefix>-<strategy>-<locale>` (default `holdline`); the file is that name plus `.json`. */
  readonly namePrefix?: string;
  /** Progressive answers (default true); false writes the flows as before them (`--no-progressive`). */
  readonly progressive?: boolean;
  /** The offer of the answer by text message (`--text-offer-arn`); absent, none. */
  readonly textOffer?: TextOfferOptions;
}

export interface ExportedFlow {
  readonly strategy: Strategy;
  readonly locale: string;
  readonly name: string;
  readonly path: string;
  readonly flow: FlowDocument;
}

/** Builds each flow (which validates it: any finding throws `InvalidFlowError`) and writes it to `outDir`. */
export function exportHoldlineFlows(options: ExportFlowsOptions): ExportedFlow[] {
  const budget = deriveBudget(options.budgetChoices ?? {});
  const prefix = options.namePrefix ?? "holdline";
  mkdirSync(options.outDir, { recursive: true });
  const written: ExportedFlow[] = [];
  for (const strategy of options.strategies ?? STRATEGIES) {
    for (const locale of options.locales ?? LOCALES) {
      const prompts = PROMPT_PACKS[locale];
      if (prompts === undefined) throw new RangeError(`no prompt pack for locale ${locale}`);
      const name = `${prefix}-${strategy}-${locale}`;
      const flow = buildHoldlineFlow(strategy, {
        lambdas: options.lambdas,
        lexBotAliasArn: options.lexBotAliasArn,
        prompts,
        budget,
        name,
        ...(options.progressive === undefined ? {} : { progressive: options.progressive }),
        ...(options.textOffer === undefined ? {} : { textOffer: options.textOffer }),
      });
      const path = join(options.outDir, `${name}.json`);
      writeFileSync(path, `${JSON.stringify(flow, null, 2)}\n`);
      written.push({ strategy, locale, name, path, flow });
    }
  }
  return written;
}

export const EXPORT_USAGE = `Usage: pnpm flow:export [options]

Writes Holdline's contact flows, one JSON file per strategy and locale
(<prefix>-<strategy>-<locale>.json), ready for the console's "Import flow" or CreateContactFlow.

Options:
  --out <dir>                  folder for the files (default ./flows)
  --start-arn <arn>            connect-start Lambda (polling)
  --status-arn <arn>           connect-status Lambda (polling)
  --answer-arn <arn>           connect-answer Lambda (native-async)
  --lex-bot-alias-arn <arn>    the Lex V2 bot alias that captures the question
  --arns <file.json>           the same as JSON: {"start", "status", "answer", "lexBotAliasArn"};
                               options given on the command line win
  --strategy <s>               polling or native-async (repeatable; default both)
  --locale <l>                 ${LOCALES.join(" or ")} (repeatable; default both)
  --max-silence-ms <n>         budget choice passed to deriveBudget (default ${defaultBudgetChoices.maxSilenceMs})
  --answer-deadline-ms <n>     budget choice passed to deriveBudget (default ${defaultBudgetChoices.answerDeadlineMs})
  --name-prefix <p>            flow name prefix (default holdline)
  --no-progressive             without progressive answers: the caller hears the whole answer
  --text-offer-arn <arn>       connect-text-offer: the flows offer the answer by text message
  --text-offer-key <k>         the offer's key, 0-9, * or # (default 1; with --text-offer-arn)
  --text-offer-after-seconds <n>  about when in the wait the offer comes (default 20; with --text-offer-arn)
                               once it is complete (for Lambdas that do not answer "partial")
  --help                       this text

ARNs not given are written as placeholders containing REPLACE_ME / REPLACEME0.`;

export type ParsedExportArgs =
  | { readonly kind: "help" }
  | { readonly kind: "error"; readonly message: string }
  | {
      readonly kind: "options";
      readonly options: ExportFlowsOptions;
      readonly placeholders: readonly string[];
    };

const ARN_KEYS = ["start", "status", "answer", "lexBotAliasArn"] as const;

/** Parses `pnpm flow:export`'s arguments; `cwd` resolves `--out` and `--arns`. */
export function parseExportArgs(argv: readonly string[], cwd = process.cwd()): ParsedExportArgs {
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        out: { type: "string" },
        "start-arn": { type: "string" },
        "status-arn": { type: "string" },
        "answer-arn": { type: "string" },
        "lex-bot-alias-arn": { type: "string" },
        arns: { type: "string" },
        strategy: { type: "string", multiple: true },
        locale: { type: "string", multiple: true },
        "max-silence-ms": { type: "string" },
        "answer-deadline-ms": { type: "string" },
        "name-prefix": { type: "string" },
        "no-progressive": { type: "boolean" },
        "text-offer-arn": { type: "string" },
        "text-offer-key": { type: "string" },
        "text-offer-after-seconds": { type: "string" },
        help: { type: "boolean" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { kind: "error", message: (error as Error).message };
  }
  if (values.help === true) return { kind: "help" };

  let fromFile: Partial<Record<(typeof ARN_KEYS)[number], unknown>> = {};
  if (typeof values.arns === "string") {
    try {
      fromFile = JSON.parse(readFileSync(resolve(cwd, values.arns), "utf8"));
    } catch (error) {
      return { kind: "error", message: `--arns ${values.arns}: ${(error as Error).message}` };
    }
    for (const key of Object.keys(fromFile)) {
      if (!(ARN_KEYS as readonly string[]).includes(key))
        return { kind: "error", message: `--arns: unknown key "${key}" (expected ${ARN_KEYS.join(", ")})` };
      if (typeof fromFile[key as (typeof ARN_KEYS)[number]] !== "string")
        return { kind: "error", message: `--arns: "${key}" must be a string` };
    }
  }
  const flags: Record<(typeof ARN_KEYS)[number], unknown> = {
    start: values["start-arn"],
    status: values["status-arn"],
    answer: values["answer-arn"],
    lexBotAliasArn: values["lex-bot-alias-arn"],
  };
  const placeholders: string[] = [];
  const arn = (key: (typeof ARN_KEYS)[number]): string => {
    const given = flags[key] ?? fromFile[key];
    if (typeof given === "string" && given.trim() !== "") return given;
    placeholders.push(key);
    return PLACEHOLDER_ARNS[key];
  };

  const strategies = (values.strategy as string[] | undefined) ?? [...STRATEGIES];
  const unknownStrategy = strategies.find(
    (strategy) => !(STRATEGIES as readonly string[]).includes(strategy),
  );
  if (unknownStrategy !== undefined)
    return { kind: "error", message: `unknown --strategy ${unknownStrategy} (${STRATEGIES.join(", ")})` };
  const locales = (values.locale as string[] | undefined) ?? LOCALES;
  const unknownLocale = locales.find((locale) => !LOCALES.includes(locale));
  if (unknownLocale !== undefined)
    return { kind: "error", message: `unknown --locale ${unknownLocale} (${LOCALES.join(", ")})` };

  const budgetChoices: Partial<Record<keyof BudgetChoices, number>> = {};
  for (const [flag, choice] of [
    ["max-silence-ms", "maxSilenceMs"],
    ["answer-deadline-ms", "answerDeadlineMs"],
  ] as const) {
    const text = values[flag];
    if (text === undefined) continue;
    const value = Number(text);
    if (typeof text !== "string" || !/^\d+$/.test(text) || value <= 0)
      return { kind: "error", message: `--${flag} must be a whole number of milliseconds` };
    budgetChoices[choice] = value;
  }

  let textOffer: TextOfferOptions | undefined;
  const offerArn = values["text-offer-arn"];
  if (typeof offerArn === "string" && offerArn.trim() !== "") {
    const key = typeof values["text-offer-key"] === "string" ? values["text-offer-key"] : "1";
    if (!DTMF_KEY.test(key))
      return { kind: "error", message: "--text-offer-key must be one key: 0-9, * or #" };
    const after = values["text-offer-after-seconds"] ?? "20";
    if (typeof after !== "string" || !/^\d+$/.test(after) || Number(after) < 1)
      return {
        kind: "error",
        message: "--text-offer-after-seconds must be a whole number of seconds, at least 1",
      };
    textOffer = { functionArn: offerArn, key, afterSeconds: Number(after) };
  } else if (values["text-offer-key"] !== undefined || values["text-offer-after-seconds"] !== undefined) {
    return {
      kind: "error",
      message: "--text-offer-key and --text-offer-after-seconds need --text-offer-arn",
    };
  }

  return {
    kind: "options",
    options: {
      outDir: resolve(cwd, typeof values.out === "string" ? values.out : "flows"),
      lambdas: { start: arn("start"), status: arn("status"), answer: arn("answer") },
      lexBotAliasArn: arn("lexBotAliasArn"),
      budgetChoices,
      strategies: strategies as Strategy[],
      locales,
      ...(typeof values["name-prefix"] === "string" ? { namePrefix: values["name-prefix"] } : {}),
      ...(values["no-progressive"] === true ? { progressive: false } : {}),
      ...(textOffer === undefined ? {} : { textOffer }),
    },
    placeholders,
  };
}

/** Exit 0 when the files are written, 2 for bad options or a budget Connect cannot honour. */
export function main(argv: readonly string[], cwd = process.cwd()): number {
  const parsed = parseExportArgs(argv, cwd);
  if (parsed.kind === "help") {
    process.stdout.write(`${EXPORT_USAGE}\n`);
    return 0;
  }
  if (parsed.kind === "error") {
    process.stderr.write(`pnpm flow:export: ${parsed.message}\n\n${EXPORT_USAGE}\n`);
    return 2;
  }
  let written: ExportedFlow[];
  try {
    written = exportHoldlineFlows(parsed.options);
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: unknown }).code === "invalid_budget") {
      process.stderr.write(`pnpm flow:export: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
  for (const flow of written) process.stdout.write(`wrote ${flow.path}\n`);
  if (parsed.placeholders.length > 0) {
    process.stderr.write(
      `note: placeholder ARNs for ${parsed.placeholders.join(", ")}: replace them before importing ` +
        "(see pnpm flow:export --help)\n",
    );
  }
  return 0;
}

// pnpm runs this file from the repository root, so `--out` and `--arns` resolve against the caller's folder.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2), process.env.INIT_CWD ?? process.cwd());
}

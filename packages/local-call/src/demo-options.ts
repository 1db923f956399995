import { parseArgs } from "node:util";
import type { Strategy } from "@holdline/contact-flow/holdline/holdline-flows";

export type DemoLocale = "ja-JP" | "en-US";

export interface DemoOptions {
  readonly strategy: Strategy;
  readonly locale: DemoLocale;
  /** Virtual time and the in-memory store instead of real time and dynalite. */
  readonly fast: boolean;
  /** How long the FAQ's slow entry takes (the embedded model only). */
  readonly slowAnswerMs: number;
  /** Also print Compare/Loop/Wait results, settings and Lex intents. */
  readonly verbose: boolean;
  /** The caller's questions, one per turn; empty for the default fast and slow question. */
  readonly questions: readonly string[];
  /**
   * The answer by text message: during the slow answer's wait the caller presses the offer's key and hangs
   * up; the text goes out when the answer is written.
   */
  readonly text: boolean;
}

export type ParsedDemoArgs =
  | { readonly kind: "run"; readonly options: DemoOptions }
  | { readonly kind: "help" }
  | { readonly kind: "error"; readonly message: string };

export const DEFAULT_SLOW_ANSWER_MS = 20_000;

export const DEMO_USAGE = `Usage: pnpm demo [options]

Simulates a phone call to Holdline on this machine and prints its timeline: what the caller hears and
when, each Lambda invocation, each execution status transition, and the silences. No AWS account needed:
the real Lambda handlers run in the Connect emulator against a local DynamoDB (dynalite) and an embedded
FAQ model. The caller asks a fast question, then a slow one, then says goodbye.

Options:
  --strategy <name>   polling (default): connect-start, then connect-status long-polls while
                      answer-worker runs as an asynchronous (Event) invocation
                      native-async: Connect's ASYNCHRONOUS invocation of connect-answer, which
                      hands the answer to answer-worker and returns its parts as they are written
  --locale <tag>      ja-JP (default, voice Kazuha) or en-US (voice Joanna)
  --fast              virtual time and the in-memory store: the same call in about a second
  --slow-ms <ms>      how long the slow answer takes (default ${DEFAULT_SLOW_ANSWER_MS}; embedded model only)
  --ask <question>    ask this instead of the default questions (repeat for more turns)
  --text              during the slow answer's wait, the caller takes the offer of a text message
                      (presses 1) and hangs up; the timeline shows the text sent once the answer is
                      written (End User Messaging SMS on a local stub, from the table's stream)
  --verbose           also show flow branches, settings and Lex intents
  -h, --help          show this help

Environment:
  HOLDLINE_BEDROCK_MODEL_ID   answer with Amazon Bedrock instead of the embedded model (real time only);
                              needs HOLDLINE_BEDROCK_REGION or AWS_REGION and AWS credentials
                              (the SDK's default chain: environment, profile, SSO)
  HOLDLINE_MAX_SILENCE_MS, HOLDLINE_ANSWER_DEADLINE_MS   the timing budget's choices (3000, 60000)

See docs/demo.md.`;

const STRATEGIES: readonly Strategy[] = ["polling", "native-async"];
const LOCALES: readonly DemoLocale[] = ["ja-JP", "en-US"];

/** Reads the demo's command line; never throws. */
export function parseDemoArgs(argv: readonly string[]): ParsedDemoArgs {
  let values: ReturnType<typeof parse>["values"];
  try {
    ({ values } = parse(argv));
  } catch (error) {
    return { kind: "error", message: error instanceof Error ? error.message : String(error) };
  }
  if (values.help === true) return { kind: "help" };
  const strategy = values.strategy ?? "polling";
  if (!STRATEGIES.includes(strategy as Strategy)) {
    return { kind: "error", message: `--strategy must be polling or native-async, not "${strategy}"` };
  }
  const locale = values.locale ?? "ja-JP";
  if (!LOCALES.includes(locale as DemoLocale)) {
    return { kind: "error", message: `--locale must be ja-JP or en-US, not "${locale}"` };
  }
  const slowAnswerMs = Number(values["slow-ms"] ?? DEFAULT_SLOW_ANSWER_MS);
  if (!Number.isInteger(slowAnswerMs) || slowAnswerMs < 0 || slowAnswerMs > 600_000) {
    return { kind: "error", message: `--slow-ms must be a whole number of milliseconds up to 600000` };
  }
  const questions = (values.ask ?? []).map((question) => question.trim());
  if (questions.some((question) => question === "")) {
    return { kind: "error", message: "--ask needs a question" };
  }
  return {
    kind: "run",
    options: {
      strategy: strategy as Strategy,
      locale: locale as DemoLocale,
      fast: values.fast === true,
      slowAnswerMs,
      verbose: values.verbose === true,
      questions,
      text: values.text === true,
    },
  };
}

const parse = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv].filter((arg) => arg !== "--"),
    strict: true,
    allowPositionals: false,
    options: {
      strategy: { type: "string" },
      locale: { type: "string" },
      fast: { type: "boolean" },
      "slow-ms": { type: "string" },
      ask: { type: "string", multiple: true },
      verbose: { type: "boolean" },
      text: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });

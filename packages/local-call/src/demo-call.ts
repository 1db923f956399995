import { randomUUID } from "node:crypto";
import { SystemClock } from "@holdline/adapters-node/system-clock";
import { deriveBudget, type TimingBudget } from "@holdline/budget/timing-budget";
import { type CallerTurn, press, say } from "@holdline/connect-emulator/caller-script";
import type { CallResult } from "@holdline/connect-emulator/connect-emulator";
import { renderTimeline } from "@holdline/connect-emulator/render-timeline";
import type { Strategy } from "@holdline/contact-flow/holdline/holdline-flows";
import { PROMPT_PACKS } from "@holdline/contact-flow/holdline/prompt-packs";
import type { Execution } from "@holdline/domain/execution/execution";
import type { Clock } from "@holdline/domain/ports/clock.port";
import type { LlmClient } from "@holdline/domain/ports/llm-client.port";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import type { LocalNote } from "./call-notes.ts";
import { demoFaqModel } from "./demo-model.ts";
import type { DemoLocale, DemoOptions } from "./demo-options.ts";
import { type DemoTexts, startDemoTexts } from "./demo-texts.ts";
import { LOCAL_TEXT_OFFER, type LocalHoldline, wireLocalHoldline } from "./local-holdline.ts";
import { inMemoryStore, type LocalStore, startDynaliteStore } from "./local-stores.ts";

/** What the caller says: a question the model answers at once, one it takes long over, goodbye. */
export const DEMO_SCRIPT: Readonly<
  Record<
    DemoLocale,
    { readonly faq: readonly string[]; readonly bedrock: readonly string[]; readonly goodbye: string }
  >
> = {
  "ja-JP": {
    faq: ["定休日はいつですか？", "誕生日ケーキの予約はできますか？"],
    bedrock: ["富士山の高さを教えてください。", "日本の四季について、それぞれの特徴を教えてください。"],
    goodbye: "いいえ、以上です。",
  },
  "en-US": {
    faq: ["When are you closed?", "Can I order a birthday cake?"],
    bedrock: ["How tall is Mount Fuji?", "Describe each of Japan's four seasons."],
    goodbye: "No, that's all.",
  },
};

export interface DemoEnvironment {
  /** `HOLDLINE_*` and `AWS_REGION`, as the Lambdas would read them. */
  readonly variables: Readonly<Record<string, string | undefined>>;
  readonly write: (text: string) => void;
  /** Called with each back-end line while a real-time call runs (the progress line). */
  readonly onProgress?: (note: LocalNote, startedAt: number) => void;
}

export class DemoSetupError extends Error {
  readonly code = "invalid_demo_setup";
}

const seconds = (ms: number) => `${(ms / 1_000).toFixed(1)}s`;
const quote = (locale: DemoLocale, text: string) => (locale === "ja-JP" ? `「${text}」` : `"${text}"`);
const shorten = (text: string, max = 48) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Runs the demo call: dynalite and real time, or (with `fast`) the in-memory store and virtual time;
 * the embedded FAQ model, or Bedrock when `HOLDLINE_BEDROCK_MODEL_ID` is set. Prints the setup, the
 * timeline and a summary, and leaves nothing running. Resolves with the call's result.
 */
export async function runDemoCall(options: DemoOptions, environment: DemoEnvironment): Promise<CallResult> {
  const { variables, write } = environment;
  const holdlineVariables: Record<string, string | undefined> = Object.fromEntries(
    // An empty variable counts as unset (`HOLDLINE_BEDROCK_MODEL_ID= pnpm demo`).
    Object.entries(variables).filter(([name, value]) => name.startsWith("HOLDLINE_") && value?.trim()),
  );
  // The offer of a text plays while the caller waits for the first words of an answer. With progressive
  // answers the FAQ model's first sentence comes in about a second, so --text shows an answer that comes
  // whole (a model that thinks before it writes), unless HOLDLINE_PROGRESSIVE_ANSWERS says otherwise.
  if (options.text && holdlineVariables.HOLDLINE_PROGRESSIVE_ANSWERS === undefined) {
    holdlineVariables.HOLDLINE_PROGRESSIVE_ANSWERS = "false";
  }
  const bedrockModelId = holdlineVariables.HOLDLINE_BEDROCK_MODEL_ID;
  if (bedrockModelId !== undefined && options.fast) {
    throw new DemoSetupError(
      "--fast runs on virtual time, which cannot wait for real network calls to Bedrock: drop --fast, or unset HOLDLINE_BEDROCK_MODEL_ID",
    );
  }
  const prompts = PROMPT_PACKS[options.locale];
  if (prompts === undefined) throw new DemoSetupError(`no prompt pack for ${options.locale}`);
  const script = DEMO_SCRIPT[options.locale];
  const questions =
    options.questions.length > 0
      ? options.questions
      : bedrockModelId === undefined
        ? script.faq
        : script.bedrock;
  // With --text, the caller takes the offer of a text during the last question's wait instead of saying goodbye.
  const turns: CallerTurn[] = options.text
    ? [...questions.map((text) => say(text, 500)), press(LOCAL_TEXT_OFFER.key, { afterMs: 300 })]
    : [...questions, script.goodbye].map((text) => say(text, 500));

  const clock: Clock = options.fast ? new ManualClock(Date.now()) : new SystemClock();
  const model: LlmClient | undefined =
    bedrockModelId === undefined ? demoFaqModel(clock, options.slowAnswerMs) : undefined;
  let store: LocalStore | undefined;
  let holdline: LocalHoldline | undefined;
  let texts: DemoTexts | undefined;
  try {
    const stream = options.text;
    store = options.fast
      ? inMemoryStore(clock, { stream })
      : await startDynaliteStore(clock, deriveBudget(), { stream });
    texts = options.text ? await startDemoTexts(options.fast, clock, deriveBudget()) : undefined;
    let startedAt = clock.now();
    holdline = wireLocalHoldline({
      clock,
      store: store.store,
      ...(model === undefined ? {} : { model }),
      environment: holdlineVariables,
      onNote: (note) => environment.onProgress?.(note, startedAt),
      ...(texts === undefined || store.stream === undefined
        ? {}
        : { texts: { stream: store.stream, sender: texts.sender } }),
    });
    const region = holdlineVariables.HOLDLINE_BEDROCK_REGION ?? variables.AWS_REGION;
    const progressive = holdline.budget.choices.progressiveAnswers;
    write(
      [
        "Holdline: a local call, end to end",
        `  strategy  ${strategyLine(options.strategy, progressive)}`,
        `  locale    ${prompts.locale} (voice ${prompts.voice.name})`,
        `  time      ${options.fast ? "virtual (--fast): the whole call in about a second" : "real time: the call takes about a minute (--fast for virtual time)"}`,
        `  store     ${store.description}`,
        `  model     ${bedrockModelId === undefined ? `embedded FAQ (a bakery); the slow question takes ${seconds(options.slowAnswerMs)}` : `Amazon Bedrock ${bedrockModelId} in ${region}`}`,
        `  caller    ${turns.map((turn, index) => `${index + 1}) ${turn.press === undefined ? quote(options.locale, turn.say ?? "") : `presses ${turn.press} at the offer of a text, and is gone`}`).join(" ")}`,
        ...(texts === undefined ? [] : [`  texts     ${texts.description}`]),
        `  budget    silence under ${seconds(holdline.budget.choices.maxSilenceMs)}, answer deadline ${seconds(deadlineOf(holdline.budget, options.strategy))}`,
        "",
      ].join("\n"),
    );

    const contactId = randomUUID();
    startedAt = clock.now();
    const call = holdline.call(options.strategy, prompts, { turns }, { contactId });
    let result: CallResult;
    if (clock instanceof ManualClock) {
      result = await clock.run(call.settled);
      await clock.run(holdline.idle());
    } else {
      result = await call.settled;
      await holdline.idle();
    }

    write(renderTimeline(result, { showBranches: options.verbose }));
    // What the back end did after the caller was gone: the contact event, the stream, the text.
    // (Those the timeline already shows, e.g. until an asynchronous invocation finished, are not repeated.)
    const end = result.startedAt + result.durationMs;
    const shown = new Set(
      result.timeline.flatMap((event) => (event.kind === "note" ? [`${event.source} ${event.text}`] : [])),
    );
    const after = holdline.notes.log.filter(
      (note) => note.contactId === contactId && note.at > end && !shown.has(`${note.source} ${note.text}`),
    );
    if (after.length > 0) {
      write("After the call");
      for (const note of after) {
        write(`${seconds(note.at - result.startedAt).padStart(7)}    [${note.source}] ${note.text}`);
      }
    }
    write("");
    const questionCount = turns.length - 1;
    write(await summary(holdline, result, contactId, questionCount, options));
    if (texts !== undefined)
      write(await textSummary(store.store, texts, contactId, questionCount, startedAt));
    return result;
  } finally {
    await holdline?.close();
    await texts?.close();
    await store?.close();
  }
}

async function textSummary(
  store: LocalStore["store"],
  texts: DemoTexts,
  contactId: string,
  turn: number,
  startedAt: number,
): Promise<string> {
  const view = await store.readDelivery({ contactId, turn });
  const delivery = view?.delivery;
  const lines = ["", "Text message"];
  if (delivery === undefined) {
    lines.push("  no consent recorded: the caller heard the answer on the line, or never pressed the key");
    return lines.join("\n");
  }
  lines.push(
    `  delivery  ${delivery.state} (consent at ${seconds(delivery.consentedAt - startedAt)}${delivery.leftAt === undefined ? "" : `, caller gone at ${seconds(delivery.leftAt - startedAt)}`}${delivery.sentAt === undefined ? "" : `, sent at ${seconds(delivery.sentAt - startedAt)}`})`,
  );
  for (const text of texts.received) {
    lines.push(
      `  received  at ${seconds(text.at - startedAt)}:`,
      ...text.body.split("\n").map((line) => `            ${line}`),
    );
  }
  return lines.join("\n");
}

function strategyLine(strategy: Strategy, progressive: boolean): string {
  const speaks = progressive ? "; the caller hears each part of the answer as it is written" : "";
  if (strategy === "polling") {
    return `polling (connect-start, then connect-status long-polls; answer-worker runs as an Event invocation${speaks})`;
  }
  return progressive
    ? `native-async (connect-start registers the turn and hands it to answer-worker, an Event invocation; connect-answer in Connect's ASYNCHRONOUS invocation returns its parts as they are written${speaks})`
    : "native-async (connect-answer runs the model in Connect's ASYNCHRONOUS invocation)";
}

/** The turn's deadline as the strategy registers it (native-async: in place, or for answer-worker). */
function deadlineOf(budget: TimingBudget, strategy: Strategy): number {
  if (strategy === "polling") return budget.policy.deadlineMs;
  return budget.choices.progressiveAnswers
    ? budget.connectAnswer.progressive.deadlineMs
    : budget.connectAnswer.deadlineMs;
}

async function summary(
  holdline: LocalHoldline,
  result: CallResult,
  contactId: string,
  questionCount: number,
  options: DemoOptions,
): Promise<string> {
  const lines = ["Summary"];
  for (let turn = 1; turn <= questionCount; turn += 1) {
    const execution = await holdline.store.get({ contactId, turn });
    lines.push(`  turn ${turn}  ${describeExecution(execution, options.locale)}`);
  }
  const invocations = new Map<string, number>();
  for (const event of result.timeline) {
    if (event.kind !== "invocation") continue;
    const name = event.functionName.replace("holdline-local-", "");
    invocations.set(name, (invocations.get(name) ?? 0) + 1);
  }
  const workerRuns = holdline.dispatcher.invocations.length;
  if (workerRuns > 0) invocations.set("answer-worker (Event)", workerRuns);
  lines.push(
    `  model calls        ${holdline.model.calls} for ${questionCount} question${questionCount === 1 ? "" : "s"}`,
    `  Lambda invocations ${[...invocations].map(([name, count]) => `${name} ×${count}`).join(", ")}`,
  );
  const longest = result.longestSilence;
  const limit = holdline.budget.choices.maxSilenceMs;
  lines.push(
    `  longest silence    ${longest === undefined ? "none" : `${seconds(longest.durationMs)} at ${seconds(longest.at)} (${longest.during.join(", ")})`}; the budget allows under ${seconds(limit)}${longest !== undefined && longest.durationMs >= limit ? "  ← OVER" : ""}`,
    `  call               ${seconds(result.durationMs)}, ended: ${result.endReason}`,
  );
  return lines.join("\n");
}

function describeExecution(execution: Execution | undefined, locale: DemoLocale): string {
  if (execution === undefined) return "no execution (the question never reached Holdline)";
  const took = (execution.finishedAt ?? execution.updatedAt) - execution.createdAt;
  if (execution.status === "completed") {
    // With progressive answers the caller hears the first part long before this: see the timeline.
    const parts = execution.parts?.length ?? 1;
    return `completed, the answer written by ${seconds(took)} after the question (${parts} part${parts === 1 ? "" : "s"}): ${quote(locale, shorten(execution.answer ?? ""))}`;
  }
  if (execution.status === "failed") {
    return `failed after ${seconds(took)}: ${execution.error?.code ?? "unknown error"}`;
  }
  return `${execution.status} (not finished when the call ended)`;
}

import {
  CONNECT_RESPONSE_KEYS,
  type ConnectStatus,
  ERROR_PROMPT,
  EXTERNAL_STATUS,
} from "@holdline/connect-contract/flow-contract";
import { PROMPT_PACKS } from "@holdline/contact-flow/holdline/prompt-packs";
import { questionParameters, type SmokeContact, smokeEvent, statusParameters } from "./smoke-event.ts";

/** The Connect-facing functions a smoke turn invokes, by app name. */
export type SmokeFunction = "connect-start" | "connect-status" | "connect-answer";

/**
 * Which deployed functions take the turn: the polling pair, or connect-answer (native-async), after
 * connect-start when the stack deploys it (native-async with progressive answers).
 */
export type SmokePlan =
  | { readonly strategy: "polling"; readonly start: string; readonly status: string }
  | {
      readonly strategy: "native-async";
      readonly answer: string;
      /**
       * connect-start (`HOLDLINE_START_ROLE=register`), which native-async's flow with progressive answers
       * invokes first, synchronously, to register the turn and dispatch the worker; absent, connect-answer
       * registers the turn itself, as it does when connect-start failed.
       */
      readonly start?: string;
    };

/** What one invocation came back with, as the Lambda Invoke API reports it. */
export type InvokeOutcome =
  | { readonly kind: "returned"; readonly payload: unknown }
  /** The function ran and failed (`X-Amz-Function-Error`): Connect would retry, then take the error branch. */
  | { readonly kind: "function_error"; readonly errorType: string; readonly errorMessage: string }
  /** The invocation itself failed (not found, throttled, denied, network, timeout). */
  | { readonly kind: "failed"; readonly error: string };

/** Invokes a function by name or ARN with an event, synchronously (`RequestResponse`). */
export type Invoke = (functionName: string, event: unknown) => Promise<InvokeOutcome>;

/** The flat map every Connect-facing handler returns (`$.External.*` in the flow). */
export type SmokeResponse = Readonly<Record<string, string>>;

export interface SmokeInvocation {
  readonly fn: SmokeFunction;
  readonly functionName: string;
  /** Undefined when the flow is not progressive. */
  readonly cursorSent?: string;
  /** From the start of the turn to the start of this invocation. */
  readonly atMs: number;
  readonly durationMs: number;
  readonly response?: SmokeResponse;
  /** Why this invocation failed, when it did. */
  readonly failure?: string;
}

/** One thing the caller would hear, at the time its response arrived (speech itself takes longer). */
export interface HeardLine {
  readonly atMs: number;
  /** `answer`: Holdline's answer or a part of it; `filler`: a flow prompt while waiting; `error`: an apology. */
  readonly kind: "answer" | "filler" | "error";
  readonly text: string;
}

export interface SmokeResult {
  readonly contact: SmokeContact;
  readonly strategy: SmokePlan["strategy"];
  readonly invocations: readonly SmokeInvocation[];
  readonly heard: readonly HeardLine[];
  /** The last response's status, error code and error prompt, when a response ended the turn. */
  readonly final?: { readonly status: string; readonly errorCode: string; readonly errorPrompt: string };
  readonly totalMs: number;
  /** Why the smoke check fails; empty when the caller would have heard an answer. */
  readonly problems: readonly string[];
}

/**
 * Connect's own ceilings for a Lambda block (`InvocationTimeLimitSeconds`: 1–8 s synchronous, up to 60 s
 * asynchronous). The deployed flow's limit may be lower (it comes from the timing budget); an invocation
 * slower than the ceiling would have failed in any flow.
 */
export const CONNECT_TIME_LIMIT_MS = { synchronous: 8_000, asynchronous: 60_000 } as const;

export interface SmokeTurnOptions {
  readonly plan: SmokePlan;
  readonly contact: SmokeContact;
  /**
   * Whether the deployed flow speaks answers part by part (the stack's `progressiveAnswers`, default true): it
   * then sends the cursor, "0" first; otherwise no cursor, and each response carries the whole answer.
   */
  readonly progressive?: boolean;
  readonly invoke: Invoke;
  /** The whole turn must end within this. */
  readonly timeoutMs: number;
  /** Guards against a handler that never ends the turn; the flows' own loops allow 100 rounds. */
  readonly maxInvocations?: number;
  /** Milliseconds on a monotonic clock. */
  readonly now?: () => number;
}

const STATUSES: readonly string[] = Object.values(EXTERNAL_STATUS);

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/**
 * One turn as the deployed flow drives it, without Connect: the question to connect-start (polling) or
 * connect-answer (native-async) with cursor "0", then, while the response says `in_progress` or `partial`,
 * connect-status (polling) or connect-answer again (native-async) with the cursor the last response gave,
 * until `completed` or `error` (a flow without progressive answers sends no cursor). Native-async with
 * progressive answers (`plan.start`) first invokes connect-start with the question, as its flow does: the
 * flow goes on to connect-answer whatever it answers, so its response is neither heard nor acted on, and its
 * failure is a problem but not the end of the turn (connect-answer registers a turn it does not find).
 * Records each invocation's time and what the caller would hear; any invocation failure, malformed response,
 * error status, time over Connect's limit or a turn that does not end is a problem. connect-answer is invoked
 * `RequestResponse` here, although Connect invokes it `ASYNCHRONOUS`: the same handler with the same event,
 * only the caller waits on a different block.
 */
export async function runSmokeTurn(options: SmokeTurnOptions): Promise<SmokeResult> {
  const { plan, contact, invoke, timeoutMs, maxInvocations = 100, progressive = true } = options;
  const now = options.now ?? (() => performance.now());
  const prompts = PROMPT_PACKS[contact.locale];
  const startedAt = now();
  const invocations: SmokeInvocation[] = [];
  const heard: HeardLine[] = [];
  const problems: string[] = [];
  let cursor: string | undefined = progressive ? "0" : undefined;
  let final: SmokeResult["final"];

  type Step = { fn: SmokeFunction; name: string; parameters: typeof questionParameters };
  const steps: { register?: Step; first: Step; next: Step; limitMs: number } =
    plan.strategy === "polling"
      ? {
          first: { fn: "connect-start", name: plan.start, parameters: questionParameters },
          next: { fn: "connect-status", name: plan.status, parameters: statusParameters },
          limitMs: CONNECT_TIME_LIMIT_MS.synchronous,
        }
      : {
          ...(plan.start === undefined
            ? {}
            : { register: { fn: "connect-start", name: plan.start, parameters: questionParameters } }),
          first: { fn: "connect-answer", name: plan.answer, parameters: questionParameters },
          next: { fn: "connect-answer", name: plan.answer, parameters: questionParameters },
          limitMs: CONNECT_TIME_LIMIT_MS.asynchronous,
        };

  /** Invokes a step and records it: its response and times, or undefined when it failed (a problem). */
  const invokeStep = async (
    step: Step,
    limitMs: number,
  ): Promise<{ response: SmokeResponse; atMs: number; durationMs: number } | undefined> => {
    const atMs = now() - startedAt;
    let outcome: InvokeOutcome;
    try {
      outcome = await invoke(step.name, smokeEvent(contact, step.parameters(contact, cursor), cursor));
    } catch (error) {
      outcome = { kind: "failed", error: describe(error) };
    }
    const durationMs = now() - startedAt - atMs;
    const base = {
      fn: step.fn,
      functionName: step.name,
      ...(cursor === undefined ? {} : { cursorSent: cursor }),
      atMs,
      durationMs,
    };
    const read = readOutcome(outcome);
    if ("failure" in read) {
      invocations.push({ ...base, failure: read.failure });
      problems.push(`${step.fn} (${step.name}) failed: ${read.failure}`);
      return undefined;
    }
    invocations.push({ ...base, response: read.response });
    if (durationMs > limitMs) {
      problems.push(
        `${step.fn} took ${seconds(durationMs)}, over Connect's ${seconds(limitMs)} limit for this block: Connect would have taken its error branch`,
      );
    }
    return { response: read.response, atMs, durationMs };
  };

  // Native-async with progressive answers: connect-start registers the turn and dispatches the worker, in a
  // synchronous block; whatever it answers, or if it fails, the flow goes on to connect-answer.
  if (steps.register !== undefined) await invokeStep(steps.register, CONNECT_TIME_LIMIT_MS.synchronous);

  for (let round = 0; ; round++) {
    const step = round === 0 ? steps.first : steps.next;
    const invoked = await invokeStep(step, steps.limitMs);
    if (invoked === undefined) break;
    const { response, atMs, durationMs } = invoked;
    const status = response.status as ConnectStatus;
    const arrivedAt = atMs + durationMs;
    const answer = response.answer ?? "";
    if (status === EXTERNAL_STATUS.inProgress) {
      // The polling flow fills the wait: after connect-start, the acknowledgement when progressive (the long-poll
      // follows at once) or the hold-on prompt; "still working" after a poll that found nothing.
      if (plan.strategy === "polling" && prompts !== undefined) {
        const first = progressive ? prompts.acknowledgement : prompts.holdOn;
        heard.push({ atMs: arrivedAt, kind: "filler", text: round === 0 ? first : prompts.stillWorking });
      }
    } else if (progressive ? response.answerParts !== "0" : answer !== "") {
      // As the flow: with progressive answers it speaks `answer` unless `answerParts` says none came.
      if (answer === "")
        problems.push("the caller would hear an empty message: answerParts counts parts, answer is empty");
      else heard.push({ atMs: arrivedAt, kind: "answer", text: answer });
    }
    if (status === EXTERNAL_STATUS.completed || status === EXTERNAL_STATUS.error) {
      final = {
        status,
        errorCode: response.errorCode ?? "",
        errorPrompt: response.errorPrompt ?? "",
      };
      if (status === EXTERNAL_STATUS.error) {
        const short = response.errorPrompt === ERROR_PROMPT.short;
        if (prompts !== undefined) {
          heard.push({
            atMs: arrivedAt,
            kind: "error",
            text: short ? prompts.errorAfterParts : prompts.error,
          });
        }
        problems.push(
          `the caller would hear ${short ? "the short apology after part of the answer" : "the error prompt"} (errorCode ${response.errorCode || "(none)"})`,
        );
      } else if (!heard.some((line) => line.kind === "answer")) {
        problems.push("the turn completed, but the caller heard no answer (every answer was empty)");
      }
      break;
    }
    if (cursor !== undefined && response.cursor !== undefined && response.cursor !== "") {
      cursor = response.cursor;
    }
    if (invocations.length >= maxInvocations) {
      problems.push(`the turn did not end after ${invocations.length} invocations`);
      break;
    }
    if (now() - startedAt >= timeoutMs) {
      problems.push(`the turn did not end within ${seconds(timeoutMs)}`);
      break;
    }
  }

  return {
    contact,
    strategy: plan.strategy,
    invocations,
    heard,
    ...(final === undefined ? {} : { final }),
    totalMs: now() - startedAt,
    problems,
  };
}

/** A returned payload must be what the flow reads: a flat map with every `$.External` key and a known status. */
function readOutcome(outcome: InvokeOutcome): { response: SmokeResponse } | { failure: string } {
  if (outcome.kind === "failed") return { failure: `the invocation failed: ${outcome.error}` };
  if (outcome.kind === "function_error") {
    return { failure: `the function failed: ${outcome.errorType}: ${outcome.errorMessage}` };
  }
  const { payload } = outcome;
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    return { failure: `the function returned ${JSON.stringify(payload)}, not a Connect response` };
  }
  const entries = Object.entries(payload as Record<string, unknown>);
  const nested = entries.find(([, value]) => value !== null && typeof value === "object");
  if (nested !== undefined) {
    return {
      failure: `"${nested[0]}" is not a string: Connect's STRING_MAP validation refuses the response`,
    };
  }
  const response = Object.fromEntries(
    entries.map(([key, value]) => [key, value === null ? "" : String(value)]),
  );
  const missing = CONNECT_RESPONSE_KEYS.filter((key) => !Object.hasOwn(response, key));
  if (missing.length > 0) {
    return { failure: `the response lacks ${missing.join(", ")} (the flow reads every $.External key)` };
  }
  if (!STATUSES.includes(response.status ?? "")) {
    return {
      failure: `status "${response.status}" is not one the flow branches on (${STATUSES.join(", ")})`,
    };
  }
  return { response };
}

/** `1.23 s`. */
export const seconds = (ms: number): string => `${(ms / 1_000).toFixed(2)} s`;

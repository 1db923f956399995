import {
  ERROR_PROMPT,
  EXTERNAL_KEYS,
  EXTERNAL_STATUS,
  FLOW_PARAMETERS,
} from "@holdline/connect-contract/flow-contract";
import type { Clock } from "@holdline/domain/ports/clock.port";
import type { ConnectContactFlowEvent } from "aws-lambda";
import type { LambdaFunctions } from "../../src/lambda-function.ts";
import { HOLDLINE_ARNS, HOLDLINE_REGISTER_ARN, HOLDLINE_TEST_BUDGET, registered } from "./fake-holdline.ts";

/** One turn's answer as the fake produces it: each part and when it is ready, then how the answer ends. */
export interface ScriptedAnswer {
  /** In order; `atMs` after the turn's first invocation (connect-start, or the first connect-answer). */
  readonly parts: readonly { readonly text: string; readonly atMs: number }[];
  /** When the answer ends; every part is ready by then unless it fails. */
  readonly endAtMs: number;
  /** The answer fails at `endAtMs` (`model_error`), after the parts ready by then. */
  readonly fails?: boolean;
}

/** What one invocation was sent and answered. */
export interface FakeInvocation {
  readonly fn: "start" | "register" | "status" | "answer";
  readonly turn: string;
  readonly cursor: string | undefined;
  readonly at: number;
  readonly status: string;
  readonly answer: string;
}

/**
 * Stand-ins for Holdline's Lambdas with progressive answers, not the real apps: each turn's answer follows a
 * script. connect-start and connect-status long-poll (up to one wait each) for a part after the `cursor`
 * they are sent, or the answer's end, and answer at once when there is one; connect-answer (native-async)
 * waits, within its invocation, for the same. Every response carries every key of the contract: `partial`
 * with the parts not heard yet, `completed` with what is left (maybe ""), `error` with `errorPrompt` `short`
 * (and what is left) when parts came before the failure, `full` otherwise.
 */
export function fakeProgressiveHoldline(clock: Clock, answers: readonly ScriptedAnswer[]) {
  const startedAt = new Map<string, number>();
  const invocations: FakeInvocation[] = [];
  const turnOf = (event: ConnectContactFlowEvent) => event.Details.Parameters[FLOW_PARAMETERS.turn] ?? "";
  const keyOf = (event: ConnectContactFlowEvent) => `${event.Details.ContactData.ContactId}#${turnOf(event)}`;
  const scriptOf = (event: ConnectContactFlowEvent): ScriptedAnswer => {
    const script = answers[Number(turnOf(event)) - 1];
    if (script === undefined) throw new Error(`no scripted answer for turn ${turnOf(event)}`);
    return script;
  };
  const cursorOf = (event: ConnectContactFlowEvent) =>
    Number(event.Details.Parameters[FLOW_PARAMETERS.cursor] || "0");

  const view = (event: ConnectContactFlowEvent): Record<string, string> => {
    const script = scriptOf(event);
    const elapsed = clock.now() - (startedAt.get(keyOf(event)) ?? clock.now());
    const ready = script.parts.filter((part) => part.atMs <= elapsed);
    const cursor = cursorOf(event);
    const unheard = ready.slice(cursor).map((part) => part.text);
    const ended = elapsed >= script.endAtMs;
    const keys = {
      [EXTERNAL_KEYS.turn]: turnOf(event),
      [EXTERNAL_KEYS.nextTurn]: String(Number(turnOf(event)) + 1),
      [EXTERNAL_KEYS.errorCode]: "",
      [EXTERNAL_KEYS.errorPrompt]: "",
    };
    if (ended && script.fails === true) {
      return {
        ...keys,
        [EXTERNAL_KEYS.status]: EXTERNAL_STATUS.error,
        [EXTERNAL_KEYS.errorCode]: "model_error",
        [EXTERNAL_KEYS.errorPrompt]: ready.length > 0 ? ERROR_PROMPT.short : ERROR_PROMPT.full,
        [EXTERNAL_KEYS.answer]: unheard.join(" "),
        [EXTERNAL_KEYS.answerParts]: String(unheard.length),
        [EXTERNAL_KEYS.cursor]: String(Math.max(cursor, ready.length)),
      };
    }
    if (ended) {
      return {
        ...keys,
        [EXTERNAL_KEYS.status]: EXTERNAL_STATUS.completed,
        [EXTERNAL_KEYS.answer]: script.parts
          .slice(cursor)
          .map((part) => part.text)
          .join(" "),
        [EXTERNAL_KEYS.answerParts]: String(Math.max(0, script.parts.length - cursor)),
        [EXTERNAL_KEYS.cursor]: String(Math.max(cursor, script.parts.length)),
      };
    }
    return {
      ...keys,
      [EXTERNAL_KEYS.status]: unheard.length > 0 ? EXTERNAL_STATUS.partial : EXTERNAL_STATUS.inProgress,
      [EXTERNAL_KEYS.answer]: unheard.join(" "),
      [EXTERNAL_KEYS.answerParts]: String(unheard.length),
      [EXTERNAL_KEYS.cursor]: String(Math.max(cursor, ready.length)),
    };
  };

  /** Sleeps to the next moment the view can change (a part, the end), until there is news or `untilMs`. */
  const waitForNews = async (event: ConnectContactFlowEvent, untilMs: number) => {
    const script = scriptOf(event);
    const start = startedAt.get(keyOf(event)) ?? clock.now();
    while (view(event)[EXTERNAL_KEYS.status] === EXTERNAL_STATUS.inProgress && clock.now() < untilMs) {
      const elapsed = clock.now() - start;
      const changes = [...script.parts.map((part) => part.atMs), script.endAtMs].filter((at) => at > elapsed);
      const nextChange = start + Math.min(...changes);
      await clock.sleep(Math.max(1, Math.min(nextChange, untilMs) - clock.now()));
    }
  };

  const answerFor =
    (fn: FakeInvocation["fn"], waitMs: number) =>
    async (event: ConnectContactFlowEvent): Promise<Record<string, string>> => {
      const at = clock.now();
      if (fn !== "status" && !startedAt.has(keyOf(event))) startedAt.set(keyOf(event), at);
      await waitForNews(event, at + waitMs);
      const response = view(event);
      invocations.push({
        fn,
        turn: turnOf(event),
        cursor: event.Details.Parameters[FLOW_PARAMETERS.cursor],
        at,
        status: response[EXTERNAL_KEYS.status] ?? "",
        answer: response[EXTERNAL_KEYS.answer] ?? "",
      });
      return response;
    };

  const functions: LambdaFunctions = {
    [HOLDLINE_ARNS.start]: answerFor("start", HOLDLINE_TEST_BUDGET.connectStart.waitMs),
    // connect-start registering for connect-answer (native-async): the turn starts; it answers at once.
    [HOLDLINE_REGISTER_ARN]: async (event) => {
      if (!startedAt.has(keyOf(event))) startedAt.set(keyOf(event), clock.now());
      const response = registered(event);
      invocations.push({
        fn: "register",
        turn: turnOf(event),
        cursor: event.Details.Parameters[FLOW_PARAMETERS.cursor],
        at: clock.now(),
        status: response[EXTERNAL_KEYS.status] ?? "",
        answer: "",
      });
      return response;
    },
    [HOLDLINE_ARNS.status]: answerFor("status", HOLDLINE_TEST_BUDGET.connectStatus.waitMs),
    // Within its invocation (60 s), connect-answer waits for as long as the script needs.
    [HOLDLINE_ARNS.answer]: answerFor("answer", HOLDLINE_TEST_BUDGET.connectAnswer.deadlineMs),
  };
  return { functions, invocations };
}

/** A handler gone wrong: every response is `partial` with one more part, for ever. */
export function endlessPartials(clock: Clock) {
  const calls: number[] = [];
  const answer = async (event: ConnectContactFlowEvent): Promise<Record<string, string>> => {
    calls.push(clock.now());
    const cursor = Number(event.Details.Parameters[FLOW_PARAMETERS.cursor] || "0");
    return {
      [EXTERNAL_KEYS.status]: EXTERNAL_STATUS.partial,
      [EXTERNAL_KEYS.answer]: "Again.",
      [EXTERNAL_KEYS.cursor]: String(cursor + 1),
      [EXTERNAL_KEYS.answerParts]: "1",
      [EXTERNAL_KEYS.errorCode]: "",
      [EXTERNAL_KEYS.errorPrompt]: "",
      [EXTERNAL_KEYS.turn]: event.Details.Parameters[FLOW_PARAMETERS.turn] ?? "",
      [EXTERNAL_KEYS.nextTurn]: String(Number(event.Details.Parameters[FLOW_PARAMETERS.turn] ?? "0") + 1),
    };
  };
  const functions: LambdaFunctions = {
    [HOLDLINE_ARNS.start]: answer,
    [HOLDLINE_REGISTER_ARN]: async (event) => registered(event),
    [HOLDLINE_ARNS.status]: answer,
    [HOLDLINE_ARNS.answer]: answer,
  };
  return { functions, calls };
}

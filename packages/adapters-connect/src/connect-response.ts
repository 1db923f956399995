import { HoldlineError } from "@holdline/domain/errors";
import {
  type ConnectStatus,
  ERROR_PROMPT,
  EXTERNAL_KEYS,
  EXTERNAL_STATUS,
  type ExternalKey,
} from "@holdline/connect-contract/flow-contract";
import { joinParts } from "@holdline/domain/execution/answer-parts";
import { type AnswerLimits, capAnswer, fits, measure } from "./answer-cap.ts";
import { isConnectEventError } from "./connect-event-error.ts";
import type { ConnectMappingOptions } from "./connect-mapping.options.ts";
import type { ConnectView, ErrorPrompt, ProgressiveView } from "./connect-view.ts";

/**
 * What a Connect-facing handler returns: a flat map of strings, which both `STRING_MAP` and `JSON`
 * response validation accept. `turn` and `nextTurn` are decimal strings, or "" when the turn is unknown;
 * `cursor` and `answerParts` decimal strings when the flow is progressive (it sent a cursor), else ""; `errorPrompt` `full` or
 * `short` with `status` `error`, else "".
 */
export type ConnectResponse = { readonly [K in ExternalKey]: string } & {
  readonly [EXTERNAL_KEYS.status]: ConnectStatus;
};

type ResponseOptions = Pick<ConnectMappingOptions, "maxAnswerChars" | "maxResponseBytes">;

/** Kept free in the response for a cursor longer than the one measured (a digit or two) and rounding. */
const RESPONSE_SLACK_BYTES = 16;

/** The response for an execution's current state; a long answer is cut at a sentence boundary to fit. */
export function toConnectResponse(view: ConnectView, options: ResponseOptions): ConnectResponse {
  if (view.progressive !== undefined) return progressiveResponse(view, view.progressive, options);
  const response = build(view.status, view.turn, errorOf(view));
  const answer = view.status === EXTERNAL_STATUS.completed ? (view.answer ?? "") : "";
  if (answer === "") return response;
  const room = options.maxResponseBytes - serializedBytes(response);
  return {
    ...response,
    [EXTERNAL_KEYS.answer]: capAnswer(answer, { maxChars: options.maxAnswerChars, maxBytes: room }),
  };
}

/**
 * Progressive answers: as many of the unheard parts as fit Connect's limits (the answer's characters, the
 * response's bytes), whole; `cursor` is the parts heard once they are spoken. When not all fit, the status is
 * `partial` whatever the execution's (the flow speaks them and asks again for the rest); a single part too
 * long to fit on its own is cut (`capAnswer`) and counted as heard.
 */
function progressiveResponse(
  view: ConnectView,
  { heard, unheard, locale }: ProgressiveView,
  options: ResponseOptions,
): ConnectResponse {
  const widest = build(view.status, view.turn, errorOf(view), heard + unheard.length);
  const limits: AnswerLimits = {
    maxChars: options.maxAnswerChars,
    maxBytes: options.maxResponseBytes - serializedBytes(widest) - RESPONSE_SLACK_BYTES,
  };
  const separator = measure(joinParts(locale, ["", ""]));
  let size = { chars: 0, bytes: 0 };
  let taken = 0;
  for (const part of unheard) {
    const added = measure(part);
    const gap = taken === 0 ? { chars: 0, bytes: 0 } : separator;
    const next = { chars: size.chars + gap.chars + added.chars, bytes: size.bytes + gap.bytes + added.bytes };
    if (!fits(next, limits)) break;
    size = next;
    taken += 1;
  }
  let answer = joinParts(locale, unheard.slice(0, taken));
  if (taken === 0 && unheard.length > 0) {
    answer = capAnswer(unheard[0] ?? "", limits);
    taken = 1;
  }
  const status = taken === unheard.length ? view.status : EXTERNAL_STATUS.partial;
  const error = status === EXTERNAL_STATUS.error ? errorOf(view) : undefined;
  return {
    ...build(status, view.turn, error, heard + taken),
    [EXTERNAL_KEYS.answer]: answer,
    [EXTERNAL_KEYS.answerParts]: String(taken),
  };
}

interface ErrorKeys {
  readonly errorCode: string;
  readonly errorPrompt: ErrorPrompt;
}

const errorOf = (view: ConnectView): ErrorKeys | undefined =>
  view.status === EXTERNAL_STATUS.error
    ? { errorCode: view.errorCode ?? "internal_error", errorPrompt: view.errorPrompt ?? ERROR_PROMPT.full }
    : undefined;

/**
 * The response for a failure before or outside an execution: a refused event, or a domain error such as
 * `store_unavailable`. Only stable codes leave: a `HoldlineError`'s code, a refused event's code, and
 * `internal_error` for anything else, whose details belong in the log, not in the flow. With the flow's
 * `cursor` (progressive), the error prompt is `short` once the caller has heard a part, else `full`.
 */
export function toConnectErrorResponse(
  error: unknown,
  context: { readonly turn?: number; readonly cursor?: number } = {},
): ConnectResponse {
  const errorPrompt = (context.cursor ?? 0) > 0 ? ERROR_PROMPT.short : ERROR_PROMPT.full;
  return build(
    EXTERNAL_STATUS.error,
    context.turn,
    { errorCode: errorCodeOf(error), errorPrompt },
    context.cursor,
  );
}

export function errorCodeOf(error: unknown): string {
  if (error instanceof HoldlineError) return error.code;
  if (isConnectEventError(error)) return error.code;
  return "internal_error";
}

/** Size of a response as Lambda returns it to Connect (compact JSON, UTF-8). */
export const serializedBytes = (response: ConnectResponse): number =>
  Buffer.byteLength(JSON.stringify(response), "utf8");

function build(
  status: ConnectStatus,
  turn: number | undefined,
  error: ErrorKeys | undefined,
  cursor?: number,
): ConnectResponse {
  const known = turn !== undefined && Number.isSafeInteger(turn) && turn >= 1;
  return {
    [EXTERNAL_KEYS.status]: status,
    [EXTERNAL_KEYS.answer]: "",
    [EXTERNAL_KEYS.errorCode]: error?.errorCode ?? "",
    [EXTERNAL_KEYS.cursor]: cursor === undefined ? "" : String(cursor),
    // Progressive: none until the parts taken are counted (`progressiveResponse`).
    [EXTERNAL_KEYS.answerParts]: cursor === undefined ? "" : "0",
    [EXTERNAL_KEYS.errorPrompt]: error?.errorPrompt ?? "",
    [EXTERNAL_KEYS.turn]: known ? String(turn) : "",
    [EXTERNAL_KEYS.nextTurn]: known ? String(turn + 1) : "",
  };
}

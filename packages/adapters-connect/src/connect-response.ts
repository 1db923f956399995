import { HoldlineError } from "@holdline/domain/errors";
import type { ConnectStatus, ConnectView } from "@holdline/domain/execution/connect-view";
import { capAnswer } from "./answer-cap.ts";
import { isConnectEventError } from "./connect-event-error.ts";
import type { ConnectMappingOptions } from "./connect-mapping.options.ts";

/** Every response carries exactly these keys, so `$.External.<key>` is always defined in the flow. */
export const CONNECT_RESPONSE_KEYS = ["status", "answer", "errorCode", "turn", "nextTurn"] as const;

/**
 * What a Connect-facing handler returns: a flat map of strings, which both `STRING_MAP` and `JSON`
 * response validation accept. `turn` and `nextTurn` are decimal strings, or "" when the turn is unknown.
 */
export type ConnectResponse = { readonly [K in (typeof CONNECT_RESPONSE_KEYS)[number]]: string } & {
  readonly status: ConnectStatus;
};

type ResponseOptions = Pick<ConnectMappingOptions, "maxAnswerChars" | "maxResponseBytes">;

/** The response for an execution's current state; a long answer is cut at a sentence boundary to fit. */
export function toConnectResponse(view: ConnectView, options: ResponseOptions): ConnectResponse {
  const response = build(
    view.status,
    view.status === "error" ? (view.errorCode ?? "internal_error") : "",
    view.turn,
  );
  const answer = view.status === "completed" ? (view.answer ?? "") : "";
  if (answer === "") return response;
  const room = options.maxResponseBytes - serializedBytes(response);
  return { ...response, answer: capAnswer(answer, { maxChars: options.maxAnswerChars, maxBytes: room }) };
}

/**
 * The response for a failure before or outside an execution: a refused event, or a domain error such as
 * `store_unavailable`. Only stable codes leave: a `HoldlineError`'s code, a refused event's code, and
 * `internal_error` for anything else, whose details belong in the log, not in the flow.
 */
export function toConnectErrorResponse(
  error: unknown,
  context: { readonly turn?: number } = {},
): ConnectResponse {
  return build("error", errorCodeOf(error), context.turn);
}

export function errorCodeOf(error: unknown): string {
  if (error instanceof HoldlineError) return error.code;
  if (isConnectEventError(error)) return error.code;
  return "internal_error";
}

/** Size of a response as Lambda returns it to Connect (compact JSON, UTF-8). */
export const serializedBytes = (response: ConnectResponse): number =>
  Buffer.byteLength(JSON.stringify(response), "utf8");

function build(status: ConnectStatus, errorCode: string, turn: number | undefined): ConnectResponse {
  const known = turn !== undefined && Number.isSafeInteger(turn) && turn >= 1;
  return {
    status,
    answer: "",
    errorCode,
    turn: known ? String(turn) : "",
    nextTurn: known ? String(turn + 1) : "",
  };
}

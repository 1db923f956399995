import { HoldlineError } from "@holdline/domain/errors";
import {
  type ConnectStatus,
  EXTERNAL_KEYS,
  EXTERNAL_STATUS,
  type ExternalKey,
} from "@holdline/connect-contract/flow-contract";
import { capAnswer } from "./answer-cap.ts";
import { isConnectEventError } from "./connect-event-error.ts";
import type { ConnectMappingOptions } from "./connect-mapping.options.ts";
import type { ConnectView } from "./connect-view.ts";

/**
 * What a Connect-facing handler returns: a flat map of strings, which both `STRING_MAP` and `JSON`
 * response validation accept. `turn` and `nextTurn` are decimal strings, or "" when the turn is unknown.
 */
export type ConnectResponse = { readonly [K in ExternalKey]: string } & {
  readonly [EXTERNAL_KEYS.status]: ConnectStatus;
};

type ResponseOptions = Pick<ConnectMappingOptions, "maxAnswerChars" | "maxResponseBytes">;

/** The response for an execution's current state; a long answer is cut at a sentence boundary to fit. */
export function toConnectResponse(view: ConnectView, options: ResponseOptions): ConnectResponse {
  const response = build(
    view.status,
    view.status === EXTERNAL_STATUS.error ? (view.errorCode ?? "internal_error") : "",
    view.turn,
  );
  const answer = view.status === EXTERNAL_STATUS.completed ? (view.answer ?? "") : "";
  if (answer === "") return response;
  const room = options.maxResponseBytes - serializedBytes(response);
  return {
    ...response,
    [EXTERNAL_KEYS.answer]: capAnswer(answer, { maxChars: options.maxAnswerChars, maxBytes: room }),
  };
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
  return build(EXTERNAL_STATUS.error, errorCodeOf(error), context.turn);
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
    [EXTERNAL_KEYS.status]: status,
    [EXTERNAL_KEYS.answer]: "",
    [EXTERNAL_KEYS.errorCode]: errorCode,
    [EXTERNAL_KEYS.turn]: known ? String(turn) : "",
    [EXTERNAL_KEYS.nextTurn]: known ? String(turn + 1) : "",
  };
}

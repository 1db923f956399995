import { type ConnectStatus, ERROR_PROMPT, EXTERNAL_STATUS } from "@holdline/connect-contract/flow-contract";
import { joinParts } from "@holdline/domain/execution/answer-parts";
import { type Execution, partsOf } from "@holdline/domain/execution/execution";

/** What a contact flow is told about an execution: its state in the seed's vocabulary. */

export type ErrorPrompt = (typeof ERROR_PROMPT)[keyof typeof ERROR_PROMPT];

/**
 * Progressive answers (the flow sent a cursor): the parts of the answer the caller has not heard yet. The
 * response speaks as many of them as fit (`toConnectResponse`) and says how many parts are then heard.
 */
export interface ProgressiveView {
  /** The parts the caller has heard (the cursor the flow sent). */
  readonly heard: number;
  /** The parts after them, in order, to speak now; more may come while the execution runs. */
  readonly unheard: readonly string[];
  /** The answer's locale: how parts are joined (`joinParts`). */
  readonly locale: string;
}

export interface ConnectView {
  readonly status: ConnectStatus;
  readonly turn: number;
  /**
   * What to speak: the whole answer of a completed execution; with progressive answers, the unheard parts
   * joined (before the response fits them into its limits).
   */
  readonly answer?: string;
  readonly errorCode?: string;
  /** With `status` `error`: `short` when the caller heard (or now hears) part of the answer, else `full`. */
  readonly errorPrompt?: ErrorPrompt;
  /** Present when the flow is progressive (it sent a cursor). */
  readonly progressive?: ProgressiveView;
}

/**
 * What the flow is told about a registered execution that could not be read in time: still in progress. With
 * the flow's cursor, the cursor stays where it is (nothing new to speak).
 */
export const inProgressView = (turn: number, cursor?: number): ConnectView => ({
  status: EXTERNAL_STATUS.inProgress,
  turn,
  ...(cursor === undefined ? {} : { progressive: { heard: cursor, unheard: [], locale: "" } }),
});

/**
 * The view of an execution. Without a cursor (the flow is not progressive): exactly the seed's — `in_progress`
 * until it ends, then `completed` with the whole answer or `error` with its code. With the cursor the flow
 * sent (how many parts the caller has heard):
 * - queued or running with parts past the cursor: `partial`, those parts;
 * - queued or running without: `in_progress`;
 * - completed: `completed`, the parts past the cursor (possibly none);
 * - failed: `error`, the parts past the cursor, and the `short` error prompt when the answer had any part
 *   (the caller heard the beginning of an answer), `full` otherwise.
 */
export function toConnectView(execution: Execution, cursor?: number): ConnectView {
  if (cursor === undefined) return seedView(execution);
  const parts = partsOf(execution);
  const unheard = parts.slice(cursor);
  const progressive: ProgressiveView = { heard: cursor, unheard, locale: execution.input.locale };
  const turn = execution.turn;
  const answer = joinParts(execution.input.locale, unheard);
  switch (execution.status) {
    case "queued":
    case "running":
      return unheard.length === 0
        ? { status: EXTERNAL_STATUS.inProgress, turn, progressive }
        : { status: EXTERNAL_STATUS.partial, turn, answer, progressive };
    case "completed":
      return { status: EXTERNAL_STATUS.completed, turn, answer, progressive };
    case "failed":
      return {
        status: EXTERNAL_STATUS.error,
        turn,
        errorCode: execution.error?.code ?? "internal_error",
        errorPrompt: parts.length > 0 ? ERROR_PROMPT.short : ERROR_PROMPT.full,
        answer,
        progressive,
      };
  }
}

function seedView(execution: Execution): ConnectView {
  switch (execution.status) {
    case "queued":
    case "running":
      return { status: EXTERNAL_STATUS.inProgress, turn: execution.turn };
    case "completed":
      return { status: EXTERNAL_STATUS.completed, turn: execution.turn, answer: execution.answer ?? "" };
    case "failed":
      return {
        status: EXTERNAL_STATUS.error,
        turn: execution.turn,
        errorCode: execution.error?.code ?? "internal_error",
      };
  }
}

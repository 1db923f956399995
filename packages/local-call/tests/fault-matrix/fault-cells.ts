import type { Strategy } from "@holdline/contact-flow/holdline/holdline-flows";
import type { Fault } from "@holdline/local-aws/fault-proxy";

/**
 * The fault matrix's cells: one fault at one step of a call, for one strategy, and what the caller must hear.
 * Expectations come from issue 15 ("Done when"), not from what the code does today.
 */

/** Where in the call the fault strikes, and through which proxy. */
export type Step =
  /**
   * connect-start's conditional PutItem (native-async too: it registers the turn before connect-answer, which
   * registers one only when it does not find it).
   */
  | "create"
  /** connect-start's Lambda `Invoke` (Event) of the worker (in native-async, before connect-answer waits). */
  | "dispatch"
  /** The worker's (or connect-answer's) UpdateItem queued → running. */
  | "claim"
  /** The Converse call to Bedrock (the stub, over HTTP/2). */
  | "model"
  /** The UpdateItem running → completed. */
  | "complete"
  /** connect-status's first GetItem. */
  | "status-read"
  /** The UpdateItem → failed: failure-recorder after a worker crash (polling), answer-worker after a model error (native-async). */
  | "failure-record";

export const STEPS: Readonly<Record<Strategy, readonly Step[]>> = {
  polling: ["create", "dispatch", "claim", "model", "complete", "status-read", "failure-record"],
  // Progressive answers (the default): connect-start registers the turn and dispatches answer-worker as in
  // polling, then connect-answer's own long-poll reads the turn; no status read (no connect-status).
  "native-async": ["create", "dispatch", "claim", "model", "complete", "failure-record"],
};

export type StepFault = "delay" | "drop" | "reset" | "refuse" | "hang";
export const STEP_FAULTS: readonly StepFault[] = ["delay", "drop", "reset", "refuse", "hang"];

/** A representative of each fault, short enough for real time. */
export const FAULTS: Readonly<Record<StepFault, Fault>> = {
  // Under DynamoDB's 1.5 s and Lambda's 2 s request timeouts, with room for a loaded machine: a late reply,
  // still heard.
  delay: { kind: "delay", ms: 1_000 },
  // Applied by the server; the client hears nothing until its request timeout.
  drop: { kind: "drop" },
  reset: { kind: "reset" },
  // The service unreachable for 2 s from that request on.
  refuse: { kind: "refuse", forMs: 2_000 },
  // Never reaches the server; the SDK's retry (if any) goes through.
  hang: { kind: "hang" },
};

/** Every reply of one service, slowed for the whole call. */
export type Slowdown = "store" | "dispatch" | "model";

export type CellFault =
  | { readonly kind: "none" }
  | { readonly kind: "step"; readonly step: Step; readonly fault: StepFault }
  | { readonly kind: "slow"; readonly service: Slowdown; readonly ms: number };

export const SLOWDOWNS: Readonly<Record<Strategy, readonly { service: Slowdown; ms: number }[]>> = {
  polling: [
    { service: "store", ms: 500 },
    // The figure: connect-start used its whole 8 s block.
    { service: "store", ms: 1_400 },
    { service: "dispatch", ms: 1_500 },
    { service: "model", ms: 1_500 },
  ],
  "native-async": [
    { service: "store", ms: 500 },
    { service: "store", ms: 1_400 },
    { service: "model", ms: 1_500 },
  ],
};

/**
 * What the caller must hear:
 * - `answer`: the answer, within `ANSWER_AFTER_MODEL_MS` of the model finishing; one model call per attempt;
 *   completed.
 * - `error`: the error prompt (not the answer, not "unavailable"), within `ERROR_AFTER_KNOWABLE_MS` of the
 *   failure being knowable (plus what the injected fault itself costs: a delay, a request timeout); at most
 *   one model call per attempt; the turn failed (or was never registered) by the time the caller heard so.
 * - `answer-or-error`: either, each with its own bound.
 * Every cell besides: no silence over the budget's gap (+ `SILENCE_TOLERANCE_MS`), no
 * Connect-facing attempt over its block limit, no invocation error, the call ends by the flow (goodbye).
 */
export type Expected = "answer" | "error" | "answer-or-error";

export const ANSWER_AFTER_MODEL_MS = 5_000;
export const ERROR_AFTER_KNOWABLE_MS = 5_000;
/** Scheduling jitter of a real-time call on a loaded machine (every cell runs at once). */
export const SILENCE_TOLERANCE_MS = 250;

export interface Cell {
  readonly id: string;
  readonly strategy: Strategy;
  readonly fault: CellFault;
  readonly expected: Expected;
}

/** From the issue: a lost or late reply costs at most seconds; an outage at a step is answered or heard as an error. */
function expectedOf(fault: CellFault): Expected {
  if (fault.kind !== "step") return "answer";
  if (fault.step === "failure-record") return "error";
  // A lost model reply: the client waits for its timeout (derived from the deadline), then retries or fails.
  if (fault.step === "model" && (fault.fault === "drop" || fault.fault === "hang")) return "answer-or-error";
  if (fault.fault !== "refuse") return "answer";
  // An outage: where the execution is known to be registered and the answer can still come, it must;
  // before registration (create) or before any work (claim, model) an error prompt is acceptable.
  return fault.step === "create" || fault.step === "claim" || fault.step === "model"
    ? "answer-or-error"
    : "answer";
}

export const cellId = (strategy: Strategy, fault: CellFault): string => {
  const what =
    fault.kind === "none"
      ? "no fault"
      : fault.kind === "slow"
        ? `slow ${fault.service} ${fault.ms} ms`
        : `${fault.fault} at ${fault.step}`;
  return `${strategy}: ${what}`;
};

export function cellsOf(strategy: Strategy): Cell[] {
  const faults: CellFault[] = [
    { kind: "none" },
    ...STEPS[strategy].flatMap((step) =>
      STEP_FAULTS.map((fault): CellFault => ({ kind: "step", step, fault })),
    ),
    ...SLOWDOWNS[strategy].map((slow): CellFault => ({ kind: "slow", ...slow })),
  ];
  return faults.map((fault) => ({
    id: cellId(strategy, fault),
    strategy,
    fault,
    expected: expectedOf(fault),
  }));
}

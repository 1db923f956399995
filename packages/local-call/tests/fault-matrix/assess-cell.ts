import { deriveBudget } from "@holdline/budget/timing-budget";
import type { CellObservation } from "./fault-cell.ts";
import {
  ANSWER_AFTER_MODEL_MS,
  ERROR_AFTER_KNOWABLE_MS,
  FAULTS,
  SILENCE_TOLERANCE_MS,
} from "./fault-cells.ts";

const budget = deriveBudget();
const BLOCK_LIMIT_MS: Readonly<Record<string, number>> = {
  "connect-start": budget.connectStart.blockLimitSeconds * 1_000,
  "connect-status": budget.connectStatus.blockLimitSeconds * 1_000,
  "connect-answer": budget.connectAnswer.blockLimitSeconds * 1_000,
};
/** native-async: the turn connect-answer registers for answer-worker (progressive answers, the default). */
const DEADLINE_MS = {
  polling: budget.policy.deadlineMs,
  "native-async": budget.choices.progressiveAnswers
    ? budget.connectAnswer.progressive.deadlineMs
    : budget.connectAnswer.deadlineMs,
};

/** A failure recorded this soon after the prompt still explains it (the write and the flow race). */
const JUSTIFICATION_SLACK_MS = 1_000;

const s = (ms: number | undefined) => (ms === undefined ? "–" : `${(ms / 1_000).toFixed(1)} s`);

/**
 * What the injected fault itself costs on its way to the caller: a delay's length, the request timeout a lost
 * reply or request is noticed by (refusals are counted in `knowableAt`).
 */
function faultCostMs(observation: CellObservation): number {
  const { fault } = observation.cell;
  if (fault.kind !== "step") return 0;
  const injected = FAULTS[fault.fault];
  if (injected.kind === "delay") return injected.ms;
  if (injected.kind !== "drop" && injected.kind !== "hang") return 0;
  if (fault.step === "dispatch") return budget.lambdaInvoke.requestTimeoutMs;
  return fault.step === "model" ? 0 : budget.dynamodb.requestTimeoutMs;
}

/** When the failure the caller should hear about became knowable, since the question. */
function knowableAt(observation: CellObservation): number | undefined {
  const { fault, strategy } = observation.cell;
  if (fault.kind !== "step") return undefined;
  if (fault.step === "failure-record") return observation.failureKnowableAt;
  const injected = FAULTS[fault.fault];
  if (injected.kind === "refuse") return (observation.faultAt ?? 0) + injected.forMs;
  // A lost model reply is only knowable when the model client gives up, which derives from the deadline.
  if (fault.step === "model" && (fault.fault === "drop" || fault.fault === "hang"))
    return DEADLINE_MS[strategy];
  return observation.faultAt;
}

/**
 * The error prompt must mean the turn failed: it was never registered, or it failed (recorded, or knowably:
 * the model refused, the worker died) no later than the caller heard so. Not a store or dispatcher blip while
 * the turn was registered and still able to finish (issue 15, item 3), and not a failure left unrecorded.
 */
function unjustifiedError(observation: CellObservation): string[] {
  const { finalStatus, errorAt = 0, finishedAt, failureKnowableAt } = observation;
  if (finalStatus === "absent") return [];
  if (finalStatus !== "failed") {
    return [`error prompt at ${s(errorAt)}, but the turn was left ${finalStatus}`];
  }
  const failedBy = Math.min(
    finishedAt ?? Number.POSITIVE_INFINITY,
    failureKnowableAt ?? Number.POSITIVE_INFINITY,
  );
  return errorAt + JUSTIFICATION_SLACK_MS < failedBy
    ? [`error prompt at ${s(errorAt)} while the turn was still able to finish (it failed at ${s(failedBy)})`]
    : [];
}

/** Every way the observation falls short of its cell's expectation; empty when the cell passes. */
export function shortfalls(observation: CellObservation): string[] {
  const found: string[] = [];
  const { expected } = observation.cell;
  const { heard } = observation;
  const answerExpected = expected === "answer" || expected === "answer-or-error";
  const errorExpected = expected === "error" || expected === "answer-or-error";
  if (heard === "answer" && !answerExpected) found.push("heard the answer, expected the error prompt");
  if (heard === "error" && !errorExpected) found.push(`heard the error prompt at ${s(observation.errorAt)}`);
  if (heard === "unavailable")
    found.push("heard the 'unavailable' prompt (a Connect-facing invocation failed)");
  if (heard === "nothing") found.push("heard neither the answer nor an error prompt");
  // Once the call and every background invocation are over, nothing would ever end a turn still open.
  if (observation.finalStatus === "queued" || observation.finalStatus === "running") {
    found.push(`turn stranded: left ${observation.finalStatus} once everything had finished`);
  }

  if (heard === "answer") {
    const after =
      observation.answerAt === undefined || observation.modelDoneAt === undefined
        ? undefined
        : observation.answerAt - observation.modelDoneAt;
    if (after === undefined || after > ANSWER_AFTER_MODEL_MS) {
      found.push(`answer ${s(after)} after the model finished (limit ${s(ANSWER_AFTER_MODEL_MS)})`);
    }
    if (observation.modelCalls < 1 || observation.modelCalls > Math.max(1, observation.attempts)) {
      found.push(`${observation.modelCalls} model calls for ${observation.attempts} attempts`);
    }
    if (observation.finalStatus !== "completed") found.push(`execution ${observation.finalStatus}`);
  }
  if (heard === "error" && errorExpected) {
    const knowable = knowableAt(observation);
    const after =
      observation.errorAt === undefined || knowable === undefined
        ? undefined
        : observation.errorAt - knowable;
    const limit = ERROR_AFTER_KNOWABLE_MS + faultCostMs(observation);
    if (after !== undefined && after > limit) {
      found.push(`error prompt ${s(after)} after the failure was knowable (limit ${s(limit)})`);
    }
    // A crashed attempt may be followed by another: one model call per attempt, never more.
    if (observation.modelCalls > Math.max(1, observation.attempts)) {
      found.push(`${observation.modelCalls} model calls for ${observation.attempts} attempts`);
    }
    found.push(...unjustifiedError(observation));
  }

  // A starved test process fires every timer late, the emulator's too: that much is the harness, not Holdline.
  const silenceLimit = budget.choices.maxSilenceMs + SILENCE_TOLERANCE_MS + observation.schedulingLagMs;
  if (observation.longestSilenceMs > silenceLimit) {
    found.push(
      `silence of ${s(observation.longestSilenceMs)} (gap ${s(budget.choices.maxSilenceMs)}, ${s(silenceLimit)} with jitter and this process's scheduling lag)`,
    );
  }
  for (const [name, ms] of Object.entries(observation.longestAttemptMs)) {
    const limit = BLOCK_LIMIT_MS[name];
    if (limit !== undefined && ms > limit) found.push(`${name} ran ${s(ms)} (block limit ${s(limit)})`);
  }
  for (const error of observation.invocationErrors) found.push(`invocation error: ${error}`);
  if (observation.endReason !== "disconnected") found.push(`the call ended ${observation.endReason}`);
  return found;
}

/** One line for the report: what the caller heard, when, and what it cost. */
export function summary(observation: CellObservation): string {
  const attempts = Object.entries(observation.longestAttemptMs)
    .map(([name, ms]) => `${name.replace("connect-", "")} ${s(ms)}`)
    .join(", ");
  const heardAt = observation.heard === "answer" ? observation.answerAt : observation.errorAt;
  const afterModel =
    observation.heard === "answer" &&
    observation.answerAt !== undefined &&
    observation.modelDoneAt !== undefined
      ? ` (${s(observation.answerAt - observation.modelDoneAt)} after the model)`
      : "";
  return [
    `${observation.cell.id}:`,
    `heard ${observation.heard} at ${s(heardAt)}${afterModel};`,
    `longest silence ${s(observation.longestSilenceMs)};`,
    `longest attempts ${attempts};`,
    ...(observation.errorResponses.length === 0
      ? []
      : [`answered error [${observation.errorResponses.join("; ")}];`]),
    `model calls ${observation.modelCalls} (${observation.modelRequests} at the stub);`,
    `stored ${observation.finalStatus}${observation.errorCode === undefined ? "" : ` ${observation.errorCode}`}${
      observation.finishedAt === undefined ? "" : ` at ${s(observation.finishedAt)}`
    };`,
    `faulted [${observation.faulted.join("; ")}];`,
    `wall ${s(observation.wallMs)}, scheduling lag up to ${s(observation.schedulingLagMs)}`,
  ].join(" ");
}

import type { Strategy } from "@holdline/contact-flow/holdline/holdline-flows";

export type AppName =
  | "connect-start"
  | "connect-status"
  | "connect-answer"
  | "answer-worker"
  | "failure-recorder"
  | "lex-transcript"
  | TextAppName;

/**
 * The apps of the answer by text message, deployed by any strategy when `holdline:textOffer.enabled` is true and
 * by none otherwise: the flow's offer (connect-text-offer, which Connect invokes), the contact-event hook
 * (caller-left) and the stream consumer that sends the text (text-delivery).
 */
export const TEXT_APPS = ["connect-text-offer", "caller-left", "text-delivery"] as const;
export type TextAppName = (typeof TEXT_APPS)[number];

/** What one answer strategy runs: a stack deploys these functions and grants these uses, nothing else. */
export interface StrategyDeployment {
  /** The functions the stack deploys (each with its log group, role and alarms). */
  readonly functions: readonly AppName[];
  /**
   * The functions the flow invokes: associated with the Connect instance, which itself adds the
   * `lambda:InvokeFunction` statement for the instance to each function's resource policy.
   */
  readonly invokedByFlow: readonly AppName[];
  /** The functions that call the model: the Bedrock settings and permission. */
  readonly modelCallers: readonly AppName[];
  /** The functions that invoke answer-worker asynchronously (`Event`). */
  readonly workerDispatchers: readonly AppName[];
  /** answer-worker's failed events go to the failure queue, which failure-recorder drains. */
  readonly workerFailurePipeline: boolean;
}

/**
 * A row of the table: a strategy, and native-async's second form, with progressive answers (connect-start
 * registers and dispatches on the caller's path, connect-answer waits for the parts answer-worker writes).
 */
export type DeploymentName = Strategy | "native-async-progressive";

/**
 * Each deployment's functions and uses, in one place: a polling stack has no connect-answer; a native-async
 * stack without progressive answers no connect-start, worker, recorder or failure queue; one with progressive
 * answers has answer-worker write the answer (a Lambda's work stops when it returns, so the worker writes
 * it while each asynchronous invocation of connect-answer returns the parts written so far). There the flow
 * first invokes connect-start, synchronously, which registers the turn and dispatches the worker on the
 * caller's path (`HOLDLINE_START_ROLE=register`), then connect-answer, which waits for the parts and still
 * dispatches the worker itself for a turn it does not find (connect-start failed or was late). So that
 * row has connect-start, the worker, its failure pipeline and the model grant, and no model grant for
 * connect-answer. lex-transcript (the Lex code hook) serves all. A stack picks its row with `deploymentFor`.
 */
export const STRATEGY_DEPLOYMENTS = {
  polling: {
    functions: ["connect-start", "connect-status", "answer-worker", "failure-recorder", "lex-transcript"],
    invokedByFlow: ["connect-start", "connect-status"],
    modelCallers: ["answer-worker"],
    workerDispatchers: ["connect-start", "connect-status"],
    workerFailurePipeline: true,
  },
  "native-async": {
    functions: ["connect-answer", "lex-transcript"],
    invokedByFlow: ["connect-answer"],
    modelCallers: ["connect-answer"],
    workerDispatchers: [],
    workerFailurePipeline: false,
  },
  "native-async-progressive": {
    functions: ["connect-start", "connect-answer", "answer-worker", "failure-recorder", "lex-transcript"],
    invokedByFlow: ["connect-start", "connect-answer"],
    modelCallers: ["answer-worker"],
    // connect-start registers and dispatches first; connect-answer when it does not find the turn.
    workerDispatchers: ["connect-start", "connect-answer"],
    workerFailurePipeline: true,
  },
} as const satisfies Record<DeploymentName, StrategyDeployment>;

/**
 * The row a stack deploys, from its strategy and its progressive-answers setting (`holdline:progressiveAnswers`,
 * the setting the flow's `progressive` and the functions' `HOLDLINE_PROGRESSIVE_ANSWERS` also come from, so the
 * flow and the functions always agree). Polling deploys the same functions either way: its worker records parts
 * or not.
 */
export function deploymentFor(
  strategy: Strategy,
  progressiveAnswers: boolean,
): { readonly name: DeploymentName; readonly deployment: StrategyDeployment } {
  const name: DeploymentName =
    strategy === "native-async" && progressiveAnswers ? "native-async-progressive" : strategy;
  return { name, deployment: STRATEGY_DEPLOYMENTS[name] };
}

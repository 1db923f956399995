import type { Strategy } from "@holdline/contact-flow/holdline/holdline-flows";

export type AppName =
  | "connect-start"
  | "connect-status"
  | "connect-answer"
  | "answer-worker"
  | "failure-recorder"
  | "lex-transcript";

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
 * Each strategy's functions and uses, in one place: a polling stack has no connect-answer, a native-async stack
 * no worker, recorder or failure queue. lex-transcript (the Lex code hook) serves both.
 *
 * Pending (progressive answers under native-async, being built): connect-answer without Bedrock dispatching
 * answer-worker and returning its parts. Its entry will read
 * `{ functions: ["connect-answer", "answer-worker", "failure-recorder", "lex-transcript"],
 *    invokedByFlow: ["connect-answer"], modelCallers: ["answer-worker"], workerDispatchers: ["connect-answer"],
 *    workerFailurePipeline: true }`
 * under a strategy name of its own, and connect-answer's store actions follow its use cases (STORE_ACTIONS).
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
} as const satisfies Record<Strategy, StrategyDeployment>;

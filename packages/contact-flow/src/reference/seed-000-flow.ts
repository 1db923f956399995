import type { FlowDocument } from "../flow-language.ts";
import seedFlow from "./seed-000-flow.json" with { type: "json" };

/**
 * Reference data, not a Holdline flow: the console export embedded in seed 000 (a Japanese blog post on
 * Lambda timeouts with a DynamoDB status table), verbatim. It is the primary example of the flow language
 * as the console writes it, the validator's real-world test case, and the baseline the emulator and the
 * benchmark run. Its Lambda ARNs are the post's placeholders.
 */
export const SEED_000_FLOW = seedFlow as unknown as FlowDocument;

export const SEED_000_LAMBDA_ARNS = {
  /** `lambda_execution`: writes in_progress, does the slow work, writes completed (timeout 30 s). */
  execution: "arn:aws:lambda:ap-northeast-1:xxxxxxxxxxxx:function:lambda_execution",
  /** `lambda_execution_status_check`: polls the status every second (timeout 8 s). */
  statusCheck: "arn:aws:lambda:ap-northeast-1:xxxxxxxxxxxx:function:lambda_execution_status_check",
} as const;

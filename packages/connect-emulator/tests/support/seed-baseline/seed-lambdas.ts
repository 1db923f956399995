/**
 * BASELINE FIXTURES — NOT PRODUCT CODE.
 *
 * TypeScript equivalents of seed 000's two Python Lambdas, so the seed's own console export runs in the
 * emulator as the post describes, and the benchmark can compare Holdline against it. They keep the seed's
 * behaviour, flaws included: no idempotency, a fixed 1 s polling step, no deadline.
 */
import { SEED_000_LAMBDA_ARNS as SEED_LAMBDA_ARNS } from "@holdline/contact-flow/reference/seed-000-flow";
import type { Clock } from "@holdline/domain/ports/clock.port";
import type { LambdaFunctions, LambdaHandler } from "../../../src/lambda-function.ts";

/** The seed's DynamoDB table `lambda_execution_status` (partition key `contact_id`), in memory. */
export class SeedStatusTable {
  private readonly items = new Map<string, string>();
  /** Every write, in order: what DynamoDB would have seen. */
  readonly writes: { readonly contactId: string; readonly status: string; readonly at: number }[] = [];

  constructor(private readonly clock: Clock) {}

  get(contactId: string): string | undefined {
    return this.items.get(contactId);
  }

  set(contactId: string, status: string): void {
    this.items.set(contactId, status);
    this.writes.push({ contactId, status, at: this.clock.now() });
  }
}

/** The seed's Lambda timeouts (its console settings). */
export const SEED_TIMEOUTS_MS = { execution: 30_000, statusCheck: 8_000 } as const;

/** One DynamoDB request the seed's Lambdas make (boto3 `update_item` / `get_item`), as a benchmark sees it. */
export type SeedTableRequest =
  | { readonly operation: "update_item"; readonly contactId: string; readonly status: string }
  | { readonly operation: "get_item"; readonly contactId: string };

/**
 * The round trip of one table request in ms, called when the request is sent; the request takes effect
 * when it returns. For the benchmark's latency model and request meter; without it, requests are instant.
 */
export type SeedTableLatency = (request: SeedTableRequest) => number;

async function roundTrip(clock: Clock, latency: SeedTableLatency | undefined, request: SeedTableRequest) {
  if (latency !== undefined) await clock.sleep(latency(request));
}

const timedOut = (timeoutMs: number) =>
  new Error(`Task timed out after ${(timeoutMs / 1_000).toFixed(2)} seconds`);

/**
 * `lambda_execution`: writes `in_progress`, does the slow work (the post's `time.sleep(1)`, here
 * `modelTimeMs` on the clock), writes `completed`, returns `{status: "completed"}`. Killed by its 30 s
 * timeout, it never writes `completed`.
 */
export function seedExecutionLambda(
  clock: Clock,
  table: SeedStatusTable,
  modelTimeMs = 1_000,
  tableLatency?: SeedTableLatency,
): LambdaHandler {
  return async (event, context) => {
    const contactId = event.Details.ContactData.ContactId;
    await roundTrip(clock, tableLatency, { operation: "update_item", contactId, status: "in_progress" });
    table.set(contactId, "in_progress");
    const remaining = context.getRemainingTimeInMillis();
    await clock.sleep(Math.min(modelTimeMs, remaining));
    if (modelTimeMs >= remaining) throw timedOut(SEED_TIMEOUTS_MS.execution);
    await roundTrip(clock, tableLatency, { operation: "update_item", contactId, status: "completed" });
    table.set(contactId, "completed");
    return { status: "completed" };
  };
}

/**
 * `lambda_execution_status_check`: reads the status every second until it is `completed`; `error` for a
 * missing item or any other value. It never returns `in_progress`: its 8 s timeout ends it instead.
 */
export function seedStatusCheckLambda(
  clock: Clock,
  table: SeedStatusTable,
  retryDelayMs = 1_000,
  tableLatency?: SeedTableLatency,
): LambdaHandler {
  return async (event, context) => {
    const contactId = event.Details.ContactData.ContactId;
    for (;;) {
      await roundTrip(clock, tableLatency, { operation: "get_item", contactId });
      const status = table.get(contactId);
      if (status === undefined) return { status: "error" };
      if (status === "completed") return { status };
      if (status !== "in_progress") return { status: "error" };
      const remaining = context.getRemainingTimeInMillis();
      if (remaining <= 0) throw timedOut(SEED_TIMEOUTS_MS.statusCheck);
      await clock.sleep(Math.min(retryDelayMs, remaining));
    }
  };
}

export { SEED_LAMBDA_ARNS };

export interface SeedBaseline {
  readonly table: SeedStatusTable;
  /** Mapped to the seed export's ARNs, with the seed's timeouts. */
  readonly functions: LambdaFunctions;
}

export function seedBaseline(
  clock: Clock,
  options: {
    readonly modelTimeMs?: number;
    readonly retryDelayMs?: number;
    readonly tableLatency?: SeedTableLatency;
  } = {},
): SeedBaseline {
  const table = new SeedStatusTable(clock);
  return {
    table,
    functions: {
      [SEED_LAMBDA_ARNS.execution]: {
        handler: seedExecutionLambda(clock, table, options.modelTimeMs, options.tableLatency),
        timeoutMs: SEED_TIMEOUTS_MS.execution,
      },
      [SEED_LAMBDA_ARNS.statusCheck]: {
        handler: seedStatusCheckLambda(clock, table, options.retryDelayMs, options.tableLatency),
        timeoutMs: SEED_TIMEOUTS_MS.statusCheck,
      },
    },
  };
}

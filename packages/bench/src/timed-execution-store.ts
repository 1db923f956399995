import type { Execution, ExecutionKey } from "@holdline/domain/execution/execution";
import type {
  CreateResult,
  ExecutionStore,
  ExpectedState,
} from "@holdline/domain/ports/execution-store.port";
import type { StoreLoad } from "./concurrency-accounting.ts";
import { percentile } from "./sample-statistics.ts";

/** Whatever the store threw, by its stable code; a refused conditional write is not a failure of the store. */
const codeOf = (error: unknown): string => {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : "unclassified";
};

const NOT_A_FAILURE = new Set(["stale_version"]);

/** A store call that did not succeed: refused (`stale_version`) or failed, for a turn's trace. */
export interface UnsuccessfulStoreCall {
  /** Epoch ms on the wall clock (`Date.now()`), when the call was made. */
  readonly at: number;
  readonly contactId: string;
  /** E.g. `get`, `create`, `transition queued → running`. */
  readonly what: string;
  readonly code: string;
  readonly ms: number;
}

/**
 * The store as the handlers see it under load, timed: how long each call took on the wall clock (SDK
 * retries and the wait for a socket included) and how many ended in an error, i.e. how saturated it was.
 */
export class TimedExecutionStore implements ExecutionStore {
  private readonly latenciesMs: number[] = [];
  private readonly failures: Record<string, number> = {};
  /** Every refused or failed call, in order. */
  readonly unsuccessful: UnsuccessfulStoreCall[] = [];

  constructor(private readonly inner: ExecutionStore) {}

  get(key: ExecutionKey): Promise<Execution | undefined> {
    return this.timed(key.contactId, "get", () => this.inner.get(key));
  }

  createIfAbsent(execution: Execution): Promise<CreateResult> {
    return this.timed(execution.contactId, "create", () => this.inner.createIfAbsent(execution));
  }

  transition(next: Execution, expected: ExpectedState): Promise<Execution> {
    return this.timed(next.contactId, `transition ${expected.status} → ${next.status}`, () =>
      this.inner.transition(next, expected),
    );
  }

  recentTurns(contactId: string, beforeTurn: number, limit: number): Promise<Execution[]> {
    return this.timed(contactId, "recent turns", () => this.inner.recentTurns(contactId, beforeTurn, limit));
  }

  load(): StoreLoad {
    return {
      calls: this.latenciesMs.length,
      latencyP50Ms: percentile(this.latenciesMs, 50),
      latencyP99Ms: percentile(this.latenciesMs, 99),
      failures: { ...this.failures },
    };
  }

  private async timed<T>(contactId: string, what: string, call: () => Promise<T>): Promise<T> {
    const at = Date.now();
    const started = performance.now();
    try {
      return await call();
    } catch (error) {
      const code = codeOf(error);
      if (!NOT_A_FAILURE.has(code)) this.failures[code] = (this.failures[code] ?? 0) + 1;
      this.unsuccessful.push({ at, contactId, what, code, ms: performance.now() - started });
      throw error;
    } finally {
      this.latenciesMs.push(performance.now() - started);
    }
  }
}

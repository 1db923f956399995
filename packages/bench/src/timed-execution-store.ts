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

/**
 * The store as the handlers see it under load, timed: how long each call took on the wall clock (SDK
 * retries and the wait for a socket included) and how many ended in an error, i.e. how saturated it was.
 */
export class TimedExecutionStore implements ExecutionStore {
  private readonly latenciesMs: number[] = [];
  private readonly failures: Record<string, number> = {};

  constructor(private readonly inner: ExecutionStore) {}

  get(key: ExecutionKey): Promise<Execution | undefined> {
    return this.timed(() => this.inner.get(key));
  }

  createIfAbsent(execution: Execution): Promise<CreateResult> {
    return this.timed(() => this.inner.createIfAbsent(execution));
  }

  transition(next: Execution, expected: ExpectedState): Promise<Execution> {
    return this.timed(() => this.inner.transition(next, expected));
  }

  recentTurns(contactId: string, beforeTurn: number, limit: number): Promise<Execution[]> {
    return this.timed(() => this.inner.recentTurns(contactId, beforeTurn, limit));
  }

  load(): StoreLoad {
    return {
      calls: this.latenciesMs.length,
      latencyP50Ms: percentile(this.latenciesMs, 50),
      latencyP99Ms: percentile(this.latenciesMs, 99),
      failures: { ...this.failures },
    };
  }

  private async timed<T>(call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await call();
    } catch (error) {
      const code = codeOf(error);
      if (!NOT_A_FAILURE.has(code)) this.failures[code] = (this.failures[code] ?? 0) + 1;
      throw error;
    } finally {
      this.latenciesMs.push(performance.now() - started);
    }
  }
}

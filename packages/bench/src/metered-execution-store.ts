import { toItem } from "@holdline/adapters-dynamodb/execution-item";
import { itemSizeBytes } from "@holdline/adapters-dynamodb/item-size";
import { type Execution, type ExecutionKey, formatKey } from "@holdline/domain/execution/execution";
import type { Clock } from "@holdline/domain/ports/clock.port";
import type {
  CreateResult,
  ExecutionStore,
  ExpectedState,
} from "@holdline/domain/ports/execution-store.port";

/** The DynamoDB requests the adapter would make, and the capacity units DynamoDB would charge for them. */
export interface StoreMeter {
  requests: number;
  readUnits: number;
  writeUnits: number;
}

const READ_UNIT_BYTES = 4_096;
const WRITE_UNIT_BYTES = 1_024;
const readUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / READ_UNIT_BYTES));
const writeUnits = (bytes: number) => Math.max(1, Math.ceil(bytes / WRITE_UNIT_BYTES));
const sizeOf = (execution: Execution) => itemSizeBytes(toItem(execution));

/**
 * An `ExecutionStore` as `DynamoDbExecutionStore` uses DynamoDB, for runs on the in-memory store: each
 * call is the request(s) the adapter makes (a refused create is a `PutItem` and a `GetItem`), costs the
 * capacity units DynamoDB charges for it (strongly consistent reads: 1 per 4 KB; writes: 1 per KB of the
 * larger of the item before and after; a refused conditional write is charged too), and takes a
 * round trip drawn from `latencyMs` on the clock, half before the request lands and half after.
 */
export class MeteredExecutionStore implements ExecutionStore {
  readonly meter: StoreMeter = { requests: 0, readUnits: 0, writeUnits: 0 };
  /** The size of each item as last seen: a write is charged by the larger of before and after. */
  private readonly sizes = new Map<string, number>();

  constructor(
    private readonly inner: ExecutionStore,
    private readonly clock: Clock,
    private readonly latencyMs: () => number = () => 0,
  ) {}

  async get(key: ExecutionKey): Promise<Execution | undefined> {
    const found = await this.request(() => this.inner.get(key));
    this.read(found === undefined ? 0 : this.remember(found));
    return found;
  }

  async createIfAbsent(execution: Execution): Promise<CreateResult> {
    const result = await this.request(() => this.inner.createIfAbsent(execution));
    const existingSize = this.sizes.get(formatKey(execution)) ?? 0;
    this.write(Math.max(sizeOf(execution), existingSize));
    this.remember(result.execution);
    if (!result.created) {
      // The adapter reads the winner back with a strongly consistent GetItem.
      await this.request(async () => undefined);
      this.read(sizeOf(result.execution));
    }
    return result;
  }

  async transition(next: Execution, expected: ExpectedState): Promise<Execution> {
    const before = this.sizes.get(formatKey(next)) ?? 0;
    try {
      const written = await this.request(() => this.inner.transition(next, expected));
      this.write(Math.max(before, this.remember(written)));
      return written;
    } catch (error) {
      this.write(Math.max(before, sizeOf(next)));
      throw error;
    }
  }

  async recentTurns(contactId: string, beforeTurn: number, limit: number): Promise<Execution[]> {
    const turns = await this.request(() => this.inner.recentTurns(contactId, beforeTurn, limit));
    this.read(turns.reduce((sum, execution) => sum + sizeOf(execution), 0));
    return turns;
  }

  private async request<T>(send: () => Promise<T>): Promise<T> {
    this.meter.requests += 1;
    const roundTripMs = this.latencyMs();
    if (roundTripMs > 0) await this.clock.sleep(roundTripMs / 2);
    try {
      return await send();
    } finally {
      // A refused write's answer takes as long to come back as an accepted one's.
      if (roundTripMs > 0) await this.clock.sleep(roundTripMs / 2);
    }
  }

  private read(bytes: number) {
    this.meter.readUnits += readUnits(bytes);
  }

  private write(bytes: number) {
    this.meter.writeUnits += writeUnits(bytes);
  }

  private remember(execution: Execution): number {
    const size = sizeOf(execution);
    this.sizes.set(formatKey(execution), size);
    return size;
  }
}

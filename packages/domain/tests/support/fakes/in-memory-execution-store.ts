import {
  ItemTooLargeError,
  StaleDeliveryError,
  StaleExecutionError,
  StoreUnavailableError,
} from "../../../src/errors.ts";
import {
  type Execution,
  type ExecutionKey,
  formatKey,
  isTerminal,
} from "../../../src/execution/execution.ts";
import type { Clock } from "../../../src/ports/clock.port.ts";
import type { CreateResult, ExecutionStore, ExpectedState } from "../../../src/ports/execution-store.port.ts";
import type {
  DeliveryWriteCondition,
  TextDeliveryStore,
} from "../../../src/ports/text-delivery-store.port.ts";
import {
  awaitsAnswer,
  type DeliveryView,
  type TextDelivery,
} from "../../../src/text-delivery/text-delivery.ts";

/**
 * One change of a stored item, as the table's stream reports it: the item before (absent for a new one) and
 * after (absent once deleted), each the execution with its delivery.
 */
export interface ItemChange {
  readonly before: DeliveryView | undefined;
  readonly after: DeliveryView | undefined;
}

/** DynamoDB's item size limit; the fake refuses what the real table would refuse. */
export const MAX_ITEM_BYTES = 400 * 1024;

export interface InMemoryExecutionStoreOptions {
  /**
   * Whether a refused transition carries the stored execution (`StaleExecutionError.current`), as DynamoDB's
   * `ReturnValuesOnConditionCheckFailure: ALL_OLD` does; false behaves like dynalite, which ignores it, so
   * the writer has to read. Default true.
   */
  readonly refusalCarriesCurrent?: boolean;
  /** Keep every image written, for `history(key)`. Default false (a long benchmark would hoard them). */
  readonly keepHistory?: boolean;
}

/** A write whose reply is lost: `createIfAbsent` or `transition`. */
export type StoreWrite = "createIfAbsent" | "transition";

/**
 * What the writer hears after its write landed and the reply was lost:
 * - `retried`: what the SDK's retry of the applied write gets, a refusal (`stale_version` for a
 *   transition, the key taken for a create);
 * - `unavailable`: the call gives up with `store_unavailable`.
 */
export type LostReply = "retried" | "unavailable";

/**
 * The `ExecutionStore` in memory, with the same conditional-write semantics as the DynamoDB adapter.
 * Each operation yields once before it acts, so concurrent callers interleave as they would over a network,
 * while each check-and-write itself stays atomic.
 */
export class InMemoryExecutionStore implements ExecutionStore, TextDeliveryStore {
  private readonly items = new Map<string, Execution>();
  /** Text deliveries, stored "on" the execution's item: replaced or expired with it. */
  private readonly deliveries = new Map<string, TextDelivery>();
  private readonly listeners = new Set<(change: ItemChange) => void>();
  /** Number of calls per operation, for tests that count store traffic. */
  readonly requests = {
    get: 0,
    createIfAbsent: 0,
    transition: 0,
    recentTurns: 0,
    readDelivery: 0,
    writeDelivery: 0,
  };
  private outage: Error | undefined;
  private readonly lostReplies: Record<StoreWrite, LostReply[]> = { createIfAbsent: [], transition: [] };
  private readonly failures: Record<StoreWrite, number> = { createIfAbsent: 0, transition: 0 };
  private readonly refusalCarriesCurrent: boolean;
  private pace = { actAfterMs: 0, replyAfterMs: 0 };
  private readonly images: Execution[] = [];
  private readonly keepHistory: boolean;

  constructor(
    private readonly clock: Clock,
    options: InMemoryExecutionStoreOptions = {},
  ) {
    this.refusalCarriesCurrent = options.refusalCarriesCurrent ?? true;
    this.keepHistory = options.keepHistory ?? false;
  }

  /** Makes every following call fail with `store_unavailable` until `restore()` is called. */
  failWith(message = "simulated store outage"): void {
    this.outage = new StoreUnavailableError(message);
  }

  restore(): void {
    this.outage = undefined;
    this.pace = { actAfterMs: 0, replyAfterMs: 0 };
  }

  /**
   * A slow store, on the clock, until `restore()`: every call acts `actAfterMs` after it is made (a write
   * lands then, as one queued behind others in a saturated server does) and its reply comes `replyAfterMs`
   * later. A caller that stops waiting does not stop the call: a write still lands.
   */
  slowDown({ actAfterMs = 0, replyAfterMs = 0 }: { actAfterMs?: number; replyAfterMs?: number }): void {
    this.pace = { actAfterMs, replyAfterMs };
  }

  /**
   * The next call of `operation` applies its write as usual (if its condition holds), and then its reply is
   * lost: the caller hears `then` instead of the outcome. Calls queue up, one lost reply per call.
   */
  loseNextReply(operation: StoreWrite, then: LostReply = "retried"): void {
    this.lostReplies[operation].push(then);
  }

  /** The next `count` calls of `operation` fail with `store_unavailable` without writing anything. */
  failNext(operation: StoreWrite, count = 1): void {
    this.failures[operation] += count;
  }

  /**
   * Every image of `key` the store took (creates and transitions), oldest first: what readers could see. Only
   * with `keepHistory`.
   */
  history(key: ExecutionKey): Execution[] {
    if (!this.keepHistory) throw new Error("InMemoryExecutionStore.history needs { keepHistory: true }");
    const id = formatKey(key);
    return this.images.filter((image) => formatKey(image) === id).map((image) => structuredClone(image));
  }

  /** Drops the failures `failNext` scripted for `operation` and not yet used. */
  stopFailing(operation: StoreWrite): void {
    this.failures[operation] = 0;
  }

  async get(key: ExecutionKey): Promise<Execution | undefined> {
    this.requests.get += 1;
    await this.interleave();
    return this.reply(copy(this.live(formatKey(key))));
  }

  async createIfAbsent(execution: Execution): Promise<CreateResult> {
    this.requests.createIfAbsent += 1;
    await this.interleave();
    this.failIfScripted("createIfAbsent", formatKey(execution));
    const lost = this.lostReplies.createIfAbsent.shift();
    const result = this.create(execution);
    if (lost === "unavailable") throw this.lostReply("createIfAbsent", execution);
    if (lost === "retried") return this.create(execution);
    return this.reply(result);
  }

  async transition(next: Execution, expected: ExpectedState): Promise<Execution> {
    this.requests.transition += 1;
    await this.interleave();
    this.failIfScripted("transition", formatKey(next));
    const lost = this.lostReplies.transition.shift();
    if (lost === undefined) return this.reply(this.write(next, expected));
    try {
      this.write(next, expected);
    } catch {
      // A write refused in the first place: the lost reply was a refusal anyway.
    }
    if (lost === "unavailable") throw this.lostReply("transition", next);
    return this.write(next, expected);
  }

  async recentTurns(contactId: string, beforeTurn: number, limit: number): Promise<Execution[]> {
    this.requests.recentTurns += 1;
    await this.interleave();
    const turns: Execution[] = [];
    for (const [id, execution] of this.items) {
      if (execution.contactId === contactId && execution.turn < beforeTurn && this.live(id) !== undefined) {
        turns.push(copy(execution) as Execution);
      }
    }
    return turns.sort((a, b) => b.turn - a.turn).slice(0, Math.max(0, limit));
  }

  /**
   * Calls `listener` after every change of an item (create, transition, delivery write), synchronously and in
   * order: the local stand-in for the table's stream. Returns the unsubscribe function.
   */
  onChange(listener: (change: ItemChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async readDelivery(key: ExecutionKey): Promise<DeliveryView | undefined> {
    this.requests.readDelivery += 1;
    await this.interleave();
    return this.reply(this.view(formatKey(key), true));
  }

  async latestTurn(contactId: string): Promise<DeliveryView | undefined> {
    this.requests.readDelivery += 1;
    await this.interleave();
    let latest: Execution | undefined;
    for (const [id, execution] of this.items) {
      if (execution.contactId !== contactId || this.live(id) === undefined) continue;
      if (latest === undefined || execution.turn > latest.turn) latest = execution;
    }
    return this.reply(latest === undefined ? undefined : this.view(formatKey(latest), true));
  }

  async writeDelivery(
    key: ExecutionKey,
    next: TextDelivery,
    condition: DeliveryWriteCondition,
  ): Promise<TextDelivery> {
    this.requests.writeDelivery += 1;
    await this.interleave();
    const id = formatKey(key);
    const stored = this.live(id);
    const current = this.deliveries.get(id);
    const refused =
      stored === undefined ||
      (current?.revision ?? 0) !== condition.expectedRevision ||
      (condition.whileAwaitingAnswer === true && !awaitsAnswer(stored));
    if (refused) {
      throw new StaleDeliveryError(
        `the text delivery of ${id} is not at revision ${condition.expectedRevision} any more`,
      );
    }
    const before = this.view(id, false);
    this.deliveries.set(id, structuredClone(next));
    this.emit(before, this.view(id, false));
    return this.reply(structuredClone(next));
  }

  private view(id: string, liveOnly: boolean): DeliveryView | undefined {
    const execution = liveOnly ? this.live(id) : this.items.get(id);
    if (execution === undefined) return undefined;
    const delivery = this.deliveries.get(id);
    return {
      execution: copy(execution) as Execution,
      ...(delivery === undefined ? {} : { delivery: structuredClone(delivery) }),
    };
  }

  private emit(before: DeliveryView | undefined, after: DeliveryView | undefined): void {
    for (const listener of this.listeners) listener({ before, after });
  }

  private create(execution: Execution): CreateResult {
    const id = formatKey(execution);
    const existing = this.live(id);
    if (existing !== undefined) return { created: false, execution: copy(existing) as Execution };
    this.assertSize(execution);
    const before = this.view(id, false);
    this.items.set(id, copy(execution) as Execution);
    // A create replaces an expired item whole: its delivery goes with it.
    this.deliveries.delete(id);
    this.emit(before, this.view(id, false));
    if (this.keepHistory) this.images.push(copy(execution) as Execution);
    return { created: true, execution: copy(execution) as Execution };
  }

  private write(next: Execution, expected: ExpectedState): Execution {
    const id = formatKey(next);
    const stored = this.live(id);
    if (
      stored === undefined ||
      isTerminal(stored) ||
      stored.version !== expected.version ||
      stored.status !== expected.status
    ) {
      throw new StaleExecutionError(
        `execution ${id} is not at version ${expected.version} (${expected.status}) any more`,
        this.refusalCarriesCurrent && stored !== undefined ? { current: copy(stored) } : {},
      );
    }
    this.assertSize(next);
    const written = { ...copy(next), version: expected.version + 1 } as Execution;
    const before = this.view(id, false);
    this.items.set(id, written);
    this.emit(before, this.view(id, false));
    if (this.keepHistory) this.images.push(copy(written) as Execution);
    return copy(written) as Execution;
  }

  private failIfScripted(operation: StoreWrite, id: string): void {
    if (this.failures[operation] === 0) return;
    this.failures[operation] -= 1;
    throw new StoreUnavailableError(`simulated store failure: ${operation} of ${id} was not applied`);
  }

  private lostReply(operation: StoreWrite, execution: Execution): StoreUnavailableError {
    return new StoreUnavailableError(
      `simulated lost reply: ${operation} of ${formatKey(execution)} may have been applied`,
    );
  }

  private live(id: string): Execution | undefined {
    const item = this.items.get(id);
    if (item === undefined) return undefined;
    return item.expiresAt * 1000 <= this.clock.now() ? undefined : item;
  }

  private assertSize(execution: Execution): void {
    const bytes = Buffer.byteLength(JSON.stringify(execution), "utf8");
    if (bytes > MAX_ITEM_BYTES) {
      throw new ItemTooLargeError(
        `execution ${formatKey(execution)} is ${bytes} bytes, over ${MAX_ITEM_BYTES}`,
      );
    }
  }

  private async interleave(): Promise<void> {
    await Promise.resolve();
    if (this.outage !== undefined) throw this.outage;
    if (this.pace.actAfterMs > 0) await this.clock.sleep(this.pace.actAfterMs);
  }

  private async reply<T>(value: T): Promise<T> {
    if (this.pace.replyAfterMs > 0) await this.clock.sleep(this.pace.replyAfterMs);
    return value;
  }
}

const copy = (execution: Execution | undefined): Execution | undefined =>
  execution === undefined ? undefined : structuredClone(execution);

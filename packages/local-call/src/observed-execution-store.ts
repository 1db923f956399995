import { type Execution, type ExecutionKey, formatKey } from "@holdline/domain/execution/execution";
import type {
  CreateResult,
  ExecutionStore,
  ExpectedState,
} from "@holdline/domain/ports/execution-store.port";
import type { CallNotes } from "./call-notes.ts";
import { currentEnvironmentIsDead } from "./execution-environment.ts";

export const STORE_NOTE_SOURCE = "store";

const seconds = (ms: number) => `${(ms / 1_000).toFixed(1)}s`;

/**
 * What a transition means, in a few words: `queued → running (attempt 1)`. `previousAttempt` tells a
 * running attempt's re-dispatch after its lease (same attempt) from a new attempt's claim.
 */
export function describeTransition(
  from: Execution["status"],
  to: Execution,
  previousAttempt?: number,
): string {
  const detail =
    to.status === "running"
      ? `attempt ${to.attempt}`
      : to.status === "completed"
        ? `answer ready ${seconds((to.finishedAt ?? to.updatedAt) - to.createdAt)} after the question`
        : to.status === "failed"
          ? (to.error?.code ?? "failed")
          : from === "queued"
            ? "dispatch presumed lost, dispatched again"
            : "";
  if (from === "running" && to.status === "running" && to.attempt === previousAttempt) {
    return `turn ${to.turn}: running → running (attempt ${to.attempt}'s lease is over, dispatched again)`;
  }
  return `turn ${to.turn}: ${from} → ${to.status}${detail === "" ? "" : ` (${detail})`}`;
}

/** The attempt each execution was last written at, per call's notes: what tells a renewal from a re-claim. */
const attemptsSeen = new WeakMap<CallNotes, Map<string, number>>();

/** What a dead process's calls do: never settle, as its requests are never sent. */
const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/**
 * The execution store as one app sees it, adding a timeline line for every write that lands, so the
 * call's timeline shows the status transitions (`queued → running`) and which function made them; a
 * running attempt's lease renewals (its heartbeat) get no line. Reads and refused writes pass through
 * unchanged. Calls from a simulated Lambda environment that was killed never settle: a dead process sends
 * nothing, though its timers (a heartbeat) would still fire here.
 */
export class ObservedExecutionStore implements ExecutionStore {
  constructor(
    private readonly inner: ExecutionStore,
    private readonly writer: string,
    private readonly notes: CallNotes,
  ) {}

  get(key: ExecutionKey): Promise<Execution | undefined> {
    if (currentEnvironmentIsDead()) return never();
    return this.inner.get(key);
  }

  async createIfAbsent(execution: Execution): Promise<CreateResult> {
    if (currentEnvironmentIsDead()) return never();
    const result = await this.inner.createIfAbsent(execution);
    if (result.created) {
      this.notes.add(
        execution.contactId,
        STORE_NOTE_SOURCE,
        `turn ${execution.turn}: queued (created by ${this.writer})`,
      );
    }
    return result;
  }

  async transition(next: Execution, expected: ExpectedState): Promise<Execution> {
    if (currentEnvironmentIsDead()) return never();
    const written = await this.inner.transition(next, expected);
    const previousAttempt = this.attemptBefore(written);
    const sameAttempt =
      expected.status === "running" && written.status === "running" && written.attempt === previousAttempt;
    // A running attempt renewing its lease (its heartbeat): no line. A re-dispatch moves `dispatchedAt`.
    if (sameAttempt && written.dispatchedAt !== written.updatedAt) return written;
    this.notes.add(
      written.contactId,
      STORE_NOTE_SOURCE,
      `${describeTransition(expected.status, written, previousAttempt)} by ${this.writer}`,
    );
    return written;
  }

  recentTurns(contactId: string, beforeTurn: number, limit: number): Promise<Execution[]> {
    if (currentEnvironmentIsDead()) return never();
    return this.inner.recentTurns(contactId, beforeTurn, limit);
  }

  /** The attempt this execution was last written at (through any app's store), and records the new one. */
  private attemptBefore(written: Execution): number | undefined {
    let seen = attemptsSeen.get(this.notes);
    if (seen === undefined) {
      seen = new Map();
      attemptsSeen.set(this.notes, seen);
    }
    const id = formatKey(written);
    const previous = seen.get(id);
    seen.set(id, written.attempt);
    return previous;
  }
}

import type { Execution, ExecutionKey } from "@holdline/domain/execution/execution";
import type {
  CreateResult,
  ExecutionStore,
  ExpectedState,
} from "@holdline/domain/ports/execution-store.port";
import type { CallNotes } from "./call-notes.ts";

export const STORE_NOTE_SOURCE = "store";

const seconds = (ms: number) => `${(ms / 1_000).toFixed(1)}s`;

/** What a transition means, in a few words: `queued → running (attempt 1)`. */
export function describeTransition(from: Execution["status"], to: Execution): string {
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
  return `turn ${to.turn}: ${from} → ${to.status}${detail === "" ? "" : ` (${detail})`}`;
}

/**
 * The execution store as one app sees it, adding a timeline line for every write that lands, so the
 * call's timeline shows the status transitions (`queued → running`) and which function made them.
 * Reads and refused writes pass through unchanged.
 */
export class ObservedExecutionStore implements ExecutionStore {
  constructor(
    private readonly inner: ExecutionStore,
    private readonly writer: string,
    private readonly notes: CallNotes,
  ) {}

  get(key: ExecutionKey): Promise<Execution | undefined> {
    return this.inner.get(key);
  }

  async createIfAbsent(execution: Execution): Promise<CreateResult> {
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
    const written = await this.inner.transition(next, expected);
    this.notes.add(
      written.contactId,
      STORE_NOTE_SOURCE,
      `${describeTransition(expected.status, written)} by ${this.writer}`,
    );
    return written;
  }

  recentTurns(contactId: string, beforeTurn: number, limit: number): Promise<Execution[]> {
    return this.inner.recentTurns(contactId, beforeTurn, limit);
  }
}

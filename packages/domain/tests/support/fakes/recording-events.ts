import type {
  ExecutionEvents,
  RecoveryEvent,
  RecoveryKind,
} from "../../../src/ports/execution-events.port.ts";

/** An `ExecutionEvents` that keeps every recovery reported, in order. */
export class RecordingEvents implements ExecutionEvents {
  readonly reported: RecoveryEvent[] = [];

  report(event: RecoveryEvent): void {
    this.reported.push(event);
  }

  /** The events of one kind. */
  of<K extends RecoveryKind>(kind: K): Extract<RecoveryEvent, { kind: K }>[] {
    return this.reported.filter((event): event is Extract<RecoveryEvent, { kind: K }> => event.kind === kind);
  }
}

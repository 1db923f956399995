import type { Clock } from "@holdline/domain/ports/clock.port";

/** A line about a call that only the back end can see: a store transition, a background Lambda run. */
export interface LocalNote {
  /** Epoch milliseconds on the local Holdline's clock. */
  readonly at: number;
  readonly contactId: string;
  readonly source: string;
  readonly text: string;
}

interface NoteTarget {
  readonly contactId: string;
  note(source: string, text: string): void;
}

/**
 * Routes back-end lines to the emulated call they belong to (`EmulatedCall.note`), by contact id, and keeps
 * them all in `log`, also those that arrive after the call's result was taken (a worker finishing after a
 * hang-up).
 */
export class CallNotes {
  readonly log: LocalNote[] = [];
  private readonly targets = new Map<string, NoteTarget>();

  constructor(
    private readonly clock: Clock,
    private readonly listener?: (note: LocalNote) => void,
  ) {}

  attach(call: NoteTarget): void {
    this.targets.set(call.contactId, call);
  }

  add(contactId: string, source: string, text: string): void {
    const note = { at: this.clock.now(), contactId, source, text };
    this.log.push(note);
    this.targets.get(contactId)?.note(source, text);
    this.listener?.(note);
  }

  /** The lines of one source about one contact, e.g. every status transition of a call. */
  of(contactId: string, source: string): string[] {
    return this.log
      .filter((note) => note.contactId === contactId && note.source === source)
      .map((note) => note.text);
  }
}

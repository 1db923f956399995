import { appendParts, type Execution, partCount } from "../../execution/execution.ts";
import type { Clock } from "../../ports/clock.port.ts";
import type { ExecutionEvents } from "../../ports/execution-events.port.ts";
import type { ExecutionStore } from "../../ports/execution-store.port.ts";
import { resendWhileUnknown, writeOrObserve } from "../conditional-write.ts";
import type { AttemptState } from "./attempt-state.ts";

export interface PartRecorderOptions {
  /**
   * The token of the part writes: not the run's own (`partWriterToken`), so that a part write and a renewal
   * sent at the same version are never taken for each other when a reply is lost.
   */
  readonly by: string;
  /** No write is sent after this (the execution's deadline). */
  readonly until: number;
  /** The attempt renews its lease (a heartbeat): each part write extends it too, by this long. */
  readonly leaseMs?: number;
  readonly events?: ExecutionEvents;
}

/**
 * The token a run's part writes carry: the run's own with a suffix, so it keeps the invocation prefix
 * (`isHeldByInvocation`) and yet differs from the token of the run's claim, renewals and completion.
 */
export const partWriterToken = (by: string): string => `${by}/parts`;

/**
 * Backoff between part writes the store could not take (`resendWhileUnknown`): doubling from 200 ms like any
 * re-sent write, but at most 1 s, not 2 s: a caller is waiting for the part, and a gap between parts over a
 * second is heard.
 */
export const PART_RETRY_MAX_MS = 1_000;

/**
 * Records the speakable parts of the running attempt's answer as the model produces them (progressive
 * answers), each exactly once and in order:
 *
 * - one write in flight at a time; parts produced meanwhile go together in the next write;
 * - every write is decided on the latest state (`writeOrObserve`): it appends the produced parts the stored
 *   execution does not have yet, so a write whose reply was lost, found landed (its token at the version it
 *   wrote), or re-sent, never records a part twice, and a renewal that landed first is kept;
 * - a write whose outcome is unknown (`store_unavailable`) is tried again with backoff (200 ms doubling to 1 s;
 *   decided again on the state the refusal shows, so nothing is doubled) until the deadline or `stop()`;
 * - only while the execution is running at this attempt: once it is not (another attempt, a terminal state),
 *   nothing more is written;
 * - with a renewed lease, each part write extends it too: under a slow store a renewal may lose its version
 *   to a part write more than once, and the lease must not lapse meanwhile (the attempt would be failed,
 *   since an attempt that recorded parts is not replaced).
 *
 * `stop()` sends no new write and waits for the one in flight; the completion (or failure) that follows
 * records every part (`complete` extends the recorded parts), so a part not yet written is not lost.
 */
export class PartRecorder {
  private readonly produced: string[] = [];
  private recorded: number;
  private writing: Promise<void> | undefined;
  private ended = false;
  private readonly stopped = new AbortController();
  private readonly attempt: number;

  constructor(
    private readonly store: ExecutionStore,
    private readonly clock: Clock,
    private readonly state: AttemptState,
    private readonly options: PartRecorderOptions,
  ) {
    this.attempt = state.latest.attempt;
    this.recorded = partCount(state.latest);
  }

  /** The parts produced so far, in order. */
  get parts(): readonly string[] {
    return this.produced;
  }

  /** Takes the next part (a `PartListener`): never throws, returns at once; the write happens in the background. */
  readonly add = (part: string): void => {
    if (this.stopped.signal.aborted) return;
    this.produced.push(part);
    this.kick();
  };

  /** Sends no further write, waits for the one in flight, and returns every part produced. */
  async stop(): Promise<readonly string[]> {
    this.stopped.abort();
    await this.writing;
    return this.produced;
  }

  /** Starts writing unless a write is in flight (it takes the new parts with it) or there is nothing to write. */
  private kick(): void {
    if (this.writing !== undefined || this.ended || this.stopped.signal.aborted) return;
    if (this.recorded >= this.produced.length) return;
    this.writing = this.writeAll()
      .catch(() => {
        this.ended = true;
      })
      .finally(() => {
        this.writing = undefined;
        // A part that came as the last write ended goes now.
        this.kick();
      });
  }

  /** Writes until every produced part is recorded, the attempt is no longer this one's, or it is stopped. */
  private async writeAll(): Promise<void> {
    const { events, until } = this.options;
    while (!this.ended && !this.stopped.signal.aborted && this.recorded < this.produced.length) {
      let current: Execution | undefined;
      try {
        // Each try is decided again on the latest state (parts produced meanwhile go with it).
        current = (
          await resendWhileUnknown(
            () =>
              writeOrObserve(
                this.store,
                this.state.latest,
                (latest) => this.decide(latest),
                events === undefined ? {} : { events },
              ),
            { clock: this.clock, until, maxDelayMs: PART_RETRY_MAX_MS, signal: this.stopped.signal },
          )
        ).execution;
      } catch {
        // Stopped, past the deadline, or another failure (an item too large, a bug): stop recording parts; the
        // completion records them all.
        if (!this.stopped.signal.aborted) this.ended = true;
        return;
      }
      if (current === undefined || current.status !== "running" || current.attempt !== this.attempt) {
        // The execution moved on without this attempt: nothing of its parts is to be written any more.
        this.ended = true;
        return;
      }
      this.state.observe(current);
      this.recorded = partCount(current);
    }
  }

  /** The write that brings `latest` up to the parts produced, if any is missing and the attempt is still ours. */
  private decide(latest: Execution): Execution | undefined {
    if (latest.status !== "running" || latest.attempt !== this.attempt) return undefined;
    const missing = this.produced.slice(partCount(latest));
    if (missing.length === 0) return undefined;
    const { by, leaseMs } = this.options;
    return appendParts(latest, {
      parts: missing,
      now: this.clock.now(),
      by,
      ...(leaseMs === undefined ? {} : { leaseMs }),
    });
  }
}

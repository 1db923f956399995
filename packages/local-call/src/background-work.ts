import type { Clock } from "@holdline/domain/ports/clock.port";

/**
 * Work that outlives the call that started it (an `Event` invocation, an SQS delivery). Keeps track of it
 * so a test or the demo can wait until everything has finished, and stops every pending wait on `close()`
 * so nothing keeps the process alive.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<unknown>>();
  private readonly stop = new AbortController();

  constructor(private readonly clock: Clock) {}

  track(work: Promise<unknown>): void {
    const tracked = work.finally(() => this.running.delete(tracked));
    tracked.catch(() => undefined);
    this.running.add(tracked);
  }

  /** Sleeps on the clock; rejects once `close()` was called. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.clock.sleep(
      Math.max(0, ms),
      signal === undefined ? this.stop.signal : AbortSignal.any([this.stop.signal, signal]),
    );
  }

  /** Resolves once no tracked work is left, including work started by work that finished meanwhile. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Cancels every pending sleep, then waits for the work to wind down. */
  async close(): Promise<void> {
    this.stop.abort(new Error("the local Holdline was closed"));
    await this.idle();
  }
}

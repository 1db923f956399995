import type { StreamClock } from "../../src/dynamodb-streams/clock.ts";

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Virtual time for the stream mapping's tests, the same contract as the domain's `ManualClock` (which
 * local-aws's tests may not import): `sleep` resolves only when `advance` or `run` moves time past it.
 */
export class VirtualClock implements StreamClock {
  private current: number;
  private sequence = 0;
  private timers: Timer[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer: Timer = {
        at: this.current + Math.max(0, ms),
        seq: this.sequence++,
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.timers = this.timers.filter((candidate) => candidate !== timer);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.timers.push(timer);
    });
  }

  /** Moves time forward by `ms`, firing due timers in order. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (let next = this.nextDue(target); next !== undefined; next = this.nextDue(target)) {
      this.current = Math.max(this.current, next.at);
      this.timers = this.timers.filter((timer) => timer !== next);
      next.resolve();
      await settle();
    }
    this.current = target;
    await settle();
  }

  /** Runs virtual time until `promise` settles, jumping from timer to timer. */
  async run<T>(promise: Promise<T>, limitMs = 3_600_000): Promise<T> {
    let settled = false;
    const observed = promise.finally(() => {
      settled = true;
    });
    observed.catch(() => undefined);
    const limit = this.current + limitMs;
    await settle();
    while (!settled) {
      const next = this.nextDue(limit);
      if (next === undefined)
        throw new Error("VirtualClock.run: nothing left to wait for and still not settled");
      await this.advance(next.at - this.current);
    }
    return observed;
  }

  private nextDue(target: number): Timer | undefined {
    let earliest: Timer | undefined;
    for (const timer of this.timers) {
      if (timer.at > target) continue;
      if (
        earliest === undefined ||
        timer.at < earliest.at ||
        (timer.at === earliest.at && timer.seq < earliest.seq)
      ) {
        earliest = timer;
      }
    }
    return earliest;
  }
}

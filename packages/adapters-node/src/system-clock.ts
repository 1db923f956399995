import { setTimeout as delay } from "node:timers/promises";
import type { Clock } from "@holdline/domain/ports/clock.port";

/** Wall-clock time for production and real-time runs. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal === undefined) return delay(Math.max(0, ms));
    // Node rejects with its own AbortError; the port (and ManualClock) reject with the signal's reason,
    // which callers such as the Connect emulator use to tell a hang-up from an interruption.
    return delay(Math.max(0, ms), undefined, { signal }).catch((error: unknown) => {
      throw signal.aborted ? signal.reason : error;
    });
  }
}

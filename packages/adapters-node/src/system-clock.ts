import { setTimeout as delay } from "node:timers/promises";
import type { Clock } from "@holdline/domain/ports/clock.port";

/** Wall-clock time for production and real-time runs. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return delay(Math.max(0, ms), undefined, signal === undefined ? undefined : { signal });
  }
}

import type { ServiceIdentifier } from "inversify";

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`; rejects with `signal.reason` if `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const ClockId: ServiceIdentifier<Clock> = Symbol.for("holdline.Clock");

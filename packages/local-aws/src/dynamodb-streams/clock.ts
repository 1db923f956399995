/**
 * The time the stream harness runs on: the same shape as the domain's `Clock` port
 * (`@holdline/domain/ports/clock.port`), so a test hands it the `ManualClock` its Lambda handlers already run
 * on (virtual time) or the wall clock. Declared here because local-aws imports nothing of Holdline.
 */
export interface StreamClock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`; rejects with `signal.reason` if `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The wall clock, for a harness that runs in real time. */
export const systemStreamClock: StreamClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

import type { Clock } from "../ports/clock.port.ts";

export type SettledBy<T> = { readonly settled: true; readonly value: T } | { readonly settled: false };

/**
 * Waits for `work` until the instant `until` (the clock's epoch milliseconds) and no longer: `work`'s value,
 * or `{ settled: false }` when `until` came first. A failure of `work` before `until` is thrown; one after it
 * is ignored. `work` itself goes on (a store call cannot be taken back once sent): what a Connect-facing
 * handler needs, since it must answer in time and a write that lands later is recognised by its token.
 */
export async function settleBy<T>(clock: Clock, until: number, work: Promise<T>): Promise<SettledBy<T>> {
  const timer = new AbortController();
  const late = Symbol("late");
  const deadline = clock.sleep(Math.max(0, until - clock.now()), timer.signal).then(
    () => late,
    () => late,
  );
  try {
    const first = await Promise.race([work, deadline]);
    if (first === late) {
      // Nobody waits for `work` any more: its failure must not surface as an unhandled rejection.
      work.catch(() => undefined);
      return { settled: false };
    }
    return { settled: true, value: first as T };
  } finally {
    timer.abort();
  }
}

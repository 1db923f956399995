import type { Clock } from "../ports/clock.port.ts";
import { untilAborted } from "../until-aborted.ts";

export type SettledBy<T> = { readonly settled: true; readonly value: T } | { readonly settled: false };

/**
 * Waits for `work` until the instant `until` (the clock's epoch milliseconds) and no longer: `work`'s value,
 * or `{ settled: false }` when `until` came first. A failure of `work` before `until` is thrown; one after it
 * is ignored. `work` itself goes on (a store call cannot be taken back once sent): what a Connect-facing
 * handler needs, since it must answer in time and a write that lands later is recognised by its token.
 * (`untilAborted` on a signal the clock fires at `until`.)
 */
export async function settleBy<T>(clock: Clock, until: number, work: Promise<T>): Promise<SettledBy<T>> {
  const timer = new AbortController();
  const late = new AbortController();
  clock.sleep(Math.max(0, until - clock.now()), timer.signal).then(
    () => late.abort(),
    () => undefined,
  );
  try {
    return { settled: true, value: await untilAborted(work, late.signal) };
  } catch (error) {
    if (late.signal.aborted && error === late.signal.reason) return { settled: false };
    throw error;
  } finally {
    timer.abort();
  }
}

/**
 * Settles with `work`, unless `signal` aborts first: then it rejects at once with `reasonFor(signal)` (by
 * default the signal's reason) and whatever `work` does later is ignored. The abort listener is removed when
 * `work` settles. `work` itself is not cancelled: hand it the signal too if it can stop.
 * (Node 20 has no such race: `events.addAbortListener` only adds a listener, `AbortSignal.any` combines signals.)
 */
export function untilAborted<T>(
  work: Promise<T>,
  signal: AbortSignal,
  reasonFor: (signal: AbortSignal) => unknown = (aborted) => aborted.reason,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(reasonFor(signal));
    if (signal.aborted) {
      // Nobody waits for `work` any more: its failure must not surface as an unhandled rejection.
      work.catch(() => undefined);
      onAbort();
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

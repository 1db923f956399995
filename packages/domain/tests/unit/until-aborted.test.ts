import { describe, expect, it, vi } from "vitest";
import { untilAborted } from "../../src/until-aborted.ts";

/** A promise settled from the outside, to play the work. */
function pending<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("untilAborted", () => {
  it("settles with the work when the signal never aborts", async () => {
    const controller = new AbortController();
    await expect(untilAborted(Promise.resolve("answer"), controller.signal)).resolves.toBe("answer");
    const failure = new Error("the work failed");
    await expect(untilAborted(Promise.reject(failure), controller.signal)).rejects.toBe(failure);
  });

  it("rejects at once with the signal's reason when it aborts first, and ignores the work's later result", async () => {
    const controller = new AbortController();
    const work = pending<string>();
    const raced = untilAborted(work.promise, controller.signal);
    const reason = new Error("hung up");
    controller.abort(reason);
    await expect(raced).rejects.toBe(reason);
    work.resolve("too late");
    await expect(raced).rejects.toBe(reason);
  });

  it("rejects with the mapped error instead of the reason", async () => {
    const controller = new AbortController();
    const work = pending<string>();
    const raced = untilAborted(work.promise, controller.signal, (signal) => ({ mapped: signal.reason }));
    controller.abort("deadline");
    await expect(raced).rejects.toEqual({ mapped: "deadline" });
  });

  it("rejects at once on a signal already aborted, and a later failure of the work stays handled", async () => {
    const controller = new AbortController();
    controller.abort("gone");
    const work = pending<string>();
    const reasonFor = vi.fn((signal: AbortSignal) => signal.reason);
    await expect(untilAborted(work.promise, controller.signal, reasonFor)).rejects.toBe("gone");
    work.reject(new Error("failed after nobody waited")); // would fail the run if it were unhandled
    await Promise.resolve();
    expect(reasonFor).toHaveBeenCalledTimes(1);
  });

  it("stops listening to the signal once the work has settled", async () => {
    const controller = new AbortController();
    const reasonFor = vi.fn((signal: AbortSignal) => signal.reason);
    await untilAborted(Promise.resolve(1), controller.signal, reasonFor);
    await untilAborted(Promise.reject(new Error("x")), controller.signal, reasonFor).catch(() => undefined);
    controller.abort("later");
    expect(reasonFor).not.toHaveBeenCalled();
  });
});

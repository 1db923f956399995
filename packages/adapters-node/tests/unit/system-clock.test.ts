import { describe, expect, it } from "vitest";
import { SystemClock } from "../../src/system-clock.ts";

describe("SystemClock", () => {
  it("sleeps for about the requested time", async () => {
    // Prepare
    const clock = new SystemClock();
    const before = clock.now();

    // Act
    await clock.sleep(30);

    // Assess
    expect(clock.now() - before).toBeGreaterThanOrEqual(25);
  });

  it("rejects a sleep when its signal aborts", async () => {
    // Prepare
    const clock = new SystemClock();
    const controller = new AbortController();

    // Act
    const sleeping = clock.sleep(10_000, controller.signal);
    controller.abort(new Error("stop"));

    // Assess
    await expect(sleeping).rejects.toThrow();
  });

  it("rejects with the signal's reason, as ManualClock does", async () => {
    const clock = new SystemClock();
    const controller = new AbortController();
    const reason = new Error("the caller hung up");

    const sleeping = clock.sleep(10_000, controller.signal);
    controller.abort(reason);

    await expect(sleeping).rejects.toBe(reason);
  });

  it("rejects at once with the reason of a signal that already aborted", async () => {
    const reason = new Error("already stopped");

    await expect(new SystemClock().sleep(10, AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});

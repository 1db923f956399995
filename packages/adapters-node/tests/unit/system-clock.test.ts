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
});

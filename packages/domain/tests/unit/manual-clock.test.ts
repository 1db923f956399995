import { describe, expect, it } from "vitest";
import { ManualClock } from "../support/clock/manual-clock.ts";

describe("ManualClock", () => {
  it("resolves a sleep only when time is advanced past it", async () => {
    // Prepare
    const clock = new ManualClock(0);
    let woke = false;
    void clock.sleep(1_000).then(() => {
      woke = true;
    });

    // Act
    await clock.advance(999);
    const early = woke;
    await clock.advance(1);

    // Assess
    expect(early).toBe(false);
    expect(woke).toBe(true);
    expect(clock.now()).toBe(1_000);
  });

  it("fires timers in due order and lets each continuation schedule the next", async () => {
    const clock = new ManualClock(0);
    const order: string[] = [];
    void clock.sleep(300).then(() => order.push("b@300"));
    void clock.sleep(100).then(async () => {
      order.push("a@100");
      await clock.sleep(100);
      order.push(`a2@${clock.now()}`);
    });

    await clock.advance(1_000);

    expect(order).toEqual(["a@100", "a2@200", "b@300"]);
  });

  it("rejects a sleep whose signal aborts and forgets its timer", async () => {
    const clock = new ManualClock(0);
    const controller = new AbortController();
    const sleeping = clock.sleep(5_000, controller.signal);

    controller.abort(new Error("cancelled"));

    await expect(sleeping).rejects.toThrow("cancelled");
    expect(clock.pendingTimers).toBe(0);
  });

  it("runs a promise to completion by jumping from timer to timer", async () => {
    const clock = new ManualClock(0);
    const work = (async () => {
      await clock.sleep(60_000);
      await clock.sleep(30_000);
      return clock.now();
    })();

    expect(await clock.run(work)).toBe(90_000);
  });

  it("reports a promise that can never settle instead of hanging", async () => {
    const clock = new ManualClock(0);

    await expect(clock.run(new Promise(() => undefined))).rejects.toThrow(/nothing left to wait for/);
  });
});

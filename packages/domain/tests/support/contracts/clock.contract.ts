import { describe, expect, it } from "vitest";
import type { Clock } from "../../../src/ports/clock.port.ts";

export interface ClockContractOptions<C extends Clock> {
  /** Called once per test. */
  readonly create: () => C;
  /** Makes `ms` of the clock's time pass: waiting it out for a wall clock, advancing a virtual one. */
  readonly pass: (clock: C, ms: number) => Promise<void>;
  /**
   * How much earlier than `now()` says a sleep may wake (0 for a virtual clock; a wall clock's timers run
   * on a monotonic clock that may disagree with `Date.now()` by a millisecond).
   */
  readonly earlyWakeMs?: number;
  readonly timeoutMs?: number;
}

/** Long enough to tell "not yet" from "done" on a busy machine, short enough for a real-time suite. */
const SLEEP_MS = 120;
/** Epoch milliseconds of 2000-01-01 and 2100-01-01: a reading outside them is not epoch ms. */
const YEAR_2000 = Date.UTC(2000, 0, 1);
const YEAR_2100 = Date.UTC(2100, 0, 1);

/** The behaviour every `Clock` must have; the options say how to make its time pass. */
export function clockContract<C extends Clock>(name: string, options: ClockContractOptions<C>): void {
  const earlyWakeMs = options.earlyWakeMs ?? 0;

  describe(`Clock contract: ${name}`, { timeout: options.timeoutMs ?? 5_000 }, () => {
    it("tells the time in whole epoch milliseconds", () => {
      const clock = options.create();

      const now = clock.now();

      expect(Number.isInteger(now)).toBe(true);
      expect(now).toBeGreaterThan(YEAR_2000);
      expect(now).toBeLessThan(YEAR_2100);
    });

    it("moves forward by the time that passed and never back", async () => {
      // Prepare
      const clock = options.create();
      const readings = [clock.now()];

      // Act
      for (const ms of [0, 1, 30]) {
        await options.pass(clock, ms);
        readings.push(clock.now());
      }

      // Assess
      const steps = readings.slice(1).map((reading, i) => reading - (readings[i] ?? reading));
      expect(steps.every((step) => step >= 0)).toBe(true);
      expect(steps[2]).toBeGreaterThanOrEqual(30 - earlyWakeMs);
    });

    it("does not wake a sleep before its time", async () => {
      // Prepare
      const clock = options.create();
      let woke = false;
      void clock.sleep(SLEEP_MS).then(() => {
        woke = true;
      });

      // Act
      await options.pass(clock, SLEEP_MS / 4);

      // Assess
      expect(woke).toBe(false);
    });

    it("wakes a sleep once its time has passed", async () => {
      // Prepare
      const clock = options.create();
      const before = clock.now();
      const sleeping = clock.sleep(SLEEP_MS);

      // Act
      await options.pass(clock, SLEEP_MS);
      await sleeping;

      // Assess
      expect(clock.now() - before).toBeGreaterThanOrEqual(SLEEP_MS - earlyWakeMs);
    });

    it("wakes sleeps in the order they fall due", async () => {
      // Prepare
      const clock = options.create();
      const order: string[] = [];
      const sleeps = [
        clock.sleep(SLEEP_MS).then(() => order.push("long")),
        clock.sleep(SLEEP_MS / 4).then(() => order.push("short")),
      ];

      // Act
      await options.pass(clock, SLEEP_MS);
      await Promise.all(sleeps);

      // Assess
      expect(order).toEqual(["short", "long"]);
    });

    it("resolves a sleep of zero or less as soon as the clock runs, with no time passing", async () => {
      // Prepare
      const clock = options.create();
      const sleeps = Promise.all([clock.sleep(0), clock.sleep(-50)]);

      // Act
      await options.pass(clock, 0);

      // Assess
      await expect(sleeps).resolves.toEqual([undefined, undefined]);
    });

    it("rejects at once with the reason of a signal that already aborted", async () => {
      // Prepare
      const clock = options.create();
      const reason = new Error("the caller already hung up");

      // Act
      const sleeping = clock.sleep(60_000, AbortSignal.abort(reason));

      // Assess
      await expect(sleeping).rejects.toBe(reason);
    });

    it("rejects with the signal's reason when the signal aborts mid-sleep", async () => {
      // Prepare
      const clock = options.create();
      const controller = new AbortController();
      const reason = new Error("the caller hung up");
      const sleeping = clock.sleep(60_000, controller.signal);
      sleeping.catch(() => undefined);
      await options.pass(clock, SLEEP_MS / 4);

      // Act
      controller.abort(reason);

      // Assess
      await expect(sleeping).rejects.toBe(reason);
    });
  });
}

import { setTimeout as delay } from "node:timers/promises";
import { clockContract } from "@holdline/domain/testing/contracts/clock.contract";
import { SystemClock } from "../../src/system-clock.ts";

/** Real time passes by waiting it out, until `Date.now()` itself has moved by `ms`. */
async function waitOut(ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) await delay(end - Date.now());
}

clockContract("system (wall clock)", {
  create: () => new SystemClock(),
  pass: (_clock, ms) => waitOut(ms),
  earlyWakeMs: 2,
});

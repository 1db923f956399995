import { setTimeout as realDelay } from "node:timers/promises";
import type { LambdaFunction, LambdaHandler } from "@holdline/connect-emulator/lambda-function";
import type { ManualClock } from "@holdline/domain/testing/clock/manual-clock";

type Context = Parameters<LambdaHandler>[1];

/**
 * Keeps the user's handlers running now. A handler may do real work (network calls, its own timers) that
 * virtual time cannot see, so while one runs, virtual time follows the wall clock instead of jumping ahead.
 * A handler past its function timeout no longer counts: Lambda would have stopped it.
 */
export class HandlerActivity {
  private readonly running = new Set<Context>();
  private waiting: (() => void)[] = [];

  get busy(): boolean {
    return [...this.running].some((context) => context.getRemainingTimeInMillis() > 0);
  }

  /** The same function, its handler kept track of while it runs. */
  track(fn: LambdaFunction): LambdaFunction {
    const { handler } = fn;
    return {
      ...fn,
      handler: async (event, context) => {
        this.running.add(context);
        for (const wake of this.waiting.splice(0)) wake();
        try {
          return await handler(event, context);
        } finally {
          this.running.delete(context);
        }
      },
    };
  }

  /** Resolves when the next handler starts. */
  nextStart(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

const ignore = () => undefined;

/** `ManualClock.run` stops at an hour of virtual time by default; a call may be longer (`--hang-up-after`). */
const NO_LIMIT_MS = 365 * 24 * 3_600_000;

/**
 * Runs `work` on the virtual clock: jumps from timer to timer while only the emulator is waiting, and
 * moves with the wall clock while a handler runs, so a handler's real I/O takes its real time on the
 * call's timeline (and a hung handler hits its time limit) rather than looking instant or timing out.
 */
export async function runOnVirtualTime<T>(
  clock: ManualClock,
  work: Promise<T>,
  activity: HandlerActivity,
  sliceMs = 1,
): Promise<T> {
  let done = false;
  const observed = work.finally(() => {
    done = true;
  });
  observed.catch(ignore);
  // While following the wall clock: the real instant virtual time has caught up with.
  let mark: number | undefined;
  while (!done) {
    if (activity.busy) {
      mark ??= performance.now();
      await realDelay(sliceMs);
      const elapsed = Math.floor(performance.now() - mark);
      mark += elapsed;
      await clock.advance(elapsed);
    } else {
      mark = undefined;
      await clock.run(Promise.race([observed.then(ignore, ignore), activity.nextStart()]), NO_LIMIT_MS);
    }
  }
  return observed;
}

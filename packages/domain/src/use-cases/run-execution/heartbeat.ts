import { type Execution, renew } from "../../execution/execution.ts";
import type { Clock } from "../../ports/clock.port.ts";
import type { ExecutionEvents } from "../../ports/execution-events.port.ts";
import type { ExecutionStore } from "../../ports/execution-store.port.ts";
import { RESEND_FIRST_DELAY_MS, writeOrObserve } from "../conditional-write.ts";
import type { AttemptState } from "./attempt-state.ts";

/** Pause before renewing again after a renewal the store could not take (the resend backoff's first step). */
const RENEWAL_RETRY_MS = RESEND_FIRST_DELAY_MS;

export interface HeartbeatOptions {
  readonly heartbeatMs: number;
  readonly leaseMs: number;
  /** The writer token of the run holding the lease. */
  readonly by: string;
  /** Called once when the lease turns out to be someone else's, or the execution ended meanwhile. */
  readonly onLost: (current: Execution | undefined) => void;
  /** Told of a renewal found landed after its reply was lost. */
  readonly events?: ExecutionEvents;
}

export interface HeartbeatResult {
  /** The latest state this run wrote or saw of its attempt: what its next write is conditional on. */
  readonly latest: Execution;
  /** The state that ended this run's hold (another attempt's claim, a terminal state), if it ended. */
  readonly lostTo: Execution | undefined;
  readonly lost: boolean;
}

/**
 * Keeps a claimed attempt's lease alive while it works: every `heartbeatMs` a conditional `renew`. A renewal
 * the store cannot take now (unavailable) is tried again after 200 ms while the lease lasts (then the beats go
 * on as before); while the lease lasts, nobody else claims. A renewal that finds another attempt's claim or a terminal state means this run lost
 * its hold: `onLost` fires (the run aborts its model call) and the beats stop. `stop()` ends the beats and
 * waits for a renewal in flight, so the run's next write is conditional on the version it really left. The
 * attempt's state is shared with the run's other writer (the part recorder): each renewal starts from the latest
 * write of either, and a renewal refused because a part write landed is decided again on that state, keeping
 * its parts (and the part write extends the lease, as a renewal would).
 */
export class Heartbeat {
  private lostTo: Execution | undefined;
  private lost = false;
  private readonly stopped = new AbortController();
  private readonly beating: Promise<void>;

  constructor(
    private readonly store: ExecutionStore,
    private readonly clock: Clock,
    private readonly state: AttemptState,
    private readonly options: HeartbeatOptions,
  ) {
    this.beating = this.beat(state.latest.attempt);
  }

  async stop(): Promise<HeartbeatResult> {
    this.stopped.abort();
    await this.beating;
    return { latest: this.state.latest, lostTo: this.lostTo, lost: this.lost };
  }

  private async beat(attempt: number): Promise<void> {
    const { heartbeatMs, leaseMs, by, onLost, events } = this.options;
    let pauseMs = heartbeatMs;
    for (;;) {
      try {
        await this.clock.sleep(pauseMs, this.stopped.signal);
      } catch {
        return;
      }
      pauseMs = heartbeatMs;
      let outcome: Awaited<ReturnType<typeof writeOrObserve>>;
      try {
        outcome = await writeOrObserve(
          this.store,
          this.state.latest,
          (current) =>
            current.status === "running" && current.attempt === attempt
              ? renew(current, { now: this.clock.now(), leaseMs, by })
              : undefined,
          events === undefined ? {} : { events },
        );
      } catch {
        // The store could not take this renewal. While the lease still runs, try again soon rather than a whole
        // beat later: one failed renewal must not be enough for the lease to lapse under a saturated store.
        const left = (this.state.latest.leaseUntil ?? 0) - this.clock.now();
        if (left > RENEWAL_RETRY_MS) pauseMs = RENEWAL_RETRY_MS;
        continue;
      }
      const current = outcome.execution;
      if (outcome.won && current !== undefined) {
        this.state.observe(current);
        continue;
      }
      if (current !== undefined && current.status === "running" && current.attempt === attempt) {
        // Out-raced within every round, but still ours: the next beat renews from there.
        this.state.observe(current);
        continue;
      }
      this.lost = true;
      this.lostTo = current;
      onLost(current);
      return;
    }
  }
}

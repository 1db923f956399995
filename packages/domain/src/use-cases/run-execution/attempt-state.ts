import type { Execution } from "../../execution/execution.ts";

/**
 * The freshest state of one claimed attempt that its run has seen, shared by the run's concurrent writers (the
 * heartbeat's renewals and the part recorder's writes), so that each conditions its next write on the other's
 * last one instead of losing a round to it. Each writer still re-decides on whatever state a refusal shows
 * (`writeOrObserve`), so a stale read here costs a round, never a write.
 */
export class AttemptState {
  private current: Execution;

  constructor(claimed: Execution) {
    this.current = claimed;
  }

  get latest(): Execution {
    return this.current;
  }

  /** Keeps `execution` if it is newer than what is known (a higher version). */
  observe(execution: Execution | undefined): void {
    if (execution !== undefined && execution.version > this.current.version) this.current = execution;
  }
}

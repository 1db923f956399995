import { type ErrorCode, InvalidTurnError, TransitionRefusedError } from "../errors.ts";

export type ExecutionStatus = "queued" | "running" | "completed" | "failed";

/** An execution is the work of answering one caller turn; (contactId, turn) is its identity. */
export interface ExecutionKey {
  readonly contactId: string;
  readonly turn: number;
}

export interface ExecutionInput {
  readonly question: string;
  /** BCP 47 tag of the caller's language, e.g. `ja-JP`, `en-US`. */
  readonly locale: string;
}

export interface ExecutionFailure {
  readonly code: ErrorCode;
  readonly message: string;
  readonly retryable: boolean;
}

export interface ModelUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly latencyMs: number;
  readonly modelId?: string;
}

/** All instants are epoch milliseconds, except `expiresAt`, which is epoch seconds as DynamoDB TTL expects. */
export interface Execution extends ExecutionKey {
  readonly status: ExecutionStatus;
  /** Incremented by every write; each transition is conditional on the version it read. */
  readonly version: number;
  /** Number of claims so far (0 while queued). */
  readonly attempt: number;
  readonly leaseUntil?: number;
  readonly deadlineAt: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Last time the work was handed to the dispatcher; a queued execution older than this is presumed lost. */
  readonly dispatchedAt: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly input: ExecutionInput;
  /**
   * Progressive answers: the speakable parts of the answer recorded so far, in order (`appendParts` while the
   * attempt runs, all of them with `complete`). A part once recorded never changes or moves: the caller may
   * have heard it. Kept by `fail` (the caller heard them before the failure). Absent when none was recorded.
   */
  readonly parts?: readonly string[];
  /** The whole answer (every part), once completed: what the next turn's history sees. */
  readonly answer?: string;
  readonly error?: ExecutionFailure;
  readonly usage?: ModelUsage;
  readonly expiresAt: number;
  /**
   * The token of the writer whose write produced this version (`newWriterToken()`, one per run of a use
   * case); absent when that write carried none. A writer whose reply was lost re-reads and, finding its
   * own token at the version it wrote, knows its write landed (`wroteThis`).
   */
  readonly lastWriter?: string;
}

/**
 * The transition table. `queued → queued` is the bookkeeping write that re-dispatches lost work;
 * `running → running` is a re-claim after the lease expired, a lease renewal, or the running attempt recording
 * parts of its answer (`appendParts`). Terminal states have no way out.
 */
export const ALLOWED_TRANSITIONS: Readonly<Record<ExecutionStatus, readonly ExecutionStatus[]>> = {
  queued: ["queued", "running", "failed"],
  running: ["running", "completed", "failed"],
  completed: [],
  failed: [],
};

export const isTerminal = (execution: Pick<Execution, "status">): boolean =>
  execution.status === "completed" || execution.status === "failed";

export const isPastDeadline = (execution: Execution, now: number): boolean =>
  !isTerminal(execution) && now >= execution.deadlineAt;

/** A running attempt whose lease has run out: it stopped renewing it (crashed, or cut off from the store). */
export const isLeaseOver = (execution: Execution, now: number): boolean =>
  execution.status === "running" && execution.leaseUntil !== undefined && now >= execution.leaseUntil;

/** How many parts of the answer are recorded (0 when none). */
export const partCount = (execution: Pick<Execution, "parts">): number => execution.parts?.length ?? 0;

/**
 * The parts of the answer as a reader speaks them: those recorded; for a completed execution that recorded
 * none (written without parts), its whole answer as the one part.
 */
export const partsOf = (execution: Execution): readonly string[] => {
  if (partCount(execution) > 0) return execution.parts ?? [];
  return execution.status === "completed" && execution.answer !== undefined && execution.answer !== ""
    ? [execution.answer]
    : [];
};

/**
 * Whether a new attempt may replace this one after its lease ran out: not once it recorded a part, since the
 * caller may have heard the beginning of an answer that a second model call would not continue.
 */
export const mayReattempt = (execution: Pick<Execution, "parts">): boolean => partCount(execution) === 0;

/**
 * The parts to record when `all` are known: the ones already recorded stay as they are, and the parts of
 * `all` past them follow. So a write never rewrites or reorders what the caller may have heard.
 */
export const extendParts = (recorded: readonly string[] | undefined, all: readonly string[]): string[] => [
  ...(recorded ?? []),
  ...all.slice(recorded?.length ?? 0),
];

export const keyOf = (execution: ExecutionKey): ExecutionKey => ({
  contactId: execution.contactId,
  turn: execution.turn,
});

export const formatKey = (key: ExecutionKey): string => `${key.contactId}#${key.turn}`;

export const sameInput = (a: ExecutionInput, b: ExecutionInput): boolean =>
  a.question === b.question && a.locale === b.locale;

function assertTransition(execution: Execution, to: ExecutionStatus): void {
  if (!ALLOWED_TRANSITIONS[execution.status].includes(to)) {
    throw new TransitionRefusedError(
      "invalid_transition",
      execution.status,
      to,
      `execution ${formatKey(execution)} cannot go from ${execution.status} to ${to}`,
    );
  }
}

/**
 * A token unique to one run of a use case: every write that run makes carries it as `lastWriter`. Random, so
 * two deliveries of the same event (which may share a Lambda request id) never take each other's writes for
 * their own; prefixed with the invocation's id when there is one (`<invocation>/<random>`), so a failure
 * record naming that invocation can tell whether it holds the running attempt (`isHeldByInvocation`).
 */
export const newWriterToken = (invocationId?: string): string => {
  const random = globalThis.crypto.randomUUID();
  return invocationId === undefined || invocationId === "" ? random : `${invocationId}/${random}`;
};

/** Whether the running attempt's last write (its claim or a renewal) was made by a run of this invocation. */
export const isHeldByInvocation = (execution: Execution, invocationId: string): boolean =>
  execution.status === "running" &&
  invocationId !== "" &&
  (execution.lastWriter?.startsWith(`${invocationId}/`) ?? false);

/**
 * Whether `stored` is the image `written` left when it landed as version `version`: the same writer's token,
 * that version, that status. A writer that finds this after a refusal or a lost reply knows its write landed
 * (the refusal was the store's answer to a retry of it). Never true for a write without a token.
 */
export function wroteThis(stored: Execution | undefined, written: Execution, version: number): boolean {
  return (
    stored !== undefined &&
    written.lastWriter !== undefined &&
    stored.lastWriter === written.lastWriter &&
    stored.version === version &&
    stored.status === written.status
  );
}

/** Who makes a write: the writer's token (`newWriterToken()`); a write without one cannot be recognised. */
export interface WrittenBy {
  readonly by?: string;
}

function advance(
  execution: Execution,
  now: number,
  by: string | undefined,
  changes: Partial<Execution>,
): Execution {
  // The previous writer's token never survives a write: it would take this version for its own.
  const { lastWriter: _previous, ...rest } = execution;
  return {
    ...rest,
    ...changes,
    version: execution.version + 1,
    updatedAt: now,
    ...(by === undefined ? {} : { lastWriter: by }),
  };
}

export interface NewExecution extends WrittenBy {
  readonly key: ExecutionKey;
  readonly input: ExecutionInput;
  readonly now: number;
  readonly deadlineMs: number;
  readonly retentionSeconds: number;
}

export function newExecution({ key, input, now, deadlineMs, retentionSeconds, by }: NewExecution): Execution {
  if (!Number.isInteger(key.turn) || key.turn < 1) {
    throw new InvalidTurnError(key.turn);
  }
  return {
    contactId: key.contactId,
    turn: key.turn,
    status: "queued",
    version: 1,
    attempt: 0,
    deadlineAt: now + deadlineMs,
    createdAt: now,
    updatedAt: now,
    dispatchedAt: now,
    input,
    expiresAt: Math.ceil((now + deadlineMs) / 1000) + retentionSeconds,
    ...(by === undefined ? {} : { lastWriter: by }),
  };
}

export interface ClaimOptions extends WrittenBy {
  readonly now: number;
  readonly leaseMs: number;
  readonly maxAttempts: number;
}

/**
 * `queued → running`, or `running → running` once the previous holder's lease has expired, unless that attempt
 * recorded parts of its answer (`mayReattempt`: refused as `attempts_exhausted`).
 */
export function claim(execution: Execution, { now, leaseMs, maxAttempts, by }: ClaimOptions): Execution {
  assertTransition(execution, "running");
  if (execution.status === "running") {
    if (execution.leaseUntil !== undefined && now < execution.leaseUntil) {
      throw new TransitionRefusedError(
        "lease_held",
        "running",
        "running",
        `execution ${formatKey(execution)} is leased until ${execution.leaseUntil}`,
      );
    }
    if (!mayReattempt(execution)) {
      throw new TransitionRefusedError(
        "attempts_exhausted",
        "running",
        "running",
        `attempt ${execution.attempt} of ${formatKey(execution)} recorded ${partCount(execution)} parts of its answer: no other attempt may follow it`,
      );
    }
  }
  if (execution.attempt >= maxAttempts) {
    throw new TransitionRefusedError(
      "attempts_exhausted",
      execution.status,
      "running",
      `execution ${formatKey(execution)} already had ${execution.attempt} of ${maxAttempts} attempts`,
    );
  }
  return advance(execution, now, by, {
    status: "running",
    attempt: execution.attempt + 1,
    leaseUntil: Math.min(now + leaseMs, execution.deadlineAt),
    startedAt: execution.startedAt ?? now,
  });
}

/**
 * `running → running` by the attempt holding the lease: extends it to `now + leaseMs` (capped by the
 * deadline), keeping the attempt. The heartbeat of a running attempt.
 */
export function renew(
  execution: Execution,
  { now, leaseMs, by }: { now: number; leaseMs: number } & WrittenBy,
): Execution {
  if (execution.status !== "running") {
    throw new TransitionRefusedError(
      "invalid_transition",
      execution.status,
      "running",
      `execution ${formatKey(execution)} is ${execution.status}, only a running execution's lease is renewed`,
    );
  }
  return advance(execution, now, by, { leaseUntil: Math.min(now + leaseMs, execution.deadlineAt) });
}

/**
 * `running → running` by the attempt holding the claim: records the next speakable parts of its answer after
 * those already recorded (progressive answers). Keeps the lease and the attempt; with `leaseMs` (an attempt
 * that renews its lease), the write also extends the lease as a renewal would: it shows the attempt alive, and
 * a renewal that lost its version to it then cannot leave the lease to lapse.
 */
export function appendParts(
  execution: Execution,
  { parts, now, leaseMs, by }: { parts: readonly string[]; now: number; leaseMs?: number } & WrittenBy,
): Execution {
  if (execution.status !== "running") {
    throw new TransitionRefusedError(
      "invalid_transition",
      execution.status,
      "running",
      `execution ${formatKey(execution)} is ${execution.status}, only a running execution records parts`,
    );
  }
  return advance(execution, now, by, {
    parts: [...(execution.parts ?? []), ...parts],
    ...(leaseMs === undefined ? {} : { leaseUntil: Math.min(now + leaseMs, execution.deadlineAt) }),
  });
}

/**
 * `running → completed` with the whole answer and every part of it: `parts`, after the ones already recorded
 * (`extendParts`). Without `parts`, the recorded ones stay as they are (none: a reader takes the answer as
 * its one part, `partsOf`).
 */
export function complete(
  execution: Execution,
  {
    now,
    answer,
    parts,
    usage,
    by,
  }: { now: number; answer: string; parts?: readonly string[]; usage?: ModelUsage } & WrittenBy,
): Execution {
  assertTransition(execution, "completed");
  const all = parts !== undefined && parts.length > 0 ? extendParts(execution.parts, parts) : execution.parts;
  return advance(execution, now, by, {
    status: "completed",
    answer,
    ...(all === undefined ? {} : { parts: all }),
    ...(usage === undefined ? {} : { usage }),
    leaseUntil: undefined,
    finishedAt: now,
  });
}

/**
 * `→ failed`. The parts already recorded stay (the caller heard them); `parts`, when given, are every part the
 * model produced before failing, recorded after those (`extendParts`).
 */
export function fail(
  execution: Execution,
  { now, error, parts, by }: { now: number; error: ExecutionFailure; parts?: readonly string[] } & WrittenBy,
): Execution {
  assertTransition(execution, "failed");
  const all =
    parts === undefined || parts.length <= partCount(execution)
      ? undefined
      : extendParts(execution.parts, parts);
  return advance(execution, now, by, {
    status: "failed",
    error,
    ...(all === undefined ? {} : { parts: all }),
    leaseUntil: undefined,
    finishedAt: now,
  });
}

/** `queued → queued`: records that the work was handed to the dispatcher again. */
export function redispatch(execution: Execution, { now, by }: { now: number } & WrittenBy): Execution {
  if (execution.status !== "queued") {
    throw new TransitionRefusedError(
      "invalid_transition",
      execution.status,
      "queued",
      `execution ${formatKey(execution)} is ${execution.status}, only a queued execution is re-dispatched`,
    );
  }
  return advance(execution, now, by, { dispatchedAt: now });
}

/**
 * `running → running` once the running attempt's lease is over: records that the work was handed to the
 * dispatcher again, so that a new attempt re-claims it and only one reader dispatches.
 */
export function redispatchAfterLease(
  execution: Execution,
  { now, by }: { now: number } & WrittenBy,
): Execution {
  if (!isLeaseOver(execution, now)) {
    throw new TransitionRefusedError(
      "lease_held",
      execution.status,
      "running",
      `execution ${formatKey(execution)} has no running attempt whose lease is over`,
    );
  }
  return advance(execution, now, by, { dispatchedAt: now });
}

/**
 * What a running attempt that stopped renewing its lease fails with when no attempt may replace it: none left,
 * too little time, or it recorded parts of its answer (`mayReattempt`).
 */
export const attemptStopped = (execution: Execution): ExecutionFailure => ({
  code: "worker_failed",
  message: `attempt ${execution.attempt} of ${formatKey(execution)} stopped renewing its lease at ${execution.leaseUntil}${mayReattempt(execution) ? "" : ` after recording ${partCount(execution)} parts`}`,
  retryable: false,
});

export const deadlineExceeded = (execution: Execution): ExecutionFailure => ({
  code: "deadline_exceeded",
  message: `no answer for ${formatKey(execution)} before its deadline`,
  retryable: false,
});

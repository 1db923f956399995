import type { Execution } from "./execution/execution.ts";

/**
 * Every error that crosses a boundary carries a stable `code` a caller can branch on,
 * and whether trying again could help.
 */
export type ErrorCode =
  // state machine
  | "invalid_turn"
  | "invalid_transition"
  | "lease_held"
  | "attempts_exhausted"
  | "deadline_exceeded"
  // store
  | "stale_version"
  | "execution_not_found"
  | "store_unavailable"
  | "item_too_large"
  // use cases
  | "idempotency_conflict"
  | "dispatch_failed"
  | "worker_failed"
  | "internal_error"
  // text delivery
  | TextErrorCode
  // model
  | LlmErrorCode;

export type LlmErrorCode =
  | "throttled"
  | "timeout"
  | "validation"
  | "access_denied"
  | "model_error"
  | "empty_answer";

/**
 * Delivery of the answer by text message: the caller's number is not one a text can go to
 * (`invalid_phone_number`), the delivery record changed since it was read (`stale_delivery`), or the SMS
 * service refused or failed the send (`text_throttled`, `text_rejected`, `text_failed`).
 */
export type TextErrorCode =
  | "invalid_phone_number"
  | "stale_delivery"
  | "text_throttled"
  | "text_rejected"
  | "text_failed";

export class HoldlineError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** An execution key whose turn is not a positive integer (the same code Connect's event parser uses). */
export class InvalidTurnError extends HoldlineError {
  constructor(readonly turn: number) {
    super("invalid_turn", `turn must be a positive integer, got ${turn}`);
  }
}

/** A transition the state machine does not allow from the execution's current state. */
export class TransitionRefusedError extends HoldlineError {
  constructor(
    code: "invalid_transition" | "lease_held" | "attempts_exhausted",
    readonly from: string,
    readonly to: string,
    message: string,
  ) {
    super(code, message);
  }
}

/**
 * The store refused a conditional write: the execution changed (or vanished) since it was read. `current` is
 * the stored execution the refusal was checked against, when the store returned it with the refusal
 * (DynamoDB's `ReturnValuesOnConditionCheckFailure`); absent, the writer reads it.
 */
export class StaleExecutionError extends HoldlineError {
  readonly current: Execution | undefined;

  constructor(message: string, options: { cause?: unknown; current?: Execution } = {}) {
    const { current, ...rest } = options;
    super("stale_version", message, { retryable: true, ...rest });
    this.current = current;
  }
}

export class ExecutionNotFoundError extends HoldlineError {
  constructor(message: string) {
    super("execution_not_found", message);
  }
}

/** The store could not be reached or refused for capacity reasons; the caller may retry later. */
export class StoreUnavailableError extends HoldlineError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("store_unavailable", message, { retryable: true, ...options });
  }
}

export class ItemTooLargeError extends HoldlineError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("item_too_large", message, options);
  }
}

/** The same (contact, turn) was started again with a different question or locale. */
export class IdempotencyConflictError extends HoldlineError {
  constructor(message: string) {
    super("idempotency_conflict", message);
  }
}

export class DispatchError extends HoldlineError {
  constructor(message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super("dispatch_failed", message, { retryable: true, ...options });
  }
}

export class LlmError extends HoldlineError {
  declare readonly code: LlmErrorCode;

  constructor(code: LlmErrorCode, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(code, message, options);
  }
}

/** The SMS service did not send the text; `retryable` says whether the same send may succeed later. */
export class TextSendError extends HoldlineError {
  declare readonly code: "text_throttled" | "text_rejected" | "text_failed";

  constructor(
    code: "text_throttled" | "text_rejected" | "text_failed",
    message: string,
    options: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}

/** A conditional write of a text delivery was refused: the delivery or its execution changed since it was read. */
export class StaleDeliveryError extends HoldlineError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("stale_delivery", message, { retryable: true, ...options });
  }
}

/** The caller's number is not one a text message can go to (absent, anonymous, or not E.164). */
export class InvalidPhoneNumberError extends HoldlineError {
  constructor(message: string) {
    super("invalid_phone_number", message);
  }
}

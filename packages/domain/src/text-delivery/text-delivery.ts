import { type ErrorCode, StaleDeliveryError, StoreUnavailableError } from "../errors.ts";
import { type Execution, formatKey, isTerminal, partCount } from "../execution/execution.ts";

/**
 * Delivery of a turn's answer by text message, for a caller who chose it instead of waiting (issue 18).
 *
 * - `consented`: the caller pressed the key; their number is recorded, they are still on the line.
 * - `due`: the caller left before hearing the answer (the contact ended): send once the turn ends.
 * - `sending`: a delivery run claimed the send (`sender`, until `sendingUntil`).
 * - `retrying`: a send failed and may succeed later; the stream's retry of the same record sends it.
 * - `sent` / `failed`: final.
 *
 * The delivery is stored on the execution's item but outside its versioned state: its writes are
 * conditional on its own `revision`, so they never race the worker's writes (nor bump `Execution.version`).
 */
export type TextDeliveryState = "consented" | "due" | "sending" | "retrying" | "sent" | "failed";

/** What the text says: the turn's answer, or (the turn failed) a short apology. */
export type TextKind = "answer" | "apology";

export interface TextDeliveryError {
  readonly code: ErrorCode;
  readonly message: string;
}

/** All instants are epoch milliseconds. */
export interface TextDelivery {
  readonly state: TextDeliveryState;
  /** 1 for the consent; incremented by every write, each conditional on the revision it read. */
  readonly revision: number;
  /** The caller's number, E.164. Stored only with consent; expires with the execution (its TTL). */
  readonly to: string;
  readonly consentedAt: number;
  readonly leftAt?: number;
  /** Sends tried so far (claims). */
  readonly attempts: number;
  /** The writer token of the run holding the send. */
  readonly sender?: string;
  readonly sendingUntil?: number;
  readonly kind?: TextKind;
  readonly sentAt?: number;
  readonly messageId?: string;
  /** The last send's failure (`retrying`, `failed`). */
  readonly error?: TextDeliveryError;
  readonly failedAt?: number;
}

/** An execution with the delivery stored beside it (absent: the caller gave no consent). */
export interface DeliveryView {
  readonly execution: Execution;
  readonly delivery?: TextDelivery;
}

/** E.164: a plus sign, then 8 to 15 digits, the first not 0 (Connect's `CustomerEndpoint.Address` for a phone). */
const E164 = /^\+[1-9]\d{7,14}$/;

export const isE164 = (address: string | undefined): address is string =>
  address !== undefined && E164.test(address);

/**
 * A number as logs may show it: `+819012345678` → `***78`, enough to tell two callers apart, not to reach either
 * (nor to learn the number's length). Fewer than six digits: `***`.
 */
export const maskPhone = (address: string): string => {
  const digits = address.replace(/\D/g, "");
  return digits.length < 6 ? "***" : `***${digits.slice(-2)}`;
};

/**
 * Whether the caller can still be offered a text for this turn: no answer to speak yet (not ended, no part
 * recorded). Otherwise the caller hears the answer on the line instead.
 */
export const awaitsAnswer = (execution: Execution): boolean =>
  !isTerminal(execution) && partCount(execution) === 0;

export const consent = ({ to, now }: { to: string; now: number }): TextDelivery => ({
  state: "consented",
  revision: 1,
  to,
  consentedAt: now,
  attempts: 0,
});

/** Every write bumps the revision; the claim's time ends with the claim (its `sender` stays, to recognise it). */
const next = (delivery: TextDelivery, changes: Partial<TextDelivery>): TextDelivery => {
  const { sendingUntil: _until, ...rest } = delivery;
  return { ...rest, ...changes, revision: delivery.revision + 1 };
};

/** `consented → due`: the caller left before hearing the answer. Undefined when there is nothing to change. */
export const callerLeft = (delivery: TextDelivery, now: number): TextDelivery | undefined =>
  delivery.state === "consented" ? next(delivery, { state: "due", leftAt: now }) : undefined;

/** Whether a delivery run may take the send now: due, retrying, or held by a run whose claim ran out. */
export const maySend = (delivery: TextDelivery, now: number): boolean =>
  delivery.state === "due" ||
  delivery.state === "retrying" ||
  (delivery.state === "sending" && (delivery.sendingUntil ?? 0) <= now);

/** `due | retrying | sending (claim over) → sending`, held by `by` until `now + leaseMs`. */
export function claimSend(
  delivery: TextDelivery,
  { now, leaseMs, by }: { now: number; leaseMs: number; by: string },
): TextDelivery {
  if (!maySend(delivery, now)) {
    throw new Error(`a ${delivery.state} delivery cannot be claimed at ${now}`);
  }
  return next(delivery, {
    state: "sending",
    attempts: delivery.attempts + 1,
    sender: by,
    sendingUntil: now + leaseMs,
  });
}

export const sent = (
  delivery: TextDelivery,
  { now, messageId, kind }: { now: number; messageId: string; kind: TextKind },
): TextDelivery => {
  const { error: _error, ...rest } = delivery;
  return next(rest, { state: "sent", sentAt: now, messageId, kind });
};

export const retryLater = (delivery: TextDelivery, error: TextDeliveryError): TextDelivery =>
  next(delivery, { state: "retrying", error });

export const deliveryFailed = (
  delivery: TextDelivery,
  { now, error }: { now: number; error: TextDeliveryError },
): TextDelivery => next(delivery, { state: "failed", error, failedAt: now });

/** What the text is about: the answer when the turn completed with one, an apology when it failed. */
export const textKindOf = (execution: Execution): TextKind | undefined => {
  if (execution.status === "completed") return "answer";
  if (execution.status === "failed") return "apology";
  return undefined;
};

/**
 * Whether a delivery write's failure leaves it worth reading again and deciding anew: the store refused it (the
 * delivery or its execution changed, or a copy of this very write landed first) or did not answer (the write may
 * have landed). Anything else is not about the delivery's state.
 */
export const mayReadAgain = (error: unknown): boolean =>
  error instanceof StaleDeliveryError || error instanceof StoreUnavailableError;

/** Whether `stored` is the delivery `written` left: its revision, its state and its writer. */
export const isDeliveryWritten = (stored: TextDelivery | undefined, written: TextDelivery): boolean =>
  stored !== undefined &&
  stored.revision === written.revision &&
  stored.state === written.state &&
  stored.sender === written.sender;

export const describeDelivery = (view: DeliveryView): string =>
  `${formatKey(view.execution)} (${view.delivery?.state ?? "no consent"})`;

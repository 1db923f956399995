import type { ServiceIdentifier } from "inversify";
import type { ExecutionKey } from "../execution/execution.ts";

/** Which conditional write a recovered lost reply belonged to. */
export type WriteKind = "create" | "claim" | "renew" | "parts" | "complete" | "fail" | "redispatch";

/**
 * What the use cases did to get past a fault, reported so an operator sees it: each is one metric and one
 * structured log line (the operator-facing names are in docs/operations.md).
 *
 * - `lost_reply_recovered`: a write landed but its reply was lost (the SDK's retry was refused, or the call
 *   gave up with `store_unavailable`); the writer found its own token at the version it wrote.
 * - `reclaimed_after_lease`: a running attempt stopped renewing its lease (it crashed or hung) and a new
 *   attempt was dispatched.
 * - `attempt_stopped`: the same, with no attempt left (or too little time): the execution failed `worker_failed`.
 * - `dispatch_refused`: the dispatcher refused for good (missing function, access denied, invalid request):
 *   the execution failed `dispatch_failed`.
 * - `start_abandoned`: the store did not confirm a turn's create before the caller had to be answered; the
 *   caller heard an error and the turn was handed over to be ended (`start_abandon_settled` follows).
 * - `start_abandon_settled`: an abandoned start made sure the turn ended failed: `fenced` (a failed placeholder
 *   took the key first, so the late create is refused), `failed_own_create` (the create had landed: it was
 *   failed), `already_ended`, or `owned_elsewhere` (another writer's create holds the key; its handler owns it).
 */
export type RecoveryEvent =
  | { readonly kind: "lost_reply_recovered"; readonly key: ExecutionKey; readonly write: WriteKind }
  | { readonly kind: "reclaimed_after_lease"; readonly key: ExecutionKey; readonly attempt: number }
  | { readonly kind: "attempt_stopped"; readonly key: ExecutionKey; readonly attempt: number }
  | { readonly kind: "dispatch_refused"; readonly key: ExecutionKey; readonly reason: string }
  | { readonly kind: "start_abandoned"; readonly key: ExecutionKey }
  | {
      readonly kind: "start_abandon_settled";
      readonly key: ExecutionKey;
      readonly how: "fenced" | "failed_own_create" | "already_ended" | "owned_elsewhere";
    };

export type RecoveryKind = RecoveryEvent["kind"];

/** Every kind, in the order docs/operations.md lists them. */
export const RECOVERY_KINDS: readonly RecoveryKind[] = [
  "lost_reply_recovered",
  "reclaimed_after_lease",
  "attempt_stopped",
  "dispatch_refused",
  "start_abandoned",
  "start_abandon_settled",
];

/** Where the use cases report recoveries. Must not throw: reporting never changes an outcome. */
export interface ExecutionEvents {
  report(event: RecoveryEvent): void;
}

/** Reports nothing: the default where no operator is watching (tests, the emulator). */
export const NO_EVENTS: ExecutionEvents = { report: () => undefined };

export const ExecutionEventsId: ServiceIdentifier<ExecutionEvents> = Symbol.for("holdline.ExecutionEvents");

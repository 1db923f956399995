import type { ExecutionKey } from "@holdline/domain/execution/execution";
import * as z from "zod";

/** The event the dispatcher sends the answer worker: only the key, the execution itself is in the store. */
export interface WorkerPayload {
  readonly contactId: string;
  readonly turn: number;
}

export const toWorkerPayload = (key: ExecutionKey): WorkerPayload => ({
  contactId: key.contactId,
  turn: key.turn,
});

const workerPayloadSchema = z.object({
  contactId: z.string().min(1).max(256),
  turn: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
});

export type WorkerPayloadParseResult =
  | { readonly ok: true; readonly key: ExecutionKey }
  | { readonly ok: false; readonly error: { readonly code: "invalid_payload"; readonly message: string } };

/**
 * The worker side: validates an asynchronous invocation's event. Never throws; unknown keys are dropped,
 * so a newer dispatcher may add fields without breaking an older worker.
 */
export function parseWorkerPayload(event: unknown): WorkerPayloadParseResult {
  const parsed = workerPayloadSchema.safeParse(event);
  if (parsed.success) return { ok: true, key: { contactId: parsed.data.contactId, turn: parsed.data.turn } };
  const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "payload"}: ${issue.message}`);
  return {
    ok: false,
    error: { code: "invalid_payload", message: `not a worker payload (${issues.join("; ")})` },
  };
}

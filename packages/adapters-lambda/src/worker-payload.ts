import type { ExecutionKey } from "@holdline/domain/execution/execution";
import type { AbandonedStart } from "@holdline/domain/ports/work-dispatcher.port";
import * as z from "zod";

/**
 * The event the dispatcher sends the answer worker. To run an execution, only the key: the execution itself
 * is in the store. To end an abandoned start (`abandon`), what the worker needs to fence the key or fail the
 * create if it landed: the create's writer token, the question and its instants.
 */
export interface WorkerPayload {
  readonly contactId: string;
  readonly turn: number;
  readonly abandon?: {
    readonly writer: string;
    readonly question: string;
    readonly locale: string;
    readonly createdAt: number;
    readonly deadlineAt: number;
  };
}

export const toWorkerPayload = (key: ExecutionKey): WorkerPayload => ({
  contactId: key.contactId,
  turn: key.turn,
});

export const toAbandonPayload = ({
  key,
  writer,
  input,
  createdAt,
  deadlineAt,
}: AbandonedStart): WorkerPayload => ({
  ...toWorkerPayload(key),
  abandon: { writer, question: input.question, locale: input.locale, createdAt, deadlineAt },
});

const instant = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const workerPayloadSchema = z.object({
  contactId: z.string().min(1).max(256),
  turn: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  abandon: z
    .object({
      writer: z.string().min(1).max(512),
      question: z.string().max(100_000),
      locale: z.string().min(2).max(35),
      createdAt: instant,
      deadlineAt: instant,
    })
    .optional(),
});

export type WorkerPayloadParseResult =
  | { readonly ok: true; readonly key: ExecutionKey; readonly abandon?: AbandonedStart }
  | { readonly ok: false; readonly error: { readonly code: "invalid_payload"; readonly message: string } };

/**
 * The worker side: validates an asynchronous invocation's event. Never throws; unknown keys are dropped,
 * so a newer dispatcher may add fields without breaking an older worker.
 */
export function parseWorkerPayload(event: unknown): WorkerPayloadParseResult {
  const parsed = workerPayloadSchema.safeParse(event);
  if (parsed.success) {
    const key = { contactId: parsed.data.contactId, turn: parsed.data.turn };
    const abandon = parsed.data.abandon;
    if (abandon === undefined) return { ok: true, key };
    return {
      ok: true,
      key,
      abandon: {
        key,
        writer: abandon.writer,
        input: { question: abandon.question, locale: abandon.locale },
        createdAt: abandon.createdAt,
        deadlineAt: abandon.deadlineAt,
      },
    };
  }
  const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "payload"}: ${issue.message}`);
  return {
    ok: false,
    error: { code: "invalid_payload", message: `not a worker payload (${issues.join("; ")})` },
  };
}

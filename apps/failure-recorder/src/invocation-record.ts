import { parseWorkerPayload } from "@holdline/adapters-lambda/worker-payload";
import type { ExecutionFailure, ExecutionKey } from "@holdline/domain/execution/execution";
import * as z from "zod";

/**
 * The invocation record Lambda sends to an asynchronous invocation's on-failure destination (AWS Lambda
 * Developer Guide, "Capturing records of Lambda asynchronous invocations"): `requestContext.condition`
 * says why Lambda gave up (`RetriesExhausted`, `EventAgeExceeded`, …), `requestPayload` is the original event.
 */
const invocationRecordSchema = z.object({
  requestContext: z.object({
    requestId: z.string().optional(),
    functionArn: z.string().optional(),
    condition: z.string().min(1),
    approximateInvokeCount: z.number().int().min(0),
  }),
  requestPayload: z.unknown(),
  responseContext: z.object({ functionError: z.string().optional() }).partial().optional(),
  responsePayload: z
    .object({ errorType: z.string().optional(), errorMessage: z.string().optional() })
    .partial()
    .nullish()
    .catch(undefined),
});

export class InvalidInvocationRecordError extends Error {
  readonly code = "invalid_invocation_record";
}

export interface FailedInvocation {
  readonly key: ExecutionKey;
  readonly error: ExecutionFailure;
  /** The failed invocation's request id, which prefixes the writer token of the attempt it ran. */
  readonly invocationId?: string;
}

/** Reads an SQS message body as a failed worker invocation; throws `InvalidInvocationRecordError` otherwise. */
export function parseInvocationRecord(body: string): FailedInvocation {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new InvalidInvocationRecordError("the message body is not JSON");
  }
  const record = invocationRecordSchema.safeParse(json);
  if (!record.success) {
    throw new InvalidInvocationRecordError(
      `not a Lambda invocation record: ${record.error.issues[0]?.message}`,
    );
  }
  const payload = parseWorkerPayload(record.data.requestPayload);
  if (!payload.ok) throw new InvalidInvocationRecordError(payload.error.message);
  const { condition, approximateInvokeCount, requestId } = record.data.requestContext;
  const cause = record.data.responsePayload;
  const detail =
    cause?.errorType === undefined
      ? ""
      : `: ${cause.errorType}${cause.errorMessage ? ` ${cause.errorMessage}` : ""}`;
  return {
    key: payload.key,
    ...(requestId === undefined || requestId === "" ? {} : { invocationId: requestId }),
    error: {
      code: "worker_failed",
      message:
        `Lambda gave up on the worker (${condition}, ${approximateInvokeCount} attempts)${detail}`.slice(
          0,
          1_000,
        ),
      retryable: false,
    },
  };
}

import { LambdaClient, type LambdaClientConfig } from "@aws-sdk/client-lambda";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import * as z from "zod";

/** Connect's synchronous block limit: every dispatch happens inside a Connect-facing handler. */
const CONNECT_SYNC_LIMIT_MS = 8_000;

const optionsSchema = z
  .object({
    /** Time to establish the TCP/TLS connection. */
    connectionTimeoutMs: z.number().int().min(50).max(5_000),
    /** Time for one attempt, from sending to the complete response. */
    requestTimeoutMs: z.number().int().min(50).max(7_000),
    /** Attempts including the first; the SDK retries throttling, 5xx and network errors. */
    maxAttempts: z.number().int().min(1).max(3),
    region: z.string().min(1).optional(),
    /** Only for tests and local emulators; production uses the regional endpoint. */
    endpoint: z.url().optional(),
  })
  .refine((options) => options.maxAttempts * options.requestTimeoutMs < CONNECT_SYNC_LIMIT_MS, {
    message: "maxAttempts × requestTimeoutMs must stay under Connect's 8 s block",
    path: ["requestTimeoutMs"],
  });

export type LambdaClientOptions = z.input<typeof optionsSchema> & {
  /** Defaults to the SDK's provider chain (the function's role in Lambda). */
  readonly credentials?: LambdaClientConfig["credentials"];
};

/**
 * Builds the Lambda client with short, explicit timeouts and bounded retries (no defaults: the apps take
 * them from `@holdline/budget`). Call it once per process (at cold start) and share the client. Throws,
 * naming the field, when an option is invalid.
 */
export function createLambdaClient(options: LambdaClientOptions): LambdaClient {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const fields = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    throw new Error(`invalid Lambda client options: ${fields.join("; ")}`);
  }
  const { connectionTimeoutMs, requestTimeoutMs, maxAttempts, region, endpoint } = parsed.data;
  return new LambdaClient({
    maxAttempts,
    ...(region === undefined ? {} : { region }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    requestHandler: new NodeHttpHandler({
      connectionTimeout: connectionTimeoutMs,
      requestTimeout: requestTimeoutMs,
      // Without this the handler only logs a warning when requestTimeout passes, and the call hangs on.
      throwOnRequestTimeout: true,
    }),
  });
}

import {
  PinpointSMSVoiceV2Client,
  type PinpointSMSVoiceV2ClientConfig,
} from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import * as z from "zod";

const optionsSchema = z.object({
  /** Time to establish the TCP/TLS connection. */
  connectionTimeoutMs: z.number().int().min(50).max(5_000),
  /** Time for one attempt, from sending to the complete response. */
  requestTimeoutMs: z.number().int().min(50).max(10_000),
  /**
   * Attempts including the first; the SDK retries throttling, 5xx and network errors. The service takes no
   * idempotency token: an attempt cut off by a timeout may have sent its text, and the retry sends another.
   */
  maxAttempts: z.number().int().min(1).max(3),
  region: z.string().min(1).optional(),
  /** Only for tests and local stand-ins; production uses the regional endpoint. */
  endpoint: z.url().optional(),
});

export type SmsClientOptions = z.input<typeof optionsSchema> & {
  /** Defaults to the SDK's provider chain (the function's role in Lambda). */
  readonly credentials?: PinpointSMSVoiceV2ClientConfig["credentials"];
};

/**
 * Builds the End User Messaging SMS (`pinpoint-sms-voice-v2`) client with short, explicit timeouts and
 * bounded retries (no defaults: the apps take them from `@holdline/budget`). Call it once per process (at
 * cold start) and share the client. Throws, naming the field, when an option is invalid.
 *
 * It takes no logger on purpose: the SDK's logger middleware would log the request, and the service's model
 * does not mark `DestinationPhoneNumber` as sensitive, so the caller's number would land in the logs.
 */
export function createSmsClient(options: SmsClientOptions): PinpointSMSVoiceV2Client {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const fields = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    throw new Error(`invalid SMS client options: ${fields.join("; ")}`);
  }
  const { connectionTimeoutMs, requestTimeoutMs, maxAttempts, region, endpoint } = parsed.data;
  return new PinpointSMSVoiceV2Client({
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

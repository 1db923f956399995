import { BedrockRuntimeClient, type BedrockRuntimeClientConfig } from "@aws-sdk/client-bedrock-runtime";

export interface BedrockClientOptions {
  readonly region: string;
  /** Only for a local stub; production resolves the regional endpoint. */
  readonly endpoint?: string;
  /** Defaults to the SDK's credential chain (the Lambda role in production). */
  readonly credentials?: BedrockRuntimeClientConfig["credentials"];
  /** An HTTP/2 stream idle for this long fails with `TimeoutError` (classified `timeout`). */
  readonly requestTimeoutMs: number;
  /** An HTTP/2 session idle for this long is closed. */
  readonly sessionTimeoutMs: number;
}

/**
 * Builds the Bedrock Runtime client; call it once per process (at cold start) and share it.
 * The SDK's own retries are off (`maxAttempts: 1`) because `BedrockLlmClient` retries within the
 * caller's deadline. The request handler stays the SDK's default for this client, HTTP/2 (with a
 * session per request, as the SDK configures it); only its timeouts are made explicit, and they have no
 * default: the apps fit them to the execution's deadline (`@holdline/budget`).
 */
export function createBedrockClient(options: BedrockClientOptions): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: options.region,
    maxAttempts: 1,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    requestHandler: {
      requestTimeout: options.requestTimeoutMs,
      sessionTimeout: options.sessionTimeoutMs,
      disableConcurrentStreams: true,
    },
  });
}

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { NodeHttpHandler } from "@smithy/node-http-handler";

export interface DynamoDbClientOptions {
  /** Defaults to the SDK's resolution (`AWS_REGION` in Lambda). */
  readonly region?: string;
  /** Only for a local server such as dynalite; production uses the regional endpoint. */
  readonly endpoint?: string;
  /** Only for a local server; production uses the SDK's default chain (the Lambda role). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Give up opening a TCP/TLS connection after this long (the SDK's default: never). */
  readonly connectionTimeoutMs: number;
  /** Give up one attempt, request and response, after this long (the SDK's default: never). */
  readonly requestTimeoutMs: number;
  /** Attempts per call, first one included, with the SDK's standard jittered backoff. */
  readonly maxAttempts: number;
  /** Concurrent sockets to the endpoint, kept alive between calls. Default 50, the SDK's own. */
  readonly maxSockets?: number;
}

/** Not a timeout: the SDK's own pool size, made explicit because keep-alive is switched on here. */
export const DEFAULT_MAX_SOCKETS = 50;

/**
 * The document client for the executions table. Build it once per process (at module scope or as a
 * singleton binding) so warm invocations reuse its kept-alive connections. The timeouts have no default:
 * the apps take them from `@holdline/budget`, sized for Connect's 8 s synchronous block.
 */
export function createDynamoDbClient(options: DynamoDbClientOptions): DynamoDBDocumentClient {
  const settings = { ...options, maxSockets: options.maxSockets ?? DEFAULT_MAX_SOCKETS };
  const agent = { keepAlive: true, maxSockets: settings.maxSockets };
  const client = new DynamoDBClient({
    ...(settings.region === undefined ? {} : { region: settings.region }),
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
    maxAttempts: settings.maxAttempts,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: settings.connectionTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      // Without this the SDK only logs a warning when requestTimeout passes and keeps waiting.
      throwOnRequestTimeout: true,
      httpAgent: agent,
      httpsAgent: agent,
    }),
  });
  // The adapter's item mapping already omits absent attributes; anything undefined left is a bug to surface.
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: false } });
}

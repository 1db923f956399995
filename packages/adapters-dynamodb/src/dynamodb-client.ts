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
  /** Give up opening a TCP/TLS connection after this long. Default 1000 ms (the SDK's default: none). */
  readonly connectionTimeoutMs?: number;
  /** Give up one attempt, request and response, after this long. Default 2000 ms (SDK default: none). */
  readonly requestTimeoutMs?: number;
  /** Attempts per call, first one included, with the SDK's standard jittered backoff. Default 3. */
  readonly maxAttempts?: number;
  /** Concurrent sockets to the endpoint, kept alive between calls. Default 50. */
  readonly maxSockets?: number;
}

/**
 * Defaults sized for Connect's 8 s synchronous Lambda limit: a healthy DynamoDB call takes milliseconds,
 * a stuck attempt is cut at 2 s, and the store caps a whole call, retries included, at its own
 * `operationTimeoutMs` (3 s by default), leaving the handler time to answer Connect with a defined error.
 */
export const DEFAULT_DYNAMODB_CLIENT_OPTIONS = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
  maxAttempts: 3,
  maxSockets: 50,
} as const;

/**
 * The document client for the executions table. Build it once per process (at module scope or as a
 * singleton binding) so warm invocations reuse its kept-alive connections.
 */
export function createDynamoDbClient(options: DynamoDbClientOptions = {}): DynamoDBDocumentClient {
  const settings = { ...DEFAULT_DYNAMODB_CLIENT_OPTIONS, ...withoutUndefined(options) };
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

function withoutUndefined<T extends object>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;
}

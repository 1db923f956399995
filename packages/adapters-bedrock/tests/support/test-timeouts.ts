import type { BedrockClientOptions } from "../../src/bedrock-client.factory.ts";

/**
 * The HTTP/2 timeouts the adapter's tests give their Bedrock clients. The apps take theirs from
 * `@holdline/budget` (fitted to the execution's deadline), which an adapter may not import.
 */
export const TEST_BEDROCK_TIMEOUTS = {
  requestTimeoutMs: 30_000,
  sessionTimeoutMs: 60_000,
} as const satisfies Partial<BedrockClientOptions>;

/**
 * The timeouts the adapter's tests give their SMS clients and senders. The apps take theirs from
 * `@holdline/budget`, which an adapter may not import.
 */
export const TEST_CLIENT_TIMEOUTS = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 1_000,
  maxAttempts: 2,
} as const;
export const TEST_SEND_DEADLINE_MS = 4_000;
export const TEST_CREDENTIALS = { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" } as const;
export const TEST_REGION = "ap-northeast-1";

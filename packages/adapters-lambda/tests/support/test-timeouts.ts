/**
 * The timeouts the adapter's tests give their Lambda clients and dispatchers. The apps take theirs from
 * `@holdline/budget`, which an adapter may not import: two attempts of 2 s, the whole dispatch cut at 4 s.
 */
export const TEST_CLIENT_TIMEOUTS = {
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 2_000,
  maxAttempts: 2,
} as const;
export const TEST_DISPATCH_DEADLINE_MS = 4_000;

import type { ExecutionPolicy } from "../../src/execution/execution-policy.ts";
import { stream } from "../support/fakes/scripted-llm-client.ts";

/** Shared by the progressive-answer tests: a policy with parts recorded, and a model streaming three parts. */

/** The budget's shape, with progressive answers on. */
export const PROGRESSIVE: Partial<ExecutionPolicy> = {
  leaseMs: 5_000,
  heartbeatMs: 2_000,
  maxAttempts: 2,
  attemptRoomMs: 10_000,
  recordParts: true,
};

export const PARTS = [
  "Yes, we are open today.",
  "We open at nine in the morning.",
  "We close at seven tonight.",
];
export const ANSWER = PARTS.join(" ");

/** A model that writes the three parts at 0.8 s, 2 s and 3 s and is done at 3.5 s. */
export const streamed = (latencyMs = 3_500) =>
  stream(
    [
      [800, PARTS[0] ?? ""],
      [2_000, PARTS[1] ?? ""],
      [3_000, PARTS[2] ?? ""],
    ],
    latencyMs,
  );

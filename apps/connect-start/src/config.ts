import { readConfig } from "@holdline/composition/config/environment";
import { commonEnv, dispatcherEnv } from "@holdline/composition/config/environment.schema";
import * as z from "zod";

/**
 * What connect-start does with a turn (`HOLDLINE_START_ROLE`):
 *
 * - `answer` (the polling strategy, the default): registers it, dispatches the worker, and answers a fast
 *   question within its fast-path wait;
 * - `register` (native-async with progressive answers): registers it and dispatches the worker, then answers
 *   at once; the flow goes on to connect-answer, which waits for the parts.
 */
export const START_ROLES = ["answer", "register"] as const;
export type StartRole = (typeof START_ROLES)[number];

const schema = z.object({
  ...commonEnv,
  ...dispatcherEnv,
  HOLDLINE_START_ROLE: z.enum(START_ROLES).default("answer"),
});

export type ConnectStartConfig = z.infer<typeof schema>;

/** Read once per cold start; a missing or invalid variable fails the cold start, naming it. */
export const loadConfig = (
  environment: Record<string, string | undefined> = process.env,
): ConnectStartConfig => readConfig(schema, environment);

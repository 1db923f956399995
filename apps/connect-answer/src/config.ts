import { commonEnv, modelEnv, optionalDispatcherEnv } from "@holdline/composition/config/environment.schema";
import { readConfig } from "@holdline/composition/config/environment";
import * as z from "zod";

// The worker is optional: given one, progressive answers are written by it (`buildProgressiveContainer`).
const schema = z.object({ ...commonEnv, ...modelEnv, ...optionalDispatcherEnv });

export type ConnectAnswerConfig = z.infer<typeof schema>;

/** Read once per cold start; a missing or invalid variable fails the cold start, naming it. */
export const loadConfig = (
  environment: Record<string, string | undefined> = process.env,
): ConnectAnswerConfig => readConfig(schema, environment);

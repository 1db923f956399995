import { commonEnv } from "@holdline/runtime/adapter-config";
import { readConfig } from "@holdline/runtime/config";
import * as z from "zod";

const schema = z.object(commonEnv);

export type FailureRecorderConfig = z.infer<typeof schema>;

/** Read once per cold start; a missing or invalid variable fails the cold start, naming it. */
export const loadConfig = (
  environment: Record<string, string | undefined> = process.env,
): FailureRecorderConfig => readConfig(schema, environment);

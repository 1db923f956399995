import { commonEnv } from "@holdline/composition/config/environment.schema";
import { readConfig } from "@holdline/composition/config/environment";
import * as z from "zod";

const schema = z.object(commonEnv);

export type FailureRecorderConfig = z.infer<typeof schema>;

/** Read once per cold start; a missing or invalid variable fails the cold start, naming it. */
export const loadConfig = (
  environment: Record<string, string | undefined> = process.env,
): FailureRecorderConfig => readConfig(schema, environment);

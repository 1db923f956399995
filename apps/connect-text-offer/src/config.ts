import { readConfig } from "@holdline/composition/config/environment";
import { commonEnv } from "@holdline/composition/config/environment.schema";
import * as z from "zod";

const schema = z.object(commonEnv);

export type ConnectTextOfferConfig = z.infer<typeof schema>;

/** Read once per cold start; a missing or invalid variable fails the cold start, naming it. */
export const loadConfig = (
  environment: Record<string, string | undefined> = process.env,
): ConnectTextOfferConfig => readConfig(schema, environment);

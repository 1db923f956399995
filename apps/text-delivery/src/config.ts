import { readConfig } from "@holdline/composition/config/environment";
import { commonEnv, smsEnv, textDeliveryEnv } from "@holdline/composition/config/environment.schema";
import * as z from "zod";

const schema = z.object({ ...commonEnv, ...smsEnv, ...textDeliveryEnv });

export type TextDeliveryAppConfig = z.infer<typeof schema>;

/** Read once per cold start; a missing or invalid variable fails the cold start, naming it. */
export const loadConfig = (
  environment: Record<string, string | undefined> = process.env,
): TextDeliveryAppConfig => readConfig(schema, environment);

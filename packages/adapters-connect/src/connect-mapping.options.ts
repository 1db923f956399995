import { SUPPORTED_LOCALES, TURN_ATTRIBUTE } from "@holdline/connect-contract/flow-contract";
import * as z from "zod";

/** Connect refuses a Lambda response of 32 KB or more of UTF-8 (see docs/connect-mapping.md). */
export const CONNECT_RESPONSE_LIMIT_BYTES = 32 * 1024;

const optionsSchema = z.object({
  /** Used when the flow passes no `locale` (or an empty one, as an unset attribute reference gives). */
  defaultLocale: z.enum(SUPPORTED_LOCALES).default("ja-JP"),
  /** Longest question accepted, in Unicode code points, after trimming. */
  maxQuestionChars: z.number().int().min(1).max(100_000).default(1_000),
  /** Contact attribute read for the turn when the `turn` parameter is absent or empty. */
  turnAttribute: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,128}$/, "attribute keys are alphanumeric, dash or underscore")
    .default(TURN_ATTRIBUTE),
  /**
   * Longest answer returned, in code points. 3,000 is Amazon Polly's billed-character limit for one
   * synthesis request, which a Play prompt block's text-to-speech is subject to.
   */
  maxAnswerChars: z.number().int().min(100).max(30_000).default(3_000),
  /** Budget for the whole serialized response; kept below Connect's 32 KB with a margin. */
  maxResponseBytes: z
    .number()
    .int()
    .min(1_024)
    .max(CONNECT_RESPONSE_LIMIT_BYTES - 1)
    .default(32_000),
});

export type ConnectMappingOptions = Readonly<z.output<typeof optionsSchema>>;
export type ConnectMappingOptionsInput = z.input<typeof optionsSchema>;

/**
 * Validates configuration once (at cold start). Throws an `Error` naming every invalid field, so a bad
 * deployment fails loudly before any call is taken.
 */
export function connectMappingOptions(input: ConnectMappingOptionsInput = {}): ConnectMappingOptions {
  const parsed = optionsSchema.safeParse(input);
  if (!parsed.success) {
    const fields = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`,
    );
    throw new Error(`invalid Connect mapping options: ${fields.join("; ")}`);
  }
  return parsed.data;
}

export const defaultConnectMappingOptions: ConnectMappingOptions = connectMappingOptions();

import * as z from "zod";

/** A missing or invalid environment variable: fails the cold start with a message naming every culprit. */
export class ConfigError extends Error {
  readonly code = "invalid_config";

  constructor(
    readonly variables: readonly string[],
    detail: string,
  ) {
    super(`invalid Lambda configuration: ${detail}`);
    this.name = "ConfigError";
  }
}

/**
 * Reads and validates the environment once (call it at module scope, i.e. once per cold start).
 * Keys of `schema` are the environment variable names.
 */
export function readConfig<Shape extends z.ZodRawShape>(
  schema: z.ZodObject<Shape>,
  env: Record<string, string | undefined> = process.env,
): z.infer<z.ZodObject<Shape>> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const variables = [...new Set(result.error.issues.map((issue) => String(issue.path[0] ?? "?")))];
  const detail = result.error.issues
    .map((issue) => `${String(issue.path[0] ?? "?")}: ${issue.message}`)
    .join("; ");
  throw new ConfigError(variables, detail);
}

/** Environment values are strings; these parse the shapes Holdline uses. */
export const env = {
  required: () => z.string({ error: "is required" }).trim().min(1, { error: "must not be empty" }),
  optional: () => z.string().trim().min(1).optional(),
  milliseconds: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  integer: (fallback: number) => z.coerce.number().int().min(0).default(fallback),
  flag: (fallback = false) =>
    z
      .enum(["true", "false", "1", "0"], { error: "must be true or false" })
      .default(fallback ? "true" : "false")
      .transform((value) => value === "true" || value === "1"),
  locale: (fallback: string) =>
    z.enum(["ja-JP", "en-US"], { error: "must be ja-JP or en-US" }).default(fallback as "ja-JP"),
} as const;

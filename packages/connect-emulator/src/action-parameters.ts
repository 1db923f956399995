/** Readers for an action's `Parameters`, which the flow language leaves loosely typed (`unknown`). */

export const textOf = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** A nested parameter object (`ResponseValidation`, `InterruptibleEvents`, …); `{}` when absent. */
export const objectOf = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};

/** Connect's flags (`StoreInput`, `ContinueExecution`) are the strings "True"/"False". */
export const isTrue = (value: unknown): boolean =>
  typeof value === "string" && value.toLowerCase() === "true";

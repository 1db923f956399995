import type { FlowAction } from "@holdline/contact-flow/flow-language";
import { EmulatorError } from "./emulator-errors.ts";

/** Readers for an action's `Parameters`, which the flow language leaves loosely typed (`unknown`). */

export const textOf = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** A nested parameter object (`ResponseValidation`, `InterruptibleEvents`, …); `{}` when absent. */
export const objectOf = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};

/** Connect's flags (`StoreInput`, `ContinueExecution`) are the strings "True"/"False". */
export const isTrue = (value: unknown): boolean =>
  typeof value === "string" && value.toLowerCase() === "true";

/**
 * A parameter the action cannot run without. Connect refuses to publish a flow without it, so a flow that
 * lacks it (or gives it as something other than a non-empty string) stops the emulator with `invalid_parameter`.
 */
export function requiredText(action: FlowAction, name: string): string {
  const value = action.Parameters[name];
  if (typeof value === "string" && value !== "") return value;
  throw new EmulatorError(
    "invalid_parameter",
    `action "${action.Identifier}" (${action.Type}) has no ${name}${value === undefined ? "" : ` (it is ${JSON.stringify(value)})`}`,
  );
}

import type { FlowDocument } from "@holdline/contact-flow/flow-language";
import { validateFlow } from "@holdline/contact-flow/validate-flow";
import { EmulatorError } from "./emulator-errors.ts";

/** Validator findings that make a flow impossible to walk; everything else is the flow author's business. */
const STRUCTURAL = new Set([
  "invalid_document",
  "unsupported_version",
  "invalid_action",
  "missing_start_action",
  "duplicate_identifier",
  "dangling_next_action",
]);

/** Throws `invalid_flow` if `flow` cannot be walked (a dangling `NextAction`, no start action, …). */
export function assertRunnable(flow: unknown, what = "this flow"): asserts flow is FlowDocument {
  const structural = validateFlow(flow).filter((issue) => STRUCTURAL.has(issue.code));
  if (structural.length > 0) {
    throw new EmulatorError(
      "invalid_flow",
      `cannot run ${what}:\n${structural.map((issue) => `  ${issue.message}`).join("\n")}`,
    );
  }
}

/**
 * The id a flow, module, queue or hours of operation is known by, whether named by id or by ARN:
 * `arn:…:instance/i/contact-flow/abc:$LATEST` and `abc` are both `abc`.
 */
export const resourceKey = (idOrArn: string): string =>
  (idOrArn.trim().split("/").pop() ?? "").replace(/:[^:]*$/u, "");

/** The entry of `map` named by id or ARN, matched either way round. */
export function lookUp<T>(map: Readonly<Record<string, T>> | undefined, idOrArn: string): T | undefined {
  if (map === undefined || idOrArn === "") return undefined;
  if (Object.hasOwn(map, idOrArn)) return map[idOrArn];
  const key = resourceKey(idOrArn);
  const found = Object.keys(map).find((candidate) => resourceKey(candidate) === key);
  return found === undefined ? undefined : map[found];
}

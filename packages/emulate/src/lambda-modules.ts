import { access } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  functionName,
  type LambdaFunction,
  type LambdaHandler,
} from "@holdline/connect-emulator/lambda-function";
import type { FlowDocument } from "@holdline/contact-flow/flow-language";
import type { LabelledFlow } from "./connect-resources.ts";
import type { LambdaMapping } from "./emulate-options.ts";

/** A Lambda function the flow invokes, and the actions that invoke it. */
export interface LambdaReference {
  /** `LambdaFunctionARN` as the flow writes it. */
  readonly arn: string;
  readonly actions: readonly string[];
}

/** A function mapped to a module, for the setup lines. */
export interface MappedFunction {
  readonly arn: string;
  readonly module: string;
  readonly timeoutMs?: number;
}

/** A Lambda the flow invokes has no module, or a module cannot be loaded: the user's setup, exit code 2. */
export class LambdaMappingError extends Error {}

const isDynamic = (arn: string) => arn.startsWith("$.");

const labelled = (flows: FlowDocument | readonly LabelledFlow[]): readonly LabelledFlow[] =>
  Array.isArray(flows) ? flows : [{ flow: flows as FlowDocument }];

/**
 * The functions the flows' actions name in `LambdaFunctionARN`: static ones, and JSONPath ones apart. The
 * main flow's actions are listed by identifier; another flow's (`--flow`, `--module`) as `<label>: <identifier>`.
 */
export function flowLambdaReferences(flows: FlowDocument | readonly LabelledFlow[]): {
  readonly fixed: readonly LambdaReference[];
  readonly dynamic: readonly LambdaReference[];
} {
  const byArn = new Map<string, string[]>();
  for (const { flow, label } of labelled(flows)) {
    for (const action of flow.Actions) {
      const arn = action.Parameters?.LambdaFunctionARN;
      if (typeof arn !== "string" || arn === "") continue;
      const where = label === undefined ? action.Identifier : `${label}: ${action.Identifier}`;
      byArn.set(arn, [...(byArn.get(arn) ?? []), where]);
    }
  }
  const all = [...byArn].map(([arn, actions]) => ({ arn, actions }));
  return {
    fixed: all.filter((ref) => !isDynamic(ref.arn)),
    dynamic: all.filter((ref) => isDynamic(ref.arn)),
  };
}

const unqualified = (arn: string) => arn.split(":").slice(0, 7).join(":");

/**
 * Whether `key` (from --lambda or --timeout) names the function the flow calls `reference`: the same ARN,
 * with or without a version or alias, or the function's bare name.
 */
export function namesFunction(key: string, reference: string): boolean {
  if (key === reference) return true;
  if (key.startsWith("arn:")) return unqualified(key) === unqualified(reference);
  return functionName(reference) === key;
}

/** Imports a module and returns its handler: `exportName`, else `handler`, else a default function. */
export async function loadHandler(mapping: LambdaMapping, baseDir: string): Promise<LambdaHandler> {
  const path = isAbsolute(mapping.path) ? mapping.path : resolve(baseDir, mapping.path);
  try {
    await access(path);
  } catch {
    throw new LambdaMappingError(`--lambda ${mapping.key}: no module at ${path}`);
  }
  let module: Record<string, unknown>;
  try {
    module = await import(pathToFileURL(path).href);
  } catch (error) {
    throw new LambdaMappingError(
      `--lambda ${mapping.key}: cannot load ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const fallback = module.default as Record<string, unknown> | undefined;
  const candidate =
    mapping.exportName !== undefined
      ? (module[mapping.exportName] ?? fallback?.[mapping.exportName])
      : (module.handler ??
        (typeof fallback === "function" ? fallback : undefined) ??
        // A CommonJS module's `exports.handler`, when Node could not name it.
        fallback?.handler);
  if (typeof candidate !== "function") {
    const wanted =
      mapping.exportName === undefined ? "`handler` or a default export" : `\`${mapping.exportName}\``;
    throw new LambdaMappingError(`--lambda ${mapping.key}: ${path} exports no function ${wanted}`);
  }
  return candidate as LambdaHandler;
}

const listReferences = (references: readonly LambdaReference[]) =>
  references.map((ref) => `  ${ref.arn}  (${ref.actions.join(", ")})`).join("\n");

/**
 * The emulator's `functions`: every function the flows invoke (the main flow, and those `--flow` and
 * `--module` give), by the ARN the flow writes, with the module mapped to it and its timeout. Throws
 * `LambdaMappingError` when one has no mapping (listing them all) or two mappings claim it. `warn` gets
 * mappings that match nothing in the flows.
 */
export async function resolveFunctions(
  flows: FlowDocument | readonly LabelledFlow[],
  lambdas: readonly LambdaMapping[],
  timeoutsMs: readonly { readonly key: string; readonly ms: number }[],
  baseDir: string,
  warn: (message: string) => void,
): Promise<{ functions: Record<string, LambdaFunction>; mapped: MappedFunction[] }> {
  const { fixed, dynamic } = flowLambdaReferences(flows);
  const several = labelled(flows).length > 1;
  const invoke = several ? "flows invoke" : "flow invokes";
  const unmapped = fixed.filter((ref) => !lambdas.some((mapping) => namesFunction(mapping.key, ref.arn)));
  if (unmapped.length > 0) {
    throw new LambdaMappingError(
      [
        `the ${invoke} ${unmapped.length === 1 ? "a Lambda function" : "Lambda functions"} with no --lambda mapping:`,
        listReferences(unmapped),
        "Map each one to a local module: --lambda <ARN or function name>=<path to a module exporting handler>",
        ...(unmapped.length < fixed.length + dynamic.length
          ? [`The ${invoke}, in all:\n${listReferences([...fixed, ...dynamic])}`]
          : []),
      ].join("\n"),
    );
  }
  for (const mapping of lambdas) {
    const claims = fixed.some((ref) => namesFunction(mapping.key, ref.arn));
    if (!claims && dynamic.length === 0) {
      warn(`--lambda ${mapping.key} matches no function the ${invoke}`);
    }
  }
  for (const { key } of timeoutsMs) {
    if (!fixed.some((ref) => namesFunction(key, ref.arn)) && !lambdas.some((m) => m.key === key)) {
      warn(`--timeout ${key} matches no function the ${invoke}`);
    }
  }

  const loaded = new Map<string, Promise<LambdaHandler>>();
  const handlerOf = (mapping: LambdaMapping) => {
    const id = `${mapping.path}#${mapping.exportName ?? ""}`;
    if (!loaded.has(id)) loaded.set(id, loadHandler(mapping, baseDir));
    return loaded.get(id)!;
  };
  const functions: Record<string, LambdaFunction> = {};
  const mapped: MappedFunction[] = [];
  const add = async (arn: string, mapping: LambdaMapping) => {
    const timeoutMs = timeoutsMs.findLast(
      (timeout) => namesFunction(timeout.key, arn) || timeout.key === mapping.key,
    )?.ms;
    functions[arn] = { handler: await handlerOf(mapping), ...(timeoutMs === undefined ? {} : { timeoutMs }) };
    mapped.push({
      arn,
      module: `${mapping.path}${mapping.exportName === undefined ? "" : `#${mapping.exportName}`}`,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  };
  for (const ref of fixed) {
    const matching = lambdas.filter((mapping) => namesFunction(mapping.key, ref.arn));
    const exact = matching.filter((mapping) => mapping.key === ref.arn);
    const chosen = exact.length > 0 ? exact : matching;
    const targets = new Set(chosen.map((mapping) => `${mapping.path}#${mapping.exportName ?? ""}`));
    if (targets.size > 1) {
      throw new LambdaMappingError(
        `${ref.arn} is mapped twice: ${chosen.map((mapping) => `--lambda ${mapping.key}=${mapping.path}`).join(", ")}`,
      );
    }
    await add(ref.arn, chosen[0]!);
  }
  // A JSONPath LambdaFunctionARN is known only during the call: its ARN must be mapped as a full ARN.
  for (const mapping of lambdas) {
    if (mapping.key.startsWith("arn:") && functions[mapping.key] === undefined && dynamic.length > 0) {
      await add(mapping.key, mapping);
    }
  }
  if (dynamic.length > 0) {
    warn(
      `the ${several ? "flows compute" : "flow computes"} a Lambda ARN during the call (${dynamic.map((ref) => ref.arn).join(", ")}); ` +
        "map each function it can name by its full ARN",
    );
  }
  return { functions, mapped };
}

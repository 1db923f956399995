import {
  CURSOR_PATH,
  EXTERNAL_STATUS,
  externalPath,
  FLOW_PARAMETERS,
} from "@holdline/connect-contract/flow-contract";
import { isObject, type Json } from "./parameter-rules.ts";

/**
 * The progressive-answer checks of `validateFlow` (validate-flow.ts), for flows that speak Holdline's
 * contract (`@holdline/connect-contract`). A flow is progressive when a Compare on `$.External.status` has a
 * `partial` condition, or when a Lambda whose response such a Compare reads is sent a `cursor` parameter.
 * Then:
 *
 * - every such Lambda must be sent `cursor` as a JSONPath (a static cursor would make the handler answer
 *   the same parts again and again);
 * - every such Compare must branch on `partial` (otherwise a part falls through to the no-match branch and
 *   is never spoken);
 * - the contact attribute the cursor is read from must be set from `$.External.cursor` (the flow moves on
 *   past the parts heard) and set to "0" (each turn starts over) by some `UpdateContactAttributes`.
 *
 * Flows that do neither (every console export, and Holdline's flows without progressive answers) are not
 * checked. Which Lambda a Compare reads: a synchronous invocation whose `NextAction` is the Compare, or, for a
 * Compare after `LoadLambdaFunctionResult`, every asynchronous invocation of the flow.
 */

export type ProgressiveIssueCode =
  | "missing_cursor_parameter"
  | "missing_partial_branch"
  | "missing_cursor_update";

type ReportProgressive = (code: ProgressiveIssueCode, message: string, identifier?: string) => void;

const STATUS_PATH = externalPath("status");
const CURSOR_RESPONSE_PATH = externalPath("cursor");

const textOf = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

const parametersOf = (action: Json): Json => (isObject(action.Parameters) ? action.Parameters : {});

const nextActionOf = (action: Json): string | undefined =>
  isObject(action.Transitions) ? textOf(action.Transitions.NextAction) : undefined;

function operandsOf(action: Json): string[] {
  const conditions = isObject(action.Transitions) ? action.Transitions.Conditions : undefined;
  if (!Array.isArray(conditions)) return [];
  return conditions.flatMap((condition) => {
    const inner = isObject(condition) && isObject(condition.Condition) ? condition.Condition : undefined;
    return Array.isArray(inner?.Operands)
      ? inner.Operands.filter((operand): operand is string => typeof operand === "string")
      : [];
  });
}

const invocationAttributes = (action: Json): Json => {
  const attributes = parametersOf(action).LambdaInvocationAttributes;
  return isObject(attributes) ? attributes : {};
};

/** The Lambda invocations whose response each status Compare reads. */
function statusSources(actions: ReadonlyMap<string, Json>): Map<string, Json[]> {
  const asynchronous = [...actions.values()].filter(
    (action) =>
      action.Type === "InvokeLambdaFunction" && parametersOf(action).InvocationType === "ASYNCHRONOUS",
  );
  const sources = new Map<string, Json[]>();
  for (const action of actions.values()) {
    if (action.Type !== "Compare" || parametersOf(action).ComparisonValue !== STATUS_PATH) continue;
    sources.set(action.Identifier as string, []);
  }
  for (const action of actions.values()) {
    const next = nextActionOf(action);
    if (next === undefined || !sources.has(next)) continue;
    const synchronous =
      action.Type === "InvokeLambdaFunction" && parametersOf(action).InvocationType !== "ASYNCHRONOUS";
    if (synchronous) sources.get(next)?.push(action);
    if (action.Type === "LoadLambdaFunctionResult") sources.get(next)?.push(...asynchronous);
  }
  return sources;
}

export function checkProgressiveAnswers(actions: ReadonlyMap<string, Json>, report: ReportProgressive): void {
  const sources = statusSources(actions);
  const compares = [...sources.keys()];
  const invocations = [...new Set([...sources.values()].flat())];
  const sendsCursor = (action: Json) => FLOW_PARAMETERS.cursor in invocationAttributes(action);
  const branchesOnPartial = (id: string) =>
    operandsOf(actions.get(id) ?? {}).includes(EXTERNAL_STATUS.partial);
  const progressive = compares.some(branchesOnPartial) || invocations.some(sendsCursor);
  if (!progressive) return;

  const cursorPaths = new Set<string>();
  for (const invocation of invocations) {
    const id = invocation.Identifier as string;
    const cursor = invocationAttributes(invocation)[FLOW_PARAMETERS.cursor];
    if (typeof cursor !== "string" || !cursor.startsWith("$.")) {
      report(
        "missing_cursor_parameter",
        `"${id}" (InvokeLambdaFunction): a progressive flow sends every Lambda whose $.External.status it branches on the ${FLOW_PARAMETERS.cursor} parameter as a JSONPath (e.g. ${CURSOR_PATH}), so the handler answers with the parts not heard yet; got ${JSON.stringify(cursor ?? null)}`,
        id,
      );
    } else cursorPaths.add(cursor);
  }
  for (const id of compares) {
    if (!branchesOnPartial(id)) {
      report(
        "missing_partial_branch",
        `"${id}" (Compare on ${STATUS_PATH}): a progressive flow branches on "${EXTERNAL_STATUS.partial}" wherever it reads the status, or a part is never spoken`,
        id,
      );
    }
  }

  const updates = [...actions.values()]
    .filter((action) => action.Type === "UpdateContactAttributes")
    .map((action) => parametersOf(action).Attributes)
    .filter(isObject);
  for (const path of cursorPaths) {
    if (!path.startsWith("$.Attributes.")) continue;
    const name = path.slice("$.Attributes.".length);
    const advanced = updates.some((attributes) => attributes[name] === CURSOR_RESPONSE_PATH);
    const reset = updates.some((attributes) => attributes[name] === "0");
    if (!advanced || !reset) {
      report(
        "missing_cursor_update",
        `the cursor is read from ${path}, but no UpdateContactAttributes ${[
          advanced
            ? undefined
            : `sets ${name} from ${CURSOR_RESPONSE_PATH} (the flow would ask for the same parts again)`,
          reset ? undefined : `sets ${name} to "0" (a new turn would start past parts it never heard)`,
        ]
          .filter((text) => text !== undefined)
          .join(" or ")}`,
      );
    }
  }
}

import { ACTION_RULES, isTrue } from "./action-catalog.ts";
import { CONDITION_OPERATORS, FLOW_LANGUAGE_VERSION, FLOW_LIMITS } from "./flow-language.ts";
import { checkLeaves, checkParameters, isObject, type Json, MGW } from "./parameter-rules.ts";
import { checkProgressiveAnswers, type ProgressiveIssueCode } from "./progressive-rules.ts";

export type FlowIssueCode =
  | "invalid_document"
  | "unsupported_version"
  | "missing_start_action"
  | "too_many_actions"
  | "content_too_large"
  | "invalid_action"
  | "invalid_identifier"
  | "duplicate_identifier"
  | "unknown_action_type"
  | "dangling_next_action"
  | "unreachable_action"
  | "missing_next_action"
  | "unexpected_next_action"
  | "missing_error_branch"
  | "unexpected_error_branch"
  | "missing_condition"
  | "unexpected_condition"
  | "invalid_condition"
  | "invalid_parameter"
  | ProgressiveIssueCode;

export interface FlowIssue {
  readonly code: FlowIssueCode;
  /** `error`: Connect would refuse the flow or a run would break; `warning`: allowed but almost surely a mistake. */
  readonly severity: "error" | "warning";
  /** The action the finding is about, when there is one. */
  readonly identifier?: string;
  readonly message: string;
}

/**
 * Checks any flow-language JSON (ours, a console export, anything) and lists what is wrong with it.
 * An empty list means the flow is structurally sound: every branch lands on an action, every action is
 * reachable, each action type has its required branches and sane parameters, and the flow fits Connect's
 * limits. It does not prove the flow does what you want.
 */
export function validateFlow(flow: unknown): FlowIssue[] {
  const issues: FlowIssue[] = [];
  const report = (
    code: FlowIssueCode,
    message: string,
    identifier?: string,
    severity: "error" | "warning" = "error",
  ) =>
    issues.push(
      identifier === undefined ? { code, severity, message } : { code, severity, identifier, message },
    );

  if (!isObject(flow)) {
    report("invalid_document", "a flow must be a JSON object");
    return issues;
  }
  if (flow.Version !== FLOW_LANGUAGE_VERSION) {
    report(
      "unsupported_version",
      `Version must be "${FLOW_LANGUAGE_VERSION}", got ${JSON.stringify(flow.Version)}`,
    );
  }
  if (!Array.isArray(flow.Actions)) {
    report("invalid_document", "Actions must be an array");
    return issues;
  }
  const content = JSON.stringify(flow);
  if (content.length > FLOW_LIMITS.maxContentChars) {
    report(
      "content_too_large",
      `the flow is ${content.length} characters; Connect accepts at most ${FLOW_LIMITS.maxContentChars}`,
    );
  }
  if (flow.Actions.length > FLOW_LIMITS.maxActions) {
    report(
      "too_many_actions",
      `${flow.Actions.length} actions; a flow may have at most ${FLOW_LIMITS.maxActions}`,
    );
  }

  const actions = new Map<string, Json>();
  for (const [index, action] of flow.Actions.entries()) {
    if (!isObject(action) || typeof action.Identifier !== "string" || typeof action.Type !== "string") {
      report("invalid_action", `Actions[${index}] needs a string Identifier and a string Type`);
      continue;
    }
    if (actions.has(action.Identifier)) {
      report("duplicate_identifier", `Identifier "${action.Identifier}" is used twice`, action.Identifier);
      continue;
    }
    actions.set(action.Identifier, action);
    checkIdentifier(action.Identifier, report);
  }

  if (typeof flow.StartAction !== "string" || !actions.has(flow.StartAction)) {
    report("missing_start_action", `StartAction ${JSON.stringify(flow.StartAction)} names no action`);
  }

  for (const [identifier, action] of actions) checkAction(identifier, action, actions, report);
  checkProgressiveAnswers(actions, report);

  if (typeof flow.StartAction === "string" && actions.has(flow.StartAction)) {
    const reached = reachable(flow.StartAction, actions);
    for (const identifier of actions.keys()) {
      if (!reached.has(identifier)) {
        report(
          "unreachable_action",
          `no path from StartAction reaches "${identifier}"`,
          identifier,
          "warning",
        );
      }
    }
  }
  return issues;
}

export const hasErrors = (issues: readonly FlowIssue[]): boolean =>
  issues.some((issue) => issue.severity === "error");

type Report = (
  code: FlowIssueCode,
  message: string,
  identifier?: string,
  severity?: "error" | "warning",
) => void;

function checkIdentifier(identifier: string, report: Report): void {
  if (identifier.length === 0 || identifier.length > FLOW_LIMITS.maxIdentifierLength) {
    report(
      "invalid_identifier",
      `Identifier must be 1–${FLOW_LIMITS.maxIdentifierLength} characters, "${identifier}" has ${identifier.length}`,
      identifier,
    );
  }
  const forbidden = FLOW_LIMITS.forbiddenIdentifierCharacters.filter((character) =>
    identifier.includes(character),
  );
  if (forbidden.length > 0) {
    report("invalid_identifier", `Identifier "${identifier}" contains ${forbidden.join(" ")}`, identifier);
  }
  if ((FLOW_LIMITS.reservedIdentifiers as readonly string[]).includes(identifier)) {
    report("invalid_identifier", `Identifier "${identifier}" is a reserved word`, identifier);
  }
}

function targets(action: Json): string[] {
  const transitions = isObject(action.Transitions) ? action.Transitions : {};
  const found: string[] = [];
  if (typeof transitions.NextAction === "string") found.push(transitions.NextAction);
  for (const list of [transitions.Conditions, transitions.Errors]) {
    if (!Array.isArray(list)) continue;
    for (const branch of list) {
      if (isObject(branch) && typeof branch.NextAction === "string") found.push(branch.NextAction);
    }
  }
  return found;
}

function reachable(start: string, actions: ReadonlyMap<string, Json>): Set<string> {
  const seen = new Set<string>([start]);
  const queue = [start];
  for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
    const action = actions.get(current);
    if (action === undefined) continue;
    for (const next of targets(action)) {
      if (!seen.has(next) && actions.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

function checkAction(
  identifier: string,
  action: Json,
  actions: ReadonlyMap<string, Json>,
  report: Report,
): void {
  const type = action.Type as string;
  const rule = ACTION_RULES[type];
  const parameters = isObject(action.Parameters) ? action.Parameters : undefined;
  if (parameters === undefined && !(rule?.parametersOptional === true && action.Parameters === undefined))
    report("invalid_action", `"${identifier}" needs a Parameters object`, identifier);
  if (!isObject(action.Transitions)) {
    report("invalid_action", `"${identifier}" needs a Transitions object`, identifier);
    return;
  }
  const transitions = action.Transitions;

  for (const next of targets(action)) {
    if (!actions.has(next)) {
      report("dangling_next_action", `"${identifier}" goes to "${next}", which is not an action`, identifier);
    }
  }

  const conditions = Array.isArray(transitions.Conditions) ? transitions.Conditions : [];
  const operands = new Set<string>();
  for (const condition of conditions) {
    const inner = isObject(condition) && isObject(condition.Condition) ? condition.Condition : undefined;
    if (
      inner === undefined ||
      !CONDITION_OPERATORS.includes(inner.Operator as never) ||
      !Array.isArray(inner.Operands) ||
      !inner.Operands.every((operand) => typeof operand === "string")
    ) {
      report(
        "invalid_condition",
        `"${identifier}" has a condition that is not {Operator, Operands[]}`,
        identifier,
      );
      continue;
    }
    // Every operator is unary: "Equals rejects a second operand" (MGW).
    if (inner.Operands.length !== 1) {
      report(
        "invalid_condition",
        `"${identifier}" has a ${String(inner.Operator)} condition with ${inner.Operands.length} operands; every operator takes exactly one (${MGW})`,
        identifier,
      );
    }
    if (inner.Operands.includes("")) {
      report(
        "invalid_condition",
        `"${identifier}" compares with an empty string, which CreateContactFlow rejects ("Invalid branch", ${MGW}); compare with a sentinel value instead`,
        identifier,
      );
    }
    if (type === "GetParticipantInput" && !isTrue(parameters?.StoreInput)) {
      checkMenuCondition(identifier, inner.Operator, inner.Operands as string[], report);
    }
    for (const operand of inner.Operands as string[]) operands.add(operand);
  }
  const errors = new Set(
    (Array.isArray(transitions.Errors) ? transitions.Errors : [])
      .filter(isObject)
      .map((branch) => branch.ErrorType)
      .filter((type): type is string => typeof type === "string"),
  );

  if (rule === undefined) {
    report(
      "unknown_action_type",
      `"${identifier}" has type "${type}", which this validator does not know`,
      identifier,
    );
    return;
  }
  const fullAction = { ...action, Parameters: parameters ?? {} } as never;
  const nextAction = rule.nextAction ?? "required";
  if (nextAction === "none") {
    if (transitions.NextAction !== undefined) {
      report(
        "unexpected_next_action",
        `"${identifier}" (${type}) ends the flow but has a NextAction`,
        identifier,
      );
    }
  } else if (typeof transitions.NextAction !== "string") {
    report(
      "missing_next_action",
      nextAction === "required"
        ? `"${identifier}" (${type}) has no NextAction; Connect rejects a non-terminal action without one (${MGW})`
        : `"${identifier}" (${type}) has no NextAction; console exports always write one`,
      identifier,
      nextAction === "required" ? "error" : "warning",
    );
  }
  for (const required of rule.requiredErrors?.(fullAction) ?? []) {
    if (!errors.has(required)) {
      report("missing_error_branch", `"${identifier}" (${type}) has no ${required} branch`, identifier);
    }
  }
  for (const recommended of rule.recommendedErrors ?? []) {
    if (!errors.has(recommended)) {
      report(
        "missing_error_branch",
        `"${identifier}" (${type}) has no ${recommended} branch: Connect accepts that (older exports have none), but the console writes one`,
        identifier,
        "warning",
      );
    }
  }
  for (const forbidden of rule.forbiddenErrors?.(fullAction) ?? []) {
    if (errors.has(forbidden)) {
      report(
        "unexpected_error_branch",
        type === "GetParticipantInput" && forbidden === "InputTimeLimitExceeded"
          ? `"${identifier}" (${type}) stores the input, so it cannot declare InputTimeLimitExceeded: CreateContactFlow rejects it (${MGW}); a timeout stores "Timeout" in $.StoredCustomerInput and takes the NextAction`
          : `"${identifier}" (${type}) cannot declare ${forbidden} with these parameters`,
        identifier,
      );
    }
  }
  for (const required of rule.requiredConditions?.(fullAction) ?? []) {
    if (!operands.has(required)) {
      report("missing_condition", `"${identifier}" (${type}) has no condition for ${required}`, identifier);
    }
  }
  if (rule.allowedConditions !== undefined) {
    for (const operand of operands) {
      if (!rule.allowedConditions.includes(operand)) {
        report(
          "unexpected_condition",
          `"${identifier}" (${type}) has a condition on ${JSON.stringify(operand)}; it only produces ${rule.allowedConditions.join(", ")}`,
          identifier,
        );
      }
    }
  }
  if (rule.noConditions === true && conditions.length > 0) {
    report("unexpected_condition", `"${identifier}" (${type}) does not support conditions`, identifier);
  }
  if (parameters !== undefined) {
    checkLeaves(identifier, type, parameters, report);
    checkParameters(identifier, type, parameters, report);
  }
}

/**
 * "Get customer input" as a menu (StoreInput absent or "False"): "only the Equals operator may be used on
 * conditions. The values being compared must be static and be a single character - 0-9 numeric, *, or #"
 * (the flow-language reference, participant-actions-getparticipantinput; awsdocs/amazon-connect-admin-guide
 * doc_source/participant-actions-getparticipantinput.md). Every real export's menu conditions are so
 * (`Equals`, `["1"]`).
 */
function checkMenuCondition(
  identifier: string,
  operator: unknown,
  operands: readonly string[],
  report: Report,
): void {
  if (operator !== "Equals") {
    report(
      "invalid_condition",
      `"${identifier}" (GetParticipantInput) has a ${String(operator)} condition; a menu (StoreInput "False") takes Equals only (${MENU_REFERENCE})`,
      identifier,
    );
  }
  for (const operand of operands) {
    if (!MENU_KEY.test(operand)) {
      report(
        "invalid_condition",
        `"${identifier}" (GetParticipantInput) compares with ${JSON.stringify(operand)}; a menu's condition is one static key, 0–9, * or # (${MENU_REFERENCE})`,
        identifier,
      );
    }
  }
}

const MENU_KEY = /^[0-9*#]$/;
const MENU_REFERENCE = "Connect flow-language reference, GetParticipantInput";

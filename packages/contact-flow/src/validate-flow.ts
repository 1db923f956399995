import { ACTION_RULES, isTrue } from "./action-catalog.ts";
import { CONDITION_OPERATORS, FLOW_LANGUAGE_VERSION, FLOW_LIMITS } from "./flow-language.ts";

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
  | "invalid_parameter";

export interface FlowIssue {
  readonly code: FlowIssueCode;
  /** `error`: Connect would refuse the flow or a run would break; `warning`: allowed but almost surely a mistake. */
  readonly severity: "error" | "warning";
  /** The action the finding is about, when there is one. */
  readonly identifier?: string;
  readonly message: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === "object" && !Array.isArray(value);

const isJsonPath = (value: unknown): boolean => typeof value === "string" && value.startsWith("$.");

const isIntegerString = (value: unknown, min: number, max: number): boolean =>
  typeof value === "string" && /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max;

/** Where the live API's record is kept: mgaffigan/pulumi-amazon-connect, docs/wire-format-checks.md. */
const MGW = "mgaffigan/pulumi-amazon-connect docs/wire-format-checks.md";

/**
 * Parameters whose leaves follow a JSON schema rather than the all-strings rule: a flow module's `Input`
 * and `ResultData` (typed by the module's schema) and a view's `ViewData` (MGW).
 */
const TYPED_PARAMETERS: Readonly<Record<string, readonly string[]>> = {
  InvokeFlowModule: ["Input"],
  EndFlowModuleExecution: ["ResultData"],
  ShowView: ["ViewData"],
};

/** The paths (`Attributes.turn`, `Participants.0.ParticipantType`) of empty strings and non-string scalars. */
function badLeaves(value: unknown, path: string, found: { empty: string[]; nonString: string[] }): void {
  if (value === "") found.empty.push(path);
  else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) badLeaves(item, `${path}.${index}`, found);
  } else if (isObject(value))
    for (const [key, item] of Object.entries(value)) badLeaves(item, `${path}.${key}`, found);
  else if (typeof value !== "string") found.nonString.push(path);
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

/** No empty string anywhere (MGW: rejected everywhere), and every scalar a string (as every export writes). */
function checkLeaves(identifier: string, type: string, parameters: Json, report: Report): void {
  const found = { empty: [] as string[], nonString: [] as string[] };
  const typed = TYPED_PARAMETERS[type] ?? [];
  for (const [key, value] of Object.entries(parameters)) {
    if (typed.includes(key)) continue;
    badLeaves(value, key, found);
  }
  if (found.empty.length > 0) {
    report(
      "invalid_parameter",
      `"${identifier}" (${type}): ${found.empty.join(", ")} ${found.empty.length === 1 ? "is an empty string" : "are empty strings"}; CreateContactFlow never accepts an empty parameter value (${MGW})`,
      identifier,
    );
  }
  if (found.nonString.length > 0) {
    report(
      "invalid_parameter",
      `"${identifier}" (${type}): ${found.nonString.join(", ")} must be ${found.nonString.length === 1 ? "a string" : "strings"} ("8", "True"): every scalar in Parameters is a string in the console's exports (${MGW})`,
      identifier,
    );
  }
}

function checkParameters(identifier: string, type: string, parameters: Json, report: Report): void {
  const invalid = (message: string) =>
    report("invalid_parameter", `"${identifier}" (${type}): ${message}`, identifier);
  const prompts = ["Text", "SSML", "PromptId", "Media"].filter((key) => parameters[key] !== undefined);
  switch (type) {
    case "MessageParticipant":
      if (prompts.length !== 1)
        invalid(`needs exactly one of Text, SSML, PromptId, Media (has ${prompts.length})`);
      break;
    case "GetParticipantInput":
    case "ConnectParticipantWithLexBot":
      if (prompts.length > 1) invalid("at most one of Text, SSML, PromptId, Media");
      if (type === "ConnectParticipantWithLexBot") {
        const v2 = isObject(parameters.LexV2Bot) ? parameters.LexV2Bot.AliasArn : undefined;
        if (typeof v2 !== "string" && !isObject(parameters.LexBot))
          invalid("needs LexV2Bot.AliasArn or LexBot");
      } else {
        checkInput(parameters, invalid);
      }
      break;
    case "InvokeLambdaFunction": {
      const mode = parameters.InvocationType ?? "SYNCHRONOUS";
      if (mode !== "SYNCHRONOUS" && mode !== "ASYNCHRONOUS")
        invalid(`InvocationType ${JSON.stringify(mode)}`);
      if (typeof parameters.LambdaFunctionARN !== "string" || parameters.LambdaFunctionARN.length === 0) {
        invalid("LambdaFunctionARN is required");
      }
      const max = mode === "ASYNCHRONOUS" ? 60 : 8;
      if (
        parameters.InvocationTimeLimitSeconds !== undefined &&
        !isIntegerString(parameters.InvocationTimeLimitSeconds, 1, max)
      ) {
        invalid(`InvocationTimeLimitSeconds must be a whole number from 1 to ${max} for ${mode}`);
      }
      const responseType = isObject(parameters.ResponseValidation)
        ? parameters.ResponseValidation.ResponseType
        : undefined;
      if (responseType !== undefined && responseType !== "STRING_MAP" && responseType !== "JSON") {
        invalid(`ResponseValidation.ResponseType ${JSON.stringify(responseType)}`);
      }
      const attributes = parameters.LambdaInvocationAttributes;
      if (
        attributes !== undefined &&
        (!isObject(attributes) || !Object.values(attributes).every((v) => typeof v === "string"))
      ) {
        invalid("LambdaInvocationAttributes must map names to strings");
      }
      break;
    }
    case "Compare":
      if (!isJsonPath(parameters.ComparisonValue)) invalid("ComparisonValue must be a single JSONPath ($.…)");
      break;
    case "Loop":
      if (!isIntegerString(parameters.LoopCount, 0, 100) && !isJsonPath(parameters.LoopCount)) {
        invalid("LoopCount must be a whole number from 0 to 100, or a JSONPath");
      }
      break;
    case "Wait":
      checkWait(parameters, invalid);
      break;
    case "LoadLambdaFunctionResult":
      if (parameters.InvocationId !== undefined) {
        invalid(
          'the console names the parameter LambdaInvocationId (e.g. "$.LambdaInvocation.InvocationId"), not InvocationId',
        );
      } else if (!isJsonPath(parameters.LambdaInvocationId)) {
        invalid("LambdaInvocationId must be a JSONPath, e.g. $.LambdaInvocation.InvocationId");
      }
      break;
    case "UpdateContactEventHooks":
      if (!isObject(parameters.EventHooks) || Object.keys(parameters.EventHooks).length !== 1) {
        invalid(`EventHooks must have exactly one entry, one hook per action (${MGW})`);
      }
      break;
    case "UpdateContactTextToSpeechVoice":
      checkVoice(parameters, invalid);
      break;
    case "UpdateContactAttributes":
      if (
        !isObject(parameters.Attributes) ||
        !Object.values(parameters.Attributes).every((v) => typeof v === "string")
      ) {
        invalid("Attributes must map names to strings");
      }
      break;
    case "UpdateFlowLoggingBehavior":
      if (parameters.FlowLoggingBehavior !== "Enabled" && parameters.FlowLoggingBehavior !== "Disabled") {
        invalid("FlowLoggingBehavior must be Enabled or Disabled");
      }
      break;
    default:
      break;
  }
}

/** Get customer input / Store customer input. */
function checkInput(parameters: Json, invalid: (message: string) => void): void {
  // The reference asks for "a valid integer larger than zero", statically defined, and gives no maximum;
  // exports carry "5", "6", "8", "60" (seed 000) and, in a real export reported in issue 14, "300".
  if (
    parameters.InputTimeLimitSeconds !== undefined &&
    !isIntegerString(parameters.InputTimeLimitSeconds, 1, Number.MAX_SAFE_INTEGER)
  ) {
    invalid(
      `InputTimeLimitSeconds must be a whole number of seconds of at least 1, written as a string (e.g. "5"), got ${JSON.stringify(parameters.InputTimeLimitSeconds)}`,
    );
  }
  const dtmf = isObject(parameters.DTMFConfiguration) ? parameters.DTMFConfiguration : {};
  if (
    dtmf.InterdigitTimeLimitSeconds !== undefined &&
    !isIntegerString(dtmf.InterdigitTimeLimitSeconds, 1, 20)
  ) {
    // "Timeout in between each entry … Minimum value: 1 second, Maximum value: 20 seconds" (store-customer-input).
    invalid("DTMFConfiguration.InterdigitTimeLimitSeconds must be a whole number from 1 to 20");
  }
  const validation = isObject(parameters.InputValidation) ? parameters.InputValidation : {};
  if (parameters.InputEncryption !== undefined && !isObject(validation.CustomValidation)) {
    invalid(`InputEncryption requires InputValidation.CustomValidation (${MGW})`);
  }
}

/** Wait, as the live API takes it: `TimeLimitSeconds`; keep-running mode needs `MinimumWaitTimeSeconds`. */
function checkWait(parameters: Json, invalid: (message: string) => void): void {
  if (parameters.TimeoutSeconds !== undefined) {
    invalid(
      `TimeoutSeconds is the reference's name, which the live CreateContactFlow API rejects outright (${MGW}); console exports write TimeLimitSeconds`,
    );
  } else if (
    !isIntegerString(parameters.TimeLimitSeconds, 1, 604_800) &&
    !isJsonPath(parameters.TimeLimitSeconds)
  ) {
    invalid("TimeLimitSeconds must be a whole number from 1 to 604800, or a JSONPath");
  }
  if (isTrue(parameters.ContinueExecution)) {
    if (parameters.MinimumWaitTimeSeconds === undefined) {
      invalid(
        `ContinueExecution (keep running while waiting) requires MinimumWaitTimeSeconds (${MGW}); the console writes "1"`,
      );
    } else if (
      !isIntegerString(parameters.MinimumWaitTimeSeconds, 1, 604_800) &&
      !isJsonPath(parameters.MinimumWaitTimeSeconds)
    ) {
      invalid("MinimumWaitTimeSeconds must be a whole number of seconds of at least 1, or a JSONPath");
    }
  }
}

const TTS_ENGINES = ["standard", "neural", "long-form", "generative"];
const TTS_STYLES = ["None", "Conversational", "Newscaster"];

/** Set voice: Polly's engines (exports write "Neural", the live API took "neural": any case here). */
function checkVoice(parameters: Json, invalid: (message: string) => void): void {
  if (parameters.LanguageCode !== undefined) {
    invalid(`LanguageCode is not a parameter of this action (${MGW}); set it with UpdateContactData`);
  }
  const engine = parameters.TextToSpeechEngine;
  if (engine !== undefined && !(typeof engine === "string" && TTS_ENGINES.includes(engine.toLowerCase()))) {
    invalid(`TextToSpeechEngine must be one of ${TTS_ENGINES.join(", ")} (any case)`);
  }
  const style = parameters.TextToSpeechStyle;
  if (style !== undefined && !TTS_STYLES.includes(style as string)) {
    invalid(`TextToSpeechStyle must be one of ${TTS_STYLES.join(", ")}`);
  }
}

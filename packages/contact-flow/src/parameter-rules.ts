import { isTrue } from "./action-catalog.ts";

/**
 * The per-action parameter checks of `validateFlow` (validate-flow.ts): empty strings and non-string
 * scalars anywhere in Parameters, then each action type's own rules (Wait, Store customer input,
 * InvokeLambdaFunction, Loop, Set voice, event hooks, …).
 */

export type Json = Record<string, unknown>;

/** How these checks report a finding; `validateFlow`'s own reporter fits. */
type ReportParameter = (code: "invalid_parameter", message: string, identifier?: string) => void;

export const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === "object" && !Array.isArray(value);

const isJsonPath = (value: unknown): boolean => typeof value === "string" && value.startsWith("$.");

const isIntegerString = (value: unknown, min: number, max: number): boolean =>
  typeof value === "string" && /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max;

/** Where the live API's record is kept: mgaffigan/pulumi-amazon-connect, docs/wire-format-checks.md. */
export const MGW = "mgaffigan/pulumi-amazon-connect docs/wire-format-checks.md";

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

/** No empty string anywhere (MGW: rejected everywhere), and every scalar a string (as every export writes). */
export function checkLeaves(
  identifier: string,
  type: string,
  parameters: Json,
  report: ReportParameter,
): void {
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

export function checkParameters(
  identifier: string,
  type: string,
  parameters: Json,
  report: ReportParameter,
): void {
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

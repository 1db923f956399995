/**
 * The JSON shape of Amazon Connect's flow language (`"Version": "2019-10-30"`), as the console exports it
 * and as `CreateContactFlow`/`UpdateContactFlowContent` accept it. Key order follows the console export
 * (`Parameters, Identifier, Type, Transitions`), and every parameter value is a string, as there.
 */

export const FLOW_LANGUAGE_VERSION = "2019-10-30";

/** Limits from the Connect API reference ("Actions in the Amazon Connect Flow Language", CreateContactFlow). */
export const FLOW_LIMITS = {
  maxActions: 250,
  maxContentChars: 256_000,
  maxIdentifierLength: 50,
  /** Characters the flow language forbids in an action Identifier. */
  forbiddenIdentifierCharacters: ["%", ":", "(", "\\", "/", ")", "=", "$", ",", ";", "[", "]", "{", "}"],
  /** Strings the flow language forbids as an action Identifier. */
  reservedIdentifiers: [
    "__proto__",
    "constructor",
    "__defineGetter__",
    "__defineSetter__",
    "toString",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toLocaleString",
    "valueOf",
  ],
} as const;

export type ConditionOperator =
  | "Equals"
  | "NumberGreaterThan"
  | "NumberGreaterOrEqualTo"
  | "NumberLessThan"
  | "NumberLessOrEqualTo"
  | "TextContains"
  | "TextStartsWith"
  | "TextEndsWith"
  /** Undocumented, one operand; accepted by the live API (mgaffigan/pulumi-amazon-connect wire-format-checks). */
  | "KeyExists";

export const CONDITION_OPERATORS: readonly ConditionOperator[] = [
  "Equals",
  "NumberGreaterThan",
  "NumberGreaterOrEqualTo",
  "NumberLessThan",
  "NumberLessOrEqualTo",
  "TextContains",
  "TextStartsWith",
  "TextEndsWith",
  "KeyExists",
];

export interface FlowCondition {
  readonly NextAction: string;
  readonly Condition: {
    readonly Operator: ConditionOperator;
    readonly Operands: readonly string[];
  };
}

export interface FlowErrorBranch {
  readonly NextAction: string;
  readonly ErrorType: string;
}

export interface FlowTransitions {
  readonly NextAction?: string;
  readonly Conditions?: readonly FlowCondition[];
  readonly Errors?: readonly FlowErrorBranch[];
}

export interface FlowAction<
  Type extends string = string,
  Parameters extends object = Record<string, unknown>,
> {
  readonly Parameters: Parameters;
  readonly Identifier: string;
  readonly Type: Type;
  readonly Transitions: FlowTransitions;
}

export interface FlowDocument {
  readonly Version: typeof FLOW_LANGUAGE_VERSION;
  readonly StartAction: string;
  /** Console layout and naming; Connect ignores it when it runs the flow. */
  readonly Metadata?: Record<string, unknown>;
  readonly Actions: readonly FlowAction[];
}

/** The text a prompt-playing action speaks: exactly one of these, as the flow language requires. */
export type PromptContent =
  | { readonly text: string }
  | { readonly ssml: string }
  | { readonly promptId: string };

// A type literal, not an interface, so it is assignable to `Record<string, unknown>`.
export type PromptParameters = {
  readonly Text?: string;
  readonly SSML?: string;
  readonly PromptId?: string;
};

export function promptParameters(prompt: PromptContent): PromptParameters {
  if ("text" in prompt) return { Text: prompt.text };
  if ("ssml" in prompt) return { SSML: prompt.ssml };
  return { PromptId: prompt.promptId };
}

/** The flow document serialized as Connect stores it (`Content` of CreateContactFlow). */
export const flowContent = (flow: FlowDocument): string => JSON.stringify(flow);

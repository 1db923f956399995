import type { FlowAction } from "./flow-language.ts";

/**
 * What the validator knows about each action type: whether it has a NextAction, which error branches it
 * must, should or must not have, and which condition operands it requires or allows. Where the flow-language
 * reference and the live `CreateContactFlow` API disagree, the API wins: "MGW" below is the record of what the
 * live API rejected and required, mgaffigan/pulumi-amazon-connect `docs/wire-format-checks.md`; "export" is a
 * real console export (repository and path in docs/contact-flow.md's conformance table). Types not listed here
 * are unknown.
 */
export interface ActionRule {
  /**
   * `required` (the default): Connect rejects a non-terminal action without a NextAction (MGW, on Loop).
   * `recommended`: every export has one, but the type is not known to need it; missing is a warning.
   * `none`: the action ends the flow; a NextAction is an error.
   */
  readonly nextAction?: "required" | "recommended" | "none";
  /** Error types that must have a branch; may depend on the parameters (e.g. GetParticipantInput). */
  readonly requiredErrors?: (action: FlowAction) => readonly string[];
  /**
   * Error types the console writes today but older exports lack, and that Connect accepted without them
   * (e.g. a Play prompt exported with `"Errors": []`): a missing branch is a warning, not an error.
   */
  readonly recommendedErrors?: readonly string[];
  /** Error types the action can raise besides the required ones (not required, but not suspicious). */
  readonly optionalErrors?: readonly string[];
  /** Error types Connect refuses on this action (e.g. a timeout branch on a store-mode input). */
  readonly forbiddenErrors?: (action: FlowAction) => readonly string[];
  /** Condition operands (with `Equals`) that must be present. */
  readonly requiredConditions?: (action: FlowAction) => readonly string[];
  /** The only condition operands the action can produce; any other is an error. */
  readonly allowedConditions?: readonly string[];
  /** Conditions are not supported: any Condition is a finding. */
  readonly noConditions?: boolean;
  /** The action may have no `Parameters` key at all, as DistributeByPercentage is exported. */
  readonly parametersOptional?: boolean;
}

const always =
  (...errors: string[]) =>
  (): readonly string[] =>
    errors;

/** Connect's booleans are strings, written `"True"`/`"TRUE"`/`"true"` depending on the action. */
export const isTrue = (value: unknown): boolean =>
  typeof value === "string" && value.toLowerCase() === "true";

const isStoreMode = (action: FlowAction): boolean => isTrue(action.Parameters?.StoreInput);

export const ACTION_RULES: Readonly<Record<string, ActionRule>> = {
  // Contact and flow settings
  UpdateFlowLoggingBehavior: { noConditions: true },
  UpdateContactTextToSpeechVoice: { noConditions: true, optionalErrors: ["NoMatchingError"] },
  UpdateContactData: { requiredErrors: always("NoMatchingError"), noConditions: true },
  UpdateContactAttributes: { requiredErrors: always("NoMatchingError"), noConditions: true },
  UpdateFlowAttributes: { requiredErrors: always("NoMatchingError"), noConditions: true },
  UpdateContactMediaStreamingBehavior: { requiredErrors: always("NoMatchingError"), noConditions: true },
  UpdateContactRecordingBehavior: { noConditions: true, optionalErrors: ["NoMatchingError"] },
  UpdateContactEventHooks: { requiredErrors: always("NoMatchingError"), noConditions: true },
  UpdateContactTargetQueue: { requiredErrors: always("NoMatchingError"), noConditions: true },
  UpdateContactRoutingBehavior: { requiredErrors: always("NoMatchingError"), noConditions: true },
  UpdateContactCallbackNumber: {
    requiredErrors: always("NoMatchingError"),
    optionalErrors: ["InvalidCallbackNumber", "CallbackNumberNotDialable"],
    noConditions: true,
  },
  TagContact: { requiredErrors: always("NoMatchingError"), noConditions: true },
  UntagContact: { requiredErrors: always("NoMatchingError"), noConditions: true },
  CreateWisdomSession: { requiredErrors: always("NoMatchingError"), noConditions: true },

  // Participant actions
  // Old exports (GoodMeasuresLLC/connect sample_ab_test.json) carry `"Errors": []`; modern ones NoMatchingError.
  MessageParticipant: { recommendedErrors: ["NoMatchingError"], noConditions: true },
  MessageParticipantIteratively: { optionalErrors: ["NoMatchingError"], noConditions: true },
  GetParticipantInput: {
    // Storing the input ("Store customer input") has no conditions and no timeout branch: the live API
    // refuses InputTimeLimitExceeded there (MGW), and the reference allows NoMatchingCondition only when
    // StoreInput is False.
    requiredErrors: (action) =>
      isStoreMode(action)
        ? ["NoMatchingError"]
        : ["InputTimeLimitExceeded", "NoMatchingCondition", "NoMatchingError"],
    optionalErrors: ["InvalidPhoneNumber"],
    forbiddenErrors: (action) =>
      isStoreMode(action) ? ["InputTimeLimitExceeded", "NoMatchingCondition"] : ["InvalidPhoneNumber"],
  },
  ConnectParticipantWithLexBot: {
    requiredErrors: always("NoMatchingError"),
    optionalErrors: ["InputTimeLimitExceeded", "NoMatchingCondition"],
  },
  DisconnectParticipant: { nextAction: "none" },
  TransferContactToQueue: {
    requiredErrors: always("NoMatchingError"),
    optionalErrors: ["QueueAtCapacity"],
  },
  TransferParticipantToThirdParty: {
    requiredErrors: always("NoMatchingError"),
    optionalErrors: ["CallFailed", "ConnectionTimeLimitExceeded"],
  },

  // Interactions
  InvokeLambdaFunction: { requiredErrors: always("NoMatchingError"), noConditions: true },
  LoadLambdaFunctionResult: {
    requiredErrors: always("NoMatchingError"),
    optionalErrors: ["InProgress"],
    noConditions: true,
  },
  InvokeFlowModule: {
    requiredErrors: always("NoMatchingError"),
    // A module with custom branches adds them as conditions and NoMatchingCondition (MGW).
    optionalErrors: ["NoMatchingCondition"],
  },
  CreateTask: { requiredErrors: always("NoMatchingError"), noConditions: true },

  // Flow control
  Compare: { requiredErrors: always("NoMatchingCondition") },
  // Needs a NextAction besides its two conditions (MGW), and takes no other condition.
  Loop: {
    requiredConditions: always("ContinueLooping", "DoneLooping"),
    allowedConditions: ["ContinueLooping", "DoneLooping"],
  },
  Wait: {
    requiredErrors: always("NoMatchingError"),
    optionalErrors: ["ParticipantNotFound"],
    requiredConditions: (action) => {
      const parameters = action.Parameters ?? {};
      const operands = ["WaitCompleted"];
      const events = parameters.InterruptibleEvents;
      if (events !== null && typeof events === "object") operands.push(...Object.keys(events));
      // "Connect requires a condition for WaitCompleted plus one for every event listed" (MGW).
      if (Array.isArray(parameters.Events))
        operands.push(...parameters.Events.filter((event): event is string => typeof event === "string"));
      if (isTrue(parameters.ContinueExecution)) operands.push("Continue");
      return operands;
    },
  },
  // Exported with no Parameters key; cumulative NumberLessThan conditions and the remainder as
  // NoMatchingCondition (GoodMeasuresLLC/connect sample_ab_test.json).
  DistributeByPercentage: { requiredErrors: always("NoMatchingCondition"), parametersOptional: true },
  // "CheckHoursOfOperation has only True/False" (MGW); exports add NoMatchingError.
  CheckHoursOfOperation: {
    requiredErrors: always("NoMatchingError"),
    requiredConditions: always("True", "False"),
    allowedConditions: ["True", "False"],
  },
  CheckMetricData: { requiredErrors: always("NoMatchingError", "NoMatchingCondition") },
  GetMetricData: { requiredErrors: always("NoMatchingError"), noConditions: true },
  // Exports write a NextAction beside NoMatchingError (GoodMeasuresLLC/connect sample_ab_test.json).
  TransferToFlow: { nextAction: "recommended", recommendedErrors: ["NoMatchingError"], noConditions: true },
  EndFlowExecution: { nextAction: "none" },
  EndFlowModuleExecution: { nextAction: "none" },
};

export const isKnownActionType = (type: string): boolean => Object.hasOwn(ACTION_RULES, type);

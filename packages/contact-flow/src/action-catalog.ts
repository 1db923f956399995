import type { FlowAction } from "./flow-language.ts";

/**
 * What the validator knows about each action type: whether it ends the flow, which error branches it must
 * have, and which condition operands it requires. Sources: the Connect API reference pages of each action
 * (see docs/contact-flow.md) and the seed's console export. Types not listed here are unknown.
 */
export interface ActionRule {
  /** The flow stops here: no NextAction, no branches. */
  readonly terminal?: boolean;
  /** Error types that must have a branch; may depend on the parameters (e.g. GetParticipantInput). */
  readonly requiredErrors?: (action: FlowAction) => readonly string[];
  /** Error types the action can raise besides the required ones (not required, but not suspicious). */
  readonly optionalErrors?: readonly string[];
  /** Condition operands (with `Equals`) that must be present. */
  readonly requiredConditions?: (action: FlowAction) => readonly string[];
  /** Conditions are not supported: any Condition is a finding. */
  readonly noConditions?: boolean;
}

const always =
  (...errors: string[]) =>
  (): readonly string[] =>
    errors;

const isTrue = (value: unknown): boolean => typeof value === "string" && value.toLowerCase() === "true";

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
  MessageParticipant: { requiredErrors: always("NoMatchingError"), noConditions: true },
  MessageParticipantIteratively: { optionalErrors: ["NoMatchingError"], noConditions: true },
  GetParticipantInput: {
    // Storing the input (the "Store customer input" block) has no conditions and no timeout branch.
    requiredErrors: (action) =>
      isTrue(action.Parameters.StoreInput)
        ? ["NoMatchingError"]
        : ["InputTimeLimitExceeded", "NoMatchingCondition", "NoMatchingError"],
    optionalErrors: ["InvalidPhoneNumber"],
  },
  ConnectParticipantWithLexBot: {
    requiredErrors: always("NoMatchingError"),
    optionalErrors: ["InputTimeLimitExceeded", "NoMatchingCondition"],
  },
  DisconnectParticipant: { terminal: true },
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
  InvokeFlowModule: { requiredErrors: always("NoMatchingError"), noConditions: true },
  CreateTask: { requiredErrors: always("NoMatchingError"), noConditions: true },

  // Flow control
  Compare: { requiredErrors: always("NoMatchingCondition") },
  Loop: { requiredConditions: always("ContinueLooping", "DoneLooping") },
  Wait: {
    requiredErrors: always("NoMatchingError"),
    optionalErrors: ["ParticipantNotFound"],
    requiredConditions: (action) => {
      const operands = ["WaitCompleted"];
      const events = action.Parameters.InterruptibleEvents;
      if (events !== null && typeof events === "object") operands.push(...Object.keys(events));
      if (isTrue(action.Parameters.ContinueExecution)) operands.push("Continue");
      return operands;
    },
  },
  DistributeByPercentage: { requiredErrors: always("NoMatchingCondition") },
  CheckHoursOfOperation: { requiredErrors: always("NoMatchingError") },
  CheckMetricData: { requiredErrors: always("NoMatchingError", "NoMatchingCondition") },
  GetMetricData: { requiredErrors: always("NoMatchingError"), noConditions: true },
  TransferToFlow: { terminal: true, optionalErrors: ["NoMatchingError"] },
  EndFlowExecution: { terminal: true },
  EndFlowModuleExecution: { terminal: true },
};

export const isKnownActionType = (type: string): boolean => Object.hasOwn(ACTION_RULES, type);

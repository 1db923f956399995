import {
  type ConditionOperator,
  type FlowAction,
  type FlowCondition,
  type FlowErrorBranch,
  type PromptContent,
  type PromptParameters,
  promptParameters,
} from "./flow-language.ts";

/**
 * Typed constructors for the flow-language actions Holdline uses. Each returns exactly the JSON the
 * console exports for that block (string-valued parameters, `Parameters, Identifier, Type, Transitions`),
 * with the error branches the action type requires made mandatory by the signature.
 */

const equals = (operand: string, next: string, operator: ConditionOperator = "Equals"): FlowCondition => ({
  NextAction: next,
  Condition: { Operator: operator, Operands: [operand] },
});

const onError = (next: string, errorType = "NoMatchingError"): FlowErrorBranch => ({
  NextAction: next,
  ErrorType: errorType,
});

export interface Branch {
  readonly next: string;
  readonly onError: string;
}

export function updateFlowLogging(
  id: string,
  next: string,
  enabled = true,
): FlowAction<"UpdateFlowLoggingBehavior", { FlowLoggingBehavior: "Enabled" | "Disabled" }> {
  return {
    Parameters: { FlowLoggingBehavior: enabled ? "Enabled" : "Disabled" },
    Identifier: id,
    Type: "UpdateFlowLoggingBehavior",
    Transitions: { NextAction: next },
  };
}

export interface Voice {
  /** Amazon Polly voice, e.g. `Kazuha` (ja-JP) or `Joanna` (en-US). */
  readonly name: string;
  readonly engine: "Standard" | "Neural" | "Generative";
  readonly style?: "None" | "Conversational" | "Newscaster";
}

export function setVoice(
  id: string,
  voice: Voice,
  next: string,
): FlowAction<
  "UpdateContactTextToSpeechVoice",
  { TextToSpeechEngine: string; TextToSpeechStyle: string; TextToSpeechVoice: string }
> {
  return {
    Parameters: {
      TextToSpeechEngine: voice.engine,
      TextToSpeechStyle: voice.style ?? "None",
      TextToSpeechVoice: voice.name,
    },
    Identifier: id,
    Type: "UpdateContactTextToSpeechVoice",
    Transitions: { NextAction: next },
  };
}

export function setLanguage(
  id: string,
  languageCode: string,
  branch: Branch,
): FlowAction<"UpdateContactData", { LanguageCode: string }> {
  return {
    Parameters: { LanguageCode: languageCode },
    Identifier: id,
    Type: "UpdateContactData",
    Transitions: { NextAction: branch.next, Errors: [onError(branch.onError)] },
  };
}

/** Values may be static or a single JSONPath (`$.External.nextTurn`). */
export function setContactAttributes(
  id: string,
  attributes: Readonly<Record<string, string>>,
  branch: Branch,
): FlowAction<
  "UpdateContactAttributes",
  { Attributes: Readonly<Record<string, string>>; TargetContact: "Current" }
> {
  return {
    Parameters: { Attributes: attributes, TargetContact: "Current" },
    Identifier: id,
    Type: "UpdateContactAttributes",
    Transitions: { NextAction: branch.next, Errors: [onError(branch.onError)] },
  };
}

export function message(
  id: string,
  prompt: PromptContent,
  branch: Branch,
): FlowAction<"MessageParticipant", PromptParameters> {
  return {
    Parameters: promptParameters(prompt),
    Identifier: id,
    Type: "MessageParticipant",
    Transitions: { NextAction: branch.next, Errors: [onError(branch.onError)] },
  };
}

export interface LexBotOptions {
  readonly botAliasArn: string;
  readonly prompt: PromptContent;
  readonly sessionAttributes?: Readonly<Record<string, string>>;
}

export interface LexBotBranches {
  /** Intent name → next action. */
  readonly intents: Readonly<Record<string, string>>;
  /** An intent no condition names (e.g. the fallback intent). */
  readonly onNoMatchingIntent: string;
  /** The caller said nothing. */
  readonly onInputTimeout: string;
  readonly onError: string;
}

export function lexBot(
  id: string,
  options: LexBotOptions,
  branches: LexBotBranches,
): FlowAction<
  "ConnectParticipantWithLexBot",
  PromptParameters & {
    LexV2Bot: { AliasArn: string };
    LexSessionAttributes?: Readonly<Record<string, string>>;
  }
> {
  return {
    Parameters: {
      ...promptParameters(options.prompt),
      LexV2Bot: { AliasArn: options.botAliasArn },
      ...(options.sessionAttributes === undefined ? {} : { LexSessionAttributes: options.sessionAttributes }),
    },
    Identifier: id,
    Type: "ConnectParticipantWithLexBot",
    Transitions: {
      NextAction: branches.onNoMatchingIntent,
      Conditions: Object.entries(branches.intents).map(([intent, next]) => equals(intent, next)),
      Errors: [
        onError(branches.onInputTimeout, "InputTimeLimitExceeded"),
        onError(branches.onError),
        onError(branches.onNoMatchingIntent, "NoMatchingCondition"),
      ],
    },
  };
}

export interface GetInputOptions {
  readonly prompt: PromptContent;
  readonly inputTimeLimitSeconds: number;
  readonly maxDigits?: number;
}

/** "Store customer input": the digits land in `$.StoredCustomerInput`; no conditions, no timeout branch. */
export function storeCustomerInput(
  id: string,
  options: GetInputOptions,
  branch: Branch,
): FlowAction<"GetParticipantInput", Record<string, unknown>> {
  return {
    Parameters: {
      StoreInput: "True",
      InputTimeLimitSeconds: String(options.inputTimeLimitSeconds),
      ...promptParameters(options.prompt),
      DTMFConfiguration: { DisableCancelKey: "False" },
      InputValidation: { CustomValidation: { MaximumLength: String(options.maxDigits ?? 1) } },
    },
    Identifier: id,
    Type: "GetParticipantInput",
    Transitions: { NextAction: branch.next, Errors: [onError(branch.onError)] },
  };
}

/** "Get customer input" as a DTMF menu: one branch per key. */
export function dtmfMenu(
  id: string,
  options: GetInputOptions,
  branches: {
    readonly keys: Readonly<Record<string, string>>;
    readonly onNoMatch: string;
    readonly onTimeout: string;
    readonly onError: string;
  },
): FlowAction<"GetParticipantInput", Record<string, unknown>> {
  return {
    Parameters: {
      StoreInput: "False",
      InputTimeLimitSeconds: String(options.inputTimeLimitSeconds),
      ...promptParameters(options.prompt),
    },
    Identifier: id,
    Type: "GetParticipantInput",
    Transitions: {
      NextAction: branches.onNoMatch,
      Conditions: Object.entries(branches.keys).map(([key, next]) => equals(key, next)),
      Errors: [
        onError(branches.onTimeout, "InputTimeLimitExceeded"),
        onError(branches.onNoMatch, "NoMatchingCondition"),
        onError(branches.onError),
      ],
    },
  };
}

export interface InvokeLambdaOptions {
  readonly functionArn: string;
  /** Always written: the console emits it on every invocation (MGW), though older exports omit it. */
  readonly invocationType: "SYNCHRONOUS" | "ASYNCHRONOUS";
  /** 1–8 for SYNCHRONOUS, 1–60 for ASYNCHRONOUS. */
  readonly timeLimitSeconds: number;
  readonly responseType: "STRING_MAP" | "JSON";
  /** Sent as `Details.Parameters`; values static or a single JSONPath. */
  readonly attributes?: Readonly<Record<string, string>>;
}

export function invokeLambda(
  id: string,
  options: InvokeLambdaOptions,
  branch: Branch,
): FlowAction<"InvokeLambdaFunction", Record<string, unknown>> {
  return {
    Parameters: {
      LambdaFunctionARN: options.functionArn,
      InvocationTimeLimitSeconds: String(options.timeLimitSeconds),
      InvocationType: options.invocationType,
      ...(options.attributes === undefined ? {} : { LambdaInvocationAttributes: options.attributes }),
      ResponseValidation: { ResponseType: options.responseType },
    },
    Identifier: id,
    Type: "InvokeLambdaFunction",
    Transitions: { NextAction: branch.next, Errors: [onError(branch.onError)] },
  };
}

/** "Check contact attributes": the first matching case wins; otherwise `onNoMatch`. */
export function compare(
  id: string,
  comparisonValue: string,
  branches: {
    readonly cases: readonly (readonly [operand: string, next: string])[];
    readonly onNoMatch: string;
    readonly operator?: ConditionOperator;
  },
): FlowAction<"Compare", { ComparisonValue: string }> {
  return {
    Parameters: { ComparisonValue: comparisonValue },
    Identifier: id,
    Type: "Compare",
    Transitions: {
      NextAction: branches.onNoMatch,
      Conditions: branches.cases.map(([operand, next]) => equals(operand, next, branches.operator)),
      Errors: [onError(branches.onNoMatch, "NoMatchingCondition")],
    },
  };
}

/** Connect counts per action Identifier: `ContinueLooping` `count` times, then `DoneLooping` once, then resets. */
export function loop(
  id: string,
  count: number,
  branches: { readonly whileLooping: string; readonly whenDone: string },
): FlowAction<"Loop", { LoopCount: string }> {
  return {
    Parameters: { LoopCount: String(count) },
    Identifier: id,
    Type: "Loop",
    Transitions: {
      NextAction: branches.whenDone,
      Conditions: [
        equals("ContinueLooping", branches.whileLooping),
        equals("DoneLooping", branches.whenDone),
      ],
    },
  };
}

export interface WaitOptions {
  /** Written as `TimeLimitSeconds`, the name console exports use; the live API rejects the reference's `TimeoutSeconds`. */
  readonly timeLimitSeconds: number;
  /** Event-based wait on an asynchronous Lambda invocation, e.g. `$.LambdaInvocation.InvocationId`. */
  readonly lambdaInvocationId?: string;
  /** "Keep running while waiting": the contact goes down `Continue` while the wait goes on. */
  readonly continueExecution?: boolean;
  /**
   * `MinimumWaitTimeSeconds`, which the live API requires beside `ContinueExecution` (default 1, the value a
   * console export of an asynchronous flow carries). Only in keep-running mode.
   */
  readonly minimumWaitSeconds?: number;
}

/**
 * The Wait block. Parameters as the console exports them: `TimeLimitSeconds`, and in keep-running mode
 * `MinimumWaitTimeSeconds` and `"ContinueExecution": "TRUE"`; the Lambda event as
 * `InterruptibleEvents.LambdaReturned.AsyncLambdaCompletionEvent.Identifier` (see docs/contact-flow.md for
 * what is and is not confirmed about that shape).
 */
export function wait(
  id: string,
  options: WaitOptions,
  branches: {
    readonly onTimeout: string;
    readonly onLambdaReturned?: string;
    readonly onContinue?: string;
    readonly onError: string;
  },
): FlowAction<"Wait", Record<string, unknown>> {
  const conditions = [equals("WaitCompleted", branches.onTimeout)];
  if (options.lambdaInvocationId !== undefined) {
    if (branches.onLambdaReturned === undefined)
      throw new TypeError(`wait ${id}: onLambdaReturned is required`);
    conditions.push(equals("LambdaReturned", branches.onLambdaReturned));
  }
  const keepRunning = options.continueExecution === true;
  if (keepRunning) {
    if (branches.onContinue === undefined) throw new TypeError(`wait ${id}: onContinue is required`);
    conditions.push(equals("Continue", branches.onContinue));
  } else if (options.minimumWaitSeconds !== undefined) {
    throw new TypeError(`wait ${id}: minimumWaitSeconds applies only with continueExecution`);
  }
  return {
    Parameters: {
      TimeLimitSeconds: String(options.timeLimitSeconds),
      ...(keepRunning ? minimumWaitTime(options.minimumWaitSeconds ?? 1) : {}),
      ...(keepRunning ? { ContinueExecution: "TRUE" } : {}),
      ...(options.lambdaInvocationId === undefined
        ? {}
        : {
            InterruptibleEvents: {
              LambdaReturned: { AsyncLambdaCompletionEvent: { Identifier: options.lambdaInvocationId } },
            },
          }),
    },
    Identifier: id,
    Type: "Wait",
    Transitions: {
      NextAction: branches.onTimeout,
      Conditions: conditions,
      Errors: [onError(branches.onError)],
    },
  };
}

/** The keep-running Wait's `MinimumWaitTimeSeconds` parameter, a whole number of seconds written as a string. */
export function minimumWaitTime(seconds: number): { MinimumWaitTimeSeconds: string } {
  if (!Number.isInteger(seconds) || seconds < 1)
    throw new RangeError(
      `MinimumWaitTimeSeconds must be a whole number of seconds, at least 1 (got ${seconds})`,
    );
  return { MinimumWaitTimeSeconds: String(seconds) };
}

/** "Load Lambda result": an asynchronous invocation's response into `$.External` (`LambdaInvocationId`). */
export function loadLambdaResult(
  id: string,
  invocationId: string,
  branches: Branch & { readonly onInProgress: string },
): FlowAction<"LoadLambdaFunctionResult", { LambdaInvocationId: string }> {
  return {
    Parameters: { LambdaInvocationId: invocationId },
    Identifier: id,
    Type: "LoadLambdaFunctionResult",
    Transitions: {
      NextAction: branches.next,
      Errors: [onError(branches.onInProgress, "InProgress"), onError(branches.onError)],
    },
  };
}

export function disconnect(id: string): FlowAction<"DisconnectParticipant", Record<string, never>> {
  return { Parameters: {}, Identifier: id, Type: "DisconnectParticipant", Transitions: {} };
}

import type { FlowAction } from "@holdline/contact-flow/flow-language";
import type { CallContext } from "./call-context.ts";
import {
  updateAttributes,
  updateContactData,
  updateFlowAttributes,
  updateFlowLogging,
  updateMediaStreaming,
  updateVoice,
} from "./contact-data-blocks.ts";
import {
  recordedSetting,
  tagContact,
  untagContact,
  updateEventHooks,
  updateRecording,
} from "./contact-record-blocks.ts";
import { EmulatorError } from "./emulator-errors.ts";
import { compare, disconnectParticipant, loop } from "./flow-control-blocks.ts";
import { connectParticipantWithLexBot, getParticipantInput } from "./input-blocks.ts";
import { invokeLambda, loadLambdaResult } from "./lambda-blocks.ts";
import { messageParticipant, messageParticipantIteratively } from "./prompt-blocks.ts";
import {
  checkHoursOfOperation,
  distributeByPercentage,
  endFlow,
  endFlowModule,
  invokeFlowModule,
  transferOut,
  transferToFlow,
  transferToQueue,
  updateTargetQueue,
} from "./routing-blocks.ts";
import { wait } from "./wait-block.ts";

/** Runs one action and names the next one; undefined ends the flow. */
export type Block = (
  action: FlowAction,
  call: CallContext,
) => Promise<string | undefined> | string | undefined;

/**
 * What the emulator does with an action type (docs/connect-emulator.md, "Action types"): `runs` it as Connect
 * documents it; `records` it on the timeline and goes on (a setting the emulator has no service for); `ends`
 * the call with a `transfer` event, the contact leaving the emulator's world; `not emulated`: the call ends with
 * an `emulator-error` event naming the type (like any type the emulator does not know).
 */
export type Coverage = "runs" | "records" | "ends the call" | "not emulated";

const BLOCKS: ReadonlyMap<string, readonly [Coverage, Block]> = new Map<string, readonly [Coverage, Block]>([
  ["UpdateFlowLoggingBehavior", ["runs", updateFlowLogging]],
  ["UpdateContactTextToSpeechVoice", ["runs", updateVoice]],
  ["UpdateContactData", ["runs", updateContactData]],
  ["UpdateContactMediaStreamingBehavior", ["runs", updateMediaStreaming]],
  ["UpdateContactAttributes", ["runs", updateAttributes]],
  ["UpdateFlowAttributes", ["runs", updateFlowAttributes]],
  ["UpdateContactTargetQueue", ["runs", updateTargetQueue]],
  ["MessageParticipant", ["runs", messageParticipant]],
  ["MessageParticipantIteratively", ["runs", messageParticipantIteratively]],
  ["GetParticipantInput", ["runs", getParticipantInput]],
  ["ConnectParticipantWithLexBot", ["runs", connectParticipantWithLexBot]],
  ["InvokeLambdaFunction", ["runs", invokeLambda]],
  ["LoadLambdaFunctionResult", ["runs", loadLambdaResult]],
  ["Compare", ["runs", compare]],
  ["Loop", ["runs", loop]],
  ["Wait", ["runs", wait]],
  ["DistributeByPercentage", ["runs", distributeByPercentage]],
  ["CheckHoursOfOperation", ["runs", checkHoursOfOperation]],
  ["TransferToFlow", ["runs", transferToFlow]],
  ["InvokeFlowModule", ["runs", invokeFlowModule]],
  ["EndFlowModuleExecution", ["runs", endFlowModule]],
  ["EndFlowExecution", ["runs", endFlow]],
  ["DisconnectParticipant", ["runs", disconnectParticipant]],
  ["UpdateContactRecordingBehavior", ["records", updateRecording]],
  ["UpdateContactRecordingAndAnalyticsBehavior", ["records", recordedSetting]],
  ["UpdateContactEventHooks", ["records", updateEventHooks]],
  ["TagContact", ["records", tagContact]],
  ["UntagContact", ["records", untagContact]],
  ["UpdateContactRoutingBehavior", ["records", recordedSetting]],
  ["UpdateContactRoutingCriteria", ["records", recordedSetting]],
  ["UpdateContactCallbackNumber", ["records", recordedSetting]],
  ["UpdateContactMediaProcessing", ["records", recordedSetting]],
  ["UpdatePreviousContactParticipantState", ["records", recordedSetting]],
  ["CreateWisdomSession", ["records", recordedSetting]],
  ["StartVoiceIdStream", ["records", recordedSetting]],
  ["TransferContactToQueue", ["ends the call", transferToQueue]],
  ["DequeueContactAndTransferToQueue", ["ends the call", transferOut]],
  ["TransferContactToAgent", ["ends the call", transferOut]],
  ["TransferParticipantToThirdParty", ["ends the call", transferOut]],
]);

/**
 * Flow-language types whose outcome depends on a service the emulator does not have (views, cases, tasks,
 * customer profiles, Voice ID, metrics, outbound calls): the call ends with `unsupported_action` and why.
 */
const NOT_EMULATED: Readonly<Record<string, string>> = {
  ShowView: "a step-by-step guide view in the agent's or customer's UI",
  CreateTask: "Amazon Connect Tasks",
  CreateCase: "Amazon Connect Cases",
  GetCase: "Amazon Connect Cases",
  UpdateCase: "Amazon Connect Cases",
  CreateCallbackContact: "a callback contact",
  AssociateContactToCustomerProfile: "Customer Profiles",
  CreateCustomerProfile: "Customer Profiles",
  GetCustomerProfile: "Customer Profiles",
  GetCustomerProfileObject: "Customer Profiles",
  GetCalculatedAttributesForCustomerProfile: "Customer Profiles",
  UpdateCustomerProfile: "Customer Profiles",
  CheckVoiceId: "Voice ID",
  CheckMetricData: "real-time queue and agent metrics",
  GetMetricData: "real-time queue and agent metrics",
  CheckOutboundCallStatus: "an outbound call",
  CompleteOutboundCall: "an outbound call",
  StartOutboundChatContact: "an outbound chat",
  ResumeContact: "a paused contact",
};

/** How the emulator handles `type`; undefined for a type it does not know at all. */
export function coverageOf(type: string): Coverage | undefined {
  return BLOCKS.get(type)?.[0] ?? (Object.hasOwn(NOT_EMULATED, type) ? "not emulated" : undefined);
}

export function runBlock(
  action: FlowAction,
  call: CallContext,
): Promise<string | undefined> | string | undefined {
  const block = BLOCKS.get(action.Type)?.[1];
  if (block === undefined) {
    const needs = Object.hasOwn(NOT_EMULATED, action.Type)
      ? `: it needs ${NOT_EMULATED[action.Type]}, which the emulator does not have`
      : ", a type the emulator does not know";
    throw new EmulatorError(
      "unsupported_action",
      `action "${action.Identifier}" has type "${action.Type}", which the emulator does not run${needs}`,
    );
  }
  // A console export may leave `Parameters` out (DistributeByPercentage): read it as `{}`.
  return block(action.Parameters === undefined ? { ...action, Parameters: {} } : action, call);
}

import type { FlowAction } from "@holdline/contact-flow/flow-language";
import type { CallContext } from "./call-context.ts";
import {
  updateAttributes,
  updateContactData,
  updateFlowLogging,
  updateMediaStreaming,
  updateVoice,
} from "./contact-data-blocks.ts";
import { EmulatorError } from "./emulator-errors.ts";
import { compare, disconnectParticipant, loop } from "./flow-control-blocks.ts";
import { connectParticipantWithLexBot, getParticipantInput } from "./input-blocks.ts";
import { invokeLambda, loadLambdaResult } from "./lambda-blocks.ts";
import { messageParticipant } from "./prompt-blocks.ts";
import { wait } from "./wait-block.ts";

/** Runs one action and names the next one; undefined ends the flow. */
export type Block = (
  action: FlowAction,
  call: CallContext,
) => Promise<string | undefined> | string | undefined;

/** The action types the emulator runs (docs/connect-emulator.md, "Supported actions"). */
const BLOCKS: ReadonlyMap<string, Block> = new Map<string, Block>([
  ["UpdateFlowLoggingBehavior", updateFlowLogging],
  ["UpdateContactTextToSpeechVoice", updateVoice],
  ["UpdateContactData", updateContactData],
  ["UpdateContactMediaStreamingBehavior", updateMediaStreaming],
  ["UpdateContactAttributes", updateAttributes],
  ["MessageParticipant", messageParticipant],
  ["GetParticipantInput", getParticipantInput],
  ["ConnectParticipantWithLexBot", connectParticipantWithLexBot],
  ["InvokeLambdaFunction", invokeLambda],
  ["LoadLambdaFunctionResult", loadLambdaResult],
  ["Compare", compare],
  ["Loop", loop],
  ["Wait", wait],
  ["DisconnectParticipant", disconnectParticipant],
]);

export function runBlock(
  action: FlowAction,
  call: CallContext,
): Promise<string | undefined> | string | undefined {
  const block = BLOCKS.get(action.Type);
  if (block === undefined) {
    throw new EmulatorError(
      "unsupported_action",
      `action "${action.Identifier}" has type "${action.Type}", which the emulator does not run`,
    );
  }
  return block(action, call);
}

import type { FlowAction } from "@holdline/contact-flow/flow-language";
import { textOf } from "./action-parameters.ts";
import { errorBranch } from "./branching.ts";
import type { CallContext } from "./call-context.ts";
import { resolveMap, resolveValue } from "./flow-data.ts";

/**
 * Blocks that change the contact rather than talk to the caller: logging, voice, language, media streaming
 * (recorded as settings) and contact attributes.
 */

const VOICE_LOCALES: Readonly<Record<string, string>> = {
  Kazuha: "ja-JP",
  Takumi: "ja-JP",
  Mizuki: "ja-JP",
  Tomoko: "ja-JP",
  Joanna: "en-US",
  Matthew: "en-US",
  Ruth: "en-US",
  Danielle: "en-US",
};

function setting(call: CallContext, action: FlowAction, name: string, value: string): string | undefined {
  call.record({ kind: "setting", at: call.now(), identifier: action.Identifier, name, value });
  return action.Transitions.NextAction;
}

export const updateFlowLogging = (action: FlowAction, call: CallContext): string | undefined =>
  setting(call, action, "flow logging", textOf(action.Parameters.FlowLoggingBehavior) ?? "");

/** The voice's language is the speaking locale until the flow sets a language. */
export function updateVoice(action: FlowAction, call: CallContext): string | undefined {
  const voice = textOf(action.Parameters.TextToSpeechVoice) ?? "";
  call.voiceLocale = VOICE_LOCALES[voice] ?? call.voiceLocale;
  const engine = textOf(action.Parameters.TextToSpeechEngine);
  return setting(call, action, "voice", engine === undefined ? voice : `${voice} (${engine})`);
}

export function updateContactData(action: FlowAction, call: CallContext): string | undefined {
  const language = textOf(action.Parameters.LanguageCode);
  if (language !== undefined) call.data.LanguageCode = resolveValue(call.data, language);
  const changed = Object.entries(action.Parameters)
    .map(
      ([key, value]) =>
        `${key}=${typeof value === "string" ? resolveValue(call.data, value) : JSON.stringify(value)}`,
    )
    .join(", ");
  return setting(call, action, "contact data", changed);
}

/** Sets `$.MediaStreams.Customer.Audio` as Connect would; no audio is produced. */
export function updateMediaStreaming(action: FlowAction, call: CallContext): string | undefined {
  const state = textOf(action.Parameters.MediaStreamingState) ?? "";
  call.data.MediaStreams.Customer.Audio =
    state === "Enabled"
      ? {
          StartFragmentNumber: "91343852333181432392682062622220590765191907586",
          StartTimestamp: String(call.clock.now()),
          StreamARN: `${call.data.InstanceARN.replace(":connect:", ":kinesisvideo:")}/stream/emulated`,
        }
      : null;
  return setting(call, action, "media streaming", `${state} (recorded, no audio)`);
}

/** Contact attributes are limited to 32 KB, as the UpdateContactAttributes API documents. */
export function updateAttributes(action: FlowAction, call: CallContext): string | undefined {
  const changes = resolveMap(call.data, action.Parameters.Attributes);
  const next = { ...call.data.Attributes, ...changes };
  if (Buffer.byteLength(JSON.stringify(next), "utf8") > 32_768) return errorBranch(action, "NoMatchingError");
  call.data.Attributes = next;
  call.record({ kind: "attributes", at: call.now(), identifier: action.Identifier, attributes: changes });
  return action.Transitions.NextAction;
}

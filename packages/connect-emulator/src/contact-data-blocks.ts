import type { FlowAction } from "@holdline/contact-flow/flow-language";
import { requiredText, textOf } from "./action-parameters.ts";
import { errorBranch } from "./branching.ts";
import type { CallContext } from "./call-context.ts";
import { EmulatorError } from "./emulator-errors.ts";
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

export function setting(
  call: CallContext,
  action: FlowAction,
  name: string,
  value: string,
): string | undefined {
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

/**
 * Start / stop media streaming: `$.MediaStreams.Customer.Audio` gets the attributes AWS documents (Admin Guide,
 * "Contact attributes for live media streaming in Kinesis Video Streams",
 * https://docs.aws.amazon.com/connect/latest/adminguide/media-streaming-attributes.html): `StreamARN`,
 * `StartTimestamp` and `StartFragmentNumber` on start, `StopTimestamp` added on stop, epoch milliseconds as
 * strings. There is no stop fragment number in AWS's list, so none here. No audio is produced.
 */
export function updateMediaStreaming(action: FlowAction, call: CallContext): string | undefined {
  const state = requiredText(action, "MediaStreamingState");
  const now = String(call.clock.now());
  const audio = call.data.MediaStreams.Customer.Audio;
  const participants = (Array.isArray(action.Parameters.Participants) ? action.Parameters.Participants : [])
    .map((participant) => {
      const { ParticipantType, MediaDirections } = participant as Record<string, unknown>;
      return `${String(ParticipantType)} ${Array.isArray(MediaDirections) ? MediaDirections.join("+") : ""}`.trim();
    })
    .join(", ");
  let value = `${state}${participants === "" ? "" : ` (${participants})`}`;
  if (state === "Enabled") {
    if (audio === null || audio.StopTimestamp !== undefined) {
      call.data.MediaStreams.Customer.Audio = {
        StreamARN: audio?.StreamARN ?? streamArn(call, now),
        StartTimestamp: now,
        StartFragmentNumber: `91343852333181432392682062${now.padStart(21, "0")}`,
      };
    } else value += ", already streaming";
  } else if (state === "Disabled") {
    if (audio !== null && audio.StopTimestamp === undefined) {
      call.data.MediaStreams.Customer.Audio = { ...audio, StopTimestamp: now };
    } else value += ", not streaming";
  } else {
    throw new EmulatorError(
      "invalid_parameter",
      `UpdateContactMediaStreamingBehavior "${action.Identifier}": MediaStreamingState is "${state}", not Enabled or Disabled`,
    );
  }
  return setting(call, action, "media streaming", `${value}; no audio is produced`);
}

/** A Kinesis Video Streams ARN in the contact's region and account, named after the contact. */
function streamArn(call: CallContext, now: string): string {
  const [, , , region = "", account = ""] = call.data.InstanceARN.split(":");
  return `arn:aws:kinesisvideo:${region}:${account}:stream/emulated-connect-contact-${call.data.ContactId}/${now}`;
}

/** Flow attributes (`$.FlowAttributes.<key>`): `{ key: { Value } }`, the value static or a JSONPath. */
export function updateFlowAttributes(action: FlowAction, call: CallContext): string | undefined {
  const given = action.Parameters.FlowAttributes;
  if (given === null || typeof given !== "object") {
    throw new EmulatorError(
      "invalid_parameter",
      `UpdateFlowAttributes "${action.Identifier}" has no FlowAttributes`,
    );
  }
  const changes = Object.fromEntries(
    Object.entries(given as Record<string, unknown>).map(([key, entry]) => {
      const value = textOf((entry as Record<string, unknown> | null)?.Value) ?? "";
      return [key, resolveValue(call.data, value)];
    }),
  );
  call.data.FlowAttributes = { ...call.data.FlowAttributes, ...changes };
  return setting(
    call,
    action,
    "flow attributes",
    Object.entries(changes)
      .map(([key, value]) => `${key}=${value}`)
      .join(", "),
  );
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

import type { FlowAction } from "@holdline/contact-flow/flow-language";
import { isTrue, objectOf } from "./action-parameters.ts";
import type { CallContext } from "./call-context.ts";
import { setting } from "./contact-data-blocks.ts";
import { resolveMap, resolveValue } from "./flow-data.ts";

/**
 * Blocks that change what Connect records or triggers about the contact (recording and analytics, event hooks,
 * tags, routing settings): the emulator has none of those services, so each is recorded on the timeline as a
 * `setting` and the flow goes on (`NextAction`), as Connect does when the change succeeds.
 */

const list = (value: unknown): string =>
  Array.isArray(value) ? value.map((item) => String(item)).join(", ") : String(value ?? "");

const pairs = (map: Readonly<Record<string, string>>): string =>
  Object.entries(map)
    .map(([key, value]) => `${key}=${value}`)
    .join(", ");

/** `RecordingBehavior.RecordedParticipants` (`[]` = off) and, in newer exports, `AnalyticsBehavior`. */
export function updateRecording(action: FlowAction, call: CallContext): string | undefined {
  const recording = objectOf(action.Parameters.RecordingBehavior);
  const participants = list(recording.RecordedParticipants);
  const analytics = objectOf(action.Parameters.AnalyticsBehavior);
  const modes = list(objectOf(objectOf(analytics.ChannelConfiguration).Voice).AnalyticsModes);
  const analyticsText =
    analytics.Enabled === undefined
      ? ""
      : isTrue(analytics.Enabled)
        ? `; analytics on${modes === "" ? "" : ` (${modes})`}`
        : "; analytics off";
  return setting(
    call,
    action,
    "recording",
    `${participants === "" ? "off" : participants}${analyticsText} (recorded, nothing is recorded)`,
  );
}

/** One hook per action (MGW): `{ CustomerQueue: <flow ARN> }`, the flow static or a JSONPath. */
export function updateEventHooks(action: FlowAction, call: CallContext): string | undefined {
  return setting(call, action, "event hook", pairs(resolveMap(call.data, action.Parameters.EventHooks)));
}

export function tagContact(action: FlowAction, call: CallContext): string | undefined {
  return setting(call, action, "tags", pairs(resolveMap(call.data, action.Parameters.Tags)));
}

export function untagContact(action: FlowAction, call: CallContext): string | undefined {
  return setting(call, action, "untag", list(action.Parameters.TagKeys));
}

/** Any other contact setting the emulator only records: its parameters, JSONPaths resolved. */
export function recordedSetting(action: FlowAction, call: CallContext): string | undefined {
  const described = Object.entries(action.Parameters)
    .map(
      ([key, value]) =>
        `${key}=${typeof value === "string" ? resolveValue(call.data, value) : JSON.stringify(value)}`,
    )
    .join(", ");
  return setting(call, action, action.Type, described === "" ? "(no parameters)" : described);
}

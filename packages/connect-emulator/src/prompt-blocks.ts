import type { FlowAction } from "@holdline/contact-flow/flow-language";
import { textOf } from "./action-parameters.ts";
import type { CallContext } from "./call-context.ts";
import { interpolate, resolveValue } from "./flow-data.ts";
import { type SpeechSegment, speechSegments } from "./speech-timing.ts";

/** What the caller hears: MessageParticipant, and the prompt every input block plays first. */

export async function messageParticipant(action: FlowAction, call: CallContext): Promise<string | undefined> {
  await playPrompt(action, call);
  return action.Transitions.NextAction;
}

/**
 * Plays the action's `Text`, `SSML` or `PromptId`, if any, for its speaking time; SSML breaks are silence.
 * The prompt is recorded even when a hang-up or an armed Wait cuts it short.
 */
export async function playPrompt(action: FlowAction, call: CallContext): Promise<void> {
  const segments = promptSegments(action, call);
  if (segments.length === 0) return;
  const at = call.now();
  const said = segments
    .filter((segment) => segment.kind === "speech")
    .map((segment) => segment.text)
    .join(" … ");
  let interrupted = true;
  try {
    for (const segment of segments) {
      const start = call.now();
      try {
        await call.pause(segment.durationMs);
      } finally {
        if (segment.kind === "speech") call.hear({ start, end: call.now() });
      }
    }
    interrupted = false;
  } finally {
    call.record({
      kind: "prompt",
      at,
      endAt: call.now(),
      identifier: action.Identifier,
      text: said,
      interrupted,
    });
  }
}

function promptSegments(action: FlowAction, call: CallContext): readonly SpeechSegment[] {
  const parameters = action.Parameters;
  const promptId = textOf(parameters.PromptId);
  const spoken = textOf(parameters.Text);
  const ssml = textOf(parameters.SSML);
  if (promptId !== undefined) {
    return [
      {
        kind: "speech",
        durationMs: promptMs(call, resolveValue(call.data, promptId)),
        text: `[prompt ${promptId.split("/").pop()}]`,
      },
    ];
  }
  if (spoken !== undefined)
    return speechSegments({ text: interpolate(call.data, spoken) }, call.locale, call.speech);
  if (ssml !== undefined)
    return speechSegments({ ssml: interpolate(call.data, ssml) }, call.locale, call.speech);
  return [];
}

/** A recorded prompt's length, by ARN or id; `defaultPromptMs` (1 s) when unknown. */
function promptMs(call: CallContext, promptId: string): number {
  const durations = call.options.promptDurationsMs ?? {};
  return (
    durations[promptId] ?? durations[promptId.split("/").pop() ?? ""] ?? call.options.defaultPromptMs ?? 1_000
  );
}

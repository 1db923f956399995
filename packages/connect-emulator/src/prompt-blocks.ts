import type { FlowAction } from "@holdline/contact-flow/flow-language";
import { textOf } from "./action-parameters.ts";
import { conditionOrError } from "./branching.ts";
import type { CallContext } from "./call-context.ts";
import { EmulatorError } from "./emulator-errors.ts";
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
export async function playPrompt(action: FlowAction, call: CallContext, wake?: AbortSignal): Promise<void> {
  const segments = promptSegments(action, call);
  if (segments.length === 0) {
    const { Text, SSML } = action.Parameters;
    if (typeof Text === "string" || typeof SSML === "string") {
      call.record({
        kind: "note",
        at: call.now(),
        source: "emulator",
        text: `${action.Type} "${action.Identifier}": its ${typeof Text === "string" ? "Text" : "SSML"} resolved to nothing to say, so nothing is heard (what Connect does with an empty message at run time is not documented)`,
      });
    }
    return;
  }
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
        await call.pause(segment.durationMs, wake);
      } catch (error) {
        if (wake?.aborted !== true) throw error;
        return;
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

/**
 * MessageParticipantIteratively plays `Messages` in turn, over and over, while the contact waits in a queue.
 * With `InterruptFrequencySeconds` the loop is cut at that interval and the flow takes `MessagesInterrupted`;
 * without it, it loops until an agent answers, which the emulator has no agent for: the messages play once,
 * then the call ends with a `transfer` event (`hold`).
 */
export async function messageParticipantIteratively(
  action: FlowAction,
  call: CallContext,
): Promise<string | undefined> {
  const messages = Array.isArray(action.Parameters.Messages)
    ? (action.Parameters.Messages as unknown[]).filter(
        (message): message is Record<string, unknown> => message !== null && typeof message === "object",
      )
    : [];
  if (messages.length === 0) {
    throw new EmulatorError(
      "invalid_parameter",
      `MessageParticipantIteratively "${action.Identifier}" has no Messages`,
    );
  }
  const asAction = (message: Record<string, unknown>): FlowAction => ({ ...action, Parameters: message });
  const intervalMs = Number(textOf(action.Parameters.InterruptFrequencySeconds) ?? "") * 1_000;
  if (!(intervalMs > 0)) {
    for (const message of messages) await playPrompt(asAction(message), call);
    return call.leave(action, {
      destination: "hold",
      target: "",
      text: "waits in queue, its messages looping until an agent answers (no agent is emulated)",
    });
  }
  const interrupted = new AbortController();
  const timer = new AbortController();
  call.clock.sleep(intervalMs, timer.signal).then(
    () => interrupted.abort(),
    () => undefined,
  );
  try {
    for (let index = 0; !interrupted.signal.aborted; index = (index + 1) % messages.length) {
      const before = call.now();
      await playPrompt(asAction(messages[index] ?? {}), call, interrupted.signal);
      if (call.now() === before && !interrupted.signal.aborted) await call.pause(1_000, interrupted.signal);
    }
  } catch (error) {
    if (!interrupted.signal.aborted) throw error;
  } finally {
    timer.abort();
  }
  return conditionOrError(action, "MessagesInterrupted", "NoMatchingError");
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

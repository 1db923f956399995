import type { CallResult } from "./connect-emulator.ts";
import type { InvocationOutcome, TimelineEvent } from "./timeline.ts";

export interface RenderOptions {
  /** Also list Compare/Loop/Wait results and settings (default true). */
  readonly showBranches?: boolean;
  /** Silences shorter than this are left out of the listing (still counted; default 300 ms). */
  readonly minimumSilenceMs?: number;
}

const seconds = (ms: number) => `${(ms / 1_000).toFixed(1)}s`;
const stamp = (ms: number) => seconds(ms).padStart(7);

const describeOutcome = (outcome: InvocationOutcome): string => {
  switch (outcome.status) {
    case "success": {
      const response = outcome.response as Record<string, unknown>;
      const status =
        typeof response?.status === "string" ? `status=${response.status}` : JSON.stringify(response);
      return `ok, ${status.length > 80 ? `${status.slice(0, 77)}...` : status}`;
    }
    case "error":
      return `ERROR ${outcome.errorType}: ${outcome.message}`;
    case "dispatched":
      return "dispatched";
  }
};

function line(event: TimelineEvent, options: Required<RenderOptions>): string | undefined {
  switch (event.kind) {
    case "call-started":
      return `call ${event.contactId} starts`;
    case "setting":
      return options.showBranches ? `  set ${event.name}: ${event.value}` : undefined;
    case "prompt":
      return `SAYS  "${event.text}" (${seconds(event.endAt - event.at)}${event.interrupted ? ", cut short" : ""})`;
    case "caller-input":
      return event.mode === "speech"
        ? `HEARS caller: "${event.value}"`
        : `HEARS caller presses ${event.value}`;
    case "input-timeout":
      return `HEARS nothing: ${event.identifier} timed out`;
    case "lex":
      return options.showBranches ? `  lex intent ${event.intent}` : undefined;
    case "invocation": {
      const retries = event.attempts.length > 1 ? `, ${event.attempts.length} attempts` : "";
      const took = event.mode === "SYNCHRONOUS" ? ` in ${seconds(event.endAt - event.at)}` : "";
      return `λ ${event.functionName} (${event.mode.toLowerCase()}) ${describeOutcome(event.outcome)}${took}${retries}`;
    }
    case "async-result":
      return `λ ${event.functionName} (asynchronous) finished: ${describeOutcome(event.outcome)}`;
    case "background-result":
      return `λ ${event.functionName} attempt ${event.attempt} finished in the background: ${event.result.slice(0, 90)}`;
    case "attributes":
      return `  attributes ${Object.entries(event.attributes)
        .map(([key, value]) => `${key}=${value}`)
        .join(", ")}`;
    case "branch":
      return options.showBranches ? `  ${event.type} ${event.identifier}: ${event.result}` : undefined;
    case "silence":
      return event.durationMs >= options.minimumSilenceMs
        ? `...   silence ${seconds(event.durationMs)}${event.during.length > 0 ? ` (${event.during.join(", ")})` : ""}`
        : undefined;
    case "note":
      return `  [${event.source}] ${event.text}`;
    case "hang-up":
      return "caller hangs up";
    case "disconnect":
      return "call disconnected";
    case "end-flow":
      return `flow ends (${event.identifier}: EndFlowExecution)`;
    case "transfer":
      return `LEAVES ${event.text} (${event.identifier})`;
    case "emulator-error":
      return `STOPS emulator cannot go on${event.identifier === undefined ? "" : ` at ${event.identifier} (${event.type})`}: ${event.code}: ${event.message}`;
  }
}

/** The call as a readable listing: what the caller hears and when, each Lambda invocation, the silences. */
export function renderTimeline(result: CallResult, options: RenderOptions = {}): string {
  const settings: Required<RenderOptions> = {
    showBranches: options.showBranches ?? true,
    minimumSilenceMs: options.minimumSilenceMs ?? 300,
  };
  const lines = result.timeline
    .map((event) => {
      const text = line(event, settings);
      return text === undefined ? undefined : `${stamp(event.at)}  ${text}`;
    })
    .filter((text): text is string => text !== undefined);
  const longest = result.longestSilence;
  lines.push(
    `${stamp(result.durationMs)}  end (${result.endReason}); longest silence ${
      longest === undefined ? "none" : `${seconds(longest.durationMs)} at ${seconds(longest.at)}`
    }`,
  );
  return lines.join("\n");
}

import type { EmulatorErrorCode } from "./emulator-errors.ts";

/** Where a contact went when it left the emulator's world. */
export type TransferDestination = "queue" | "agent" | "flow" | "phone-number" | "hold";

/** Everything the emulator saw during a call, as data. Instants are milliseconds since the call started. */
export type TimelineEvent =
  | { readonly kind: "call-started"; readonly at: number; readonly contactId: string }
  | {
      readonly kind: "setting";
      readonly at: number;
      readonly identifier: string;
      readonly name: string;
      readonly value: string;
    }
  | {
      readonly kind: "prompt";
      readonly at: number;
      readonly endAt: number;
      readonly identifier: string;
      readonly text: string;
      /** Cut short by an event (a Wait's Lambda returning) or by the caller hanging up. */
      readonly interrupted: boolean;
    }
  | {
      readonly kind: "caller-input";
      readonly at: number;
      readonly identifier: string;
      readonly mode: "speech" | "dtmf";
      readonly value: string;
    }
  | { readonly kind: "input-timeout"; readonly at: number; readonly identifier: string }
  | {
      readonly kind: "lex";
      readonly at: number;
      readonly identifier: string;
      readonly intent: string;
      readonly sessionAttributes: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: "invocation";
      readonly at: number;
      /** When the flow moved on (result, error, or dispatch for an asynchronous invocation). */
      readonly endAt: number;
      readonly identifier: string;
      readonly invocationId: string;
      readonly functionName: string;
      readonly mode: "SYNCHRONOUS" | "ASYNCHRONOUS";
      readonly outcome: InvocationOutcome;
      readonly attempts: readonly AttemptRecord[];
    }
  | {
      /** A handler finished after the flow stopped waiting for it (timeout, hang-up) or, async, in the background. */
      readonly kind: "background-result";
      readonly at: number;
      readonly invocationId: string;
      readonly functionName: string;
      readonly attempt: number;
      readonly result: string;
    }
  | {
      readonly kind: "async-result";
      readonly at: number;
      readonly invocationId: string;
      readonly functionName: string;
      readonly outcome: InvocationOutcome;
    }
  | {
      readonly kind: "attributes";
      readonly at: number;
      readonly identifier: string;
      readonly attributes: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: "branch";
      readonly at: number;
      readonly identifier: string;
      readonly type: string;
      readonly result: string;
    }
  | {
      readonly kind: "silence";
      readonly at: number;
      readonly endAt: number;
      readonly durationMs: number;
      readonly during: readonly string[];
    }
  | { readonly kind: "note"; readonly at: number; readonly source: string; readonly text: string }
  | { readonly kind: "hang-up"; readonly at: number }
  | { readonly kind: "disconnect"; readonly at: number; readonly identifier: string }
  | {
      /** EndFlowExecution: the flow finished without disconnecting the contact. */
      readonly kind: "end-flow";
      readonly at: number;
      readonly identifier: string;
    }
  | {
      /** The contact left the emulator's world (a queue, an agent, a flow that was not given): the call ends. */
      readonly kind: "transfer";
      readonly at: number;
      readonly identifier: string;
      readonly type: string;
      readonly destination: TransferDestination;
      /** The queue, flow, agent or number, as the flow names it (resolved). */
      readonly target: string;
      /** E.g. `queued to Sales`, `transferred to flow 1234…`. */
      readonly text: string;
    }
  | {
      /** The emulator could not go on (a flow or setup bug, or its own): the call ends here, its result kept. */
      readonly kind: "emulator-error";
      readonly at: number;
      readonly identifier?: string;
      readonly type?: string;
      readonly code: EmulatorErrorCode;
      readonly message: string;
    };

export type InvocationOutcome =
  | { readonly status: "success"; readonly response: unknown }
  | { readonly status: "error"; readonly errorType: InvocationErrorType; readonly message: string }
  | { readonly status: "dispatched" };

export type InvocationErrorType =
  /** The invocation time limit passed before a usable response. */
  | "timeout"
  /** Every attempt threw (or timed out on the function's own timeout), retries exhausted. */
  | "function_error"
  /** Every attempt was throttled. */
  | "throttled"
  /** A STRING_MAP response that is not a flat map of strings, or no object at all. */
  | "invalid_response"
  /** The response is 32 KB or more. */
  | "response_too_large";

export interface AttemptRecord {
  readonly attempt: number;
  readonly at: number;
  /** Undefined while the handler is still running. */
  readonly endAt?: number;
  readonly result: "returned" | "threw" | "throttled" | "function_timeout" | "running";
  readonly message?: string;
}

export interface Interval {
  readonly start: number;
  readonly end: number;
}

export interface Silence {
  readonly at: number;
  readonly endAt: number;
  readonly durationMs: number;
  /** Identifiers of the actions running while the caller heard nothing. */
  readonly during: readonly string[];
}

/**
 * Silences: the parts of the call where the caller hears nothing and is not being listened to, i.e. the
 * complement of prompt audio and input windows within [0, end]. SSML breaks are silences too.
 */
export function findSilences(
  end: number,
  heard: readonly Interval[],
  actionSpans: readonly (Interval & { readonly identifier: string })[],
  minimumMs = 1,
): Silence[] {
  const covered = [...heard]
    .filter((interval) => interval.end > interval.start)
    .sort((a, b) => a.start - b.start);
  const silences: Silence[] = [];
  let cursor = 0;
  const add = (start: number, stop: number) => {
    if (stop - start < minimumMs) return;
    const during = actionSpans
      .filter(
        (span) => span.start < stop && (span.end > start || (span.end === span.start && span.start >= start)),
      )
      .map((span) => span.identifier);
    silences.push({ at: start, endAt: stop, durationMs: stop - start, during: [...new Set(during)] });
  };
  for (const interval of covered) {
    if (interval.start > cursor) add(cursor, Math.min(interval.start, end));
    cursor = Math.max(cursor, interval.end);
  }
  if (end > cursor) add(cursor, end);
  return silences;
}

export const longestSilence = (silences: readonly Silence[]): Silence | undefined =>
  silences.reduce<Silence | undefined>(
    (longest, silence) =>
      longest === undefined || silence.durationMs > longest.durationMs ? silence : longest,
    undefined,
  );

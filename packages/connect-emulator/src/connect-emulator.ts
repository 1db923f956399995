import type { FlowDocument } from "@holdline/contact-flow/flow-language";
import { validateFlow } from "@holdline/contact-flow/validate-flow";
import type { Clock } from "@holdline/domain/ports/clock.port";
import { CallRun, syntheticId } from "./call-run.ts";
import type { CallerScript } from "./caller-script.ts";
import { EmulatorError } from "./emulator-errors.ts";
import type { LambdaFunctions } from "./lambda-function.ts";
import type { InvocationLatency } from "./lambda-invoker.ts";
import type { LexSimulator } from "./lex-simulator.ts";
import type { SpeechRates } from "./speech-timing.ts";
import type { Silence, TimelineEvent } from "./timeline.ts";

export interface ConnectEmulatorOptions {
  /** `ManualClock` for tests (virtual time), `SystemClock` for a real-time demo. */
  readonly clock: Clock;
  /** Local handlers by the Lambda ARN the flow invokes. */
  readonly functions: LambdaFunctions;
  /**
   * The bot behind ConnectParticipantWithLexBot: an application's simulation, or `lexCodeHookBot(handler)` to
   * run a real Lex V2 code hook. Default `fallbackOnlyLexBot`: every utterance reaches `FallbackIntent`.
   * A simulator throwing `LexTurnFailedError` makes the block take its error branch, as a failed Lex turn does.
   */
  readonly lex?: LexSimulator;
  readonly latency?: Partial<InvocationLatency>;
  readonly speech?: Partial<SpeechRates>;
  /** Until the flow sets a language (default `en-US`). */
  readonly defaultLocale?: string;
  readonly instanceArn?: string;
  /** Lengths of recorded prompts played by `PromptId` (ARN or id); others take `defaultPromptMs`. */
  readonly promptDurationsMs?: Readonly<Record<string, number>>;
  readonly defaultPromptMs?: number;
  /** How long a Lex bot waits for the caller to start speaking. */
  readonly lexNoInputTimeoutMs?: number;
  /** Lex's recognition time after the caller stops speaking. */
  readonly lexProcessingMs?: number;
  /** Time per DTMF key pressed. */
  readonly dtmfKeyMs?: number;
}

export interface CallOptions {
  readonly contactId?: string;
  /** Contact attributes the call starts with. */
  readonly attributes?: Readonly<Record<string, string>>;
  readonly customerNumber?: string;
  readonly systemNumber?: string;
}

export type EndReason = "disconnected" | "hung-up" | "flow-ended";

export interface CallResult {
  readonly contactId: string;
  /** Epoch milliseconds; every `at` in the timeline is relative to it. */
  readonly startedAt: number;
  readonly durationMs: number;
  readonly endReason: EndReason;
  /** In time order; includes silences and, once settled, results that arrived after the call. */
  readonly timeline: readonly TimelineEvent[];
  readonly silences: readonly Silence[];
  readonly longestSilence: Silence | undefined;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface EmulatedCall {
  readonly contactId: string;
  /** The flow stopped (disconnect, hang-up, or end of the flow). Rejects with `EmulatorError` on a flow bug. */
  readonly ended: Promise<CallResult>;
  /** `ended`, and then every handler still running (timed-out attempts, asynchronous work) has finished. */
  readonly settled: Promise<CallResult>;
  /** Adds a line to the timeline from outside, e.g. a store's status transition. */
  note(source: string, text: string): void;
}

/**
 * Runs Amazon Connect flow-language JSON against local Lambda handlers, on virtual or real time, and
 * records what the caller would hear second by second. See docs/connect-emulator.md for the semantics.
 */
export class ConnectEmulator {
  private contacts = 0;

  constructor(private readonly options: ConnectEmulatorOptions) {}

  call(flow: FlowDocument, script: CallerScript = {}, options: CallOptions = {}): EmulatedCall {
    const structural = validateFlow(flow).filter((issue) =>
      [
        "invalid_document",
        "unsupported_version",
        "invalid_action",
        "missing_start_action",
        "duplicate_identifier",
        "dangling_next_action",
      ].includes(issue.code),
    );
    if (structural.length > 0) {
      throw new EmulatorError(
        "invalid_flow",
        `cannot run this flow:\n${structural.map((i) => `  ${i.message}`).join("\n")}`,
      );
    }
    this.contacts += 1;
    const contactId = options.contactId ?? syntheticId("c0ac7000", this.contacts);
    return new CallRun(this.options, flow, script, { ...options, contactId }).start();
  }
}

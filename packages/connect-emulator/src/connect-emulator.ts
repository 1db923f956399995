import type { FlowDocument } from "@holdline/contact-flow/flow-language";
import type { Clock } from "@holdline/domain/ports/clock.port";
import { CallRun, syntheticId } from "./call-run.ts";
import type { CallerScript } from "./caller-script.ts";
import type { EmulatorErrorCode } from "./emulator-errors.ts";
import { assertRunnable } from "./flow-structure.ts";
import type { HoursOfOperation } from "./hours-of-operation.ts";
import type { LambdaFunctions } from "./lambda-function.ts";
import type { InvocationLatency } from "./lambda-invoker.ts";
import type { LexSimulator } from "./lex-simulator.ts";
import type { SpeechRates } from "./speech-timing.ts";
import type { QueueSetup } from "./routing-blocks.ts";
import type { Silence, TimelineEvent, TransferDestination } from "./timeline.ts";

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
  /** Time per DTMF key pressed, unless the turn gives its own `keyIntervalMs` (default 200). */
  readonly dtmfKeyMs?: number;
  /**
   * Flows that TransferToFlow may run, by flow id or ARN (either form matches the other). A flow that is not
   * given ends the call with a `transfer` event ("transferred to flow …").
   */
  readonly flows?: Readonly<Record<string, FlowDocument>>;
  /** Modules that InvokeFlowModule runs, by module id or ARN. A module that is not given ends the call. */
  readonly flowModules?: Readonly<Record<string, FlowDocument>>;
  /** Hours for CheckHoursOfOperation, by hours-of-operation id or ARN, in DescribeHoursOfOperation's shape. */
  readonly hoursOfOperation?: Readonly<Record<string, HoursOfOperation>>;
  /** Queues by id or ARN: a name, whether the queue is at capacity, its hours. Unlisted queues are open and free. */
  readonly queues?: Readonly<Record<string, QueueSetup>>;
  /** Seed of the random roll behind DistributeByPercentage (default 1): the same seed, the same branches. */
  readonly randomSeed?: number;
  /**
   * What a keep-running Wait's event (its Lambda returning, its time limit) does to the block the contact is
   * running on the Continue branch: `cut-short` (default) stops it at once, e.g. a filler prompt mid-sentence;
   * `finish-block` lets it finish, then takes the Wait's branch. Connect's documents do not say which; see
   * docs/connect-emulator.md, "Points of doubt".
   */
  readonly keepRunningWaitEvent?: "cut-short" | "finish-block";
  /**
   * How a keep-running Wait's `MinimumWaitTimeSeconds` (which the live API requires beside `ContinueExecution`)
   * acts: `each-entry` (default) holds the contact in the block that long each time it enters, before
   * `Continue`; `not-applied` goes down `Continue` at once, as the emulator did before the parameter existed.
   * No AWS page describes the parameter; see docs/connect-emulator.md, "Points of doubt".
   */
  readonly keepRunningMinimumWait?: "each-entry" | "not-applied";
}

export interface CallOptions {
  readonly contactId?: string;
  /** Contact attributes the call starts with. */
  readonly attributes?: Readonly<Record<string, string>>;
  readonly customerNumber?: string;
  readonly systemNumber?: string;
  /** Overrides the emulator's `randomSeed` for this call. */
  readonly randomSeed?: number;
}

/**
 * `transferred`: the contact left the emulator's world (queue, agent, a flow not given); `emulator-error`: the
 * emulator could not go on (see `CallResult.emulatorError`).
 */
export type EndReason = "disconnected" | "hung-up" | "flow-ended" | "transferred" | "emulator-error";

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
  /** With `endReason` `transferred`: where the contact went. */
  readonly transfer?: {
    readonly destination: TransferDestination;
    readonly target: string;
    readonly text: string;
  };
  /** With `endReason` `emulator-error`: why the emulator stopped, and at which action. */
  readonly emulatorError?: {
    readonly code: EmulatorErrorCode;
    readonly message: string;
    readonly identifier?: string;
    readonly type?: string;
  };
}

export interface EmulatedCall {
  readonly contactId: string;
  /**
   * The flow stopped (disconnect, hang-up, end of the flow, a transfer out of the emulator's world). A flow or
   * setup bug does not reject it: the call ends with `endReason` `emulator-error` and the timeline so far.
   */
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
    assertRunnable(flow);
    this.contacts += 1;
    const contactId = options.contactId ?? syntheticId("c0ac7000", this.contacts);
    return new CallRun(this.options, flow, script, { ...options, contactId }).start();
  }
}

import type { FlowAction, FlowDocument } from "@holdline/contact-flow/flow-language";
import type { Clock } from "@holdline/domain/ports/clock.port";
import type { CallerTurn } from "./caller-script.ts";
import type { ConnectEmulatorOptions } from "./connect-emulator.ts";
import type { FlowData } from "./flow-data.ts";
import type { InvocationReport, LambdaInvoker } from "./lambda-invoker.ts";
import type { SpeechRates } from "./speech-timing.ts";
import type { Interval, TimelineEvent, TransferDestination } from "./timeline.ts";

/** Thrown out of a block's pause when the caller hangs up: the call stops. */
export class HangUp {
  readonly reason = "caller hung up";
}

/** Thrown out of a block's pause when an armed Wait fires: the block is cut short and the flow jumps. */
export class Interrupt {
  readonly reason = "interrupted by a wait event";
}

/** An asynchronous invocation, as Wait and LoadLambdaFunctionResult see it. */
export interface AsyncInvocation {
  /** Set once the invocation returned (success or failure). */
  report?: InvocationReport;
  /** Called when it returns. */
  readonly listeners: Set<() => void>;
}

/** A Wait with `ContinueExecution`, armed until its Lambda returns or its timeout passes. */
export interface ArmedWait {
  readonly timer: AbortController;
  /** Aborted when the wait's event (its Lambda returning, its time limit) fires. */
  readonly fired: AbortController;
  /** Epoch ms on the call's clock when the time limit passes. */
  readonly deadline: number;
  readonly stopListening: () => void;
}

/** Where the contact went when it left the emulator's world. */
export interface Transfer {
  readonly destination: TransferDestination;
  readonly target: string;
  readonly text: string;
}

/** Where an armed Wait sends the flow; the interpreter takes it before the next action. */
export interface PendingJump {
  readonly identifier: string;
  readonly type: string;
  readonly result: string;
  readonly target: string;
}

/**
 * What a block gets from the call it runs in: blocks keep no state of their own, so everything that lasts
 * for the contact (its data, loop counters, asynchronous invocations, armed waits) lives here.
 */
export interface CallContext {
  readonly options: ConnectEmulatorOptions;
  readonly clock: Clock;
  /** The contact's data, read and written by JSONPath: attributes, `$.External`, `$.Lex`, … */
  readonly data: FlowData;
  readonly speech: SpeechRates;
  /** The language prompts are spoken in: the contact's, else the voice's, else the default. */
  readonly locale: string;
  /** The voice's language, set by UpdateContactTextToSpeechVoice. */
  voiceLocale: string | undefined;

  /** Milliseconds since the call started: the timeline's time. */
  now(): number;
  /** Sleeps on the clock; throws `HangUp` or `Interrupt` if either comes first, or aborts with `wake`. */
  pause(ms: number, wake?: AbortSignal): Promise<void>;
  /** Settles with `work`, or throws `HangUp` or `Interrupt` the moment either comes. */
  untilInterrupted<T>(work: Promise<T>): Promise<T>;

  record(event: TimelineEvent): void;
  /** The caller hears a prompt, or is listened to, during `interval`: no silence there. */
  hear(interval: Interval): void;
  /** The caller's next scripted turn; undefined once the script is spent. */
  nextTurn(): CallerTurn | undefined;

  readonly invoker: LambdaInvoker;
  /** By invocation id, for the whole contact. */
  readonly asyncInvocations: Map<string, AsyncInvocation>;
  /** Keeps work that outlives its block until the call settles. */
  track(work: Promise<unknown>): void;
  newId(prefix: string): string;

  /** Loop counters by action identifier. */
  readonly loopCounters: Map<string, number>;
  /** Waits armed with `ContinueExecution`, by action identifier. */
  readonly armedWaits: Map<string, ArmedWait>;
  /** An armed Wait's jump is waiting for the running block to stop. */
  readonly jumpPending: boolean;
  /** Cuts the running block short (`Interrupt`) and sends the flow to `jump.target`. */
  jump(jump: PendingJump): void;
  /** DisconnectParticipant: the flow ends and the call ends as `disconnected`. */
  disconnect(): void;

  /** A seeded random number in [0, 1): the same seed gives the same rolls. */
  random(): number;
  /** The contact leaves the emulator's world (a queue, an agent, a flow not given): the call ends as `transferred`. */
  leave(action: FlowAction, transfer: Transfer): undefined;
  /** TransferToFlow: `flow` replaces the running flow (and any module); returns its start action. */
  enterFlow(action: FlowAction, name: string, flow: FlowDocument): string;
  /** InvokeFlowModule: runs `module`, then comes back to `action`; returns the module's start action. */
  enterModule(action: FlowAction, name: string, module: FlowDocument): string;
  /** EndFlowModuleExecution: back in the invoking flow; the InvokeFlowModule action, or undefined outside a module. */
  leaveModule(): FlowAction | undefined;
}

import type { FlowAction, FlowDocument } from "@holdline/contact-flow/flow-language";
import type { Clock } from "@holdline/domain/ports/clock.port";
import { untilAborted } from "@holdline/domain/until-aborted";
import { runBlock } from "./action-blocks.ts";
import {
  type ArmedWait,
  type AsyncInvocation,
  type CallContext,
  HangUp,
  Interrupt,
  type PendingJump,
  type Transfer,
} from "./call-context.ts";
import type { CallerScript, CallerTurn } from "./caller-script.ts";
import type {
  CallOptions,
  CallResult,
  ConnectEmulatorOptions,
  EmulatedCall,
  EndReason,
} from "./connect-emulator.ts";
import { EmulatorError } from "./emulator-errors.ts";
import type { FlowData } from "./flow-data.ts";
import { assertRunnable } from "./flow-structure.ts";
import { defaultInvocationLatency, LambdaInvoker } from "./lambda-invoker.ts";
import { seededRandom } from "./seeded-random.ts";
import { defaultSpeechRates, type SpeechRates } from "./speech-timing.ts";
import { findSilences, type Interval, longestSilence, type TimelineEvent } from "./timeline.ts";
import { disarmAll } from "./wait-block.ts";

/** `c0ac7000-0000-4000-8000-00000000000n`: readable, unique per emulator, valid UUID shape. */
export const syntheticId = (prefix: string, n: number) =>
  `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

/** A flow being run: the contact's flow, or a module it invoked (`caller` is the InvokeFlowModule action). */
interface Frame {
  readonly actions: ReadonlyMap<string, FlowAction>;
  readonly caller?: FlowAction;
}

const frameOf = (flow: FlowDocument, caller?: FlowAction): Frame => ({
  actions: new Map(flow.Actions.map((action) => [action.Identifier, action])),
  ...(caller === undefined ? {} : { caller }),
});

/**
 * One call: the interpreter that walks the flow action by action, and the context its blocks run in
 * (time, hang-up and interrupts, the contact's data, the timeline). Nothing a flow does makes it throw: a
 * flow or setup bug ends the call with an `emulator-error` event and the result so far.
 */
export class CallRun implements CallContext {
  readonly clock: Clock;
  readonly data: FlowData;
  readonly speech: SpeechRates;
  readonly invoker: LambdaInvoker;
  readonly asyncInvocations = new Map<string, AsyncInvocation>();
  readonly loopCounters = new Map<string, number>();
  readonly armedWaits = new Map<string, ArmedWait>();
  readonly random: () => number;
  voiceLocale: string | undefined;
  private frames: Frame[];
  private readonly events: TimelineEvent[] = [];
  private readonly heard: Interval[] = [];
  private readonly spans: (Interval & { identifier: string })[] = [];
  private readonly background = new Set<Promise<unknown>>();
  private readonly hungUp = new AbortController();
  private interrupt = new AbortController();
  private pendingJump: PendingJump | undefined;
  private readonly turns: CallerTurn[];
  private readonly startedAt: number;
  private endedAt: number | undefined;
  private endReason: EndReason = "flow-ended";
  private transfer: Transfer | undefined;
  private failure: CallResult["emulatorError"];
  private ids = 0;

  constructor(
    readonly options: ConnectEmulatorOptions,
    private readonly flow: FlowDocument,
    private readonly script: CallerScript,
    callOptions: CallOptions & { readonly contactId: string },
  ) {
    this.clock = options.clock;
    this.startedAt = this.clock.now();
    this.frames = [frameOf(flow)];
    this.turns = [...(script.turns ?? [])];
    this.speech = { ...defaultSpeechRates, ...options.speech };
    this.random = seededRandom(callOptions.randomSeed ?? options.randomSeed ?? 1);
    this.data = {
      ContactId: callOptions.contactId,
      InitialContactId: callOptions.contactId,
      Channel: "VOICE",
      InstanceARN:
        options.instanceArn ??
        "arn:aws:connect:ap-northeast-1:123456789012:instance/00000000-0000-4000-8000-00000000c0de",
      LanguageCode: "",
      CustomerEndpoint: { Address: callOptions.customerNumber ?? "+819000000000", Type: "TELEPHONE_NUMBER" },
      SystemEndpoint: { Address: callOptions.systemNumber ?? "+815000000000", Type: "TELEPHONE_NUMBER" },
      Attributes: { ...callOptions.attributes },
      FlowAttributes: {},
      External: {},
      Lex: { SessionAttributes: {}, Slots: {} },
      LambdaInvocation: {},
      MediaStreams: { Customer: { Audio: null } },
      Queue: null,
    };
    this.invoker = new LambdaInvoker({
      clock: this.clock,
      functions: options.functions,
      latency: { ...defaultInvocationLatency, ...options.latency },
      track: (work) => this.track(work),
      onLateResult: (late) => this.record({ kind: "background-result", at: this.now(), ...late }),
      relative: (epochMs) => epochMs - this.startedAt,
      newRequestId: () => this.newId("4e9e5700"),
    });
  }

  start(): EmulatedCall {
    const ended = this.run();
    const settled = ended.then(async () => {
      while (this.background.size > 0) await Promise.allSettled([...this.background]);
      return this.result();
    });
    ended.catch(() => undefined);
    settled.catch(() => undefined);
    return {
      contactId: this.data.ContactId,
      ended,
      settled,
      note: (source, line) => this.record({ kind: "note", at: this.now(), source, text: line }),
    };
  }

  // ── the interpreter ─────────────────────────────────────────────────────────────────────────────

  private async run(): Promise<CallResult> {
    this.record({ kind: "call-started", at: 0, contactId: this.data.ContactId });
    const hangUpTimer = new AbortController();
    if (this.script.hangUpAtMs !== undefined) {
      this.clock.sleep(this.script.hangUpAtMs, hangUpTimer.signal).then(
        () => this.hangUp(),
        () => undefined,
      );
    }
    let current: string | undefined = this.flow.StartAction;
    let steps = 0;
    let stalled = 0;
    let lastInstant = this.clock.now();
    try {
      while (current !== undefined && !this.hungUp.signal.aborted) {
        let action: FlowAction | undefined;
        try {
          if (this.pendingJump !== undefined) current = this.takeJump();
          action = this.frames.at(-1)?.actions.get(current);
          if (action === undefined)
            throw new EmulatorError("unknown_action", `no action "${current}" in the flow`);
          steps += 1;
          stalled = this.clock.now() === lastInstant ? stalled + 1 : 0;
          lastInstant = this.clock.now();
          if (stalled > 1_000 || steps > 50_000) {
            throw new EmulatorError(
              "flow_spins",
              `the flow keeps running actions without time passing (at "${current}")`,
            );
          }
          current = await this.step(action);
        } catch (error) {
          this.fail(error, action);
          current = undefined;
        }
      }
    } finally {
      hangUpTimer.abort();
      disarmAll(this);
      this.endedAt = this.now();
    }
    return this.result();
  }

  /** Runs one action; a hang-up or an armed Wait's jump cutting it short is not an error. */
  private async step(action: FlowAction): Promise<string | undefined> {
    const spanStart = this.now();
    try {
      return await runBlock(action, this);
    } catch (error) {
      if (error instanceof Interrupt || (error instanceof HangUp && this.hungUp.signal.aborted)) {
        return this.pendingJump === undefined ? undefined : action.Identifier;
      }
      throw error;
    } finally {
      this.spans.push({ identifier: action.Identifier, start: spanStart, end: this.now() });
    }
  }

  /** The emulator cannot go on: the call ends here with what it knows, never by throwing the timeline away. */
  private fail(error: unknown, action: FlowAction | undefined) {
    const where = action === undefined ? {} : { identifier: action.Identifier, type: action.Type };
    this.failure =
      error instanceof EmulatorError
        ? { code: error.code, message: error.message, ...where }
        : {
            code: "internal_error",
            message: `the emulator failed running ${action === undefined ? "the flow" : `action "${action.Identifier}" (${action.Type})`}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
            ...where,
          };
    this.endReason = "emulator-error";
    this.record({ kind: "emulator-error", at: this.now(), ...this.failure });
  }

  private takeJump(): string {
    const jump = this.pendingJump!;
    this.pendingJump = undefined;
    this.interrupt = new AbortController();
    this.record({
      kind: "branch",
      at: this.now(),
      identifier: jump.identifier,
      type: jump.type,
      result: jump.result,
    });
    return jump.target;
  }

  // ── the context blocks run in ──────────────────────────────────────────────────────────────────

  get locale(): string {
    return this.data.LanguageCode || this.voiceLocale || (this.options.defaultLocale ?? "en-US");
  }

  get jumpPending(): boolean {
    return this.pendingJump !== undefined;
  }

  jump(jump: PendingJump): void {
    this.pendingJump = jump;
    if (this.options.keepRunningWaitEvent !== "finish-block") this.interrupt.abort(new Interrupt());
  }

  disconnect(): void {
    this.endReason = "disconnected";
  }

  leave(action: FlowAction, transfer: Transfer): undefined {
    this.transfer = transfer;
    this.endReason = "transferred";
    this.record({
      kind: "transfer",
      at: this.now(),
      identifier: action.Identifier,
      type: action.Type,
      ...transfer,
    });
    return undefined;
  }

  enterFlow(action: FlowAction, name: string, flow: FlowDocument): string {
    assertRunnable(flow, `flow ${name}`);
    disarmAll(this);
    this.frames = [frameOf(flow)];
    this.data.FlowAttributes = {};
    this.recordBranch(action, `runs flow ${name}`);
    return flow.StartAction;
  }

  enterModule(action: FlowAction, name: string, module: FlowDocument): string {
    assertRunnable(module, `flow module ${name}`);
    this.frames.push(frameOf(module, action));
    this.recordBranch(action, `runs module ${name}`);
    return module.StartAction;
  }

  leaveModule(): FlowAction | undefined {
    if (this.frames.length <= 1) return undefined;
    return this.frames.pop()?.caller;
  }

  now(): number {
    return this.clock.now() - this.startedAt;
  }

  newId(prefix: string): string {
    this.ids += 1;
    return syntheticId(prefix, this.ids);
  }

  track(work: Promise<unknown>): void {
    const tracked = work.finally(() => this.background.delete(tracked));
    tracked.catch(() => undefined);
    this.background.add(tracked);
  }

  async pause(ms: number, wake?: AbortSignal): Promise<void> {
    await this.clock.sleep(Math.max(0, ms), this.signal(wake));
  }

  untilInterrupted<T>(work: Promise<T>): Promise<T> {
    return untilAborted(work, this.signal());
  }

  record(event: TimelineEvent): void {
    this.events.push(event);
  }

  hear(interval: Interval): void {
    this.heard.push(interval);
  }

  nextTurn(): CallerTurn | undefined {
    return this.turns.shift();
  }

  // ── hang-up, results ───────────────────────────────────────────────────────────────────────────

  private recordBranch(action: FlowAction, result: string) {
    this.record({ kind: "branch", at: this.now(), identifier: action.Identifier, type: action.Type, result });
  }

  /** The call's hang-up and the current interrupt, plus a block's own `extra` wake-up. */
  private signal(extra?: AbortSignal): AbortSignal {
    return AbortSignal.any([
      this.hungUp.signal,
      this.interrupt.signal,
      ...(extra === undefined ? [] : [extra]),
    ]);
  }

  private hangUp() {
    if (this.endedAt !== undefined || this.hungUp.signal.aborted) return;
    this.endReason = "hung-up";
    this.record({ kind: "hang-up", at: this.now() });
    this.hungUp.abort(new HangUp());
  }

  private result(): CallResult {
    const end = this.endedAt ?? this.now();
    const silences = findSilences(end, this.heard, this.spans);
    const timeline = [
      ...this.events,
      ...silences.map((silence): TimelineEvent => ({ kind: "silence", ...silence })),
    ].sort((a, b) => a.at - b.at);
    return {
      contactId: this.data.ContactId,
      startedAt: this.startedAt,
      durationMs: end,
      endReason: this.endReason,
      timeline,
      silences,
      longestSilence: longestSilence(silences),
      attributes: { ...this.data.Attributes },
      ...(this.transfer === undefined ? {} : { transfer: this.transfer }),
      ...(this.failure === undefined ? {} : { emulatorError: this.failure }),
    };
  }
}

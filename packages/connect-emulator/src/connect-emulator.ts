import type { FlowAction, FlowDocument } from "@holdline/contact-flow/flow-language";
import { simulateHoldlineBot } from "@holdline/contact-flow/holdline/lex-bot-simulation";
import { validateFlow } from "@holdline/contact-flow/validate-flow";
import type { Clock } from "@holdline/domain/ports/clock.port";
import type { ConnectContactFlowEvent } from "aws-lambda";
import type { CallerScript, CallerTurn } from "./caller-script.ts";
import { EmulatorError, LexTurnFailedError } from "./emulator-errors.ts";
import { type FlowData, interpolate, resolveMap, resolveValue } from "./flow-data.ts";
import { functionName, type LambdaFunctions } from "./lambda-function.ts";
import {
  CONNECT_LAMBDA_LIMITS,
  defaultInvocationLatency,
  type InvocationLatency,
  type InvocationReport,
  LambdaInvoker,
} from "./lambda-invoker.ts";
import { defaultSpeechRates, estimateSpeechMs, type SpeechRates, speechSegments } from "./speech-timing.ts";
import { findSilences, type Interval, longestSilence, type Silence, type TimelineEvent } from "./timeline.ts";

export interface LexRequest {
  readonly utterance: string;
  /** The contact's language (`ja-JP`); Connect talks to the bot locale of that language. */
  readonly locale: string;
  readonly botAliasArn: string;
  /** `LexSessionAttributes` of the block, resolved. */
  readonly sessionAttributes: Readonly<Record<string, string>>;
  /** The contact, which Connect uses as the Lex session. */
  readonly contactId?: string;
  /** The caller turn's transcription confidence, when the script gives one. */
  readonly confidence?: number;
}

export interface LexResponse {
  readonly intent: string;
  readonly sessionAttributes?: Readonly<Record<string, string>>;
  readonly slots?: Readonly<Record<string, string>>;
}

/** Stands in for Lex V2: an utterance in, the recognised intent and session attributes out. */
export type LexSimulator = (request: LexRequest) => LexResponse | Promise<LexResponse>;

export interface ConnectEmulatorOptions {
  /** `ManualClock` for tests (virtual time), `SystemClock` for a real-time demo. */
  readonly clock: Clock;
  /** Local handlers by the Lambda ARN the flow invokes. */
  readonly functions: LambdaFunctions;
  /**
   * Default: Holdline's bot (`simulateHoldlineBot`). `lexCodeHookBot(handler)` runs a real Lex V2 code hook.
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

const syntheticId = (prefix: string, n: number) =>
  `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;

class HangUp {
  readonly reason = "caller hung up";
}
class Interrupt {
  readonly reason = "interrupted by a wait event";
}

interface AsyncInvocation {
  report?: InvocationReport;
  readonly listeners: Set<() => void>;
}

interface ArmedWait {
  readonly timer: AbortController;
  readonly stopListening: () => void;
}

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

const isTrue = (value: unknown) => typeof value === "string" && value.toLowerCase() === "true";
const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

class CallRun {
  private readonly clock: Clock;
  private readonly actions: ReadonlyMap<string, FlowAction>;
  private readonly data: FlowData;
  private readonly events: TimelineEvent[] = [];
  private readonly heard: Interval[] = [];
  private readonly spans: (Interval & { identifier: string })[] = [];
  private readonly background = new Set<Promise<unknown>>();
  private readonly loopCounters = new Map<string, number>();
  private readonly asyncInvocations = new Map<string, AsyncInvocation>();
  private readonly armed = new Map<string, ArmedWait>();
  private readonly invoker: LambdaInvoker;
  private readonly speech: SpeechRates;
  private readonly call = new AbortController();
  private interrupt = new AbortController();
  private pendingJump:
    | { readonly identifier: string; readonly type: string; readonly result: string; readonly target: string }
    | undefined;
  private turns: CallerTurn[];
  private readonly startedAt: number;
  private endedAt: number | undefined;
  private endReason: EndReason = "flow-ended";
  private voiceLocale: string | undefined;
  private ids = 0;

  constructor(
    private readonly options: ConnectEmulatorOptions,
    private readonly flow: FlowDocument,
    private readonly script: CallerScript,
    callOptions: CallOptions & { readonly contactId: string },
  ) {
    this.clock = options.clock;
    this.startedAt = this.clock.now();
    this.actions = new Map(flow.Actions.map((action) => [action.Identifier, action]));
    this.turns = [...(script.turns ?? [])];
    this.speech = { ...defaultSpeechRates, ...options.speech };
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
      External: {},
      Lex: { SessionAttributes: {}, Slots: {} },
      LambdaInvocation: {},
      MediaStreams: { Customer: { Audio: null } },
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
      while (current !== undefined && !this.call.signal.aborted) {
        if (this.pendingJump !== undefined) current = this.takeJump();
        const action = this.actions.get(current);
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
        const spanStart = this.now();
        try {
          current = await this.execute(action);
        } catch (error) {
          if (error instanceof Interrupt || (error instanceof HangUp && this.call.signal.aborted)) {
            current = this.pendingJump === undefined ? undefined : action.Identifier;
          } else {
            throw error;
          }
        } finally {
          this.spans.push({ identifier: action.Identifier, start: spanStart, end: this.now() });
        }
      }
    } finally {
      hangUpTimer.abort();
      for (const identifier of [...this.armed.keys()]) this.disarm(identifier);
      this.endedAt = this.now();
    }
    return this.result();
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

  private execute(action: FlowAction): Promise<string | undefined> | string | undefined {
    switch (action.Type) {
      case "UpdateFlowLoggingBehavior":
        return this.setting(action, "flow logging", text(action.Parameters.FlowLoggingBehavior) ?? "");
      case "UpdateContactTextToSpeechVoice": {
        const voice = text(action.Parameters.TextToSpeechVoice) ?? "";
        this.voiceLocale = VOICE_LOCALES[voice] ?? this.voiceLocale;
        const engine = text(action.Parameters.TextToSpeechEngine);
        return this.setting(action, "voice", engine === undefined ? voice : `${voice} (${engine})`);
      }
      case "UpdateContactData":
        return this.updateContactData(action);
      case "UpdateContactMediaStreamingBehavior":
        return this.mediaStreaming(action);
      case "UpdateContactAttributes":
        return this.updateAttributes(action);
      case "MessageParticipant":
        return this.messageParticipant(action);
      case "GetParticipantInput":
        return this.getParticipantInput(action);
      case "ConnectParticipantWithLexBot":
        return this.lexBot(action);
      case "InvokeLambdaFunction":
        return this.invokeLambda(action);
      case "LoadLambdaFunctionResult":
        return this.loadLambdaResult(action);
      case "Compare":
        return this.compare(action);
      case "Loop":
        return this.loop(action);
      case "Wait":
        return this.wait(action);
      case "DisconnectParticipant":
        this.record({ kind: "disconnect", at: this.now(), identifier: action.Identifier });
        this.endReason = "disconnected";
        return undefined;
      default:
        throw new EmulatorError(
          "unsupported_action",
          `action "${action.Identifier}" has type "${action.Type}", which the emulator does not run`,
        );
    }
  }

  // ── settings ────────────────────────────────────────────────────────────────────────────────────

  private setting(action: FlowAction, name: string, value: string): string | undefined {
    this.record({ kind: "setting", at: this.now(), identifier: action.Identifier, name, value });
    return action.Transitions.NextAction;
  }

  private updateContactData(action: FlowAction): string | undefined {
    const language = text(action.Parameters.LanguageCode);
    if (language !== undefined) this.data.LanguageCode = resolveValue(this.data, language);
    const changed = Object.entries(action.Parameters)
      .map(
        ([key, value]) =>
          `${key}=${typeof value === "string" ? resolveValue(this.data, value) : JSON.stringify(value)}`,
      )
      .join(", ");
    return this.setting(action, "contact data", changed);
  }

  private mediaStreaming(action: FlowAction): string | undefined {
    const state = text(action.Parameters.MediaStreamingState) ?? "";
    this.data.MediaStreams.Customer.Audio =
      state === "Enabled"
        ? {
            StartFragmentNumber: "91343852333181432392682062622220590765191907586",
            StartTimestamp: String(this.clock.now()),
            StreamARN: `${this.data.InstanceARN.replace(":connect:", ":kinesisvideo:")}/stream/emulated`,
          }
        : null;
    return this.setting(action, "media streaming", `${state} (recorded, no audio)`);
  }

  private updateAttributes(action: FlowAction): string | undefined {
    const changes = resolveMap(this.data, action.Parameters.Attributes);
    const next = { ...this.data.Attributes, ...changes };
    if (Buffer.byteLength(JSON.stringify(next), "utf8") > 32_768)
      return this.errorBranch(action, "NoMatchingError");
    this.data.Attributes = next;
    this.record({ kind: "attributes", at: this.now(), identifier: action.Identifier, attributes: changes });
    return action.Transitions.NextAction;
  }

  // ── what the caller hears and says ─────────────────────────────────────────────────────────────

  private get locale(): string {
    return this.data.LanguageCode || this.voiceLocale || (this.options.defaultLocale ?? "en-US");
  }

  private async messageParticipant(action: FlowAction): Promise<string | undefined> {
    await this.playPrompt(action);
    return action.Transitions.NextAction;
  }

  /** Plays the action's Text, SSML or PromptId, if any; the caller hears it (SSML breaks are silence). */
  private async playPrompt(action: FlowAction): Promise<void> {
    const parameters = action.Parameters;
    const promptId = text(parameters.PromptId);
    const spoken = text(parameters.Text);
    const ssml = text(parameters.SSML);
    const segments =
      promptId !== undefined
        ? [
            {
              kind: "speech" as const,
              durationMs: this.promptMs(resolveValue(this.data, promptId)),
              text: `[prompt ${promptId.split("/").pop()}]`,
            },
          ]
        : spoken !== undefined
          ? speechSegments({ text: interpolate(this.data, spoken) }, this.locale, this.speech)
          : ssml !== undefined
            ? speechSegments({ ssml: interpolate(this.data, ssml) }, this.locale, this.speech)
            : [];
    if (segments.length === 0) return;
    const at = this.now();
    const said = segments
      .filter((segment) => segment.kind === "speech")
      .map((segment) => segment.text)
      .join(" … ");
    let interrupted = true;
    try {
      for (const segment of segments) {
        const start = this.now();
        try {
          await this.pause(segment.durationMs);
        } finally {
          if (segment.kind === "speech") this.heard.push({ start, end: this.now() });
        }
      }
      interrupted = false;
    } finally {
      this.record({
        kind: "prompt",
        at,
        endAt: this.now(),
        identifier: action.Identifier,
        text: said,
        interrupted,
      });
    }
  }

  private promptMs(promptId: string): number {
    const durations = this.options.promptDurationsMs ?? {};
    return (
      durations[promptId] ??
      durations[promptId.split("/").pop() ?? ""] ??
      this.options.defaultPromptMs ??
      1_000
    );
  }

  /** Waits for the caller's next turn within `limitMs`; returns it, or undefined on a timeout. */
  private async listen(
    action: FlowAction,
    limitMs: number,
    responseMs: (turn: CallerTurn) => number | undefined,
  ) {
    const start = this.now();
    const turn = this.turns.shift();
    const needed = turn === undefined ? undefined : responseMs(turn);
    try {
      if (turn === undefined || needed === undefined || needed > limitMs) {
        await this.pause(limitMs);
        this.record({ kind: "input-timeout", at: this.now(), identifier: action.Identifier });
        return undefined;
      }
      await this.pause(needed);
      return turn;
    } finally {
      this.heard.push({ start, end: this.now() });
    }
  }

  private async getParticipantInput(action: FlowAction): Promise<string | undefined> {
    await this.playPrompt(action);
    const limitMs = Number(text(action.Parameters.InputTimeLimitSeconds) ?? "5") * 1_000;
    const keyMs = this.options.dtmfKeyMs ?? 200;
    const turn = await this.listen(action, limitMs, (candidate) =>
      candidate.press === undefined
        ? undefined
        : (candidate.afterMs ?? 0) +
          (candidate.say === undefined ? 0 : estimateSpeechMs(candidate.say, this.locale, this.speech)) +
          candidate.press.length * keyMs,
    );
    const storing = isTrue(action.Parameters.StoreInput);
    if (turn?.press === undefined) {
      if (!storing) return this.errorBranch(action, "InputTimeLimitExceeded");
      this.data.StoredCustomerInput = "Timeout";
      return action.Transitions.NextAction;
    }
    if (turn.say !== undefined) {
      this.record({
        kind: "caller-input",
        at: this.now(),
        identifier: action.Identifier,
        mode: "speech",
        value: turn.say,
      });
    }
    this.record({
      kind: "caller-input",
      at: this.now(),
      identifier: action.Identifier,
      mode: "dtmf",
      value: turn.press,
    });
    if (storing) {
      this.data.StoredCustomerInput = turn.press;
      return action.Transitions.NextAction;
    }
    return this.conditionOrError(action, turn.press, "NoMatchingCondition");
  }

  private async lexBot(action: FlowAction): Promise<string | undefined> {
    await this.playPrompt(action);
    const limitMs = this.options.lexNoInputTimeoutMs ?? 5_000;
    const turn = await this.listen(action, limitMs, (candidate) =>
      candidate.say === undefined
        ? undefined
        : (candidate.afterMs ?? 0) + estimateSpeechMs(candidate.say, this.locale, this.speech),
    );
    if (turn?.say === undefined) return this.errorBranch(action, "InputTimeLimitExceeded");
    this.record({
      kind: "caller-input",
      at: this.now(),
      identifier: action.Identifier,
      mode: "speech",
      value: turn.say,
    });
    await this.pause(this.options.lexProcessingMs ?? 300);
    const lex =
      this.options.lex ?? ((request: LexRequest) => simulateHoldlineBot(request.utterance, request.locale));
    let response: LexResponse;
    try {
      response =
        turn.intent !== undefined
          ? { intent: turn.intent, sessionAttributes: turn.sessionAttributes ?? {} }
          : await lex({
              utterance: turn.say,
              locale: this.locale,
              botAliasArn: text(record(action.Parameters.LexV2Bot).AliasArn) ?? "",
              sessionAttributes: resolveMap(this.data, action.Parameters.LexSessionAttributes),
              contactId: this.data.ContactId,
              ...(turn.confidence === undefined ? {} : { confidence: turn.confidence }),
            });
    } catch (error) {
      if (!(error instanceof LexTurnFailedError)) throw error;
      this.record({ kind: "note", at: this.now(), source: "lex", text: error.message });
      return this.errorBranch(action, "NoMatchingError");
    }
    this.data.Lex = {
      IntentName: response.intent,
      SessionAttributes: { ...response.sessionAttributes },
      Slots: { ...response.slots },
    };
    this.record({
      kind: "lex",
      at: this.now(),
      identifier: action.Identifier,
      intent: response.intent,
      sessionAttributes: this.data.Lex.SessionAttributes,
    });
    const matched = this.matchCondition(action, response.intent);
    if (matched !== undefined) return matched;
    return this.errorTarget(action, "NoMatchingCondition") ?? action.Transitions.NextAction;
  }

  // ── Lambda ─────────────────────────────────────────────────────────────────────────────────────

  private buildEvent(parameters: Record<string, string>): ConnectContactFlowEvent {
    return {
      Details: {
        ContactData: {
          Attributes: { ...this.data.Attributes },
          Channel: "VOICE",
          ContactId: this.data.ContactId,
          CustomerEndpoint: { ...this.data.CustomerEndpoint },
          InitialContactId: this.data.InitialContactId,
          InitiationMethod: "INBOUND",
          InstanceARN: this.data.InstanceARN,
          PreviousContactId: this.data.ContactId,
          Queue: null,
          SystemEndpoint: { ...this.data.SystemEndpoint },
          MediaStreams: { Customer: { Audio: this.data.MediaStreams.Customer.Audio } },
          ...(this.data.LanguageCode === "" ? {} : { LanguageCode: this.data.LanguageCode }),
        },
        Parameters: parameters,
      },
      Name: "ContactFlowEvent",
    };
  }

  private async invokeLambda(action: FlowAction): Promise<string | undefined> {
    const parameters = action.Parameters;
    const mode = text(parameters.InvocationType) === "ASYNCHRONOUS" ? "ASYNCHRONOUS" : "SYNCHRONOUS";
    const maxSeconds =
      mode === "ASYNCHRONOUS"
        ? CONNECT_LAMBDA_LIMITS.maxAsyncTimeLimitSeconds
        : CONNECT_LAMBDA_LIMITS.maxSyncTimeLimitSeconds;
    const limitSeconds = Math.min(maxSeconds, Number(text(parameters.InvocationTimeLimitSeconds) ?? "3"));
    const functionArn = resolveValue(this.data, text(parameters.LambdaFunctionARN) ?? "");
    const responseType =
      text(record(parameters.ResponseValidation).ResponseType) === "JSON" ? "JSON" : "STRING_MAP";
    const invocationId = this.newId("a5c1e000");
    const request = {
      invocationId,
      functionArn,
      mode,
      limitMs: limitSeconds * 1_000,
      responseType,
      event: this.buildEvent(resolveMap(this.data, parameters.LambdaInvocationAttributes)),
    } as const;
    const at = this.now();
    const name = functionName(functionArn);
    this.invoker.assertHandler(functionArn);

    if (mode === "ASYNCHRONOUS") {
      const pending: AsyncInvocation = { listeners: new Set() };
      this.asyncInvocations.set(invocationId, pending);
      const work = this.invoker.invoke(request).then((report) => {
        pending.report = report;
        this.record({
          kind: "async-result",
          at: this.now(),
          invocationId,
          functionName: name,
          outcome: report.outcome,
        });
        for (const listener of [...pending.listeners]) listener();
      });
      this.track(work);
      this.data.LambdaInvocation = { InvocationId: invocationId };
      this.record({
        kind: "invocation",
        at,
        endAt: at,
        identifier: action.Identifier,
        invocationId,
        functionName: name,
        mode,
        outcome: { status: "dispatched" },
        attempts: [],
      });
      return action.Transitions.NextAction;
    }

    const invocation = this.invoker.invoke(request);
    // Recorded when the invocation ends, even if the flow stopped waiting (hang-up, interrupting event).
    this.track(
      invocation.then((done) =>
        this.record({
          kind: "invocation",
          at,
          endAt: this.now(),
          identifier: action.Identifier,
          invocationId,
          functionName: name,
          mode,
          outcome: done.outcome,
          attempts: done.attempts,
        }),
      ),
    );
    const report = await this.untilInterrupted(invocation);
    if (report.outcome.status === "success") {
      this.data.External = report.outcome.response;
      return action.Transitions.NextAction;
    }
    this.data.External = {};
    return this.errorBranch(action, "NoMatchingError");
  }

  private loadLambdaResult(action: FlowAction): string | undefined {
    const path = text(action.Parameters.InvocationId) ?? "$.LambdaInvocation.InvocationId";
    const invocationId = resolveValue(this.data, path) || this.data.LambdaInvocation.InvocationId || "";
    const invocation = this.asyncInvocations.get(invocationId);
    const result =
      invocation === undefined
        ? "unknown invocation"
        : invocation.report === undefined
          ? "InProgress"
          : invocation.report.outcome.status;
    this.record({ kind: "branch", at: this.now(), identifier: action.Identifier, type: action.Type, result });
    if (invocation?.report === undefined) {
      return this.errorBranch(action, invocation === undefined ? "NoMatchingError" : "InProgress");
    }
    if (invocation.report.outcome.status === "success") {
      this.data.External = invocation.report.outcome.response;
      return action.Transitions.NextAction;
    }
    this.data.External = {};
    return this.errorBranch(action, "NoMatchingError");
  }

  // ── flow control ───────────────────────────────────────────────────────────────────────────────

  private compare(action: FlowAction): string | undefined {
    const value = resolveValue(this.data, text(action.Parameters.ComparisonValue) ?? "");
    const target = this.matchCondition(action, value);
    this.record({
      kind: "branch",
      at: this.now(),
      identifier: action.Identifier,
      type: action.Type,
      result: `${text(action.Parameters.ComparisonValue)} = ${JSON.stringify(value)}${target === undefined ? " (no match)" : ""}`,
    });
    return target ?? this.errorBranch(action, "NoMatchingCondition");
  }

  private loop(action: FlowAction): string | undefined {
    const count = Number(resolveValue(this.data, text(action.Parameters.LoopCount) ?? ""));
    if (!Number.isInteger(count) || count < 0) return this.errorBranch(action, "NoMatchingError");
    const done = this.loopCounters.get(action.Identifier) ?? 0;
    const again = done < count;
    this.loopCounters.set(action.Identifier, again ? done + 1 : 0);
    const result = again ? "ContinueLooping" : "DoneLooping";
    this.record({
      kind: "branch",
      at: this.now(),
      identifier: action.Identifier,
      type: action.Type,
      result: again ? `${result} (${done + 1} of ${count})` : result,
    });
    return this.conditionOrError(action, result, "NoMatchingError");
  }

  /**
   * Wait with an event (a Lambda returning): taken at once if the event already happened. With
   * ContinueExecution the contact goes down `Continue` and the wait stays armed: when the Lambda returns or
   * the timeout passes, whatever the Continue branch is doing (a filler prompt) is cut short and the flow
   * jumps to that branch. Entering the armed block again goes down `Continue` again.
   */
  private async wait(action: FlowAction): Promise<string | undefined> {
    const parameters = action.Parameters;
    const timeoutMs = Number(resolveValue(this.data, text(parameters.TimeoutSeconds) ?? "")) * 1_000;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) return this.errorBranch(action, "NoMatchingError");
    const lambdaEvent = record(
      record(record(parameters.InterruptibleEvents).LambdaReturned).AsyncLambdaCompletionEvent,
    );
    const idPath = text(lambdaEvent.Identifier);
    const invocation =
      idPath === undefined ? undefined : this.asyncInvocations.get(resolveValue(this.data, idPath));
    const branch = (result: string) => {
      this.record({
        kind: "branch",
        at: this.now(),
        identifier: action.Identifier,
        type: action.Type,
        result,
      });
      return this.conditionOrError(action, result, "NoMatchingError");
    };

    if (invocation?.report !== undefined) {
      this.disarm(action.Identifier);
      return branch("LambdaReturned");
    }
    if (isTrue(parameters.ContinueExecution)) {
      if (!this.armed.has(action.Identifier)) this.arm(action, timeoutMs, invocation);
      return branch("Continue");
    }
    const woken = new AbortController();
    const wake = () => woken.abort();
    invocation?.listeners.add(wake);
    try {
      await this.pause(timeoutMs, woken.signal);
      return branch("WaitCompleted");
    } catch (error) {
      if (woken.signal.aborted && !(error instanceof HangUp) && !(error instanceof Interrupt))
        return branch("LambdaReturned");
      throw error;
    } finally {
      invocation?.listeners.delete(wake);
    }
  }

  private arm(action: FlowAction, timeoutMs: number, invocation: AsyncInvocation | undefined) {
    const timer = new AbortController();
    const fire = (result: "LambdaReturned" | "WaitCompleted") => {
      if (this.armed.get(action.Identifier) !== armed || this.pendingJump !== undefined) return;
      this.disarm(action.Identifier);
      const target = this.matchCondition(action, result) ?? this.errorTarget(action, "NoMatchingError");
      if (target === undefined) return;
      this.pendingJump = { identifier: action.Identifier, type: action.Type, result, target };
      this.interrupt.abort(new Interrupt());
    };
    const onReturn = () => fire("LambdaReturned");
    invocation?.listeners.add(onReturn);
    const armed: ArmedWait = { timer, stopListening: () => invocation?.listeners.delete(onReturn) };
    this.armed.set(action.Identifier, armed);
    this.clock.sleep(timeoutMs, timer.signal).then(
      () => fire("WaitCompleted"),
      () => undefined,
    );
  }

  private disarm(identifier: string) {
    const armed = this.armed.get(identifier);
    if (armed === undefined) return;
    this.armed.delete(identifier);
    armed.timer.abort();
    armed.stopListening();
  }

  // ── branches ───────────────────────────────────────────────────────────────────────────────────

  private matchCondition(action: FlowAction, value: string): string | undefined {
    for (const condition of action.Transitions.Conditions ?? []) {
      const { Operator, Operands } = condition.Condition;
      if (Operands.some((operand) => matches(Operator, operand, value))) return condition.NextAction;
    }
    return undefined;
  }

  private conditionOrError(action: FlowAction, value: string, errorType: string): string | undefined {
    return this.matchCondition(action, value) ?? this.errorBranch(action, errorType);
  }

  private errorTarget(action: FlowAction, errorType: string): string | undefined {
    const errors = action.Transitions.Errors ?? [];
    return (
      errors.find((error) => error.ErrorType === errorType)?.NextAction ??
      errors.find((error) => error.ErrorType === "NoMatchingError")?.NextAction
    );
  }

  /** Connect falls back to the NoMatchingError branch; a flow with neither cannot go on. */
  private errorBranch(action: FlowAction, errorType: string): string {
    const target = this.errorTarget(action, errorType);
    if (target === undefined) {
      throw new EmulatorError(
        "missing_branch",
        `action "${action.Identifier}" (${action.Type}) raised ${errorType} and has no branch for it`,
      );
    }
    return target;
  }

  // ── time, hang-up, results ─────────────────────────────────────────────────────────────────────

  private now(): number {
    return this.clock.now() - this.startedAt;
  }

  private newId(prefix: string): string {
    this.ids += 1;
    return syntheticId(prefix, this.ids);
  }

  private track(work: Promise<unknown>) {
    const tracked = work.finally(() => this.background.delete(tracked));
    tracked.catch(() => undefined);
    this.background.add(tracked);
  }

  private signal(extra?: AbortSignal): AbortSignal {
    return AbortSignal.any([
      this.call.signal,
      this.interrupt.signal,
      ...(extra === undefined ? [] : [extra]),
    ]);
  }

  /** Sleeps on the clock; throws `HangUp` or `Interrupt` if either comes first. */
  private async pause(ms: number, extra?: AbortSignal): Promise<void> {
    await this.clock.sleep(Math.max(0, ms), this.signal(extra));
  }

  private untilInterrupted<T>(work: Promise<T>): Promise<T> {
    const signal = this.signal();
    return new Promise<T>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
      work.then(
        (value) => {
          signal.removeEventListener("abort", onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      );
    });
  }

  private hangUp() {
    if (this.endedAt !== undefined || this.call.signal.aborted) return;
    this.endReason = "hung-up";
    this.record({ kind: "hang-up", at: this.now() });
    this.call.abort(new HangUp());
  }

  private record(event: TimelineEvent) {
    this.events.push(event);
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
    };
  }
}

function matches(operator: string, operand: string, value: string): boolean {
  const numbers = () => {
    const left = Number(value);
    const right = Number(operand);
    return value.trim() !== "" && operand.trim() !== "" && Number.isFinite(left) && Number.isFinite(right)
      ? ([left, right] as const)
      : undefined;
  };
  switch (operator) {
    case "Equals":
      return value === operand;
    case "TextContains":
      return value.includes(operand);
    case "TextStartsWith":
      return value.startsWith(operand);
    case "TextEndsWith":
      return value.endsWith(operand);
    case "NumberGreaterThan": {
      const pair = numbers();
      return pair !== undefined && pair[0] > pair[1];
    }
    case "NumberGreaterOrEqualTo": {
      const pair = numbers();
      return pair !== undefined && pair[0] >= pair[1];
    }
    case "NumberLessThan": {
      const pair = numbers();
      return pair !== undefined && pair[0] < pair[1];
    }
    case "NumberLessOrEqualTo": {
      const pair = numbers();
      return pair !== undefined && pair[0] <= pair[1];
    }
    default:
      return false;
  }
}

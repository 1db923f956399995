import { randomUUID } from "node:crypto";
import type { createServer, IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { listenOnLoopback, PendingTimers } from "./loopback.ts";

/** One text the stub accepted (answered with a `MessageId`), as the service would have queued it. */
export interface RecordedText {
  readonly messageId: string;
  /** `DestinationPhoneNumber`, as received. */
  readonly to: string;
  /** `MessageBody`, as received. */
  readonly body: string;
  readonly originationIdentity: string | undefined;
  readonly messageType: string | undefined;
  readonly configurationSetName: string | undefined;
  /** `Context`, as received (the service logs it to the event destinations). */
  readonly context: Readonly<Record<string, string>> | undefined;
  /** The stub's clock (`now`) when it accepted the text. */
  readonly at: number;
}

/** How the stub ended one request. */
export type SmsRequestOutcome =
  | "accepted"
  /** Refused by the stub's own validation (an invalid number, a missing field, a body over the limit…). */
  | "invalid"
  /** Refused by a scripted error fault. */
  | "faulted"
  /** The connection was dropped on purpose (a `drop` fault). */
  | "dropped"
  /** A `hang` fault: read and never answered. */
  | "hung"
  /** Not a request the stub knows (another operation, bad JSON). */
  | "unknown"
  | "pending";

/** Every request the stub received, in order, whatever became of it. */
export interface ReceivedSmsRequest {
  /** `X-Amz-Target` (`PinpointSMSVoiceV2.SendTextMessage`). */
  readonly target: string | undefined;
  readonly headers: IncomingHttpHeaders;
  /** The raw JSON body. */
  readonly body: string;
  /** The fault applied, if any. */
  readonly fault: SmsFault | undefined;
  outcome: SmsRequestOutcome;
  /** Whether the client was still there to read the answer (false for a client that timed out first). */
  answered: boolean;
}

/** The errors SendTextMessage can answer with (the SDK's error classes for this service). */
export type SmsErrorType =
  | "ThrottlingException"
  | "InternalServerException"
  | "ValidationException"
  | "ConflictException"
  | "ResourceNotFoundException"
  | "AccessDeniedException"
  | "ServiceQuotaExceededException";

/** What the stub does to one request instead of (or before) answering it normally. */
export type SmsFault =
  /**
   * Answer with the service's error: HTTP 500 for `InternalServerException`, 400 otherwise (`status`
   * overrides it), the error's `Message`, and `Reason` (ValidationException, ConflictException,
   * AccessDeniedException, ServiceQuotaExceededException) where given.
   */
  | {
      readonly kind: "error";
      readonly type: SmsErrorType;
      readonly reason?: string;
      readonly message?: string;
      readonly status?: number;
    }
  /**
   * Process the request normally (validate, accept and record it) only after `delayMs`. A client that times
   * out meanwhile never reads the `MessageId`, but the text counts as sent — the case where the sender cannot
   * know whether it went.
   */
  | { readonly kind: "slow"; readonly delayMs: number }
  /** Destroy the connection once the request is read, without accepting or answering it. */
  | { readonly kind: "drop" }
  /** Read the request and never answer (the connection stays open until the client gives up). */
  | { readonly kind: "hang" };

export interface SmsVoiceStubOptions {
  /** The clock for `RecordedText.at`; defaults to `Date.now`. */
  readonly now?: () => number;
  /**
   * The longest `MessageBody` accepted, in characters (Unicode code points); the API's limit for
   * SendTextMessage is 1600.
   */
  readonly maxBodyLength?: number;
  /**
   * The origination identities that exist in the account (phone numbers, ids, ARNs, sender ids, pools). When
   * given, a send from any other identity answers `ResourceNotFoundException`; without it every well-formed
   * identity is accepted.
   */
  readonly originationIdentities?: readonly string[];
}

const TARGET = "PinpointSMSVoiceV2.SendTextMessage";
const JSON_1_0 = "application/x-amz-json-1.0";
const NAMESPACE = "com.amazonaws.pinpointsmsvoicev2";
/** E.164: a plus, a non-zero country code digit, at most 15 digits in all. */
const E164 = /^\+[1-9]\d{1,14}$/;
const IDENTITY = /^[A-Za-z0-9_:/+-]{1,256}$/;
const CONFIGURATION_SET = /^[A-Za-z0-9_:/-]{1,256}$/;
const MESSAGE_TYPES = new Set(["TRANSACTIONAL", "PROMOTIONAL"]);
const MAX_CONTEXT_ENTRIES = 5;
const DEFAULT_MAX_BODY_LENGTH = 1_600;

interface ServiceError {
  readonly status: number;
  readonly type: SmsErrorType | "SerializationException" | "UnknownOperationException";
  readonly fields: Record<string, unknown>;
}

/**
 * A local AWS End User Messaging SMS (`pinpoint-sms-voice-v2`) on 127.0.0.1 that answers `SendTextMessage` in
 * the service's own protocol (awsJson1_0: `POST /`, `X-Amz-Target: PinpointSMSVoiceV2.SendTextMessage`,
 * `application/x-amz-json-1.0`), so the real SDK client — signing, serialisation, retries, timeouts — runs
 * against it. It validates what the service would refuse (an E.164 destination, the required fields, the
 * body's length, the message type, opted-out numbers), records every text it accepts (`messages`) and every
 * request (`requests`), and plays scripted faults (`failNext`). Nothing is sent anywhere.
 */
export class SmsVoiceStub {
  /** The texts accepted, in order. */
  readonly messages: RecordedText[] = [];
  /** Every request received, in order, accepted or not. */
  readonly requests: ReceivedSmsRequest[] = [];
  private readonly faults: SmsFault[] = [];
  private readonly optedOut = new Set<string>();
  private readonly timers = new PendingTimers();
  private readonly now: () => number;
  private readonly maxBodyLength: number;
  private readonly identities: ReadonlySet<string> | undefined;

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly url: string,
    options: SmsVoiceStubOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.maxBodyLength = options.maxBodyLength ?? DEFAULT_MAX_BODY_LENGTH;
    this.identities =
      options.originationIdentities === undefined ? undefined : new Set(options.originationIdentities);
  }

  /** Starts a stub on a free loopback port; `url` is the endpoint to give the SDK client. */
  static async start(options: SmsVoiceStubOptions = {}): Promise<SmsVoiceStub> {
    let stub: SmsVoiceStub | undefined;
    const { server, url } = await listenOnLoopback((request, response) => {
      void stub?.handle(request, response);
    });
    stub = new SmsVoiceStub(server, url, options);
    return stub;
  }

  /**
   * Applies `fault` to each of the next `count` requests (each SDK attempt is one request), after any faults
   * already queued; then requests are answered normally again.
   */
  failNext(count: number, fault: SmsFault): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError("count must be a non-negative integer");
    for (let i = 0; i < count; i += 1) this.faults.push(fault);
  }

  /** Forgets the faults not yet applied. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** The faults still queued. */
  get pendingFaults(): number {
    return this.faults.length;
  }

  /** From now on, a text to `phoneNumber` answers `ConflictException` (`DESTINATION_PHONE_NUMBER_OPTED_OUT`). */
  optOut(phoneNumber: string): void {
    this.optedOut.add(phoneNumber);
  }

  async close(): Promise<void> {
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const header = request.headers["x-amz-target"];
    const target = Array.isArray(header) ? header[0] : header;
    const isSend = request.method === "POST" && target === TARGET;
    const received: ReceivedSmsRequest = {
      target,
      headers: request.headers,
      body: Buffer.concat(chunks).toString("utf8"),
      fault: isSend ? this.faults.shift() : undefined,
      outcome: "pending",
      answered: false,
    };
    this.requests.push(received);

    if (!isSend) {
      received.outcome = "unknown";
      return this.answerError(response, received, {
        status: 400,
        type: "UnknownOperationException",
        fields: { Message: `the stub answers ${TARGET} only, not ${target ?? "(no X-Amz-Target)"}` },
      });
    }
    const { fault } = received;
    if (fault?.kind === "hang") {
      received.outcome = "hung";
      return;
    }
    if (fault?.kind === "drop") {
      received.outcome = "dropped";
      request.socket.destroy();
      return;
    }
    if (fault?.kind === "error") {
      received.outcome = "faulted";
      return this.answerError(response, received, scriptedError(fault));
    }
    if (fault?.kind === "slow") await this.timers.after(fault.delayMs);

    let input: unknown;
    try {
      input = JSON.parse(received.body);
    } catch {
      received.outcome = "unknown";
      return this.answerError(response, received, {
        status: 400,
        type: "SerializationException",
        fields: { Message: "the request body is not JSON" },
      });
    }
    const refusal = this.validate(input);
    if (refusal !== undefined) {
      received.outcome = "invalid";
      return this.answerError(response, received, refusal);
    }
    const send = input as Record<string, unknown>;
    const text: RecordedText = {
      messageId: randomUUID(),
      to: send.DestinationPhoneNumber as string,
      body: send.MessageBody as string,
      originationIdentity: send.OriginationIdentity as string | undefined,
      messageType: send.MessageType as string | undefined,
      configurationSetName: send.ConfigurationSetName as string | undefined,
      context: send.Context as Record<string, string> | undefined,
      at: this.now(),
    };
    this.messages.push(text);
    received.outcome = "accepted";
    this.answer(response, received, 200, {}, { MessageId: text.messageId });
  }

  /** What the service refuses before sending; undefined for a request it accepts. */
  private validate(input: unknown): ServiceError | undefined {
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      return invalid("INVALID_REQUEST", "the request must be a JSON object");
    }
    const send = input as Record<string, unknown>;
    const to = send.DestinationPhoneNumber;
    if (to === undefined || to === null) {
      return invalid("MISSING_PARAMETER", "DestinationPhoneNumber is required", "DestinationPhoneNumber");
    }
    if (typeof to !== "string" || !E164.test(to)) {
      return invalid(
        "INVALID_PARAMETER",
        "DestinationPhoneNumber must be an E.164 phone number",
        "DestinationPhoneNumber",
      );
    }
    const body = send.MessageBody;
    if (body === undefined || body === null) {
      return invalid("MISSING_PARAMETER", "MessageBody is required", "MessageBody");
    }
    if (typeof body !== "string" || body.trim() === "") {
      return invalid("FIELD_VALIDATION_FAILED", "MessageBody must not be blank", "MessageBody");
    }
    const length = [...body].length;
    if (length > this.maxBodyLength) {
      return invalid(
        "MAXIMUM_SIZE_EXCEEDED",
        `MessageBody has ${length} characters; at most ${this.maxBodyLength} are allowed`,
        "MessageBody",
      );
    }
    const identity = send.OriginationIdentity;
    if (identity !== undefined && (typeof identity !== "string" || !IDENTITY.test(identity))) {
      return invalid(
        "FIELD_VALIDATION_FAILED",
        "OriginationIdentity must match [A-Za-z0-9_:/+-]{1,256}",
        "OriginationIdentity",
      );
    }
    const type = send.MessageType;
    if (type !== undefined && (typeof type !== "string" || !MESSAGE_TYPES.has(type))) {
      return invalid(
        "FIELD_VALIDATION_FAILED",
        "MessageType must be TRANSACTIONAL or PROMOTIONAL",
        "MessageType",
      );
    }
    const set = send.ConfigurationSetName;
    if (set !== undefined && (typeof set !== "string" || !CONFIGURATION_SET.test(set))) {
      return invalid(
        "FIELD_VALIDATION_FAILED",
        "ConfigurationSetName must match [A-Za-z0-9_:/-]{1,256}",
        "ConfigurationSetName",
      );
    }
    const context = send.Context;
    if (context !== undefined && Object.keys(context as object).length > MAX_CONTEXT_ENTRIES) {
      return invalid(
        "FIELD_VALIDATION_FAILED",
        `Context has more than ${MAX_CONTEXT_ENTRIES} entries`,
        "Context",
      );
    }
    if (typeof identity === "string" && this.identities !== undefined && !this.identities.has(identity)) {
      return {
        status: 400,
        type: "ResourceNotFoundException",
        fields: {
          Message: "the origination identity does not exist",
          ResourceType: "phone-number",
          ResourceId: identity,
        },
      };
    }
    if (this.optedOut.has(to)) {
      return {
        status: 400,
        type: "ConflictException",
        fields: {
          Message: "the destination phone number is opted out",
          Reason: "DESTINATION_PHONE_NUMBER_OPTED_OUT",
          ResourceType: "opted-out-number",
        },
      };
    }
    return undefined;
  }

  private answerError(response: ServerResponse, received: ReceivedSmsRequest, error: ServiceError): void {
    this.answer(
      response,
      received,
      error.status,
      { "x-amzn-errortype": error.type },
      { __type: `${NAMESPACE}#${error.type}`, ...error.fields },
    );
  }

  private answer(
    response: ServerResponse,
    received: ReceivedSmsRequest,
    status: number,
    headers: Record<string, string>,
    body: unknown,
  ): void {
    if (response.destroyed || response.socket === null || response.socket.destroyed) return;
    response
      .writeHead(status, { "content-type": JSON_1_0, "x-amzn-requestid": randomUUID(), ...headers })
      .end(JSON.stringify(body));
    received.answered = true;
  }
}

const invalid = (reason: string, message: string, field?: string): ServiceError => ({
  status: 400,
  type: "ValidationException",
  fields: {
    Message: message,
    Reason: reason,
    ...(field === undefined ? {} : { Fields: [{ Name: field, Message: message }] }),
  },
});

const scriptedError = (fault: Extract<SmsFault, { kind: "error" }>): ServiceError => ({
  status: fault.status ?? (fault.type === "InternalServerException" ? 500 : 400),
  type: fault.type,
  fields: {
    Message: fault.message ?? `scripted ${fault.type}`,
    ...(fault.reason === undefined ? {} : { Reason: fault.reason }),
  },
});

import {
  type PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  type SendTextMessageCommandOutput,
  ServiceQuotaExceededExceptionReason,
} from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { TextSendError } from "@holdline/domain/errors";
import type {
  SentText,
  TextMessage,
  TextMessageSender,
} from "@holdline/domain/ports/text-message-sender.port";
import { maskPhone } from "@holdline/domain/text-delivery/text-delivery";

export interface EndUserMessagingTextSenderOptions {
  /**
   * Where the texts come from: a phone number, sender id or pool (id or ARN; the full ARN for a shared
   * resource), as `SendTextMessage`'s `OriginationIdentity`.
   */
  readonly originationIdentity: string;
  /** The configuration set whose event destinations record the texts' delivery events; none if absent. */
  readonly configurationSetName?: string;
  /**
   * Hard cap on one send, SDK retries and backoff included (a throttled retry could otherwise wait out
   * the SDK's backoff). A send cut off here may still have gone (`text_failed`).
   */
  readonly deadlineMs: number;
}

/** What `send` checks before calling the service: E.164, as the service requires. */
const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * `TextMessageSender` on AWS End User Messaging SMS (`pinpoint-sms-voice-v2` `SendTextMessage`): one
 * TRANSACTIONAL text from the configured origination identity, with no `Context` (the service would log it
 * to the event destinations; nothing about the caller goes there). A send that did not succeed throws
 * `TextSendError`: `text_throttled` (retryable), `text_failed` (the service's fault, a timeout, a network
 * error or no answer: retryable, and the text may have gone), `text_rejected` (the request can never
 * succeed as it is). The destination number never appears in an error message: only its last two digits.
 */
export class EndUserMessagingTextSender implements TextMessageSender {
  private readonly originationIdentity: string;
  private readonly configurationSetName: string | undefined;
  private readonly deadlineMs: number;

  constructor(
    private readonly client: PinpointSMSVoiceV2Client,
    options: EndUserMessagingTextSenderOptions,
  ) {
    if (options.originationIdentity.trim() === "")
      throw new RangeError("originationIdentity must not be empty");
    if (options.configurationSetName?.trim() === "")
      throw new RangeError("configurationSetName must not be empty when given");
    const { deadlineMs } = options;
    if (!Number.isInteger(deadlineMs) || deadlineMs < 1)
      throw new RangeError("deadlineMs must be a positive integer");
    this.originationIdentity = options.originationIdentity;
    this.configurationSetName = options.configurationSetName;
    this.deadlineMs = deadlineMs;
  }

  async send(message: TextMessage): Promise<SentText> {
    const what = `text to ${maskPhoneNumber(message.to)}`;
    if (!E164.test(message.to)) {
      throw new TextSendError("text_rejected", `${what} not sent: the number is not E.164`, {
        retryable: false,
      });
    }
    if (message.body.trim() === "") {
      throw new TextSendError("text_rejected", `${what} not sent: the body is empty`, { retryable: false });
    }
    const output = await this.call(message, what);
    if (typeof output.MessageId !== "string" || output.MessageId === "") {
      throw new TextSendError("text_failed", `${what}: the service answered without a MessageId`, {
        retryable: true,
      });
    }
    return { messageId: output.MessageId };
  }

  private async call(message: TextMessage, what: string): Promise<SendTextMessageCommandOutput> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new TextSendError("text_failed", `${what} did not finish within ${this.deadlineMs} ms`, {
            retryable: true,
          }),
        );
        controller.abort();
      }, this.deadlineMs);
    });
    const command = new SendTextMessageCommand({
      DestinationPhoneNumber: message.to,
      OriginationIdentity: this.originationIdentity,
      MessageBody: message.body,
      MessageType: "TRANSACTIONAL",
      ...(this.configurationSetName === undefined ? {} : { ConfigurationSetName: this.configurationSetName }),
    });
    try {
      return await Promise.race([this.client.send(command, { abortSignal: controller.signal }), deadline]);
    } catch (error) {
      if (error instanceof TextSendError) throw error;
      throw toTextSendError(error, message.to, what);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The domain's mask (`+819012345678` → `***78`), under the name this adapter's callers use. */
export const maskPhoneNumber = maskPhone;

/** The service-quota reasons the SDK knows are all counts and spend limits, not rates: retrying will not help. */
const KNOWN_QUOTA_REASONS: ReadonlySet<string> = new Set(Object.values(ServiceQuotaExceededExceptionReason));

const REJECTED = new Set([
  "ValidationException",
  "ConflictException",
  "ResourceNotFoundException",
  "AccessDeniedException",
  "CredentialsProviderError",
]);

type Verdict = { readonly code: TextSendError["code"]; readonly retryable: boolean };

/**
 * Which `TextSendError` a failed `SendTextMessage` is:
 * - `ThrottlingException`, a `ServiceQuotaExceededException` without a reason the SDK knows (a rate, not a
 *   count), HTTP 429 → `text_throttled`, retryable;
 * - `InternalServerException`, any 5xx, and anything without an HTTP answer (timeout, network, abort) →
 *   `text_failed`, retryable;
 * - `ValidationException` (invalid number or parameter, country not enabled…), `ConflictException`
 *   (`DESTINATION_PHONE_NUMBER_OPTED_OUT`, an unverified number in the sandbox…), `ResourceNotFoundException`
 *   (no such origination identity or configuration set), `AccessDeniedException`, a
 *   `ServiceQuotaExceededException` with a known reason (`MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT`…), missing
 *   credentials and any other 4xx → `text_rejected`, not retryable.
 */
export function classifySendError(error: unknown): Verdict {
  if (!(error instanceof Error)) return { code: "text_failed", retryable: true };
  const name = error.name;
  if (name === "ThrottlingException") return { code: "text_throttled", retryable: true };
  if (name === "ServiceQuotaExceededException") {
    const reason = reasonOf(error);
    return reason !== undefined && KNOWN_QUOTA_REASONS.has(reason)
      ? { code: "text_rejected", retryable: false }
      : { code: "text_throttled", retryable: true };
  }
  if (name === "InternalServerException") return { code: "text_failed", retryable: true };
  if (REJECTED.has(name)) return { code: "text_rejected", retryable: false };
  const status = statusOf(error);
  if (status === undefined) return { code: "text_failed", retryable: true };
  if (status === 429) return { code: "text_throttled", retryable: true };
  if (status >= 500) return { code: "text_failed", retryable: true };
  return { code: "text_rejected", retryable: false };
}

/**
 * The `TextSendError` for a failed send, its message naming the error, its reason and status, and the
 * service's own message with the number (and any long digit run) masked. Its `cause` is a copy of the SDK's
 * error with the same masking, not the SDK's error itself, whose message may quote the number.
 */
export function toTextSendError(error: unknown, to: string, what: string): TextSendError {
  const { code, retryable } = classifySendError(error);
  const detail = scrub(describe(error), to);
  const cause = error instanceof Error ? sanitizedCopy(error, to) : undefined;
  return new TextSendError(code, `${what} failed: ${detail}`, {
    retryable,
    ...(cause === undefined ? {} : { cause }),
  });
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const reason = reasonOf(error);
  const status = statusOf(error);
  const tags = [reason, status === undefined ? undefined : `HTTP ${status}`].filter(
    (tag): tag is string => tag !== undefined,
  );
  return `${error.name}${tags.length === 0 ? "" : ` (${tags.join(", ")})`}: ${error.message}`;
}

function sanitizedCopy(error: Error, to: string): Error {
  const copy = new Error(scrub(error.message, to));
  copy.name = error.name;
  const reason = reasonOf(error);
  const status = statusOf(error);
  const requestId = (error as { $metadata?: { requestId?: string } }).$metadata?.requestId;
  return Object.assign(copy, {
    ...(reason === undefined ? {} : { reason }),
    ...(status === undefined ? {} : { httpStatusCode: status }),
    ...(requestId === undefined ? {} : { requestId }),
  });
}

/** Masks the number as given, its digits alone, and any other run of 6+ digits that might be a number. */
function scrub(text: string, to: string): string {
  const masked = maskPhoneNumber(to);
  const digits = to.replace(/\D/g, "");
  let out = text;
  if (to !== "") out = out.split(to).join(masked);
  if (digits.length >= 6) out = out.split(digits).join(masked);
  return out.replace(/\+?\d[\d -]{4,}\d/g, (run) => maskPhoneNumber(run));
}

const reasonOf = (error: Error): string | undefined => {
  const reason = (error as { Reason?: unknown }).Reason;
  return typeof reason === "string" ? reason : undefined;
};

const statusOf = (error: Error): number | undefined =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

import type { ServiceIdentifier } from "inversify";

/** One text message to one phone. */
export interface TextMessage {
  /** The destination, E.164 (`+819012345678`). Never logged. */
  readonly to: string;
  /** The whole text, already capped (`composeText`). */
  readonly body: string;
}

export interface SentText {
  /** The service's id for the message (End User Messaging SMS's `MessageId`). */
  readonly messageId: string;
}

/**
 * Sends text messages (AWS End User Messaging SMS in production, from the origination identity the stack
 * configures). A send that did not happen throws `TextSendError`: `text_throttled` (retryable), `text_failed`
 * (the service's fault or no answer: retryable; the text may or may not have gone), `text_rejected` (the
 * request can never succeed: an invalid or opted-out number, a missing identity, access denied).
 * The service takes no idempotency token, so sending the same message twice sends two texts.
 */
export interface TextMessageSender {
  send(message: TextMessage): Promise<SentText>;
}

export const TextMessageSenderId: ServiceIdentifier<TextMessageSender> = Symbol.for(
  "holdline.TextMessageSender",
);

import { TextSendError } from "../../../src/errors.ts";
import type {
  SentText,
  TextMessage,
  TextMessageSender,
} from "../../../src/ports/text-message-sender.port.ts";

/** A `TextMessageSender` that keeps what it sent and fails the sends a test scripts. */
export class RecordingTextSender implements TextMessageSender {
  readonly sent: TextMessage[] = [];
  /** Every send tried, failed ones included. */
  attempts = 0;
  private readonly failures: TextSendError[] = [];

  /** The next `count` sends fail with `error` (default: throttled, retryable). */
  failNext(
    count = 1,
    error = new TextSendError("text_throttled", "simulated throttling", { retryable: true }),
  ): void {
    for (let i = 0; i < count; i += 1) this.failures.push(error);
  }

  async send(message: TextMessage): Promise<SentText> {
    this.attempts += 1;
    await Promise.resolve();
    const failure = this.failures.shift();
    if (failure !== undefined) throw failure;
    this.sent.push({ ...message });
    return { messageId: `msg-${this.sent.length}` };
  }
}

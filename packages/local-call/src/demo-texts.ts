import { EndUserMessagingTextSender } from "@holdline/adapters-sms/end-user-messaging-text-sender";
import { createSmsClient } from "@holdline/adapters-sms/sms-client.factory";
import type { TimingBudget } from "@holdline/budget/timing-budget";
import type { Clock } from "@holdline/domain/ports/clock.port";
import type {
  SentText,
  TextMessage,
  TextMessageSender,
} from "@holdline/domain/ports/text-message-sender.port";
import { LOCAL_CREDENTIALS } from "@holdline/local-aws/local-dynamodb";
import { SmsVoiceStub } from "@holdline/local-aws/sms-voice-stub";
import { LOCAL_ORIGINATION_IDENTITY } from "./local-text-delivery.ts";

/** A text the demo's caller received, for the summary. */
export interface ReceivedText {
  readonly at: number;
  readonly to: string;
  readonly body: string;
}

export interface DemoTexts {
  readonly sender: TextMessageSender;
  readonly received: readonly ReceivedText[];
  readonly description: string;
  close(): Promise<void>;
}

/** Keeps the texts in memory: virtual time cannot wait for a real HTTP round trip. */
class InMemoryPhone implements TextMessageSender {
  readonly received: ReceivedText[] = [];

  constructor(private readonly clock: Clock) {}

  async send(message: TextMessage): Promise<SentText> {
    this.received.push({ at: this.clock.now(), to: message.to, body: message.body });
    return { messageId: `local-${this.received.length}` };
  }
}

/**
 * Where the demo's texts go. Real time: the End User Messaging SMS adapter, through the real SDK client, to the
 * local wire stub of the service. `--fast` (virtual time): kept in memory.
 */
export async function startDemoTexts(fast: boolean, clock: Clock, budget: TimingBudget): Promise<DemoTexts> {
  if (fast) {
    const phone = new InMemoryPhone(clock);
    return {
      sender: phone,
      received: phone.received,
      description: "kept in memory (virtual time cannot wait for the SMS stub's HTTP)",
      close: async () => undefined,
    };
  }
  const stub = await SmsVoiceStub.start({ now: () => clock.now() });
  const { sms } = budget.textDelivery;
  const client = createSmsClient({
    region: "ap-northeast-1",
    endpoint: stub.url,
    credentials: LOCAL_CREDENTIALS,
    connectionTimeoutMs: sms.connectionTimeoutMs,
    requestTimeoutMs: sms.requestTimeoutMs,
    maxAttempts: sms.maxAttempts,
  });
  const sender = new EndUserMessagingTextSender(client, {
    originationIdentity: LOCAL_ORIGINATION_IDENTITY,
    deadlineMs: sms.sendDeadlineMs,
  });
  return {
    sender,
    get received() {
      return stub.messages.map((message) => ({ at: message.at, to: message.to, body: message.body }));
    },
    description: `End User Messaging SMS's wire protocol, on the local stub at ${stub.url}`,
    close: async () => {
      client.destroy();
      await stub.close();
    },
  };
}

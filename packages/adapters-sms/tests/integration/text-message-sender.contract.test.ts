import { textMessageSenderContract } from "@holdline/domain/testing/contracts/text-message-sender.contract";
import { type SmsFault, SmsVoiceStub } from "@holdline/local-aws/sms-voice-stub";
import { EndUserMessagingTextSender } from "../../src/end-user-messaging-text-sender.ts";
import { createSmsClient } from "../../src/sms-client.factory.ts";
import {
  TEST_CLIENT_TIMEOUTS,
  TEST_CREDENTIALS,
  TEST_REGION,
  TEST_SEND_DEADLINE_MS,
} from "../support/test-timeouts.ts";

/** The stub's answer for each code; retryable ones for every SDK attempt, so the whole send fails. */
const FAULTS = {
  text_throttled: [TEST_CLIENT_TIMEOUTS.maxAttempts, { kind: "error", type: "ThrottlingException" }],
  text_failed: [TEST_CLIENT_TIMEOUTS.maxAttempts, { kind: "error", type: "InternalServerException" }],
  text_rejected: [
    1,
    { kind: "error", type: "ConflictException", reason: "DESTINATION_PHONE_NUMBER_OPTED_OUT" },
  ],
} as const satisfies Record<string, readonly [number, SmsFault]>;

textMessageSenderContract("End User Messaging SMS through the SDK, on the local SMS stub", {
  create: async () => {
    const stub = await SmsVoiceStub.start();
    const client = createSmsClient({
      region: TEST_REGION,
      endpoint: stub.url,
      credentials: TEST_CREDENTIALS,
      ...TEST_CLIENT_TIMEOUTS,
    });
    const sender = new EndUserMessagingTextSender(client, {
      originationIdentity: "pool-holdline",
      deadlineMs: TEST_SEND_DEADLINE_MS,
    });
    return { sender, stub, client };
  },
  delivered: ({ stub }) => stub.messages.map(({ to, body }) => ({ to, body })),
  failNext: ({ stub }, code) => {
    const [count, fault] = FAULTS[code];
    stub.failNext(count, fault);
  },
  dispose: async ({ stub, client }) => {
    client.destroy();
    await stub.close();
  },
});

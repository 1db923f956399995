import { TextMessageSenderId } from "@holdline/domain/ports/text-message-sender.port";
import { Container } from "inversify";
import { describe, expect, it } from "vitest";
import { EndUserMessagingTextSender } from "../../src/end-user-messaging-text-sender.ts";
import { createSmsClient } from "../../src/sms-client.factory.ts";
import { SmsClientId, smsTextSenderModule } from "../../src/sms-text-sender.module.ts";
import { TEST_CLIENT_TIMEOUTS, TEST_CREDENTIALS, TEST_REGION } from "../support/test-timeouts.ts";

describe("createSmsClient", () => {
  it("builds a client with the given attempts and region", async () => {
    // Act
    const client = createSmsClient({
      region: TEST_REGION,
      credentials: TEST_CREDENTIALS,
      ...TEST_CLIENT_TIMEOUTS,
    });

    // Assess
    expect(await client.config.maxAttempts()).toBe(2);
    expect(await client.config.region()).toBe(TEST_REGION);
    client.destroy();
  });

  it.each([
    [{ maxAttempts: 0 }, "maxAttempts"],
    [{ maxAttempts: 4 }, "maxAttempts"],
    [{ requestTimeoutMs: 10 }, "requestTimeoutMs"],
    [{ connectionTimeoutMs: 60_000 }, "connectionTimeoutMs"],
    [{ endpoint: "not a url" }, "endpoint"],
  ])("refuses %o, naming %s", (override, field) => {
    expect(() => createSmsClient({ ...TEST_CLIENT_TIMEOUTS, ...override })).toThrow(
      new RegExp(`invalid SMS client options: .*${field}`),
    );
  });
});

describe("EndUserMessagingTextSender options", () => {
  const client = createSmsClient({
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
    ...TEST_CLIENT_TIMEOUTS,
  });

  it.each([
    [{ originationIdentity: " ", deadlineMs: 1_000 }, /originationIdentity/],
    [{ originationIdentity: "pool-1", configurationSetName: "", deadlineMs: 1_000 }, /configurationSetName/],
    [{ originationIdentity: "pool-1", deadlineMs: 0 }, /deadlineMs/],
    [{ originationIdentity: "pool-1", deadlineMs: 1.5 }, /deadlineMs/],
  ])("refuses %o", (options, message) => {
    expect(() => new EndUserMessagingTextSender(client, options)).toThrow(message);
  });
});

describe("smsTextSenderModule", () => {
  it("binds TextMessageSenderId to one EndUserMessagingTextSender over one shared client", async () => {
    // Prepare
    const container = new Container();
    await container.load(
      smsTextSenderModule({
        client: { region: TEST_REGION, credentials: TEST_CREDENTIALS, ...TEST_CLIENT_TIMEOUTS },
        sender: { originationIdentity: "pool-1", deadlineMs: 1_000 },
      }),
    );

    // Act
    const sender = container.get(TextMessageSenderId);

    // Assess
    expect(sender).toBeInstanceOf(EndUserMessagingTextSender);
    expect(container.get(TextMessageSenderId)).toBe(sender);
    expect(container.get(SmsClientId)).toBe(container.get(SmsClientId));
    container.get(SmsClientId).destroy();
  });
});

import {
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  type SendTextMessageCommandInput,
} from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { afterEach, describe, expect, it } from "vitest";
import { SmsVoiceStub, type SmsVoiceStubOptions } from "../../src/sms-voice-stub.ts";

const NUMBER = "+819012345678";
const send = (input: Partial<SendTextMessageCommandInput> = {}) =>
  new SendTextMessageCommand({
    DestinationPhoneNumber: NUMBER,
    OriginationIdentity: "pool-holdline",
    MessageBody: "We open at nine.",
    MessageType: "TRANSACTIONAL",
    ...input,
  });

let stub: SmsVoiceStub | undefined;
let sdk: PinpointSMSVoiceV2Client | undefined;

/** The real client, aimed at the stub, with explicit timeouts and attempts. */
const start = async (options: SmsVoiceStubOptions = {}, maxAttempts = 1, requestTimeout = 2_000) => {
  stub = await SmsVoiceStub.start(options);
  sdk = new PinpointSMSVoiceV2Client({
    region: "ap-northeast-1",
    endpoint: stub.url,
    maxAttempts,
    credentials: { accessKeyId: "AKIDSTUB", secretAccessKey: "stub-secret" },
    requestHandler: { connectionTimeout: 1_000, requestTimeout, throwOnRequestTimeout: true },
  });
  return { stub, sdk };
};

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: unknown) =>
      error as Error & {
        Reason?: string;
        Fields?: { Name: string }[];
        $fault?: string;
        $metadata: { httpStatusCode?: number; attempts?: number };
      },
  );

afterEach(async () => {
  sdk?.destroy();
  await stub?.close();
  sdk = undefined;
  stub = undefined;
});

describe("SmsVoiceStub (the real pinpoint-sms-voice-v2 client)", { timeout: 15_000 }, () => {
  it("accepts SendTextMessage, answers a MessageId and records the text at the injected clock's time", async () => {
    // Prepare
    const { stub, sdk } = await start({ now: () => 1_800_000_000_123 });

    // Act
    const output = await sdk.send(send({ ConfigurationSetName: "texts", Context: { turn: "1" } }));

    // Assess
    expect(output.MessageId).toEqual(expect.any(String));
    expect(stub.messages).toEqual([
      {
        messageId: output.MessageId,
        to: NUMBER,
        body: "We open at nine.",
        originationIdentity: "pool-holdline",
        messageType: "TRANSACTIONAL",
        configurationSetName: "texts",
        context: { turn: "1" },
        at: 1_800_000_000_123,
      },
    ]);
    expect(stub.requests).toMatchObject([
      { target: "PinpointSMSVoiceV2.SendTextMessage", outcome: "accepted", answered: true },
    ]);
    expect(stub.requests[0]?.headers["content-type"]).toBe("application/x-amz-json-1.0");
  });

  it.each([
    [
      "a number without a plus",
      { DestinationPhoneNumber: "09012345678" },
      "INVALID_PARAMETER",
      "DestinationPhoneNumber",
    ],
    [
      "a number too long for E.164",
      { DestinationPhoneNumber: "+8190123456789012" },
      "INVALID_PARAMETER",
      "DestinationPhoneNumber",
    ],
    ["no body", { MessageBody: undefined }, "MISSING_PARAMETER", "MessageBody"],
    ["a blank body", { MessageBody: "  \n" }, "FIELD_VALIDATION_FAILED", "MessageBody"],
    [
      "a body over 1600 characters",
      { MessageBody: "あ".repeat(1_601) },
      "MAXIMUM_SIZE_EXCEEDED",
      "MessageBody",
    ],
    ["an unknown message type", { MessageType: "URGENT" as never }, "FIELD_VALIDATION_FAILED", "MessageType"],
    [
      "a malformed identity",
      { OriginationIdentity: "pool holdline" },
      "FIELD_VALIDATION_FAILED",
      "OriginationIdentity",
    ],
    [
      "a malformed configuration set",
      { ConfigurationSetName: "texts!" },
      "FIELD_VALIDATION_FAILED",
      "ConfigurationSetName",
    ],
  ])("refuses %s with ValidationException %s, recording no text", async (_, input, reason, field) => {
    // Prepare
    const { stub, sdk } = await start();

    // Act
    const error = await failureOf(sdk.send(send(input)));

    // Assess
    expect(error.name).toBe("ValidationException");
    expect(error.Reason).toBe(reason);
    expect(error.Fields?.map((f) => f.Name)).toEqual([field]);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(stub.messages).toEqual([]);
    expect(stub.requests[0]?.outcome).toBe("invalid");
  });

  it("accepts a body of exactly 1600 characters, counted in code points", async () => {
    // Prepare
    const { stub, sdk } = await start();

    // Act
    await sdk.send(send({ MessageBody: "😀".repeat(1_600) }));

    // Assess
    expect(stub.messages).toHaveLength(1);
  });

  it("refuses an opted-out number with ConflictException DESTINATION_PHONE_NUMBER_OPTED_OUT", async () => {
    // Prepare
    const { stub, sdk } = await start();
    stub.optOut(NUMBER);

    // Act
    const error = await failureOf(sdk.send(send()));

    // Assess
    expect(error).toMatchObject({ name: "ConflictException", Reason: "DESTINATION_PHONE_NUMBER_OPTED_OUT" });
    expect(stub.messages).toEqual([]);
  });

  it("refuses an identity the account does not have with ResourceNotFoundException, when it knows them", async () => {
    // Prepare
    const { stub, sdk } = await start({ originationIdentities: ["pool-other"] });

    // Act
    const error = await failureOf(sdk.send(send()));

    // Assess
    expect(error).toMatchObject({ name: "ResourceNotFoundException", ResourceId: "pool-holdline" });
    expect(stub.messages).toEqual([]);
  });

  it("fails exactly the next N sends with a scripted error, then accepts again", async () => {
    // Prepare
    const { stub, sdk } = await start();
    stub.failNext(2, { kind: "error", type: "ValidationException", reason: "DESTINATION_COUNTRY_BLOCKED" });

    // Act
    const first = await failureOf(sdk.send(send()));
    const second = await failureOf(sdk.send(send()));
    const third = await sdk.send(send());

    // Assess
    expect([first.Reason, second.Reason]).toEqual([
      "DESTINATION_COUNTRY_BLOCKED",
      "DESTINATION_COUNTRY_BLOCKED",
    ]);
    expect(third.MessageId).toBe(stub.messages[0]?.messageId);
    expect(stub.requests.map((request) => request.outcome)).toEqual(["faulted", "faulted", "accepted"]);
  });

  it("answers ThrottlingException and InternalServerException so that the SDK retries them", async () => {
    // Prepare
    const { stub, sdk } = await start({}, 3);
    stub.failNext(1, { kind: "error", type: "ThrottlingException", message: "Rate exceeded" });
    stub.failNext(1, { kind: "error", type: "InternalServerException" });

    // Act
    const output = await sdk.send(send());

    // Assess
    expect(output.$metadata.attempts).toBe(3);
    expect(stub.requests.map((request) => request.outcome)).toEqual(["faulted", "faulted", "accepted"]);
    expect(stub.messages).toHaveLength(1);
  });

  it("answers InternalServerException with HTTP 500 and a server fault", async () => {
    // Prepare
    const { sdk, stub } = await start();
    stub.failNext(1, { kind: "error", type: "InternalServerException" });

    // Act
    const error = await failureOf(sdk.send(send()));

    // Assess
    expect(error).toMatchObject({ name: "InternalServerException", $fault: "server" });
    expect(error.$metadata.httpStatusCode).toBe(500);
  });

  it("drops the connection: the client sees a network error and nothing is recorded", async () => {
    // Prepare
    const { stub, sdk } = await start();
    stub.failNext(1, { kind: "drop" });

    // Act
    const error = await failureOf(sdk.send(send()));

    // Assess
    expect(error.$metadata.httpStatusCode).toBeUndefined();
    expect(stub.requests[0]?.outcome).toBe("dropped");
    expect(stub.messages).toEqual([]);
  });

  it("answers slowly: a client that gives up first misses the MessageId of a text that was sent", async () => {
    // Prepare
    const { stub, sdk } = await start({}, 1, 200);
    stub.failNext(1, { kind: "slow", delayMs: 400 });

    // Act
    const error = await failureOf(sdk.send(send()));
    await new Promise((resolve) => setTimeout(resolve, 400));

    // Assess
    expect(error.name).toBe("TimeoutError");
    expect(stub.messages).toHaveLength(1);
    expect(stub.requests[0]).toMatchObject({ outcome: "accepted", answered: false });
  });

  it("hangs: reads the request and never answers", async () => {
    // Prepare
    const { stub, sdk } = await start({}, 1, 200);
    stub.failNext(1, { kind: "hang" });

    // Act
    const error = await failureOf(sdk.send(send()));

    // Assess
    expect(error.name).toBe("TimeoutError");
    expect(stub.requests[0]).toMatchObject({ outcome: "hung", answered: false });
    expect(stub.pendingFaults).toBe(0);
  });

  it("answers another operation with UnknownOperationException and does not use up a fault on it", async () => {
    // Prepare
    const { stub } = await start();
    stub.failNext(1, { kind: "drop" });

    // Act
    const response = await fetch(stub.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "PinpointSMSVoiceV2.SendVoiceMessage",
      },
      body: "{}",
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
    expect(stub.pendingFaults).toBe(1);
  });
});

import type { PinpointSMSVoiceV2Client } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { TextSendError } from "@holdline/domain/errors";
import { type SmsFault, SmsVoiceStub } from "@holdline/local-aws/sms-voice-stub";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  EndUserMessagingTextSender,
  type EndUserMessagingTextSenderOptions,
} from "../../src/end-user-messaging-text-sender.ts";
import { createSmsClient, type SmsClientOptions } from "../../src/sms-client.factory.ts";
import {
  TEST_CLIENT_TIMEOUTS,
  TEST_CREDENTIALS,
  TEST_REGION,
  TEST_SEND_DEADLINE_MS,
} from "../support/test-timeouts.ts";

const NUMBER = "+819012345678";
const BODY = "Holdline: we open at 9:00 and close at 18:00, Monday to Saturday.";
const IDENTITY = "arn:aws:sms-voice:ap-northeast-1:123456789012:pool/pool-0123456789abcdef";

let stub: SmsVoiceStub | undefined;
let client: PinpointSMSVoiceV2Client | undefined;

const start = async (
  sender: Partial<EndUserMessagingTextSenderOptions> = {},
  clientOptions: Partial<SmsClientOptions> = {},
) => {
  let time = 1_800_000_000_000;
  stub = await SmsVoiceStub.start({ now: () => (time += 1_000) });
  client = createSmsClient({
    region: TEST_REGION,
    endpoint: stub.url,
    credentials: TEST_CREDENTIALS,
    ...TEST_CLIENT_TIMEOUTS,
    ...clientOptions,
  });
  return {
    stub,
    sender: new EndUserMessagingTextSender(client, {
      originationIdentity: IDENTITY,
      deadlineMs: TEST_SEND_DEADLINE_MS,
      ...sender,
    }),
  };
};

const failureOf = (promise: Promise<unknown>): Promise<TextSendError> =>
  promise.then(
    () => {
      throw new Error("expected the send to fail");
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(TextSendError);
      return error as TextSendError;
    },
  );

/** Everything an error could show when logged: its message, its cause's, and their serialisations. */
const everythingSaid = (error: Error): string => {
  const cause = error.cause as Error | undefined;
  return [
    error.message,
    String(error),
    error.stack ?? "",
    cause?.message ?? "",
    cause?.stack ?? "",
    JSON.stringify(cause ?? {}),
  ].join("\n");
};

afterEach(async () => {
  vi.restoreAllMocks();
  client?.destroy();
  await stub?.close();
  client = undefined;
  stub = undefined;
});

describe("EndUserMessagingTextSender on the SMS stub, through the real SDK client", {
  timeout: 15_000,
}, () => {
  it("sends one TRANSACTIONAL SendTextMessage from the origination identity and answers its MessageId", async () => {
    // Prepare
    const { stub, sender } = await start({ configurationSetName: "holdline-texts" });

    // Act
    const sent = await sender.send({ to: NUMBER, body: BODY });

    // Assess
    expect(stub.messages).toEqual([
      {
        messageId: sent.messageId,
        to: NUMBER,
        body: BODY,
        originationIdentity: IDENTITY,
        messageType: "TRANSACTIONAL",
        configurationSetName: "holdline-texts",
        context: undefined,
        at: 1_800_000_001_000,
      },
    ]);
    const [request] = stub.requests;
    expect(request?.target).toBe("PinpointSMSVoiceV2.SendTextMessage");
    expect(request?.headers["content-type"]).toBe("application/x-amz-json-1.0");
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDLOCAL\/\d{8}\/ap-northeast-1\/sms-voice\//,
    );
    // Nothing but what the text needs: no Context, no keyword, no price cap, no dry run.
    expect(Object.keys(JSON.parse(request?.body ?? "{}")).sort()).toEqual([
      "ConfigurationSetName",
      "DestinationPhoneNumber",
      "MessageBody",
      "MessageType",
      "OriginationIdentity",
    ]);
  });

  it("sends no ConfigurationSetName when none is configured", async () => {
    // Prepare
    const { stub, sender } = await start();

    // Act
    await sender.send({ to: NUMBER, body: BODY });

    // Assess
    expect(JSON.parse(stub.requests[0]?.body ?? "{}")).not.toHaveProperty("ConfigurationSetName");
    expect(stub.messages[0]?.configurationSetName).toBeUndefined();
  });

  const cases: readonly {
    readonly title: string;
    readonly fault: SmsFault;
    /** Stub requests the send makes: the SDK retries throttling and 5xx, not client errors. */
    readonly attempts: number;
    readonly code: TextSendError["code"];
    readonly retryable: boolean;
  }[] = [
    {
      title: "ThrottlingException",
      fault: { kind: "error", type: "ThrottlingException", message: "Rate exceeded" },
      attempts: 2,
      code: "text_throttled",
      retryable: true,
    },
    {
      title: "ServiceQuotaExceededException without a known reason (a rate)",
      fault: { kind: "error", type: "ServiceQuotaExceededException", message: "Sending rate exceeded" },
      attempts: 1,
      code: "text_throttled",
      retryable: true,
    },
    {
      title: "ServiceQuotaExceededException MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT",
      fault: {
        kind: "error",
        type: "ServiceQuotaExceededException",
        reason: "MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT",
      },
      attempts: 1,
      code: "text_rejected",
      retryable: false,
    },
    {
      title: "InternalServerException",
      fault: { kind: "error", type: "InternalServerException" },
      attempts: 2,
      code: "text_failed",
      retryable: true,
    },
    {
      title: "ValidationException INVALID_PARAMETER",
      fault: { kind: "error", type: "ValidationException", reason: "INVALID_PARAMETER" },
      attempts: 1,
      code: "text_rejected",
      retryable: false,
    },
    {
      title: "ValidationException DESTINATION_COUNTRY_BLOCKED",
      fault: { kind: "error", type: "ValidationException", reason: "DESTINATION_COUNTRY_BLOCKED" },
      attempts: 1,
      code: "text_rejected",
      retryable: false,
    },
    {
      title: "ConflictException DESTINATION_PHONE_NUMBER_OPTED_OUT",
      fault: { kind: "error", type: "ConflictException", reason: "DESTINATION_PHONE_NUMBER_OPTED_OUT" },
      attempts: 1,
      code: "text_rejected",
      retryable: false,
    },
    {
      title: "ResourceNotFoundException (no such origination identity)",
      fault: { kind: "error", type: "ResourceNotFoundException" },
      attempts: 1,
      code: "text_rejected",
      retryable: false,
    },
    {
      title: "AccessDeniedException ACCOUNT_DISABLED",
      fault: { kind: "error", type: "AccessDeniedException", reason: "ACCOUNT_DISABLED" },
      attempts: 1,
      code: "text_rejected",
      retryable: false,
    },
    {
      title: "a dropped connection on every attempt",
      fault: { kind: "drop" },
      attempts: 2,
      code: "text_failed",
      retryable: true,
    },
  ];

  for (const { title, fault, attempts, code, retryable } of cases) {
    it(`maps ${title} to ${code} (retryable: ${retryable}) after ${attempts} request(s), sending nothing`, async () => {
      // Prepare
      const { stub, sender } = await start();
      stub.failNext(attempts, fault);

      // Act
      const error = await failureOf(sender.send({ to: NUMBER, body: BODY }));

      // Assess
      expect(error).toMatchObject({ code, retryable });
      expect(stub.requests).toHaveLength(attempts);
      expect(stub.pendingFaults).toBe(0);
      expect(stub.messages).toEqual([]);
      expect(error.message).toContain("***78");
    });
  }

  it("sends the text when a throttled first attempt is retried by the SDK", async () => {
    // Prepare
    const { stub, sender } = await start();
    stub.failNext(1, { kind: "error", type: "ThrottlingException" });

    // Act
    const sent = await sender.send({ to: NUMBER, body: BODY });

    // Assess
    expect(stub.requests.map((request) => request.outcome)).toEqual(["faulted", "accepted"]);
    expect(stub.messages.map((message) => message.messageId)).toEqual([sent.messageId]);
  });

  it("maps the stub's own refusal of an opted-out number to text_rejected", async () => {
    // Prepare
    const { stub, sender } = await start();
    stub.optOut(NUMBER);

    // Act
    const error = await failureOf(sender.send({ to: NUMBER, body: BODY }));

    // Assess
    expect(error).toMatchObject({ code: "text_rejected", retryable: false });
    expect(error.message).toContain("DESTINATION_PHONE_NUMBER_OPTED_OUT");
  });

  it("maps the service's refusal of an over-long body to text_rejected", async () => {
    // Prepare
    const { stub, sender } = await start();

    // Act
    const error = await failureOf(sender.send({ to: NUMBER, body: "x".repeat(1_601) }));

    // Assess
    expect(error).toMatchObject({ code: "text_rejected", retryable: false });
    expect(error.message).toContain("ValidationException (MAXIMUM_SIZE_EXCEEDED, HTTP 400)");
    expect(stub.messages).toEqual([]);
  });

  it("maps a request timeout on every attempt to text_failed, retryable", async () => {
    // Prepare
    const { stub, sender } = await start({}, { requestTimeoutMs: 200, maxAttempts: 2 });
    stub.failNext(2, { kind: "hang" });

    // Act
    const error = await failureOf(sender.send({ to: NUMBER, body: BODY }));

    // Assess
    expect(error).toMatchObject({ code: "text_failed", retryable: true });
    expect(stub.requests.map((request) => request.outcome)).toEqual(["hung", "hung"]);
  });

  it("maps a slow answer past the request timeout to text_failed, though the text went", async () => {
    // Prepare
    const { stub, sender } = await start({}, { requestTimeoutMs: 200, maxAttempts: 1 });
    stub.failNext(1, { kind: "slow", delayMs: 500 });

    // Act
    const error = await failureOf(sender.send({ to: NUMBER, body: BODY }));
    await vi.waitFor(() => expect(stub.messages).toHaveLength(1), { timeout: 2_000 });

    // Assess
    expect(error).toMatchObject({ code: "text_failed", retryable: true });
    expect(stub.requests[0]).toMatchObject({ outcome: "accepted", answered: false });
  });

  it("answers a slow but timely send", async () => {
    // Prepare
    const { stub, sender } = await start();
    stub.failNext(1, { kind: "slow", delayMs: 150 });

    // Act
    const sent = await sender.send({ to: NUMBER, body: BODY });

    // Assess
    expect(stub.messages[0]?.messageId).toBe(sent.messageId);
  });

  it("cuts a send off at its deadline, whatever the client's timeouts, with text_failed", async () => {
    // Prepare
    const { stub, sender } = await start({ deadlineMs: 300 }, { requestTimeoutMs: 5_000, maxAttempts: 1 });
    stub.failNext(1, { kind: "hang" });
    const started = Date.now();

    // Act
    const error = await failureOf(sender.send({ to: NUMBER, body: BODY }));

    // Assess
    expect(error).toMatchObject({ code: "text_failed", retryable: true });
    expect(error.message).toContain("did not finish within 300 ms");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("rejects a number that is not E.164 without calling the service", async () => {
    // Prepare
    const { stub, sender } = await start();

    // Act
    const error = await failureOf(sender.send({ to: "090-1234-5678", body: BODY }));

    // Assess
    expect(error).toMatchObject({ code: "text_rejected", retryable: false });
    expect(error.message).not.toContain("1234");
    expect(stub.requests).toEqual([]);
  });

  it("never shows the number in an error, its cause or anything logged, even when the service quotes it", async () => {
    // Prepare
    const { stub, sender } = await start();
    const lines: string[] = [];
    const capture = (...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    };
    for (const method of ["log", "info", "warn", "error", "debug", "trace"] as const) {
      vi.spyOn(console, method).mockImplementation(capture);
    }
    const write = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, "write").mockImplementation(write);
    vi.spyOn(process.stderr, "write").mockImplementation(write);
    const quoting: SmsFault[] = [
      {
        kind: "error",
        type: "ValidationException",
        reason: "INVALID_PARAMETER",
        message: `Invalid ${NUMBER}`,
      },
      { kind: "error", type: "ConflictException", message: `${NUMBER.slice(1)} has opted out` },
      { kind: "error", type: "ResourceNotFoundException", message: `no route to 090-1234-5678 (${NUMBER})` },
      { kind: "error", type: "AccessDeniedException", message: `denied for +81 90 1234 5678` },
    ];
    const errors: TextSendError[] = [];

    // Act
    for (const fault of quoting) {
      stub.failNext(1, fault);
      errors.push(await failureOf(sender.send({ to: NUMBER, body: BODY })));
    }
    stub.failNext(2, { kind: "drop" });
    errors.push(await failureOf(sender.send({ to: NUMBER, body: BODY })));
    errors.push(await failureOf(sender.send({ to: "+81901234", body: "" })));
    await sender.send({ to: NUMBER, body: BODY });

    // Assess
    const said = [...errors.map(everythingSaid), ...lines].join("\n");
    expect(errors.map((error) => error.code)).toEqual([
      "text_rejected",
      "text_rejected",
      "text_rejected",
      "text_rejected",
      "text_failed",
      "text_rejected",
    ]);
    for (const leak of [NUMBER, NUMBER.slice(1), "9012345678", "1234 5678", "1234-5678", "901234"]) {
      expect(said).not.toContain(leak);
    }
    expect(errors[0]?.message).toContain("Invalid ***78");
  });
});

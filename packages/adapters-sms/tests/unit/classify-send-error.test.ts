import {
  AccessDeniedException,
  ConflictException,
  InternalServerException,
  PinpointSMSVoiceV2ServiceException,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
} from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { describe, expect, it } from "vitest";
import {
  classifySendError,
  maskPhoneNumber,
  toTextSendError,
} from "../../src/end-user-messaging-text-sender.ts";

const meta = (httpStatusCode?: number) => ({ $metadata: { httpStatusCode } });

const other = (name: string, status: number, fault: "client" | "server" = "client") =>
  new PinpointSMSVoiceV2ServiceException({ name, $fault: fault, ...meta(status) });

describe("classifySendError: the SDK's errors for SendTextMessage", () => {
  it.each([
    ["ThrottlingException", new ThrottlingException({ message: "x", ...meta(400) }), "text_throttled", true],
    [
      "ServiceQuotaExceededException, no reason",
      new ServiceQuotaExceededException({ message: "x", ...meta(400) }),
      "text_throttled",
      true,
    ],
    [
      "ServiceQuotaExceededException, an unknown reason",
      new ServiceQuotaExceededException({
        message: "x",
        Reason: "MESSAGES_PER_SECOND" as never,
        ...meta(400),
      }),
      "text_throttled",
      true,
    ],
    [
      "ServiceQuotaExceededException MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT",
      new ServiceQuotaExceededException({
        message: "x",
        Reason: "MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT",
        ...meta(400),
      }),
      "text_rejected",
      false,
    ],
    [
      "ServiceQuotaExceededException DAILY_NOTIFY_TIER_MESSAGE_LIMIT",
      new ServiceQuotaExceededException({
        message: "x",
        Reason: "DAILY_NOTIFY_TIER_MESSAGE_LIMIT",
        ...meta(400),
      }),
      "text_rejected",
      false,
    ],
    [
      "InternalServerException",
      new InternalServerException({ message: "x", ...meta(500) }),
      "text_failed",
      true,
    ],
    [
      "ValidationException",
      new ValidationException({ message: "x", Reason: "CANNOT_PARSE", ...meta(400) }),
      "text_rejected",
      false,
    ],
    [
      "ConflictException DESTINATION_PHONE_NUMBER_OPTED_OUT",
      new ConflictException({ message: "x", Reason: "DESTINATION_PHONE_NUMBER_OPTED_OUT", ...meta(400) }),
      "text_rejected",
      false,
    ],
    [
      "ResourceNotFoundException",
      new ResourceNotFoundException({ message: "x", ...meta(400) }),
      "text_rejected",
      false,
    ],
    [
      "AccessDeniedException",
      new AccessDeniedException({ message: "x", ...meta(400) }),
      "text_rejected",
      false,
    ],
    [
      "another 4xx (UnrecognizedClientException)",
      other("UnrecognizedClientException", 403),
      "text_rejected",
      false,
    ],
    ["HTTP 429 of another name", other("TooManyRequestsException", 429), "text_throttled", true],
    ["another 5xx (ServiceUnavailable)", other("ServiceUnavailable", 503, "server"), "text_failed", true],
    [
      "a timeout (no HTTP answer)",
      Object.assign(new Error("timed out"), { name: "TimeoutError" }),
      "text_failed",
      true,
    ],
    [
      "a reset connection",
      Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
      "text_failed",
      true,
    ],
    ["an abort", Object.assign(new Error("aborted"), { name: "AbortError" }), "text_failed", true],
    [
      "missing credentials",
      Object.assign(new Error("no credentials"), { name: "CredentialsProviderError" }),
      "text_rejected",
      false,
    ],
    ["something that is not an Error", "boom", "text_failed", true],
  ] as const)("%s → %s (retryable: %s)", (_, error, code, retryable) => {
    expect(classifySendError(error)).toEqual({ code, retryable });
  });
});

describe("maskPhoneNumber", () => {
  it.each([
    ["+819012345678", "***78"],
    ["+1 (206) 555-0147", "***47"],
    ["+8190", "***"],
    ["", "***"],
  ])("%s → %s", (phoneNumber, masked) => {
    expect(maskPhoneNumber(phoneNumber)).toBe(masked);
  });
});

describe("toTextSendError", () => {
  it("names the error, its reason and status, masks the number, and keeps a masked copy as the cause", () => {
    // Prepare
    const error = new ValidationException({
      message: "Destination +819012345678 is invalid",
      Reason: "INVALID_PARAMETER",
      $metadata: { httpStatusCode: 400, requestId: "req-1" },
    });

    // Act
    const mapped = toTextSendError(error, "+819012345678", "text to ***78");

    // Assess
    expect(mapped.message).toBe(
      "text to ***78 failed: ValidationException (INVALID_PARAMETER, HTTP 400): Destination ***78 is invalid",
    );
    expect(mapped.cause).not.toBe(error);
    expect(mapped.cause).toMatchObject({
      name: "ValidationException",
      message: "Destination ***78 is invalid",
      reason: "INVALID_PARAMETER",
      httpStatusCode: 400,
      requestId: "req-1",
    });
  });
});

import { LlmError } from "@holdline/domain/errors";
import { describe, expect, it } from "vitest";
import { classifyBedrockError } from "../../src/bedrock-error-classifier.ts";

const sdkError = (name: string, status?: number): Error =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });

const networkError = (code: string): Error => Object.assign(new Error(`connect ${code}`), { code });

const live = () => new AbortController().signal;

describe("classifyBedrockError", () => {
  it.each([
    [sdkError("ThrottlingException", 429), "throttled", true],
    [sdkError("throttlingException"), "throttled", true],
    [sdkError("ServiceQuotaExceededException", 400), "throttled", false],
    [sdkError("AccessDeniedException", 403), "access_denied", false],
    [sdkError("UnrecognizedClientException", 403), "access_denied", false],
    [sdkError("CredentialsProviderError"), "access_denied", false],
    [sdkError("ValidationException", 400), "validation", false],
    [sdkError("ResourceNotFoundException", 404), "validation", false],
    [sdkError("ModelErrorException", 424), "model_error", false],
    [sdkError("ModelTimeoutException", 408), "model_error", true],
    [sdkError("ModelNotReadyException", 429), "model_error", true],
    [sdkError("ModelStreamErrorException", 424), "model_error", true],
    [sdkError("InternalServerException", 500), "model_error", true],
    [sdkError("ServiceUnavailableException", 503), "model_error", true],
    [sdkError("TimeoutError"), "timeout", true],
    [sdkError("SomethingNew", 429), "throttled", true],
    [sdkError("SomethingNew", 502), "model_error", true],
    [sdkError("SomethingNew", 401), "access_denied", false],
    [sdkError("SomethingNew", 409), "validation", false],
    [networkError("ECONNREFUSED"), "model_error", true],
    [networkError("ERR_HTTP2_STREAM_ERROR"), "model_error", true],
    [new Error("no idea"), "model_error", false],
  ])("classifies %s as %s (retryable: %s)", (error, code, retryable) => {
    // Prepare
    const signal = live();

    // Act
    const classified = classifyBedrockError(error, signal);

    // Assess
    expect(classified).toBeInstanceOf(LlmError);
    expect(classified).toMatchObject({ code, retryable });
    expect(classified.cause).toBe(error);
  });

  it("calls any failure after the abort a timeout", () => {
    // Prepare
    const controller = new AbortController();
    controller.abort(new Error("deadline"));

    // Act
    const classified = classifyBedrockError(sdkError("ThrottlingException", 429), controller.signal);

    // Assess
    expect(classified).toMatchObject({ code: "timeout" });
  });

  it("keeps an LlmError it is given", () => {
    // Prepare
    const original = new LlmError("empty_answer", "nothing to say");

    // Act
    const classified = classifyBedrockError(original, live());

    // Assess
    expect(classified).toBe(original);
  });
});

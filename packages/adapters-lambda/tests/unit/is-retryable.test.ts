import { describe, expect, it } from "vitest";
import { isRetryable } from "../../src/lambda-work-dispatcher.ts";

const sdkError = (name: string, httpStatusCode?: number) =>
  Object.assign(new Error(name), { name, $metadata: httpStatusCode === undefined ? {} : { httpStatusCode } });

describe("isRetryable", () => {
  it.each([
    ["TooManyRequestsException", 429],
    ["ResourceConflictException", 409],
    ["ServiceException", 500],
    ["ResourceNotReadyException", 502],
    ["TimeoutError", undefined],
  ])("says yes for %s (HTTP %s)", (name, status) => {
    // Prepare
    const error = sdkError(name, status);

    // Act
    const retryable = isRetryable(error);

    // Assess
    expect(retryable).toBe(true);
  });

  it.each([
    ["ResourceNotFoundException", 404],
    ["AccessDeniedException", 403],
    ["InvalidRequestContentException", 400],
    ["RequestTooLargeException", 413],
    ["CredentialsProviderError", undefined],
  ])("says no for %s (HTTP %s)", (name, status) => {
    // Prepare
    const error = sdkError(name, status);

    // Act
    const retryable = isRetryable(error);

    // Assess
    expect(retryable).toBe(false);
  });
});

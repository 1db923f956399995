import {
  HoldlineError,
  ItemTooLargeError,
  StaleExecutionError,
  StoreUnavailableError,
} from "@holdline/domain/errors";
import { describe, expect, it } from "vitest";
import { toStoreError } from "../../src/dynamodb-errors.ts";

/** What the SDK throws for a service error: a named error with a fault and HTTP metadata. */
const serviceError = (name: string, status: number, message = "message") =>
  Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? "server" : "client",
    $metadata: { httpStatusCode: status },
  });

const networkError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe("SDK error → domain error", () => {
  it.each([
    ["ProvisionedThroughputExceededException", 400],
    ["ThrottlingException", 400],
    ["RequestLimitExceeded", 400],
    ["InternalServerError", 500],
    ["ServiceUnavailable", 503],
  ])("maps %s (HTTP %i) to store_unavailable, retryable", (name, status) => {
    // Act
    const mapped = toStoreError(serviceError(name, status), "get c#1");

    // Assess
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect(mapped).toMatchObject({ code: "store_unavailable", retryable: true });
  });

  it.each(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND"])(
    "maps a %s socket error to store_unavailable",
    (code) => {
      expect(toStoreError(networkError(code), "get c#1")).toBeInstanceOf(StoreUnavailableError);
    },
  );

  it.each(["TimeoutError", "AbortError"])("maps a %s to store_unavailable", (name) => {
    expect(toStoreError(Object.assign(new Error("late"), { name }), "get c#1")).toBeInstanceOf(
      StoreUnavailableError,
    );
  });

  it("maps a failed condition to stale_version", () => {
    const mapped = toStoreError(serviceError("ConditionalCheckFailedException", 400), "transition c#1");

    expect(mapped).toBeInstanceOf(StaleExecutionError);
  });

  it.each([
    "Item size has exceeded the maximum allowed size",
    "Item size to update has exceeded the maximum allowed size",
    "ExpressionAttributeValues contains invalid value: Item size has exceeded the maximum allowed size for key :answer",
  ])("maps the ValidationException %j to item_too_large", (message) => {
    const mapped = toStoreError(serviceError("ValidationException", 400, message), "transition c#1");

    expect(mapped).toBeInstanceOf(ItemTooLargeError);
  });

  it.each([
    ["ResourceNotFoundException", "Requested resource not found"],
    ["AccessDeniedException", "not authorized"],
    ["ValidationException", "Invalid UpdateExpression"],
  ])("maps %s to a non-retryable internal_error", (name, message) => {
    // Act
    const mapped = toStoreError(serviceError(name, 400, message), "get c#1");

    // Assess
    expect(mapped).toBeInstanceOf(HoldlineError);
    expect(mapped).toMatchObject({ code: "internal_error", retryable: false });
  });

  it("keeps the SDK error as the cause and names the operation", () => {
    // Prepare
    const original = serviceError("ThrottlingException", 400);

    // Act
    const mapped = toStoreError(original, "get c#1");

    // Assess
    expect(mapped.cause).toBe(original);
    expect(mapped.message).toContain("get c#1");
  });
});

import { describe, expect, it } from "vitest";
import { emulatorOn, eventsOf, invokeThenSay, spoken } from "./harness.ts";

/**
 * Lambda responses under each ResponseValidation. Source unless said otherwise: Admin Guide, "Grant Amazon
 * Connect access to your AWS Lambda functions" (https://docs.aws.amazon.com/connect/latest/adminguide/connect-lambda-functions.html):
 * "If response validation is set to STRING_MAP, then the Lambda function should return a flat object of
 * key/value pairs of the string type. Otherwise, if response validation is set to JSON, the Lambda function can
 * return any valid JSON including nested JSON"; "Referencing an array is not supported in a flow"; "The size of
 * the returned data must be less than 32 KB of UTF-8 data".
 */

const respond = (response: unknown, key: string, responseType: "STRING_MAP" | "JSON") =>
  emulatorOn({
    "arn:aws:lambda:ap-northeast-1:123456789012:function:fake": async () => response as never,
  }).run(invokeThenSay(key, { responseType }));

describe("STRING_MAP", () => {
  it("accepts a flat object of strings", async () => {
    const { ended } = await respond({ status: "completed" }, "status", "STRING_MAP");
    expect(spoken(ended)).toEqual(["completed"]);
  });

  // Not documented: AWS's own tutorial on the same page returns `customerBalance` as a number and reads it as
  // $.External.customerBalance, so numbers (and, by the same token, booleans) are read as their text.
  it.each([
    [1000, "1000"],
    [true, "true"],
  ])("reads a top-level %s as its text, as AWS's tutorial relies on", async (value, text) => {
    const { ended } = await respond({ customerBalance: value }, "customerBalance", "STRING_MAP");
    expect(spoken(ended)).toEqual([text]);
    expect(eventsOf(ended, "invocation")[0]?.outcome).toEqual({
      status: "success",
      response: { customerBalance: text },
    });
  });

  it.each([
    [{ detail: { nested: "x" } }, "an object"],
    [{ ids: ["a", "b"] }, "an array"],
  ])("refuses a nested value (%j): the Error branch", async (response, what) => {
    const { ended } = await respond(response, "status", "STRING_MAP");
    expect(spoken(ended)).toEqual(["failed"]);
    const outcome = eventsOf(ended, "invocation")[0]?.outcome;
    expect(outcome).toMatchObject({ status: "error", errorType: "invalid_response" });
    expect(outcome?.status === "error" && outcome.message).toContain(what);
  });
});

describe("JSON", () => {
  it("accepts nested objects and resolves dotted paths into them", async () => {
    const { ended } = await respond({ Name: { First: "John", Last: "Doe" } }, "Name.First", "JSON");
    expect(spoken(ended)).toEqual(["John"]);
  });

  it("keeps an array in $.External but a flow cannot reference it, not even by index", async () => {
    // Act
    const { ended } = await respond({ AccountId: "a1", OrderIds: ["x123", "y123"] }, "OrderIds", "JSON");
    const byIndex = await respond({ OrderIds: ["x123"] }, "OrderIds.0", "JSON");

    // Assess: the prompt `$.External.OrderIds` resolves to nothing, so nothing is said (not "failed").
    expect(spoken(ended)).toEqual([]);
    expect(spoken(byIndex.ended)).toEqual([]);
    expect(eventsOf(ended, "invocation")[0]?.outcome).toMatchObject({
      status: "success",
      response: { OrderIds: ["x123", "y123"] },
    });
  });

  it("refuses a response of 32 KB or more", async () => {
    const { ended } = await respond({ big: { text: "x".repeat(33_000) } }, "big.text", "JSON");
    expect(eventsOf(ended, "invocation")[0]?.outcome).toMatchObject({ errorType: "response_too_large" });
  });
});

describe("either validation", () => {
  it.each([["STRING_MAP"], ["JSON"]] as const)(
    "refuses a response that is not an object (%s)",
    async (type) => {
      const { ended } = await respond(["a"], "status", type);
      expect(spoken(ended)).toEqual(["failed"]);
    },
  );
});

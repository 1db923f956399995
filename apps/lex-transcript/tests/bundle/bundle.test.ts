import { importLambdaBundle } from "@holdline/local-aws/lambda-bundle";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture } from "../support/fixtures.ts";

type Handler = (event: unknown) => Promise<unknown>;

describe("lex-transcript bundle", () => {
  let handler: Handler;

  beforeAll(async () => {
    ({ handler } = await importLambdaBundle<Handler>(`${import.meta.dirname}/../..`, {
      HOLDLINE_MIN_TRANSCRIPTION_CONFIDENCE: "0.5",
    }));
  });

  it.each(["ja-fallback-fulfillment", "en-fallback-confident", "en-low-confidence"])(
    "closes the intent for %s as the source does",
    async (name) => {
      const { event, expected } = fixture("valid", name);

      expect(await handler(event)).toEqual(expected);
    },
  );

  it("closes the intent with status error for a Connect event sent to it by mistake", async () => {
    const { event, expected } = fixture("malformed", "connect-event");

    expect(await handler(event)).toEqual(expected);
  });
});

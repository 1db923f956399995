import { importLambdaBundle } from "@holdline/local-aws/lambda-bundle";
import { beforeAll, describe, expect, it } from "vitest";
import { fixture } from "../support/fixtures.ts";
import { logContexts, runBundleOnLambdaNode } from "@holdline/lambda-runtime/bundle-on-lambda-node";
import { LAMBDA_NODE_MAJOR, lambdaNodeBinary } from "@holdline/lambda-runtime/lambda-node";

type Handler = (event: unknown) => Promise<unknown>;

describe("lex-transcript bundle", () => {
  let handler: Handler;
  let environment: Record<string, string>;

  beforeAll(async () => {
    environment = {
      HOLDLINE_MIN_TRANSCRIPTION_CONFIDENCE: "0.5",
    };
    ({ handler } = await importLambdaBundle<Handler>(`${import.meta.dirname}/../..`, environment));
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

  it.runIf(lambdaNodeBinary() !== undefined)(
    `closes the intent as the source does on Node ${LAMBDA_NODE_MAJOR}, the Lambda runtime, with the request id and cold start on its log lines`,
    async () => {
      // Act
      const run = await runBundleOnLambdaNode({
        bundle: `${import.meta.dirname}/../../dist/index.mjs`,
        environment,
        invocations: [
          { event: fixture("valid", "en-fallback-confident").event, requestId: "req-1" },
          { event: fixture("valid", "ja-fallback-fulfillment").event, requestId: "req-2" },
        ],
      });

      // Assess
      expect(run.nodeVersion).toMatch(new RegExp(`^v${LAMBDA_NODE_MAJOR}\\.`));
      expect(run.results).toEqual([
        { ok: true, value: fixture("valid", "en-fallback-confident").expected },
        { ok: true, value: fixture("valid", "ja-fallback-fulfillment").expected },
      ]);
      expect(logContexts(run)).toEqual({ "req-1": "cold start", "req-2": "warm" });
    },
  );
});

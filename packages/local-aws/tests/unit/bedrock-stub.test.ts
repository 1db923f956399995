import http2 from "node:http2";
import {
  BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandInput,
  ConverseStreamCommand,
  type ConverseStreamOutput,
} from "@aws-sdk/client-bedrock-runtime";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BedrockStub } from "../../src/bedrock-stub.ts";
import {
  accessDenied,
  answer,
  hang,
  internalServerError,
  streamFailure,
  streamFailureAfter,
  throttling,
  validationError,
} from "../../src/bedrock-stub-script.ts";

const input: ConverseCommandInput = {
  modelId: "us.amazon.nova-lite-v1:0",
  messages: [{ role: "user", content: [{ text: "Are you open?" }] }],
};

let stub: BedrockStub | undefined;
let sdk: BedrockRuntimeClient | undefined;

/** The SDK client exactly as production builds it, default (HTTP/2) handler included, aimed at the stub. */
const connect = async (script: Parameters<typeof BedrockStub.start>[0]) => {
  stub = await BedrockStub.start(script);
  sdk = new BedrockRuntimeClient({
    region: "us-east-1",
    endpoint: stub.url,
    maxAttempts: 1,
    credentials: { accessKeyId: "AKIDSTUB", secretAccessKey: "stub-secret" },
  });
  return { stub, sdk };
};

const collect = async (events: AsyncIterable<ConverseStreamOutput> | undefined) => {
  const received: ConverseStreamOutput[] = [];
  for await (const event of events ?? []) received.push(event);
  return received;
};

afterEach(async () => {
  sdk?.destroy();
  await stub?.close();
  sdk = undefined;
  stub = undefined;
});

describe("BedrockStub", () => {
  it("listens on a free loopback port over cleartext HTTP", async () => {
    // Prepare
    const { stub } = await connect([answer("Yes.")]);

    // Act
    const url = new URL(stub.url);

    // Assess
    expect(url.protocol).toBe("http:");
    expect(url.hostname).toBe("127.0.0.1");
    expect(Number(url.port)).toBeGreaterThan(0);
  });

  it("answers Converse with the real output shape", async () => {
    // Prepare
    const { sdk } = await connect([
      answer("We are open.", { inputTokens: 11, outputTokens: 4, modelLatencyMs: 250 }),
    ]);

    // Act
    const output = await sdk.send(new ConverseCommand(input));

    // Assess
    expect(output.output?.message).toEqual({ role: "assistant", content: [{ text: "We are open." }] });
    expect(output.stopReason).toBe("end_turn");
    expect(output.usage).toEqual({ inputTokens: 11, outputTokens: 4, totalTokens: 15 });
    expect(output.metrics).toEqual({ latencyMs: 250 });
  });

  it("streams ConverseStream as event-stream frames the SDK decodes", async () => {
    // Prepare
    const { sdk } = await connect([
      answer("We are open today.", { chunks: ["We are ", "open today."], outputTokens: 5 }),
    ]);

    // Act
    const output = await sdk.send(new ConverseStreamCommand(input));
    const events = await collect(output.stream);

    // Assess
    expect(events).toEqual([
      { messageStart: { role: "assistant" } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: "We are " } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: "open today." } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { messageStop: { stopReason: "end_turn" } },
      {
        metadata: {
          usage: { inputTokens: 42, outputTokens: 5, totalTokens: 47 },
          metrics: { latencyMs: 321 },
        },
      },
    ]);
  });

  it("splits an answer into several deltas when no chunks are given", async () => {
    // Prepare
    const { sdk } = await connect([answer("One two three four five six seven eight nine.")]);

    // Act
    const output = await sdk.send(new ConverseStreamCommand(input));
    const deltas = (await collect(output.stream)).flatMap(
      (event) => event.contentBlockDelta?.delta?.text ?? [],
    );

    // Assess
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe("One two three four five six seven eight nine.");
  });

  it.each([
    ["throttling", throttling(), "ThrottlingException", 429],
    ["an internal error", internalServerError(), "InternalServerException", 500],
    ["access denied", accessDenied(), "AccessDeniedException", 403],
    ["a validation error", validationError(), "ValidationException", 400],
  ])("refuses with %s the SDK recognises", async (_name, step, errorName, status) => {
    // Prepare
    const { sdk } = await connect([step]);

    // Act
    const outcome = sdk.send(new ConverseCommand(input));

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: errorName, $metadata: { httpStatusCode: status } });
  });

  it("fails a stream mid-answer with an exception event", async () => {
    // Prepare
    const { sdk } = await connect([streamFailure("We are", "modelStreamErrorException")]);
    const output = await sdk.send(new ConverseStreamCommand(input));

    // Act
    const outcome = collect(output.stream);

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: "ModelStreamErrorException" });
  });

  it("fails a stream after its scripted deltas, each sent a pause apart, and counts the deltas sent", async () => {
    // Prepare
    const { stub, sdk } = await connect([
      streamFailureAfter(["We open ", "at nine. ", "We close"], { chunkDelayMs: 150 }),
    ]);
    const output = await sdk.send(new ConverseStreamCommand(input));
    const deltas: { text: string; sentSoFar: number; at: number }[] = [];
    const started = Date.now();

    // Act
    const outcome = (async () => {
      for await (const event of output.stream ?? []) {
        const text = event.contentBlockDelta?.delta?.text;
        if (text !== undefined)
          deltas.push({ text, sentSoFar: stub.requests[0]?.deltasSent ?? 0, at: Date.now() });
      }
    })();

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: "ModelStreamErrorException" });
    expect(deltas.map((delta) => delta.text)).toEqual(["We open ", "at nine. ", "We close"]);
    expect(deltas[0]?.sentSoFar).toBeLessThan(3);
    // The stub paused between the deltas it wrote (its own times: what the reader sees depends on the load),
    // less 2 ms for a timer that fires a millisecond early against the wall clock.
    const written = stub.requests[0]?.deltaTimes ?? [];
    expect(written).toHaveLength(3);
    for (const [index, at] of written.slice(1).entries()) {
      expect(at - (written[index] ?? 0)).toBeGreaterThanOrEqual(150 - 2);
    }
    expect((deltas[2]?.at ?? 0) - started).toBeGreaterThanOrEqual(0);
    expect(stub.requests[0]).toMatchObject({ outcome: "failed-mid-stream", deltasSent: 3 });
  });

  it("records each request's operation, decoded model id and parsed body", async () => {
    // Prepare
    const { stub, sdk } = await connect([answer("Yes.")]);
    const modelId = "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0";

    // Act
    await sdk.send(new ConverseCommand({ ...input, modelId, inferenceConfig: { maxTokens: 64 } }));
    await collect((await sdk.send(new ConverseStreamCommand(input))).stream);

    // Assess
    expect(stub.calls).toBe(2);
    expect(stub.requests.map((request) => [request.operation, request.modelId, request.outcome])).toEqual([
      ["converse", modelId, "answered"],
      ["converse-stream", "us.amazon.nova-lite-v1:0", "answered"],
    ]);
    expect(stub.requests[0]?.body).toEqual({
      messages: [{ role: "user", content: [{ text: "Are you open?" }] }],
      inferenceConfig: { maxTokens: 64 },
    });
    expect(stub.requests[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDSTUB\//);
  });

  it("plays the script in order and repeats its last step", async () => {
    // Prepare
    const { sdk } = await connect([throttling(), answer("First."), answer("Again.")]);
    const texts: string[] = [];

    // Act
    await sdk.send(new ConverseCommand(input)).catch(() => undefined);
    for (let call = 0; call < 3; call++) {
      const output = await sdk.send(new ConverseCommand(input));
      texts.push(output.output?.message?.content?.[0]?.text ?? "");
    }

    // Assess
    expect(texts).toEqual(["First.", "Again.", "Again."]);
  });

  it("waits the scripted latency before answering", async () => {
    // Prepare
    const { sdk } = await connect([answer("Slow.", { latencyMs: 150 })]);
    const started = Date.now();

    // Act
    await sdk.send(new ConverseCommand(input));

    // Assess
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("hangs until the client aborts, and records the cancellation", async () => {
    // Prepare
    const { stub, sdk } = await connect([hang()]);

    // Act
    const outcome = sdk.send(new ConverseCommand(input), { abortSignal: AbortSignal.timeout(100) });

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: "AbortError" });
    await vi.waitFor(() => expect(stub.requests[0]?.outcome).toBe("cancelled"));
  });

  it("answers an unknown path with 404", async () => {
    // Prepare
    const { stub } = await connect([answer("unused")]);
    const session = http2.connect(stub.url);

    // Act
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const request = session.request({ ":method": "POST", ":path": "/model/x/invoke" });
      request.on("response", (headers) => resolve(headers[":status"]));
      request.on("error", reject);
      request.end("{}");
    });
    session.close();

    // Assess
    expect(status).toBe(404);
    expect(stub.calls).toBe(0);
  });

  it("closes even while a call is hanging", async () => {
    // Prepare
    const { stub, sdk } = await connect([hang()]);
    const pending = sdk.send(new ConverseCommand(input));
    pending.catch(() => undefined);
    await vi.waitFor(() => expect(stub.calls).toBe(1));

    // Act
    const closing = stub.close();

    // Assess
    await expect(closing).resolves.toBeUndefined();
    await expect(pending).rejects.toBeInstanceOf(Error);
  });
});

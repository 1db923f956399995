import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";
import { afterEach, describe, expect, it } from "vitest";
import { BedrockStub } from "../../src/bedrock-stub.ts";
import { answer } from "../../src/bedrock-stub-script.ts";
import { FaultProxy } from "../../src/fault-proxy.ts";
import { LocalLambdaEndpoint } from "../../src/local-lambda-endpoint.ts";

const converse = new ConverseCommand({
  modelId: "amazon.nova-micro-v1:0",
  messages: [{ role: "user", content: [{ text: "Are you open?" }] }],
});

let stub: BedrockStub | undefined;
let lambda: LocalLambdaEndpoint | undefined;
let proxy: FaultProxy | undefined;
let sdk: BedrockRuntimeClient | undefined;

/** The Bedrock client as the adapter builds it (HTTP/2, no SDK retries), aimed at the proxy. */
const bedrockThroughProxy = async (requestTimeoutMs = 5_000) => {
  stub = await BedrockStub.start([answer("Yes, until six.", { latencyMs: 50 })]);
  proxy = await FaultProxy.start({ target: stub.url });
  sdk = new BedrockRuntimeClient({
    region: "us-east-1",
    endpoint: proxy.url,
    maxAttempts: 1,
    credentials: { accessKeyId: "AKIDSTUB", secretAccessKey: "stub-secret" },
    requestHandler: {
      requestTimeout: requestTimeoutMs,
      sessionTimeout: 10_000,
      disableConcurrentStreams: true,
    },
  });
  return { stub, proxy, sdk };
};

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: unknown) => error as Error & { code?: string },
  );

afterEach(async () => {
  sdk?.destroy();
  await proxy?.close();
  await stub?.close();
  await lambda?.close();
  sdk = undefined;
  proxy = undefined;
  stub = undefined;
  lambda = undefined;
});

describe("FaultProxy on HTTP/2 (the Bedrock stub, the real Bedrock client)", { timeout: 15_000 }, () => {
  it("passes a Converse call through and records it as an HTTP/2 stream", async () => {
    // Prepare
    const { sdk, proxy, stub } = await bedrockThroughProxy();

    // Act
    const output = await sdk.send(converse);

    // Assess
    expect(output.output?.message?.content?.[0]?.text).toBe("Yes, until six.");
    expect(stub.calls).toBe(1);
    expect(proxy.records).toEqual([
      expect.objectContaining({
        protocol: "h2",
        operation: "h2 stream 1",
        outcome: "replied",
        forwarded: true,
      }),
    ]);
  });

  it("delay: the answer arrives that much later", async () => {
    // Prepare
    const { sdk, proxy } = await bedrockThroughProxy();
    proxy.inject({ fault: { kind: "delay", ms: 500 } });
    const started = Date.now();

    // Act
    await sdk.send(converse);

    // Assess
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(proxy.records[0]).toMatchObject({ fault: "delay", outcome: "replied" });
  });

  it("reset after forwarding: the model was asked, the client sees the connection reset", async () => {
    // Prepare
    const { sdk, proxy, stub } = await bedrockThroughProxy();
    proxy.inject({ fault: { kind: "reset" } });

    // Act
    const error = await failureOf(sdk.send(converse));

    // Assess
    expect(`${error.name} ${error.code ?? ""} ${error.message}`).toMatch(/ECONNRESET|closed|reset|GOAWAY/i);
    expect(stub.calls).toBe(1);
    expect(proxy.records[0]).toMatchObject({ fault: "reset", outcome: "reset", forwarded: true });
  });

  it("drop after forwarding: the model answered, the client gives up at its request timeout", async () => {
    // Prepare
    const { sdk, proxy, stub } = await bedrockThroughProxy(700);
    proxy.inject({ fault: { kind: "drop" } });
    const started = Date.now();

    // Act
    const error = await failureOf(sdk.send(converse));

    // Assess
    expect(error.name).toBe("TimeoutError");
    expect(Date.now() - started).toBeGreaterThanOrEqual(650);
    await expect.poll(() => stub.requests[0]?.outcome).toBe("answered");
    expect(proxy.records[0]).toMatchObject({ fault: "drop", outcome: "dropped" });
  });

  it("hang: the model never sees the request; the client gives up at its request timeout", async () => {
    // Prepare
    const { sdk, proxy, stub } = await bedrockThroughProxy(700);
    proxy.inject({ fault: { kind: "hang" } });

    // Act
    const error = await failureOf(sdk.send(converse));

    // Assess
    expect(error.name).toBe("TimeoutError");
    expect(stub.calls).toBe(0);
    expect(proxy.records[0]).toMatchObject({ fault: "hang", outcome: "hung", forwarded: false });
  });

  it("refuse: the client cannot connect; after the window, calls go through", async () => {
    // Prepare
    const { sdk, proxy, stub } = await bedrockThroughProxy();
    proxy.refuse(500);

    // Act
    const error = await failureOf(sdk.send(converse));
    await new Promise((resolve) => setTimeout(resolve, 600));
    const output = await sdk.send(converse);

    // Assess
    expect(`${error.code ?? ""} ${error.message}`).toMatch(/ECONNREFUSED/);
    expect(output.output?.message?.content?.[0]?.text).toBe("Yes, until six.");
    expect(stub.calls).toBe(1);
  });
});

describe("FaultProxy on Lambda's Invoke API", () => {
  it("names the operation from the path and can fail an Invoke after the endpoint accepted it (and queued it)", async () => {
    // Prepare
    const events: string[] = [];
    lambda = await LocalLambdaEndpoint.start({ onEvent: (invocation) => events.push(invocation.body) });
    proxy = await FaultProxy.start({ target: lambda.url });
    proxy.inject({ match: { operation: "Invoke" }, fault: { kind: "reset" }, skip: 1 });
    const invoke = () =>
      fetch(`${proxy?.url}/2015-03-31/functions/worker/invocations`, {
        method: "POST",
        headers: { "x-amz-invocation-type": "Event", "content-type": "application/json" },
        body: JSON.stringify({ contactId: "c-1", turn: 1 }),
      });

    // Act
    const accepted = await invoke();
    const failed = await invoke().then(
      () => "answered",
      () => "failed",
    );

    // Assess
    expect(accepted.status).toBe(202);
    expect(failed).toBe("failed");
    expect(lambda.received).toHaveLength(2);
    expect(events).toEqual([
      JSON.stringify({ contactId: "c-1", turn: 1 }),
      JSON.stringify({ contactId: "c-1", turn: 1 }),
    ]);
    expect(proxy.records.map((record) => [record.operation, record.outcome, record.status])).toEqual([
      ["Invoke", "replied", 202],
      ["Invoke", "reset", 202],
    ]);
  });
});

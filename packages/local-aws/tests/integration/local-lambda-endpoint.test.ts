import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { afterEach, describe, expect, it } from "vitest";
import { LocalLambdaEndpoint, type ReceivedInvocation } from "../../src/local-lambda-endpoint.ts";

const FUNCTION_ARN = "arn:aws:lambda:us-east-1:111122223333:function:holdline-dev-connect-start";

let endpoint: LocalLambdaEndpoint | undefined;
let client: LambdaClient | undefined;

afterEach(async () => {
  client?.destroy();
  await endpoint?.close();
  client = undefined;
  endpoint = undefined;
});

/** The real SDK client, aimed at the endpoint, with no retries. */
const lambdaClient = (url: string) =>
  new LambdaClient({
    region: "us-east-1",
    endpoint: url,
    maxAttempts: 1,
    credentials: { accessKeyId: "AKIDSTUB", secretAccessKey: "stub-secret" },
  });

const invoke = (payload: unknown) =>
  client?.send(
    new InvokeCommand({
      FunctionName: FUNCTION_ARN,
      InvocationType: "RequestResponse",
      Payload: new TextEncoder().encode(JSON.stringify(payload)),
    }),
  );

const payloadOf = (output: Awaited<ReturnType<typeof invoke>>) =>
  JSON.parse(new TextDecoder().decode(output?.Payload)) as unknown;

describe("LocalLambdaEndpoint running a function for RequestResponse invocations", () => {
  it("hands the invocation to onRequestResponse and answers with what it returned", async () => {
    // Prepare
    const seen: ReceivedInvocation[] = [];
    endpoint = await LocalLambdaEndpoint.start({
      onRequestResponse: async (invocation) => {
        seen.push(invocation);
        const event = JSON.parse(invocation.body) as { question: string };
        return { status: "completed", answer: `you asked: ${event.question}` };
      },
    });
    client = lambdaClient(endpoint.url);

    // Act
    const output = await invoke({ question: "open today?" });

    // Assess
    expect(output?.StatusCode).toBe(200);
    expect(output?.FunctionError).toBeUndefined();
    expect(payloadOf(output)).toEqual({ status: "completed", answer: "you asked: open today?" });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ functionName: FUNCTION_ARN, invocationType: "RequestResponse" });
  });

  it("reports a function that threw as Lambda does: FunctionError Unhandled and the error in the payload", async () => {
    // Prepare
    endpoint = await LocalLambdaEndpoint.start({
      onRequestResponse: async () => {
        throw new TypeError("cannot read the event");
      },
    });
    client = lambdaClient(endpoint.url);

    // Act
    const output = await invoke({});

    // Assess
    expect(output?.StatusCode).toBe(200);
    expect(output?.FunctionError).toBe("Unhandled");
    expect(payloadOf(output)).toEqual({ errorType: "TypeError", errorMessage: "cannot read the event" });
  });

  it("answers null without onRequestResponse, and a scripted error before running the function", async () => {
    // Prepare
    let runs = 0;
    const plain = await LocalLambdaEndpoint.start();
    endpoint = await LocalLambdaEndpoint.start({
      onRequestResponse: async () => {
        runs += 1;
        return { ok: true };
      },
    });
    endpoint.reply({ kind: "error", status: 404, errorType: "ResourceNotFoundException" });
    client = lambdaClient(plain.url);
    const scripted = lambdaClient(endpoint.url);

    try {
      // Act
      const unset = await invoke({});
      const refused = await scripted
        .send(new InvokeCommand({ FunctionName: FUNCTION_ARN, Payload: new TextEncoder().encode("{}") }))
        .then(
          () => undefined,
          (error: Error) => error.name,
        );

      // Assess
      expect(payloadOf(unset)).toBeNull();
      expect(refused).toBe("ResourceNotFoundException");
      expect(runs).toBe(0);
    } finally {
      scripted.destroy();
      await plain.close();
    }
  });
});

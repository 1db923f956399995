import type { ExecutionKey } from "@holdline/domain/execution/execution";
import type { AbandonedStart } from "@holdline/domain/ports/work-dispatcher.port";
import { workDispatcherContract } from "@holdline/domain/testing/contracts/work-dispatcher.contract";
import { LocalLambdaEndpoint } from "@holdline/local-aws/local-lambda-endpoint";
import { createLambdaClient } from "../../src/lambda-client.factory.ts";
import { LambdaWorkDispatcher } from "../../src/lambda-work-dispatcher.ts";
import { parseWorkerPayload, type WorkerPayload } from "../../src/worker-payload.ts";
import { TEST_CLIENT_TIMEOUTS, TEST_DISPATCH_DEADLINE_MS } from "../support/test-timeouts.ts";

workDispatcherContract("Lambda Event invocation through the SDK, on a local Lambda endpoint", {
  create: async () => {
    const endpoint = await LocalLambdaEndpoint.start();
    const client = createLambdaClient({
      region: "ap-northeast-1",
      endpoint: endpoint.url,
      credentials: { accessKeyId: "AKIDLOCAL", secretAccessKey: "local-secret" },
      ...TEST_CLIENT_TIMEOUTS,
    });
    const dispatcher = new LambdaWorkDispatcher(client, {
      functionName: "holdline-answer-worker",
      deadlineMs: TEST_DISPATCH_DEADLINE_MS,
    });
    /** Indexes of the requests the endpoint was told to refuse. */
    const refused = new Set<number>();
    return { dispatcher, endpoint, client, refused };
  },
  // What Lambda accepted (202) is what it queues for the worker: the payload of every request not refused,
  // read as the worker reads it.
  delivery: {
    kind: "worker",
    delivered: ({ endpoint, refused }) =>
      accepted(endpoint, refused)
        .filter((payload) => payload.abandon === undefined)
        .map((payload): ExecutionKey => ({ contactId: payload.contactId, turn: payload.turn })),
    abandoned: ({ endpoint, refused }) =>
      accepted(endpoint, refused).flatMap((payload): AbandonedStart[] => {
        const parsed = parseWorkerPayload(payload);
        return parsed.ok && parsed.abandon !== undefined ? [parsed.abandon] : [];
      }),
  },
  // Access denied is not retried by the SDK, so exactly the next request is refused.
  refusal: {
    kind: "scripted",
    refuseNext: ({ endpoint, refused }) => {
      refused.add(endpoint.received.length);
      endpoint.reply({ kind: "error", status: 403, errorType: "AccessDeniedException" });
    },
  },
  dispose: async ({ endpoint, client }) => {
    client.destroy();
    await endpoint.close();
  },
});

function accepted(endpoint: LocalLambdaEndpoint, refused: ReadonlySet<number>): WorkerPayload[] {
  return endpoint.received
    .filter((_, index) => !refused.has(index))
    .map((request) => JSON.parse(request.body) as WorkerPayload);
}

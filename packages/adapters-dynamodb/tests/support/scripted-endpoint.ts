import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A reply in DynamoDB's JSON protocol, or `hang` to accept the request and never answer. */
export type ScriptedReply = { readonly status: number; readonly body: Record<string, unknown> } | "hang";

export interface ScriptedEndpoint {
  readonly url: string;
  /** Requests received so far (each SDK attempt is one). */
  readonly requests: number;
  close(): Promise<void>;
}

/** A DynamoDB error reply, as the service sends it. */
export const dynamoDbError = (status: number, type: string, message = type): ScriptedReply => ({
  status,
  body: { __type: `com.amazonaws.dynamodb.v20120810#${type}`, message },
});

/** A loopback HTTP server that answers DynamoDB requests from a script, for failures dynalite cannot produce. */
export async function startScriptedEndpoint(
  reply: (request: number) => ScriptedReply,
): Promise<ScriptedEndpoint> {
  let requests = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      requests += 1;
      const next = reply(requests);
      if (next === "hang") return;
      response.writeHead(next.status, { "content-type": "application/x-amz-json-1.0" });
      response.end(JSON.stringify(next.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A loopback port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

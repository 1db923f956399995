import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReplyDroppingRelay {
  /** `http://127.0.0.1:<port>`, for the SDK client's `endpoint`. */
  readonly url: string;
  /** Replies dropped so far. */
  readonly dropped: number;
  /**
   * The next request for `operation` (e.g. `UpdateItem`, `PutItem`) whose JSON body `matches` is forwarded
   * and applied, and then its reply is dropped by resetting the connection, as when a reply is lost after
   * DynamoDB wrote.
   */
  dropNextReply(operation: string, matches?: (body: string) => boolean): void;
  close(): Promise<void>;
}

/**
 * A loopback relay in front of a DynamoDB endpoint (dynalite) that forwards every request and can drop a
 * reply after the write it answers was applied: the one fault that makes a conditional write's own retry
 * fail its condition. Only what the lost-reply tests need.
 */
export async function startReplyDroppingRelay(target: string): Promise<ReplyDroppingRelay> {
  const drops: { operation: string; matches: (body: string) => boolean }[] = [];
  let dropped = 0;
  const server = createServer((incoming, outgoing) => {
    const body: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => body.push(chunk));
    incoming.on("end", () => {
      const operation =
        String(incoming.headers["x-amz-target"] ?? "")
          .split(".")
          .pop() ?? "";
      const upstream = request(
        `${target}${incoming.url ?? "/"}`,
        { method: incoming.method, headers: incoming.headers },
        (reply) => {
          const replyBody: Buffer[] = [];
          reply.on("data", (chunk: Buffer) => replyBody.push(chunk));
          reply.on("end", () => {
            const sent = Buffer.concat(body).toString("utf8");
            const drop = drops.findIndex((next) => next.operation === operation && next.matches(sent));
            if (drop >= 0) {
              drops.splice(drop, 1);
              dropped += 1;
              incoming.socket.destroy();
              return;
            }
            outgoing.writeHead(reply.statusCode ?? 502, reply.headers);
            outgoing.end(Buffer.concat(replyBody));
          });
        },
      );
      upstream.on("error", (error) => outgoing.destroy(error));
      upstream.end(Buffer.concat(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get dropped() {
      return dropped;
    },
    dropNextReply(operation, matches = () => true) {
      drops.push({ operation, matches });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

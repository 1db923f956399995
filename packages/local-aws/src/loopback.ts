import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * An HTTP server on a free loopback port, for a local stand-in of an AWS service, and the endpoint to give the
 * SDK client. `handle` is called once the caller has the server (a request that arrives before is answered by
 * nobody, as no client knows the port yet).
 */
export async function listenOnLoopback(
  handle: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ readonly server: Server; readonly url: string }> {
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

/** Waits its owner stops all at once when it closes: a wait pending then never resolves. */
export class PendingTimers {
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Resolves after `ms`, unless `clear()` comes first. */
  after(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

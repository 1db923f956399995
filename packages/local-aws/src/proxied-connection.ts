import type { Socket } from "node:net";
import type { Exchange, ProxiedRequest, ProxyRecord, RequestOutcome } from "./fault-proxy.ts";
import {
  endsStream,
  H2_HEADERS,
  H2_PREFACE,
  type H2Frame,
  type Http1Head,
  h2Frame,
  http1Message,
  statusOf,
} from "./wire-framing.ts";

/** What a connection needs from its proxy. */
export interface ConnectionHost {
  readonly records: readonly ProxyRecord[];
  /** The global slowdown, as it stands when a reply arrives. */
  readonly replySlowdownMs: number;
  /** Records a complete request and picks its fault. */
  admit(request: Omit<ProxiedRequest, "seq" | "at">): Exchange;
  refuse(forMs?: number): void;
  /** Resolves after `ms`, unless the proxy closes first (then never). */
  after(ms: number): Promise<void>;
  forget(connection: ProxiedConnection): void;
}

const DYNAMO_LIKE_TARGET = /\.([A-Za-z]+)$/;
const LAMBDA_INVOKE_PATH = /^\/2015-03-31\/functions\/[^/]+\/invocations(\?|$)/;

/** One client connection and its own connection to the server. */
export class ProxiedConnection {
  private clientBuffer = Buffer.alloc(0);
  private serverBuffer = Buffer.alloc(0);
  private protocol: ProxiedRequest["protocol"] | undefined;
  /** HTTP/1.1: forwarded requests waiting for their reply, in order. */
  private readonly awaiting: Exchange[] = [];
  /** HTTP/2: requests by stream id. */
  private readonly streams = new Map<number, Exchange>();
  private lastClientStream = 0;
  /** A response without a length, passed on until the server closes. */
  private untilClose: Exchange | undefined;
  /** Replies go out in order, each after its delay. */
  private chain: Promise<void> = Promise.resolve();
  /** `hang`: nothing more goes either way. */
  private blackHole = false;
  /** `drop`: nothing more reaches the client. */
  private silent = false;
  private ended = false;

  constructor(
    private readonly proxy: ConnectionHost,
    private readonly id: number,
    private readonly client: Socket,
    private readonly upstream: Socket,
  ) {
    client.on("data", (chunk: Buffer) => this.fromClient(chunk));
    upstream.on("data", (chunk: Buffer) => this.fromServer(chunk));
    client.on("error", () => undefined);
    upstream.on("error", () => undefined);
    client.on("close", () => this.clientClosed());
    upstream.on("close", () => this.serverClosed());
  }

  /** Resets the client's connection (RST) and closes the server's. */
  reset(): void {
    if (this.ended) return;
    this.ended = true;
    this.client.resetAndDestroy();
    this.upstream.destroy();
    this.proxy.forget(this);
  }

  destroy(): void {
    this.ended = true;
    this.client.destroy();
    this.upstream.destroy();
    this.proxy.forget(this);
  }

  private fromClient(chunk: Buffer): void {
    if (this.ended || this.blackHole) return;
    this.clientBuffer = Buffer.concat([this.clientBuffer, chunk]);
    if (this.protocol === undefined) {
      const prefix = this.clientBuffer.subarray(0, H2_PREFACE.length);
      if (H2_PREFACE.subarray(0, prefix.length).equals(prefix)) {
        if (prefix.length < H2_PREFACE.length) return;
        this.protocol = "h2";
        this.upstream.write(prefix);
        this.clientBuffer = this.clientBuffer.subarray(H2_PREFACE.length);
      } else {
        this.protocol = "http/1.1";
      }
    }
    if (this.protocol === "h2") this.h2FromClient();
    else this.http1FromClient();
  }

  private http1FromClient(): void {
    while (!this.ended && !this.blackHole) {
      const message = http1Message(this.clientBuffer, "request");
      if (message?.kind !== "complete") return;
      const bytes = this.clientBuffer.subarray(0, message.length);
      this.clientBuffer = this.clientBuffer.subarray(message.length);
      const [method, path] = message.head.startLine.split(" ");
      const target = message.head.headers.get("x-amz-target");
      const exchange = this.proxy.admit({
        connection: this.id,
        protocol: "http/1.1",
        method,
        path,
        target,
        operation: operationOf(method, path, target),
        body: bytes.subarray(message.bodyStart).toString("utf8"),
      });
      if (this.heldBack(exchange)) return;
      this.upstream.write(bytes);
      exchange.record.forwarded = true;
      this.awaiting.push(exchange);
    }
  }

  private h2FromClient(): void {
    while (!this.ended && !this.blackHole) {
      const frame = h2Frame(this.clientBuffer);
      if (frame === undefined) return;
      const bytes = this.clientBuffer.subarray(0, frame.length);
      this.clientBuffer = this.clientBuffer.subarray(frame.length);
      if (frame.type === H2_HEADERS && frame.streamId % 2 === 1 && frame.streamId > this.lastClientStream) {
        this.lastClientStream = frame.streamId;
        const exchange = this.proxy.admit({
          connection: this.id,
          protocol: "h2",
          method: undefined,
          path: undefined,
          target: undefined,
          operation: `h2 stream ${frame.streamId}`,
          body: "",
        });
        if (this.heldBack(exchange)) return;
        exchange.record.forwarded = true;
        this.streams.set(frame.streamId, exchange);
      }
      this.upstream.write(bytes);
    }
  }

  /** Applies the faults that keep a request from the server; true if it was kept. */
  private heldBack(exchange: Exchange): boolean {
    const { fault, record } = exchange;
    if (fault?.kind === "hang") {
      record.outcome = "hung";
      this.blackHole = true;
      return true;
    }
    if (fault?.kind === "refuse") {
      this.finish(record, "refused");
      this.proxy.refuse(fault.forMs);
      return true;
    }
    if (fault?.kind === "reset" && fault.beforeForward === true) {
      this.finish(record, "reset");
      this.reset();
      return true;
    }
    return false;
  }

  private fromServer(chunk: Buffer): void {
    if (this.ended || this.blackHole) return;
    if (this.untilClose !== undefined) {
      this.toClient(chunk);
      return;
    }
    this.serverBuffer = Buffer.concat([this.serverBuffer, chunk]);
    if (this.protocol === "h2") this.h2FromServer();
    else this.http1FromServer();
  }

  private http1FromServer(): void {
    while (!this.ended && this.serverBuffer.length > 0) {
      const exchange = this.awaiting[0];
      const message = http1Message(this.serverBuffer, "response", exchange?.record.method);
      if (message === undefined) return;
      const status = statusOf(message.head);
      if (message.kind === "until-close") {
        this.awaiting.shift();
        if (exchange !== undefined) this.untilClose = exchange;
        const bytes = this.serverBuffer;
        this.serverBuffer = Buffer.alloc(0);
        this.reply(exchange, status, bytes);
        return;
      }
      const bytes = this.serverBuffer.subarray(0, message.length);
      this.serverBuffer = this.serverBuffer.subarray(message.length);
      if (status >= 100 && status < 200) {
        this.toClient(bytes);
        continue;
      }
      this.awaiting.shift();
      this.reply(exchange, status, bytes, message.head);
    }
  }

  private h2FromServer(): void {
    while (!this.ended) {
      const frame = h2Frame(this.serverBuffer);
      if (frame === undefined) return;
      const bytes = this.serverBuffer.subarray(0, frame.length);
      this.serverBuffer = this.serverBuffer.subarray(frame.length);
      const exchange = this.streams.get(frame.streamId);
      if (exchange === undefined) {
        this.toClient(bytes);
        continue;
      }
      if (!exchange.replyStarted && !this.startReply(exchange, undefined)) return;
      this.toClient(bytes, endsStream(frame) ? () => this.finishStream(frame, exchange) : undefined);
    }
  }

  /** The first bytes of a reply arrived: applies the request's reply fault. False if nothing more goes out. */
  private startReply(exchange: Exchange, status: number | undefined): boolean {
    exchange.replyStarted = true;
    const { fault, record } = exchange;
    record.status = status;
    if (fault?.kind === "reset") {
      this.finish(record, "reset");
      this.reset();
      return false;
    }
    if (fault?.kind === "drop") {
      this.finish(record, "dropped");
      this.silent = true;
      if (fault.close === true) this.chain = this.chain.then(() => void this.client.end());
      return false;
    }
    const slowdown = this.proxy.replySlowdownMs;
    const delayMs = (fault?.kind === "delay" ? fault.ms : 0) + slowdown;
    if (record.fault === undefined && slowdown > 0) record.fault = "slow";
    if (delayMs > 0) this.chain = this.chain.then(() => this.proxy.after(delayMs));
    return true;
  }

  private reply(exchange: Exchange | undefined, status: number, bytes: Buffer, head?: Http1Head): void {
    if (exchange === undefined) {
      this.toClient(bytes);
      return;
    }
    if (!this.startReply(exchange, status)) return;
    const done = head === undefined ? undefined : () => this.finish(exchange.record, "replied");
    this.toClient(bytes, done);
  }

  private finishStream(frame: H2Frame, exchange: Exchange): void {
    this.finish(exchange.record, "replied");
    this.streams.delete(frame.streamId);
  }

  private finish(record: ProxyRecord, outcome: RequestOutcome): void {
    if (record.outcome !== "pending" && record.outcome !== "hung") return;
    record.outcome = outcome;
    record.endedAt = Date.now();
  }

  /** Passes bytes on in order, after whatever delays are queued ahead of them. */
  private toClient(bytes: Buffer, written?: () => void): void {
    if (this.silent) return;
    this.chain = this.chain.then(() => {
      if (this.ended || this.silent || this.client.destroyed) return;
      this.client.write(bytes);
      written?.();
    });
  }

  private clientClosed(): void {
    const now = Date.now();
    const unanswered = [...this.awaiting, ...this.streams.values()].map((exchange) => exchange.record);
    const hung = this.proxy.records.filter(
      (record) =>
        record.connection === this.id && (record.outcome === "hung" || record.outcome === "dropped"),
    );
    for (const record of new Set([...unanswered, ...hung])) {
      if (record.clientGaveUpAt === undefined && !this.ended) record.clientGaveUpAt = now;
    }
    this.ended = true;
    this.upstream.destroy();
    this.proxy.forget(this);
  }

  private serverClosed(): void {
    if (this.untilClose !== undefined) {
      const record = this.untilClose.record;
      this.chain = this.chain.then(() => this.finish(record, "replied"));
    }
    // A hung or dropped connection stays open for the client to give up on.
    if (this.blackHole || this.silent) return;
    this.chain = this.chain.then(() => {
      if (!this.ended) this.client.end();
    });
  }
}

function operationOf(
  method: string | undefined,
  path: string | undefined,
  target: string | undefined,
): string {
  const fromTarget = target === undefined ? undefined : DYNAMO_LIKE_TARGET.exec(target)?.[1];
  if (fromTarget !== undefined) return fromTarget;
  if (method === "POST" && path !== undefined && LAMBDA_INVOKE_PATH.test(path)) return "Invoke";
  return `${method ?? "?"} ${path ?? "?"}`;
}

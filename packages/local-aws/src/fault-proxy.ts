import { connect as connectTcp, createServer, type Server } from "node:net";
import { PendingTimers } from "./loopback.ts";
import { type ConnectionHost, ProxiedConnection } from "./proxied-connection.ts";

/**
 * What the proxy does to one request. "After forwarding" faults reach the server, which applies the request;
 * only the client is left in the dark.
 */
export type Fault =
  /** Forward; hold the reply `ms` before passing it on. */
  | { readonly kind: "delay"; readonly ms: number }
  /**
   * Forward; the reply never reaches the client. The connection is held open until the client gives up
   * (its request timeout), or with `close` ended at once (the client sees the socket close).
   */
  | { readonly kind: "drop"; readonly close?: boolean }
  /** Forward; when the reply comes, reset (RST) the client's connection instead. `beforeForward`: not sent. */
  | { readonly kind: "reset"; readonly beforeForward?: boolean }
  /**
   * Not forwarded: the connection is reset and the listener closed for `forMs`, so new connections are
   * refused (ECONNREFUSED) and every open one is reset, as when the service is unreachable.
   */
  | { readonly kind: "refuse"; readonly forMs: number }
  /** Not forwarded, never answered: the connection goes silent both ways and stays open. */
  | { readonly kind: "hang" };

export type FaultKind = Fault["kind"];

/** One request as the proxy saw it, before deciding what to do with it. */
export interface ProxiedRequest {
  /** 1, 2, 3… over the proxy's life. */
  readonly seq: number;
  readonly connection: number;
  readonly protocol: "http/1.1" | "h2";
  /** HTTP/1.1 only (HTTP/2 headers are HPACK-compressed and left alone). */
  readonly method: string | undefined;
  readonly path: string | undefined;
  /** `X-Amz-Target`, e.g. `DynamoDB_20120810.UpdateItem`. */
  readonly target: string | undefined;
  /** `UpdateItem` (from the target), `Invoke` (Lambda's path), `METHOD /path`, or `h2 stream 3`. */
  readonly operation: string;
  /** The request body as text; "" on HTTP/2. */
  readonly body: string;
  /** Epoch ms the whole request had arrived. */
  readonly at: number;
}

export type RequestOutcome = "pending" | "replied" | "dropped" | "reset" | "refused" | "hung";

/** What passed through, and what the proxy did to it. */
export interface ProxyRecord extends ProxiedRequest {
  /** The fault applied; `slow` when only the global slowdown delayed the reply. */
  fault: FaultKind | "slow" | undefined;
  /** Whether the server received the request. */
  forwarded: boolean;
  outcome: RequestOutcome;
  /** The reply's HTTP status (HTTP/1.1), whether or not the client got it. */
  status: number | undefined;
  /** Epoch ms the reply reached the client, or the proxy dropped it or reset the connection. */
  endedAt: number | undefined;
  /** Epoch ms the client closed the connection with this request unanswered: it gave up. */
  clientGaveUpAt: number | undefined;
}

/** Every given field must match; a RegExp is tested, a string compared; `body` gets the parsed JSON. */
export interface RequestMatch {
  readonly operation?: string | RegExp;
  readonly target?: string | RegExp;
  readonly path?: string | RegExp;
  readonly protocol?: ProxiedRequest["protocol"];
  readonly body?: RegExp | ((json: unknown) => boolean);
}

export type Matcher = RequestMatch | ((request: ProxiedRequest) => boolean);

export interface FaultRule {
  /** Default: every request. */
  readonly match?: Matcher;
  readonly fault: Fault;
  /** How many matching requests get the fault; default 1; `Infinity` for all. */
  readonly count?: number;
  /** Matching requests to let through untouched first: `skip: 1` hits the second match. Default 0. */
  readonly skip?: number;
}

export interface FaultHandle {
  /** Requests this rule has faulted so far. */
  readonly applied: number;
  /** Stops the rule; requests already faulted keep their fault. */
  cancel(): void;
}

export interface FaultProxyOptions {
  /** The server, e.g. `http://127.0.0.1:8000` (dynalite, the Lambda endpoint, the Bedrock stub). */
  readonly target: string;
}

interface ActiveRule {
  readonly match: Matcher | undefined;
  readonly fault: Fault;
  remaining: number;
  skip: number;
  applied: number;
}

/** @internal A request on its way through, with the fault picked for it. */
export interface Exchange {
  readonly record: ProxyRecord;
  readonly fault: Fault | undefined;
  replyStarted: boolean;
}

/**
 * A TCP proxy on 127.0.0.1 that sits between a real SDK client and a local server and injects faults per
 * request (by match and count) or globally. It is HTTP-aware where it needs boundaries: HTTP/1.1 messages
 * (DynamoDB's and Lambda's JSON APIs) by Content-Length or chunking, HTTP/2 (the Bedrock stub's h2c) by frames.
 * Bytes pass unchanged. On HTTP/2 a fault starts at the faulted stream and, except `delay`, takes the
 * whole connection with it (its streams share one socket and one header-compression state).
 */
export class FaultProxy implements ConnectionHost {
  readonly records: ProxyRecord[] = [];
  private readonly rules: ActiveRule[] = [];
  private readonly connections = new Set<ProxiedConnection>();
  private readonly timers = new PendingTimers();
  private server: Server | undefined;
  private slowMs = 0;
  private refusedUntilAccept = false;
  private reopenTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private seq = 0;
  private connectionSeq = 0;

  private constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
    private port: number,
  ) {}

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const target = new URL(options.target);
    const proxy = new FaultProxy(target.hostname, Number(target.port), 0);
    await proxy.listen();
    return proxy;
  }

  /** The endpoint to give the SDK client instead of the server's. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Adds a rule; rules are tried in the order added and the first that applies wins. */
  inject(rule: FaultRule): FaultHandle {
    const active: ActiveRule = {
      match: rule.match,
      fault: rule.fault,
      remaining: rule.count ?? 1,
      skip: rule.skip ?? 0,
      applied: 0,
    };
    this.rules.push(active);
    return {
      get applied() {
        return active.applied;
      },
      cancel: () => {
        active.remaining = 0;
      },
    };
  }

  /** Every reply (of every request) is held `ms` longer; 0 ends the slowdown. */
  slow(ms: number): void {
    this.slowMs = ms;
  }

  /**
   * Refuses connections: closes the listener and resets every open connection, for `forMs` or, without it,
   * until `accept()`.
   */
  refuse(forMs?: number): void {
    this.stopListening();
    for (const connection of this.connections) connection.reset();
    clearTimeout(this.reopenTimer);
    this.refusedUntilAccept = forMs === undefined;
    if (forMs !== undefined) {
      this.reopenTimer = setTimeout(() => this.accept().catch(() => undefined), forMs);
    }
  }

  /** Accepts connections again after `refuse`. */
  async accept(): Promise<void> {
    clearTimeout(this.reopenTimer);
    this.refusedUntilAccept = false;
    if (this.server === undefined && !this.closed) await this.listen();
  }

  /** Removes every rule and the slowdown; accepts connections again. */
  async clear(): Promise<void> {
    for (const rule of this.rules) rule.remaining = 0;
    this.slowMs = 0;
    await this.accept();
  }

  /** Records of requests whose operation matches. */
  recordsOf(operation: string | RegExp): ProxyRecord[] {
    return this.records.filter((record) => matches(operation, record.operation));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reopenTimer);
    this.timers.clear();
    for (const connection of this.connections) connection.destroy();
    this.stopListening();
  }

  /** @internal Called by a connection for each complete request: records it and picks its fault. */
  admit(request: Omit<ProxiedRequest, "seq" | "at">): Exchange {
    this.seq += 1;
    const seen: ProxiedRequest = { ...request, seq: this.seq, at: Date.now() };
    let fault: Fault | undefined;
    for (const rule of this.rules) {
      if (rule.remaining <= 0 || !appliesTo(rule.match, seen)) continue;
      if (rule.skip > 0) {
        rule.skip -= 1;
        continue;
      }
      rule.remaining -= 1;
      rule.applied += 1;
      fault = rule.fault;
      break;
    }
    const record: ProxyRecord = {
      ...seen,
      fault: fault?.kind,
      forwarded: false,
      outcome: "pending",
      status: undefined,
      endedAt: undefined,
      clientGaveUpAt: undefined,
    };
    this.records.push(record);
    return { record, fault, replyStarted: false };
  }

  /** @internal The global slowdown, as it stands when a reply arrives. */
  get replySlowdownMs(): number {
    return this.slowMs;
  }

  /** @internal Resolves after `ms`; never once the proxy has closed (its connections are gone by then). */
  after(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return this.timers.after(ms);
  }

  /** @internal A connection that ended. */
  forget(connection: ProxiedConnection): void {
    this.connections.delete(connection);
  }

  private async listen(): Promise<void> {
    const server = createServer((client) => {
      if (this.closed || this.refusedUntilAccept || this.server !== server) {
        client.resetAndDestroy();
        return;
      }
      this.connectionSeq += 1;
      const upstream = connectTcp({ host: this.targetHost, port: this.targetPort });
      this.connections.add(new ProxiedConnection(this, this.connectionSeq, client, upstream));
    });
    this.server = server;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(this.port, "127.0.0.1", () => {
          server.off("error", reject);
          resolve();
        });
      });
    } catch (error) {
      if (this.server === server) this.server = undefined;
      throw error;
    }
    this.port = (server.address() as { port: number }).port;
  }

  private stopListening(): void {
    this.server?.close();
    this.server = undefined;
  }
}

const matches = (expected: string | RegExp, actual: string | undefined): boolean =>
  actual !== undefined && (typeof expected === "string" ? expected === actual : expected.test(actual));

function appliesTo(match: Matcher | undefined, request: ProxiedRequest): boolean {
  if (match === undefined) return true;
  if (typeof match === "function") return match(request);
  if (match.operation !== undefined && !matches(match.operation, request.operation)) return false;
  if (match.target !== undefined && !matches(match.target, request.target)) return false;
  if (match.path !== undefined && !matches(match.path, request.path)) return false;
  if (match.protocol !== undefined && match.protocol !== request.protocol) return false;
  if (match.body instanceof RegExp) return match.body.test(request.body);
  if (match.body !== undefined) {
    try {
      return match.body(JSON.parse(request.body));
    } catch {
      return false;
    }
  }
  return true;
}

import { once } from "node:events";
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { EventStreamCodec } from "@smithy/core/event-streams";
import type { StubAnswer, StubError, StubStep, StubStreamFailure } from "./bedrock-stub-script.ts";

export type StubOperation = "converse" | "converse-stream";

/** How a recorded call ended on the stub's side. */
export type StubOutcome = "pending" | "answered" | "refused" | "failed-mid-stream" | "cancelled";

export interface RecordedRequest {
  readonly operation: StubOperation;
  /** Decoded from the path, so an inference-profile ARN reads as it was configured. */
  readonly modelId: string;
  /** The parsed JSON body the SDK sent. */
  readonly body: Record<string, unknown>;
  readonly headers: Readonly<Record<string, string>>;
  outcome: StubOutcome;
  /** ConverseStream: the `contentBlockDelta` events written so far (a test can see how far the stream got). */
  deltasSent: number;
  /** ConverseStream: when each of them was written (epoch ms): the stub's own pacing, free of the reader's. */
  readonly deltaTimes: number[];
}

export type StubScript = readonly StubStep[] | ((request: RecordedRequest, call: number) => StubStep);

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const codec = new EventStreamCodec(
  (bytes) => decoder.decode(bytes),
  (text) => encoder.encode(text),
);

const ROUTE = /^\/model\/([^/]+)\/(converse|converse-stream)$/;

/**
 * A local Amazon Bedrock Runtime that speaks the wire protocol the real SDK client expects, over
 * HTTP/2 cleartext on 127.0.0.1 (the SDK's default handler for this client is HTTP/2). Each call
 * plays the next step of a script; the last step repeats. It records every request it receives.
 */
export class BedrockStub {
  readonly requests: RecordedRequest[] = [];
  private script: StubScript;
  private readonly sessions = new Set<http2.ServerHttp2Session>();
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: http2.Http2Server,
    script: StubScript,
  ) {
    this.script = script;
  }

  /** Starts a stub on a free loopback port. */
  static async start(script: StubScript = []): Promise<BedrockStub> {
    const server = http2.createServer();
    const stub = new BedrockStub(server, script);
    server.on("session", (session) => {
      stub.sessions.add(session);
      session.on("close", () => stub.sessions.delete(session));
    });
    server.on("stream", (stream, headers) => stub.handle(stream, headers));
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    return stub;
  }

  /** The endpoint to give the SDK client. */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Requests received, whether or not they were answered. */
  get calls(): number {
    return this.requests.length;
  }

  /** Replaces the script; the call count is kept. */
  play(script: StubScript): void {
    this.script = script;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const session of this.sessions) session.destroy();
    await closed;
  }

  private handle(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => {
      const route = ROUTE.exec(String(headers[":path"] ?? "").split("?")[0] ?? "");
      if (headers[":method"] !== "POST" || route === null) {
        respondError(stream, {
          status: 404,
          type: "UnknownOperationException",
          message: "Unknown operation",
        });
        return;
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
      } catch {
        respondError(stream, { status: 400, type: "SerializationException", message: "Malformed JSON body" });
        return;
      }
      const recorded: RecordedRequest = {
        operation: route[2] as StubOperation,
        modelId: decodeURIComponent(route[1] ?? ""),
        body,
        headers: flatHeaders(headers),
        outcome: "pending",
        deltasSent: 0,
        deltaTimes: [],
      };
      const call = this.requests.length;
      this.requests.push(recorded);
      stream.on("close", () => {
        if (recorded.outcome === "pending") recorded.outcome = "cancelled";
      });
      void this.perform(stream, recorded, this.stepFor(recorded, call));
    });
  }

  private stepFor(request: RecordedRequest, call: number): StubStep {
    if (typeof this.script === "function") return this.script(request, call);
    const step = this.script[Math.min(call, this.script.length - 1)];
    if (step === undefined) throw new Error("BedrockStub has no script: call play() first");
    return step;
  }

  private async perform(
    stream: http2.ServerHttp2Stream,
    recorded: RecordedRequest,
    step: StubStep,
  ): Promise<void> {
    if (step.kind === "hang") return;
    if (step.kind !== "stream-failure" && !(await this.wait(stream, step.latencyMs))) return;
    if (step.kind === "error") {
      respondError(stream, step);
      recorded.outcome = "refused";
      return;
    }
    if (recorded.operation === "converse") {
      if (step.kind === "stream-failure") {
        respondError(stream, { status: 424, type: "ModelErrorException", message: step.message });
        recorded.outcome = "refused";
        return;
      }
      respondJson(stream, 200, converseOutput(step));
      recorded.outcome = "answered";
      return;
    }
    await this.stream(stream, recorded, step);
  }

  private async stream(
    stream: http2.ServerHttp2Stream,
    recorded: RecordedRequest,
    step: StubAnswer | StubStreamFailure,
  ): Promise<void> {
    stream.respond({ ":status": 200, "content-type": "application/vnd.amazon.eventstream" });
    const text = step.kind === "answer" ? step.text : step.textBefore;
    const deltas = step.chunks ?? splitIntoDeltas(text);
    stream.write(event("messageStart", { role: "assistant" }));
    for (const [index, delta] of deltas.entries()) {
      if (index > 0 && !(await this.wait(stream, step.chunkDelayMs))) return;
      stream.write(event("contentBlockDelta", { contentBlockIndex: 0, delta: { text: delta } }));
      recorded.deltasSent += 1;
      recorded.deltaTimes.push(Date.now());
    }
    if (step.kind === "stream-failure") {
      if (deltas.length > 0 && !(await this.wait(stream, step.chunkDelayMs))) return;
      stream.end(exception(step.exception, step.message));
      recorded.outcome = "failed-mid-stream";
      return;
    }
    stream.write(event("contentBlockStop", { contentBlockIndex: 0 }));
    stream.write(event("messageStop", { stopReason: step.stopReason }));
    stream.end(event("metadata", { usage: usageOf(step), metrics: { latencyMs: step.modelLatencyMs } }));
    recorded.outcome = "answered";
  }

  /** Resolves false if the client went away first. */
  private wait(stream: http2.ServerHttp2Stream, ms: number): Promise<boolean> {
    if (stream.destroyed || stream.closed) return Promise.resolve(false);
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onClose = () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        stream.off("close", onClose);
        resolve(!stream.destroyed && !stream.closed);
      }, ms);
      this.timers.add(timer);
      stream.once("close", onClose);
    });
  }
}

const usageOf = (step: StubAnswer) => ({
  inputTokens: step.inputTokens,
  outputTokens: step.outputTokens,
  totalTokens: step.inputTokens + step.outputTokens,
});

const converseOutput = (step: StubAnswer) => ({
  output: { message: { role: "assistant", content: [{ text: step.text }] } },
  stopReason: step.stopReason,
  usage: usageOf(step),
  metrics: { latencyMs: step.modelLatencyMs },
});

/** About four words (or, for text without spaces, eight characters) per delta, as models stream. */
const splitIntoDeltas = (text: string): string[] => {
  if (text === "") return [];
  const pieces = text.includes(" ")
    ? (text.match(/(?:\S+\s*){1,4}/g) ?? [text])
    : text.match(/[\s\S]{1,8}/gu);
  return pieces ?? [text];
};

const respondJson = (stream: http2.ServerHttp2Stream, status: number, body: unknown, extra = {}) => {
  if (stream.destroyed || stream.closed) return;
  stream.respond({ ":status": status, "content-type": "application/json", ...extra });
  stream.end(JSON.stringify(body));
};

const respondError = (
  stream: http2.ServerHttp2Stream,
  error: Pick<StubError, "status" | "type" | "message">,
) =>
  respondJson(
    stream,
    error.status,
    { message: error.message },
    { "x-amzn-errortype": `${error.type}:http://internal.amazon.com/coral/com.amazon.bedrock/` },
  );

const event = (type: string, payload: unknown): Uint8Array =>
  codec.encode({
    headers: {
      ":event-type": { type: "string", value: type },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: "event" },
    },
    body: encoder.encode(JSON.stringify(payload)),
  });

const exception = (type: string, message: string): Uint8Array =>
  codec.encode({
    headers: {
      ":exception-type": { type: "string", value: type },
      ":content-type": { type: "string", value: "application/json" },
      ":message-type": { type: "string", value: "exception" },
    },
    body: encoder.encode(JSON.stringify({ message })),
  });

const flatHeaders = (headers: http2.IncomingHttpHeaders): Record<string, string> =>
  Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => !name.startsWith(":"))
      .map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : String(value ?? "")]),
  );

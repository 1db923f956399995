import type { createServer, IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { listenOnLoopback } from "./loopback.ts";

/** One request as the endpoint received it. */
export interface ReceivedInvocation {
  readonly method: string;
  /** Decoded `{FunctionName}` of the path, or undefined for a path that is not an Invoke. */
  readonly functionName: string | undefined;
  /** `X-Amz-Invocation-Type`, absent meaning RequestResponse. */
  readonly invocationType: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** How to answer one request; without a script, an `Event` invocation gets 202 and an empty body. */
export type ScriptedReply =
  | {
      readonly kind: "error";
      readonly status: number;
      readonly errorType: string;
      readonly message?: string;
      /** Sent as `Retry-After`, which the SDK honours before its next attempt. */
      readonly retryAfterSeconds?: number;
    }
  | { readonly kind: "status"; readonly status: number }
  /** Read the request and never answer, as a stalled connection would. */
  | { readonly kind: "hang" };

export interface LocalLambdaEndpointOptions {
  /**
   * Called for each `Event` invocation the endpoint accepts (202), as Lambda would queue it: e.g. to run the
   * function locally. Not called for a scripted reply.
   */
  readonly onEvent?: (invocation: ReceivedInvocation) => void;
  /**
   * Runs the function for each `RequestResponse` invocation (not for a scripted reply), as Lambda would: the
   * endpoint answers 200 with what it resolves to as JSON (`undefined` as `null`), or, when it rejects, 200
   * with `X-Amz-Function-Error: Unhandled` and `{ errorType, errorMessage }`, as Lambda reports a function
   * that threw. Without it, a `RequestResponse` invocation gets 200 and `null`.
   */
  readonly onRequestResponse?: (invocation: ReceivedInvocation) => Promise<unknown>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/**
 * A small stand-in for the Lambda Invoke REST API (`POST /2015-03-31/functions/{name}/invocations`) on
 * 127.0.0.1, so the real SDK client — signing, serialisation, retries, timeouts — runs against it.
 * Errors are sent as Lambda sends them: an HTTP status, `x-amzn-ErrorType` and a JSON body.
 */
export class LocalLambdaEndpoint {
  readonly received: ReceivedInvocation[] = [];
  private readonly script: ScriptedReply[] = [];

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly url: string,
    private readonly options: LocalLambdaEndpointOptions,
  ) {}

  static async start(options: LocalLambdaEndpointOptions = {}): Promise<LocalLambdaEndpoint> {
    let endpoint: LocalLambdaEndpoint | undefined;
    const { server, url } = await listenOnLoopback((request, response) => {
      void endpoint?.handle(request, response);
    });
    endpoint = new LocalLambdaEndpoint(server, url, options);
    return endpoint;
  }

  /** Queues answers for the next requests, in order; once used up, the default answer applies again. */
  reply(...replies: ScriptedReply[]): void {
    this.script.push(...replies);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const match = INVOKE_PATH.exec(request.url?.split("?")[0] ?? "");
    const invocationType = request.headers["x-amz-invocation-type"];
    const received: ReceivedInvocation = {
      method: request.method ?? "",
      functionName: match?.[1] === undefined ? undefined : decodeURIComponent(match[1]),
      invocationType: Array.isArray(invocationType) ? invocationType[0] : invocationType,
      headers: request.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    this.received.push(received);

    if (request.method !== "POST" || match === null) {
      return sendError(
        response,
        404,
        "UnknownOperationException",
        `no route for ${request.method} ${request.url}`,
      );
    }
    const scripted = this.script.shift();
    if (scripted?.kind === "hang") return;
    if (scripted?.kind === "error") {
      const extra: Record<string, string> =
        scripted.retryAfterSeconds === undefined ? {} : { "retry-after": String(scripted.retryAfterSeconds) };
      return sendError(
        response,
        scripted.status,
        scripted.errorType,
        scripted.message ?? scripted.errorType,
        extra,
      );
    }
    if (scripted?.kind === "status") {
      response.writeHead(scripted.status, { "content-type": "application/json" }).end("null");
      return;
    }
    if (invocationType === "Event") {
      response.writeHead(202).end();
      this.options.onEvent?.(received);
      return;
    }
    const executed = { "content-type": "application/json", "x-amz-executed-version": "$LATEST" };
    if (this.options.onRequestResponse === undefined) {
      response.writeHead(200, executed).end("null");
      return;
    }
    let payload: string;
    try {
      payload = JSON.stringify((await this.options.onRequestResponse(received)) ?? null);
    } catch (error) {
      const thrown = error instanceof Error ? error : new Error(String(error));
      response
        .writeHead(200, { ...executed, "x-amz-function-error": "Unhandled" })
        .end(JSON.stringify({ errorType: thrown.name, errorMessage: thrown.message }));
      return;
    }
    response.writeHead(200, executed).end(payload);
  }
}

function sendError(
  response: ServerResponse,
  status: number,
  errorType: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  response
    .writeHead(status, { "content-type": "application/json", "x-amzn-errortype": errorType, ...headers })
    .end(JSON.stringify({ Type: "User", message }));
}

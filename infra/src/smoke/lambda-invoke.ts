import {
  InvokeCommand,
  type InvokeCommandOutput,
  LambdaClient,
  type LambdaClientConfig,
} from "@aws-sdk/client-lambda";
import type { Invoke, InvokeOutcome } from "./smoke-turn.ts";

export interface SmokeClientOptions {
  /** Default: the SDK's chain (`AWS_REGION`, the profile's region). A function ARN does not set it. */
  readonly region?: string;
  /** A named profile from `~/.aws/config`; default the SDK's chain (`AWS_PROFILE`, environment, SSO). */
  readonly profile?: string;
  /** Only for tests and local endpoints. */
  readonly endpoint?: string;
  /** One invocation may take this long (a long-poll, or connect-answer running the model). */
  readonly requestTimeoutMs: number;
  /** Tests' throwaway keys; default the SDK's chain. */
  readonly credentials?: LambdaClientConfig["credentials"];
}

/**
 * The real Lambda client, with no retries: the smoke check reports what one invocation did (Connect's own
 * retries are the flow's business), and a request timeout so a hung invocation ends the check.
 */
export function createSmokeLambdaClient(options: SmokeClientOptions): LambdaClient {
  return new LambdaClient({
    maxAttempts: 1,
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    // The Node HTTP handler's options (the SDK builds the handler from them).
    requestHandler: {
      connectionTimeout: 5_000,
      requestTimeout: options.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
}

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** `Invoke` (`RequestResponse`) through the client: the payload parsed, a function error or a failure. */
export const invokeThrough =
  (client: LambdaClient): Invoke =>
  async (functionName, event) => {
    let output: InvokeCommandOutput;
    try {
      output = await client.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: "RequestResponse",
          Payload: new TextEncoder().encode(JSON.stringify(event)),
        }),
      );
    } catch (error) {
      return { kind: "failed", error: describe(error) };
    }
    const text = output.Payload === undefined ? "" : new TextDecoder().decode(output.Payload);
    let payload: unknown;
    try {
      payload = text === "" ? null : JSON.parse(text);
    } catch {
      return { kind: "failed", error: `the payload is not JSON: ${text.slice(0, 200)}` };
    }
    if (output.FunctionError !== undefined && output.FunctionError !== "") {
      const error = (payload ?? {}) as { errorType?: unknown; errorMessage?: unknown };
      return {
        kind: "function_error",
        errorType: `${output.FunctionError} ${String(error.errorType ?? "Error")}`,
        errorMessage: String(error.errorMessage ?? text),
      } satisfies InvokeOutcome;
    }
    return { kind: "returned", payload };
  };

import type { Clock } from "@holdline/domain/ports/clock.port";
import type {
  LlmClient,
  LlmRequest,
  LlmResponse,
  PartListener,
} from "@holdline/domain/ports/llm-client.port";
import { killCurrentEnvironment } from "./execution-environment.ts";

/**
 * The model every local function shares: counts and keeps each request (what "one model call per turn"
 * is checked against), and can crash the function that calls it, mid-call, to rehearse a worker dying.
 */
export class ObservedLlmClient implements LlmClient {
  readonly requests: LlmRequest[] = [];
  private crashes: number[] = [];

  constructor(
    private readonly inner: LlmClient,
    private readonly clock: Clock,
  ) {}

  get calls(): number {
    return this.requests.length;
  }

  /**
   * The next `count` calls kill the function calling the model `afterMs` into the call (the process dies
   * while waiting for the model, holding its claim on the execution). The model never answers them.
   */
  crashCallerDuringNextCall({ afterMs = 1_000, count = 1 }: { afterMs?: number; count?: number } = {}): void {
    this.crashes.push(...Array.from({ length: count }, () => afterMs));
  }

  async complete(request: LlmRequest, signal: AbortSignal, onPart?: PartListener): Promise<LlmResponse> {
    this.requests.push(structuredClone(request));
    const crashAfterMs = this.crashes.shift();
    if (crashAfterMs === undefined) {
      return onPart === undefined
        ? this.inner.complete(request, signal)
        : this.inner.complete(request, signal, onPart);
    }
    // The request reaches the model; its caller dies before the answer comes back, hearing no part after.
    let dead = false;
    const untilDead: PartListener | undefined =
      onPart === undefined
        ? undefined
        : (part) => {
            if (!dead) onPart(part);
          };
    (untilDead === undefined
      ? this.inner.complete(request, signal)
      : this.inner.complete(request, signal, untilDead)
    ).catch(() => undefined);
    await this.clock.sleep(crashAfterMs);
    dead = true;
    if (!killCurrentEnvironment(`the process died ${crashAfterMs} ms into the model call`)) {
      throw new Error("crashCallerDuringNextCall: the model was called outside a simulated Lambda");
    }
    // A dead process never gets the answer, and never writes again.
    return new Promise<never>(() => undefined);
  }
}

import { jittered, type LatencyQuantiles, logNormal, type Random } from "./seeded-random.ts";

/** One figure of the latency model, with where it comes from (rendered into docs/benchmarks.md). */
export interface LatencyFigure extends LatencyQuantiles {
  readonly what: string;
  /** Published measurement or estimate, and the reasoning that bounds it. */
  readonly basis: string;
}

/**
 * The infrastructure latencies the virtual-time runs add around the real handlers. Each is drawn per
 * request from a log-normal with this median and 99th percentile. Only the DynamoDB median rests on a
 * published claim; the others are estimates bounded by third-party measurements, and say so.
 */
export const LATENCY_MODEL = {
  connectLambdaLeg: {
    what: "Connect → Lambda, and Lambda → Connect, each way, outside the handler (warm function)",
    p50Ms: 20,
    p99Ms: 100,
    basis:
      "Estimate: AWS publishes no figure for Connect's invocation of Lambda. A synchronous Lambda hop from " +
      "Step Functions Express measured p50 77 ms / p99 241 ms round trip, Step Functions' own work included " +
      "(Bite-Sized Serverless, 'Serverless Messaging: Latency Compared', eu-west-1, 2022); Holdline's budget " +
      "allows 400 ms for the round trip (`invocationOverheadMs`). A 40 ms median round trip sits well inside both.",
  },
  asyncDispatch: {
    what: "`Invoke` with `InvocationType: Event` accepted → the worker's handler starts",
    p50Ms: 70,
    p99Ms: 225,
    basis:
      "Measured upper bound: SNS Standard → Lambda, which goes through Lambda's asynchronous invocation, " +
      "p50 73 ms / p99 225 ms (Bite-Sized Serverless, eu-west-1, 2022). It includes SNS's own hop, so a " +
      "direct Event invoke is likely a little faster; Lambda documents an internal queue but no latency.",
  },
  dynamodbRequest: {
    what: "One DynamoDB request from a Lambda in the same region (GetItem, PutItem, UpdateItem, Query)",
    p50Ms: 4,
    p99Ms: 15,
    basis:
      "AWS describes DynamoDB as delivering 'single-digit millisecond' latency at any scale (DynamoDB " +
      "product page; 'How AWS Pricing Works' whitepaper). The median is inside that claim; the p99 is an " +
      "estimate (the DynamoDB guide's 'Troubleshooting latency issues' calls occasional high-percentile " +
      "spikes normal and publishes no figure).",
  },
} as const satisfies Record<string, LatencyFigure>;

/** The model's own latency varies by up to ±15 % around each cell's nominal value, uniformly. */
export const MODEL_LATENCY_JITTER = 0.15;

/** Draws from the latency model with one call's own random stream, so every call is reproducible. */
export class InfrastructureLatency {
  constructor(private readonly random: Random) {}

  /** One leg of a Connect ↔ Lambda round trip. */
  connectLambdaLeg(): number {
    return logNormal(this.random, LATENCY_MODEL.connectLambdaLeg);
  }

  asyncDispatch(): number {
    return logNormal(this.random, LATENCY_MODEL.asyncDispatch);
  }

  dynamodbRequest(): number {
    return logNormal(this.random, LATENCY_MODEL.dynamodbRequest);
  }

  modelLatency(nominalMs: number): number {
    return jittered(this.random, nominalMs, MODEL_LATENCY_JITTER);
  }
}

import { deriveBudget } from "@holdline/budget/timing-budget";
import { describe, expect, it } from "vitest";
import { modelLatencyOf, simulateCall } from "../../src/strategy-calls.ts";

describe("simulateCall (virtual time)", () => {
  it("gives call i of a latency the same model latency under every strategy", async () => {
    // Act
    const [seed, polling, nativeAsync] = await Promise.all([
      simulateCall("seed", 12_000, 7),
      simulateCall("polling", 12_000, 7),
      simulateCall("native-async", 12_000, 7),
    ]);

    // Assess
    expect(new Set([seed.modelMs, polling.modelMs, nativeAsync.modelMs])).toEqual(
      new Set([modelLatencyOf(12_000, 7)]),
    );
  });

  it("measures a Holdline polling call: answered after one model call, the worker's Event invocation counted", async () => {
    // Act
    const call = await simulateCall("polling", 12_000, 0);

    // Assess
    expect(call).toMatchObject({ strategy: "polling", answered: true, modelCalls: 1 });
    expect(call.answerDelayMs).toBeGreaterThanOrEqual(0);
    // connect-start, at least one connect-status, and the worker.
    expect(call.lambdaInvocations).toBeGreaterThanOrEqual(3);
    expect(call.usage.invocations).toHaveLength(call.lambdaInvocations);
    expect(call.dynamodbRequests).toBeGreaterThan(3);
  });

  it("measures a native-async call as one connect-answer invocation: five store requests and a renewal per heartbeat", async () => {
    // Prepare
    const { heartbeatMs } = deriveBudget().connectAnswer.policy;

    // Act
    const call = await simulateCall("native-async", 25_000, 0);

    // Assess: create, read, claim, complete, connect-answer's read of the result; the lease renewed while the
    // model works.
    expect(call).toMatchObject({ answered: true, modelCalls: 1, lambdaInvocations: 1 });
    expect(heartbeatMs).toBeGreaterThan(0);
    expect(call.dynamodbRequests).toBe(5 + Math.floor(call.modelMs / (heartbeatMs ?? Number.NaN)));
  });

  it("runs the seed's flow: no answer when the work outlives lambda_execution's 30 s timeout", async () => {
    // Act
    const call = await simulateCall("seed", 45_000, 0);

    // Assess: the first invocation and three status checks (Loop count 2), then the error prompt.
    expect(call).toMatchObject({ strategy: "seed", answered: false, lambdaInvocations: 4 });
    expect(call.answerDelayMs).toBeUndefined();
  });

  it("runs the seed's flow: a fast answer in the first invocation, with its two writes", async () => {
    // Act
    const call = await simulateCall("seed", 1_000, 0);

    // Assess
    expect(call).toMatchObject({ answered: true, lambdaInvocations: 1, dynamodbRequests: 2, modelCalls: 1 });
    expect(call.usage).toMatchObject({ writeUnits: 2, readUnits: 0 });
  });
});

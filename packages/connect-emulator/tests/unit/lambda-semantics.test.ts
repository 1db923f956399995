import { disconnect, invokeLambda, loadLambdaResult, wait } from "@holdline/contact-flow/flow-actions";
import type { ConnectContactFlowEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { ThrottledError } from "../../src/lambda-function.ts";
import { ARN, emulatorOn, eventsOf, flowOf, invokeThenSay, say, spoken } from "./harness.ts";

describe("a synchronous invocation", () => {
  it("takes the error branch at the time limit while the handler keeps running", async () => {
    // Prepare
    let finishedAt: number | undefined;
    const { clock, run } = emulatorOn({
      [ARN]: async () => {
        await clock.sleep(10_000);
        finishedAt = clock.now();
        return { status: "completed" };
      },
    });

    // Act
    const { ended, settled } = await run(invokeThenSay("status", { timeLimitSeconds: 3 }));

    // Assess
    const [invocation] = eventsOf(ended, "invocation");
    expect(invocation?.outcome).toMatchObject({ status: "error", errorType: "timeout" });
    expect(invocation?.endAt).toBe(3_000);
    expect(spoken(ended)).toEqual(["failed"]);
    expect(finishedAt! - settled.startedAt).toBe(10_030);
    expect(eventsOf(settled, "background-result")).toEqual([
      expect.objectContaining({ at: 10_030, attempt: 1 }),
    ]);
  });

  it("retries a handler that throws: two failures then a success reach the flow as one success", async () => {
    // Prepare
    let calls = 0;
    const { run } = emulatorOn({
      [ARN]: async () => {
        calls += 1;
        if (calls <= 2) throw new Error("boom");
        return { status: "completed" };
      },
    });

    // Act
    const { ended } = await run(invokeThenSay());

    // Assess
    const invocations = eventsOf(ended, "invocation");
    expect(invocations).toHaveLength(1);
    expect(invocations[0]?.attempts.map((attempt) => attempt.result)).toEqual(["threw", "threw", "returned"]);
    expect(calls).toBe(3);
    expect(spoken(ended)).toEqual(["completed"]);
  });

  it("gives up after the first attempt and 3 retries", async () => {
    // Prepare
    let calls = 0;
    const { run } = emulatorOn({
      [ARN]: async () => {
        calls += 1;
        throw new Error(`failure ${calls}`);
      },
    });

    // Act
    const { ended } = await run(invokeThenSay());

    // Assess
    expect(calls).toBe(4);
    expect(eventsOf(ended, "invocation")[0]?.outcome).toMatchObject({
      status: "error",
      errorType: "function_error",
    });
    expect(spoken(ended)).toEqual(["failed"]);
  });

  it("starts no retry once the time limit has passed", async () => {
    // Prepare
    let calls = 0;
    const { clock, run } = emulatorOn({
      [ARN]: async () => {
        calls += 1;
        await clock.sleep(3_000);
        throw new Error("slow failure");
      },
    });

    // Act
    const { ended } = await run(invokeThenSay("status", { timeLimitSeconds: 8 }));

    // Assess
    expect(calls).toBe(3);
    expect(eventsOf(ended, "invocation")[0]?.outcome).toMatchObject({ errorType: "timeout" });
  });

  it("retries throttled attempts, which never reach the handler", async () => {
    // Prepare
    let calls = 0;
    const handler = async () => {
      calls += 1;
      return { status: "completed" };
    };
    const { run } = emulatorOn({ [ARN]: { handler, throttle: (attempt) => attempt <= 3 } });

    // Act
    const { ended } = await run(invokeThenSay());

    // Assess
    expect(eventsOf(ended, "invocation")[0]?.attempts.map((attempt) => attempt.result)).toEqual([
      "throttled",
      "throttled",
      "throttled",
      "returned",
    ]);
    expect(calls).toBe(1);
  });

  it("treats a TooManyRequestsException thrown by the handler as throttling", async () => {
    // Prepare
    const { run } = emulatorOn({
      [ARN]: async () => {
        throw new ThrottledError();
      },
    });

    // Act
    const { ended } = await run(invokeThenSay());

    // Assess
    expect(eventsOf(ended, "invocation")[0]?.outcome).toMatchObject({ errorType: "throttled" });
  });

  it("retries when the function's own timeout is shorter than Connect's limit, running the work twice", async () => {
    // Prepare: seed 001, a 7 s function behind an 8 s block.
    let started = 0;
    const { clock, run } = emulatorOn({
      [ARN]: {
        timeoutMs: 7_000,
        handler: async () => {
          started += 1;
          await clock.sleep(7_500);
          return { status: "booked" };
        },
      },
    });

    // Act
    const { ended } = await run(invokeThenSay("status", { timeLimitSeconds: 8 }));

    // Assess
    const [invocation] = eventsOf(ended, "invocation");
    expect(started).toBe(2);
    expect(invocation?.attempts.map((attempt) => attempt.result)).toEqual(["function_timeout", "returned"]);
    expect(invocation?.outcome).toMatchObject({ errorType: "timeout" });
  });

  it("replaces $.External with each response rather than merging", async () => {
    // Prepare
    const responses = [{ a: "first", b: "kept?" }, { a: "second" }];
    const { run } = emulatorOn({ [ARN]: async () => responses.shift() ?? {} });
    const twice = flowOf(
      invokeLambda(
        "one",
        { functionArn: ARN, invocationType: "SYNCHRONOUS", timeLimitSeconds: 3, responseType: "STRING_MAP" },
        { next: "two", onError: "hang-up" },
      ),
      invokeLambda(
        "two",
        { functionArn: ARN, invocationType: "SYNCHRONOUS", timeLimitSeconds: 3, responseType: "STRING_MAP" },
        { next: "said", onError: "hang-up" },
      ),
      say("said", "a=$.External.a b=$.External.b"),
      disconnect("hang-up"),
    );

    // Act
    const { ended } = await run(twice);

    // Assess
    expect(spoken(ended)).toEqual(["a=second b="]);
  });

  it("clears $.External when an invocation fails", async () => {
    // Prepare
    let calls = 0;
    const { run } = emulatorOn({
      [ARN]: async () => {
        calls += 1;
        if (calls === 1) return { status: "stale" };
        throw new Error("down");
      },
    });
    const flow = flowOf(
      invokeLambda(
        "one",
        { functionArn: ARN, invocationType: "SYNCHRONOUS", timeLimitSeconds: 3, responseType: "STRING_MAP" },
        { next: "two", onError: "hang-up" },
      ),
      invokeLambda(
        "two",
        { functionArn: ARN, invocationType: "SYNCHRONOUS", timeLimitSeconds: 3, responseType: "STRING_MAP" },
        { next: "hang-up", onError: "said" },
      ),
      say("said", "status=$.External.status"),
      disconnect("hang-up"),
    );

    // Act
    const { ended } = await run(flow);

    // Assess
    expect(spoken(ended)).toEqual(["status="]);
  });

  it("rejects a nested value under STRING_MAP validation", async () => {
    // Prepare
    const { run } = emulatorOn({ [ARN]: async () => ({ status: "completed", detail: { nested: true } }) });

    // Act
    const { ended } = await run(invokeThenSay());

    // Assess
    expect(eventsOf(ended, "invocation")[0]?.outcome).toMatchObject({ errorType: "invalid_response" });
    expect(spoken(ended)).toEqual(["failed"]);
  });

  it("accepts nested JSON under JSON validation and resolves paths into it", async () => {
    // Prepare
    const { run } = emulatorOn({ [ARN]: async () => ({ detail: { answer: "nine" } }) });

    // Act
    const { ended } = await run(invokeThenSay("detail.answer", { responseType: "JSON" }));

    // Assess
    expect(spoken(ended)).toEqual(["nine"]);
  });

  it.each([
    [32_767, "success"],
    [32_768, "error"],
  ])("treats a %i-byte response as %s (it must stay under 32 KB)", async (size, status) => {
    // Prepare
    const { run } = emulatorOn({
      [ARN]: async () => ({ status: "x".repeat(size - `{"status":""}`.length) }),
    });

    // Act
    const { ended } = await run(invokeThenSay());

    // Assess
    const outcome = eventsOf(ended, "invocation")[0]?.outcome;
    expect(outcome?.status).toBe(status);
    if (status === "error") expect(outcome).toMatchObject({ errorType: "response_too_large" });
  });

  it("sends an event shaped like Connect's, with the block's attributes as Parameters", async () => {
    // Prepare
    const events: ConnectContactFlowEvent[] = [];
    const { run } = emulatorOn({
      [ARN]: async (event) => {
        events.push(event);
        return {};
      },
    });

    // Act
    await run(invokeThenSay("status", { attributes: { locale: "ja-JP", contact: "$.ContactId" } }));

    // Assess
    const [event] = events;
    expect(event?.Name).toBe("ContactFlowEvent");
    expect(event?.Details.Parameters).toEqual({
      locale: "ja-JP",
      contact: event?.Details.ContactData.ContactId,
    });
    expect(event?.Details.ContactData).toMatchObject({
      Channel: "VOICE",
      InitialContactId: event?.Details.ContactData.ContactId,
      InitiationMethod: "INBOUND",
      InstanceARN: expect.stringMatching(/^arn:aws:connect:/),
      Attributes: {},
    });
  });

  it("ends the call loudly, naming the ARN, when no handler is mapped to it, keeping the timeline", async () => {
    // Prepare
    const { run } = emulatorOn({});

    // Act
    const { ended } = await run(invokeThenSay());

    // Assess
    expect(ended.endReason).toBe("emulator-error");
    expect(ended.emulatorError).toMatchObject({ code: "no_handler", identifier: "invoke" });
    expect(ended.emulatorError?.message).toMatch(/no local handler for arn:aws:lambda:.*:function:fake/);
    expect(eventsOf(ended, "emulator-error")).toEqual([
      expect.objectContaining({ code: "no_handler", identifier: "invoke", type: "InvokeLambdaFunction" }),
    ]);
  });
});

describe("an asynchronous invocation", () => {
  const asyncFlow = () =>
    flowOf(
      invokeLambda(
        "invoke",
        {
          functionArn: ARN,
          invocationType: "ASYNCHRONOUS",
          timeLimitSeconds: 60,
          responseType: "STRING_MAP",
        },
        { next: "load-early", onError: "hang-up" },
      ),
      loadLambdaResult("load-early", "$.LambdaInvocation.InvocationId", {
        next: "hang-up",
        onInProgress: "wait",
        onError: "hang-up",
      }),
      wait(
        "wait",
        { timeLimitSeconds: 30, lambdaInvocationId: "$.LambdaInvocation.InvocationId" },
        { onTimeout: "timed-out", onLambdaReturned: "load", onError: "hang-up" },
      ),
      loadLambdaResult("load", "$.LambdaInvocation.InvocationId", {
        next: "said",
        onInProgress: "hang-up",
        onError: "failed",
      }),
      say("said", "$.External.answer"),
      say("failed", "failed"),
      say("timed-out", "timed out"),
      disconnect("hang-up"),
    );

  it("lets the flow go on at once, loads InProgress early, and the result after the Wait's LambdaReturned", async () => {
    // Prepare
    const { clock, run } = emulatorOn({
      [ARN]: async () => {
        await clock.sleep(20_000);
        return { answer: "ready" };
      },
    });

    // Act
    const { ended } = await run(asyncFlow());

    // Assess
    expect(eventsOf(ended, "branch").map((event) => `${event.identifier}:${event.result}`)).toEqual([
      "load-early:InProgress",
      "wait:LambdaReturned",
      "load:success",
    ]);
    expect(spoken(ended)).toEqual(["ready"]);
    expect(eventsOf(ended, "prompt")[0]?.at).toBe(20_050);
  });

  it("fails the invocation at its time limit and loads it as an error", async () => {
    // Prepare
    const { clock, run } = emulatorOn({
      [ARN]: async () => {
        await clock.sleep(90_000);
        return { answer: "too late" };
      },
    });

    // Act
    const { ended } = await run(asyncFlow());

    // Assess
    expect(spoken(ended)).toEqual(["timed out"]);
  });
});

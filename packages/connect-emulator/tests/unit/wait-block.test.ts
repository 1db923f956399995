import { describe, expect, it } from "vitest";
import type { ConnectEmulatorOptions } from "../../src/connect-emulator.ts";
import { ARN, act, emulatorOn, eventsOf, hangUp, next, rawFlow, speak, spoken } from "./harness.ts";

/**
 * Wait as Connect's console and live API write it. Sources: S6 (an unattributed console export in public
 * Terraform: `"TimeLimitSeconds": "30"`), MGW (mgaffigan/pulumi-amazon-connect docs/wire-format-checks.md:
 * `TimeoutSeconds` "is rejected outright"; keep-running mode "requires MinimumWaitTimeSeconds"), and the
 * Admin Guide's Wait page (https://docs.aws.amazon.com/connect/latest/adminguide/wait.html).
 */

const waitBranches = (more: { Continue?: string; LambdaReturned?: string } = {}) => ({
  NextAction: "completed",
  Conditions: [
    { NextAction: "completed", Condition: { Operator: "Equals" as const, Operands: ["WaitCompleted"] } },
    ...Object.entries(more).map(([result, target]) => ({
      NextAction: target,
      Condition: { Operator: "Equals" as const, Operands: [result] },
    })),
  ],
  Errors: [{ NextAction: "error", ErrorType: "NoMatchingError" }],
});

const tail = [speak("completed", "Wait completed."), speak("error", "Wait failed."), hangUp()];

describe("a plain Wait", () => {
  it("waits TimeLimitSeconds, then takes WaitCompleted (S6)", async () => {
    // Act
    const { ended } = await emulatorOn({}).run(
      rawFlow(act("wait", "Wait", { TimeLimitSeconds: "30" }, waitBranches()), ...tail),
    );

    // Assess
    expect(spoken(ended)).toEqual(["Wait completed."]);
    expect(eventsOf(ended, "prompt")[0]?.at).toBe(30_000);
  });

  it("stops with a message naming TimeLimitSeconds when given the reference's TimeoutSeconds (MGW), instead of taking the error branch", async () => {
    // Act
    const { ended } = await emulatorOn({}).run(
      rawFlow(
        speak("greet", "Hello.", "wait"),
        act("wait", "Wait", { TimeoutSeconds: "30" }, waitBranches()),
        ...tail,
      ),
    );

    // Assess
    expect(spoken(ended)).toEqual(["Hello."]);
    expect(ended.emulatorError).toMatchObject({ code: "invalid_parameter", identifier: "wait" });
    expect(ended.emulatorError?.message).toMatch(/TimeoutSeconds.*rejects.*TimeLimitSeconds/);
  });

  it("takes the error branch, saying why, when a dynamic time limit resolves to no number", async () => {
    // Act
    const { ended } = await emulatorOn({}).run(
      rawFlow(act("wait", "Wait", { TimeLimitSeconds: "$.Attributes.missing" }, waitBranches()), ...tail),
    );

    // Assess
    expect(spoken(ended)).toEqual(["Wait failed."]);
    expect(eventsOf(ended, "note")[0]?.text).toContain("TimeLimitSeconds");
  });
});

describe("a keep-running Wait (ContinueExecution TRUE, MinimumWaitTimeSeconds)", () => {
  /** An asynchronous invocation of `ARN` returning after `returnsAfterMs`, a keep-running Wait, a filler. */
  const keepRunning = (parameters: Record<string, unknown>) =>
    rawFlow(
      act(
        "invoke",
        "InvokeLambdaFunction",
        {
          LambdaFunctionARN: ARN,
          InvocationTimeLimitSeconds: "60",
          InvocationType: "ASYNCHRONOUS",
          ResponseValidation: { ResponseType: "STRING_MAP" },
        },
        next("wait", "error"),
      ),
      act(
        "wait",
        "Wait",
        {
          TimeLimitSeconds: "40",
          ContinueExecution: "TRUE",
          InterruptibleEvents: {
            LambdaReturned: { AsyncLambdaCompletionEvent: { Identifier: "$.LambdaInvocation.InvocationId" } },
          },
          ...parameters,
        },
        waitBranches({ Continue: "filler", LambdaReturned: "returned" }),
      ),
      // A recorded prompt of exactly 3 s (promptDurationsMs below).
      act("filler", "MessageParticipant", { PromptId: "filler-music" }, next("wait")),
      speak("returned", "Your answer is ready."),
      ...tail,
    );
  const run = (
    returnsAfterMs: number,
    parameters: Record<string, unknown>,
    options: Partial<ConnectEmulatorOptions> = {},
  ) => {
    const emulator = emulatorOn(
      {
        [ARN]: async () => {
          await emulator.clock.sleep(returnsAfterMs);
          return { state: "done" };
        },
      },
      { promptDurationsMs: { "filler-music": 3_000 }, latency: { asyncDispatchMs: 0 }, ...options },
    );
    return emulator.run(keepRunning(parameters));
  };

  it("holds the contact MinimumWaitTimeSeconds on each entry before Continue (our reading of MGW's required parameter)", async () => {
    // Act
    const { ended } = await run(9_000, { MinimumWaitTimeSeconds: "2" });

    // Assess: entries at 0 and 5 s; fillers from 2 s and 7 s; the Lambda returns at 9 s mid-filler.
    expect(eventsOf(ended, "prompt").map((prompt) => [prompt.at, prompt.endAt, prompt.interrupted])).toEqual([
      [2_000, 5_000, false],
      [7_000, 9_000, true],
      [9_000, expect.any(Number), false],
    ]);
    expect(spoken(ended).at(-1)).toBe("Your answer is ready.");
  });

  it("goes down Continue at once with keepRunningMinimumWait 'not-applied'", async () => {
    // Act
    const { ended } = await run(
      10_000,
      { MinimumWaitTimeSeconds: "2" },
      { keepRunningMinimumWait: "not-applied" },
    );

    // Assess
    expect(eventsOf(ended, "prompt")[0]?.at).toBe(0);
  });

  it("stops, naming the parameter, when MinimumWaitTimeSeconds is missing (MGW: the live API requires it)", async () => {
    // Act
    const { ended } = await run(10_000, {});

    // Assess
    expect(ended.emulatorError).toMatchObject({ code: "invalid_parameter", identifier: "wait" });
    expect(ended.emulatorError?.message).toContain("MinimumWaitTimeSeconds");
  });

  // Point of doubt: the Admin Guide says only that the block "temporarily routes the contact down the
  // Continue branch"; whether the Lambda returning cuts the Continue branch's prompt short is our reading.
  it("cuts the Continue branch's prompt short when the Lambda returns (keepRunningWaitEvent default: cut-short)", async () => {
    // Act
    const { ended } = await run(4_000, { MinimumWaitTimeSeconds: "1" });

    // Assess
    const [filler, answer] = eventsOf(ended, "prompt");
    expect(filler).toMatchObject({ at: 1_000, endAt: 4_000, interrupted: true });
    expect(answer).toMatchObject({ at: 4_000, text: "Your answer is ready." });
  });

  it("lets the Continue branch's prompt finish, then takes LambdaReturned, with keepRunningWaitEvent 'finish-block'", async () => {
    // Act
    const { ended } = await run(
      2_500,
      { MinimumWaitTimeSeconds: "1" },
      { keepRunningWaitEvent: "finish-block" },
    );

    // Assess
    const [filler, answer] = eventsOf(ended, "prompt");
    expect(filler).toMatchObject({ at: 1_000, endAt: 4_000, interrupted: false });
    expect(answer).toMatchObject({ at: 4_000, text: "Your answer is ready." });
    expect(eventsOf(ended, "branch").map((event) => event.result)).toEqual(["Continue", "LambdaReturned"]);
  });

  it("takes LambdaReturned during the minimum wait, whichever mode", async () => {
    // Act
    const { ended } = await run(
      500,
      { MinimumWaitTimeSeconds: "2" },
      { keepRunningWaitEvent: "finish-block" },
    );

    // Assess
    expect(spoken(ended)).toEqual(["Your answer is ready."]);
    expect(eventsOf(ended, "prompt")[0]?.at).toBe(500);
  });
});

describe("LoadLambdaFunctionResult", () => {
  it("stops, naming LambdaInvocationId, when given the old InvocationId", async () => {
    // Act
    const { ended } = await emulatorOn({}).run(
      rawFlow(
        act(
          "load",
          "LoadLambdaFunctionResult",
          { InvocationId: "$.LambdaInvocation.InvocationId" },
          next("end"),
        ),
        hangUp(),
      ),
    );

    // Assess
    expect(ended.emulatorError).toMatchObject({ code: "invalid_parameter", identifier: "load" });
    expect(ended.emulatorError?.message).toContain("LambdaInvocationId");
  });
});

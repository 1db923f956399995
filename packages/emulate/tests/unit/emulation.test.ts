import { setTimeout as realDelay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import type { LambdaFunction, LambdaHandler } from "@holdline/connect-emulator/lambda-function";
import type { FlowDocument } from "@holdline/contact-flow/flow-language";
import { validateFlow } from "@holdline/contact-flow/validate-flow";
import { describe, expect, it } from "vitest";
import {
  describeExit,
  type Emulation,
  EXIT_CODES,
  exitCodeFor,
  outcomeJson,
  runEmulation,
  SETTLE_MS,
  ShiftedSystemClock,
  settleLimitMs,
} from "../../src/emulation.ts";
import { readFlowFile } from "../../src/flow-file.ts";
import { loadHandler } from "../../src/lambda-modules.ts";

const examples = fileURLToPath(new URL("../../../../examples/", import.meta.url));
const LOOKUP = "arn:aws:lambda:eu-west-1:111122223333:function:fernhill-order-status";

const OPTIONS: Emulation["options"] = { promptDurationsMs: {}, attributes: {}, realTime: false };

/** Greets, invokes `lookup` (limit `limitSeconds`), then says "found" or "failed" and disconnects. */
const lookupFlow = (limitSeconds: string): FlowDocument => ({
  Version: "2019-10-30",
  StartAction: "hello",
  Actions: [
    {
      Parameters: { Text: "Hello." },
      Identifier: "hello",
      Type: "MessageParticipant",
      Transitions: { NextAction: "lookup" },
    },
    {
      Parameters: {
        LambdaFunctionARN: LOOKUP,
        InvocationTimeLimitSeconds: limitSeconds,
        ResponseValidation: { ResponseType: "STRING_MAP" },
      },
      Identifier: "lookup",
      Type: "InvokeLambdaFunction",
      Transitions: { NextAction: "found", Errors: [{ NextAction: "failed", ErrorType: "NoMatchingError" }] },
    },
    {
      Parameters: { Text: "Found it." },
      Identifier: "found",
      Type: "MessageParticipant",
      Transitions: { NextAction: "bye" },
    },
    {
      Parameters: { Text: "That failed." },
      Identifier: "failed",
      Type: "MessageParticipant",
      Transitions: { NextAction: "bye" },
    },
    { Parameters: {}, Identifier: "bye", Type: "DisconnectParticipant", Transitions: {} },
  ],
});

const run = (flow: FlowDocument, fn: LambdaFunction, script: Emulation["script"] = {}) =>
  runEmulation({ flow, functions: { [LOOKUP]: fn }, script, options: OPTIONS });

const spoken = (outcome: Awaited<ReturnType<typeof runEmulation>>) =>
  outcome.kind === "ended"
    ? outcome.result.timeline.flatMap((event) => (event.kind === "prompt" ? [event.text] : []))
    : [];

describe("exitCodeFor", () => {
  it.each([
    ["disconnected", EXIT_CODES.completed],
    ["flow-ended", EXIT_CODES.completed],
    ["transferred", EXIT_CODES.completed],
    ["hung-up", EXIT_CODES.hungUp],
    ["emulator-error", EXIT_CODES.stopped],
    ["a reason of a later emulator", EXIT_CODES.stopped],
  ])("%s → %i", (endReason, code) => {
    expect(exitCodeFor({ endReason } as Parameters<typeof exitCodeFor>[0])).toBe(code);
  });

  it("counts a computed Lambda ARN with no mapping as the setup's fault", () => {
    const result = { endReason: "emulator-error", emulatorError: { code: "no_handler", message: "…" } };

    expect(exitCodeFor(result as unknown as Parameters<typeof exitCodeFor>[0])).toBe(EXIT_CODES.usage);
  });

  it.each(["no_flow_module", "no_hours_of_operation"])(
    "counts %s (a module or hours not given) as the setup's fault",
    (code) => {
      const result = { endReason: "emulator-error", emulatorError: { code, message: "…" } };

      expect(exitCodeFor(result as unknown as Parameters<typeof exitCodeFor>[0])).toBe(EXIT_CODES.usage);
    },
  );
});

describe("ShiftedSystemClock", () => {
  it("starts at the given instant and moves with the wall clock", async () => {
    const startAt = Date.UTC(2025, 5, 2, 7, 30);
    const clock = new ShiftedSystemClock(startAt);

    expect(clock.now() - startAt).toBeLessThan(50);
    await clock.sleep(20);
    expect(clock.now() - startAt).toBeGreaterThanOrEqual(19);
  });
});

describe("settleLimitMs", () => {
  it("waits for the longest function timeout when every function has one, else at least SETTLE_MS", () => {
    const handler: LambdaHandler = async () => ({});

    expect(settleLimitMs({ a: { handler, timeoutMs: 300 }, b: { handler, timeoutMs: 2_000 } })).toBe(2_000);
    expect(settleLimitMs({ a: { handler, timeoutMs: 300 }, b: { handler } })).toBe(SETTLE_MS);
    expect(settleLimitMs({})).toBe(0);
  });
});

describe("runEmulation on virtual time", () => {
  it("runs the example flow with its JavaScript Lambda: the caller keys 4711#, the flow reads the result", async () => {
    // Prepare
    const flow = await readFlowFile(`${examples}order-status.flow.json`);
    const handler = await loadHandler(
      { key: "fernhill-order-status", path: "order-status-lookup.mjs" },
      examples,
    );
    const started = performance.now();

    // Act
    const outcome = await runEmulation({
      flow,
      functions: { [LOOKUP]: { handler } },
      script: { turns: [{ press: "4711#" }] },
      options: OPTIONS,
    });

    // Assess
    expect(outcome).toMatchObject({ kind: "ended", exitCode: 0, unsettled: false });
    expect(spoken(outcome)).toContain("Order 4711 left our nursery on Tuesday with Parcelway.");
    expect(outcome.kind === "ended" && outcome.result.durationMs).toBeGreaterThan(10_000);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("runs an example flow that the validator passes with no finding, as a console export would", async () => {
    expect(validateFlow(await readFlowFile(`${examples}order-status.flow.json`))).toEqual([]);
  });

  it("lets a handler's real waiting take its real time on the timeline instead of timing it out", async () => {
    const handler: LambdaHandler = async () => {
      await realDelay(60);
      return { orderState: "shipped" };
    };

    const outcome = await run(lookupFlow("1"), { handler });

    expect(spoken(outcome)).toEqual(["Hello.", "Found it."]);
    const invocation =
      outcome.kind === "ended"
        ? outcome.result.timeline.find((event) => event.kind === "invocation")
        : undefined;
    expect(invocation?.kind === "invocation" && invocation.endAt - invocation.at).toBeGreaterThanOrEqual(60);
  });

  it("gives up on a handler that never returns at the time limit, and after the call at its timeout", async () => {
    const handler: LambdaHandler = () => new Promise(() => undefined);

    const outcome = await run(lookupFlow("1"), { handler, timeoutMs: 100 });

    expect(spoken(outcome)).toEqual(["Hello.", "That failed."]);
    expect(outcome).toMatchObject({ kind: "ended", exitCode: 0, unsettled: true });
  });

  it("runs a call longer than an hour of virtual time, until the caller hangs up", async () => {
    const music: FlowDocument = {
      Version: "2019-10-30",
      StartAction: "music",
      Actions: [
        {
          Parameters: { PromptId: "hold-music" },
          Identifier: "music",
          Type: "MessageParticipant",
          Transitions: { NextAction: "music" },
        },
      ],
    };

    const outcome = await runEmulation({
      flow: music,
      functions: {},
      script: { hangUpAtMs: 2 * 3_600_000 },
      options: { ...OPTIONS, defaultPromptMs: 60_000 },
    });

    expect(outcome).toMatchObject({ kind: "ended", exitCode: EXIT_CODES.hungUp });
    expect(outcome.kind === "ended" && outcome.result.durationMs).toBe(2 * 3_600_000);
  });

  it("starts the call at startAt (--at), where CheckHoursOfOperation reads the time", async () => {
    const checkHours: FlowDocument = {
      Version: "2019-10-30",
      StartAction: "check",
      Actions: [
        {
          Parameters: { HoursOfOperationId: "support-hours" },
          Identifier: "check",
          Type: "CheckHoursOfOperation",
          Transitions: {
            NextAction: "closed",
            Conditions: [{ NextAction: "open", Condition: { Operator: "Equals", Operands: ["True"] } }],
            Errors: [{ NextAction: "closed", ErrorType: "NoMatchingError" }],
          },
        },
        {
          Parameters: { Text: "Open." },
          Identifier: "open",
          Type: "MessageParticipant",
          Transitions: { NextAction: "bye" },
        },
        {
          Parameters: { Text: "Closed." },
          Identifier: "closed",
          Type: "MessageParticipant",
          Transitions: { NextAction: "bye" },
        },
        { Parameters: {}, Identifier: "bye", Type: "DisconnectParticipant", Transitions: {} },
      ],
    };
    const resources = {
      hoursOfOperation: {
        "support-hours": {
          TimeZone: "UTC",
          Config: [
            {
              Day: "MONDAY" as const,
              StartTime: { Hours: 9, Minutes: 0 },
              EndTime: { Hours: 17, Minutes: 0 },
            },
          ],
        },
      },
    };
    const at = (startAt: number) =>
      runEmulation({
        flow: checkHours,
        functions: {},
        script: {},
        resources,
        options: { ...OPTIONS, startAt },
      });

    const monday = await at(Date.UTC(2025, 5, 2, 10));
    const sunday = await at(Date.UTC(2025, 5, 1, 10));

    expect(outcomeJson(monday)).toMatchObject({ startedAt: "2025-06-02T10:00:00.000Z" });
    expect(spoken(monday)).toEqual(["Open."]);
    expect(spoken(sunday)).toEqual(["Closed."]);
  });

  it("names the option that gives hours the flow checks and were not given; exit 2", async () => {
    const flow: FlowDocument = {
      Version: "2019-10-30",
      StartAction: "check",
      Actions: [
        {
          Parameters: { HoursOfOperationId: "support-hours" },
          Identifier: "check",
          Type: "CheckHoursOfOperation",
          Transitions: { NextAction: "bye", Errors: [{ NextAction: "bye", ErrorType: "NoMatchingError" }] },
        },
        { Parameters: {}, Identifier: "bye", Type: "DisconnectParticipant", Transitions: {} },
      ],
    };

    const outcome = await runEmulation({ flow, functions: {}, script: {}, options: OPTIONS });

    expect(outcome).toMatchObject({ kind: "ended", exitCode: EXIT_CODES.usage });
    expect(describeExit(outcome)).toMatch(/no_hours_of_operation.*\n {2}\(give the hours with --hours/);
  });

  it("ends with exit code 3 when the caller hangs up first", async () => {
    const outcome = await run(lookupFlow("8"), { handler: async () => ({}) }, { hangUpAtMs: 500 });

    expect(outcome).toMatchObject({ kind: "ended", exitCode: EXIT_CODES.hungUp });
    expect(outcomeJson(outcome)).toMatchObject({ exitCode: 3, endReason: "hung-up" });
  });
});

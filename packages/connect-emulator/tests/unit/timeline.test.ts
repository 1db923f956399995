import { SystemClock } from "@holdline/adapters-node/system-clock";
import { disconnect, invokeLambda } from "@holdline/contact-flow/flow-actions";
import { describe, expect, it } from "vitest";
import { ConnectEmulator } from "../../src/connect-emulator.ts";
import { renderTimeline } from "../../src/render-timeline.ts";
import { estimateSpeechMs, speechSegments } from "../../src/speech-timing.ts";
import { findSilences } from "../../src/timeline.ts";
import { ARN, emulatorOn, eventsOf, flowOf, invokeThenSay, say } from "./harness.ts";

describe("speaking time", () => {
  it("counts characters for Japanese and words for English", () => {
    // Act
    const japanese = estimateSpeechMs("少々お待ちください", "ja-JP");
    const english = estimateSpeechMs("one moment please", "en-US");

    // Assess
    expect(japanese).toBe(Math.round((9 / 7.5) * 1_000));
    expect(english).toBe(Math.round((3 / 2.7) * 1_000));
  });

  it("adds a pause at each sentence end and comma", () => {
    expect(
      estimateSpeechMs("はい、少々お待ちください。", "ja-JP") -
        estimateSpeechMs("はい少々お待ちください", "ja-JP"),
    ).toBe(450);
  });

  it("splits SSML at its breaks, which are silent", () => {
    expect(
      speechSegments({ ssml: '<speak><break time="2500ms"/>Still working on it.</speak>' }, "en-US"),
    ).toEqual([
      { kind: "pause", durationMs: 2_500, text: "" },
      {
        kind: "speech",
        durationMs: estimateSpeechMs("Still working on it.", "en-US"),
        text: "Still working on it.",
      },
    ]);
  });
});

describe("an empty message", () => {
  it("is heard as nothing and noted, since Connect's run-time behaviour for one is not documented", async () => {
    // Prepare: the response has no `answer`, so the prompt's text resolves to nothing.
    const { run } = emulatorOn({ [ARN]: async () => ({ status: "completed" }) });

    // Act
    const { ended } = await run(invokeThenSay("answer"));

    // Assess
    expect(eventsOf(ended, "prompt")).toEqual([]);
    expect(eventsOf(ended, "note").map((event) => event.text)).toEqual([
      'MessageParticipant "said": its Text resolved to nothing to say, so nothing is heard (what Connect does with an empty message at run time is not documented)',
    ]);
  });
});

describe("silences", () => {
  it("are the gaps between what the caller hears, with the actions running during each", () => {
    // Act
    const silences = findSilences(
      10_000,
      [
        { start: 0, end: 2_000 },
        { start: 1_500, end: 3_000 },
        { start: 7_000, end: 9_000 },
      ],
      [
        { identifier: "greet", start: 0, end: 3_000 },
        { identifier: "invoke", start: 3_000, end: 7_000 },
        { identifier: "bye", start: 7_000, end: 9_000 },
        { identifier: "hang-up", start: 9_000, end: 9_000 },
      ],
    );

    // Assess
    expect(silences).toEqual([
      { at: 3_000, endAt: 7_000, durationMs: 4_000, during: ["invoke"] },
      { at: 9_000, endAt: 10_000, durationMs: 1_000, during: ["hang-up"] },
    ]);
  });

  it("are measured on a call, the longest one named", async () => {
    // Prepare
    const { clock, run } = emulatorOn({
      [ARN]: async () => {
        await clock.sleep(2_400);
        return { status: "done" };
      },
    });

    // Act
    const { ended } = await run(invokeThenSay());

    // Assess
    expect(ended.longestSilence).toEqual({ at: 0, endAt: 2_430, durationMs: 2_430, during: ["invoke"] });
  });
});

describe("a caller who hangs up", () => {
  it("stops the flow mid-prompt while the handler's work goes on to the end", async () => {
    // Prepare
    let completedAt: number | undefined;
    const { clock, run } = emulatorOn({
      [ARN]: async () => {
        await clock.sleep(20_000);
        completedAt = clock.now();
        return { status: "completed" };
      },
    });
    const flow = flowOf(
      invokeLambda(
        "invoke",
        { functionArn: ARN, invocationType: "SYNCHRONOUS", timeLimitSeconds: 3, responseType: "STRING_MAP" },
        { next: "hang-up", onError: "long-apology" },
      ),
      say(
        "long-apology",
        "We are very sorry, this is taking far longer than we expected, please stay on the line",
      ),
      disconnect("hang-up"),
    );

    // Act
    const { ended, settled } = await run(flow, { hangUpAtMs: 5_000 });

    // Assess
    expect(ended.endReason).toBe("hung-up");
    expect(ended.durationMs).toBe(5_000);
    expect(eventsOf(ended, "prompt")).toEqual([expect.objectContaining({ interrupted: true, endAt: 5_000 })]);
    expect(completedAt! - settled.startedAt).toBe(20_030);
  });
});

describe("time", () => {
  it("runs a 90-second call on virtual time in well under a second", async () => {
    // Prepare
    const { clock, run } = emulatorOn({
      [ARN]: async () => {
        await clock.sleep(7_000);
        return { status: "later" };
      },
    });
    const chain = Array.from({ length: 13 }, (_, index) =>
      invokeLambda(
        `invoke-${index}`,
        { functionArn: ARN, invocationType: "SYNCHRONOUS", timeLimitSeconds: 8, responseType: "STRING_MAP" },
        { next: index === 12 ? "bye" : `invoke-${index + 1}`, onError: "bye" },
      ),
    );
    const started = performance.now();

    // Act
    const { ended } = await run(flowOf(...chain, say("bye", "bye"), disconnect("hang-up")));

    // Assess
    expect(ended.durationMs).toBeGreaterThan(90_000);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("runs on real time with the system clock", async () => {
    // Prepare
    const emulator = new ConnectEmulator({
      clock: new SystemClock(),
      functions: { [ARN]: async () => ({ status: "ok" }) },
      latency: { invocationOverheadMs: 5, asyncDispatchMs: 5, retryDelayMs: 5 },
      speech: { minimumMs: 10, wordsPerSecond: 100 },
    });

    // Act
    const result = await emulator.call(invokeThenSay()).ended;

    // Assess
    expect(result.endReason).toBe("disconnected");
    expect(result.durationMs).toBeGreaterThanOrEqual(15);
  });
});

describe("renderTimeline", () => {
  it("lists what the caller hears, each invocation and the longest silence", async () => {
    // Prepare
    const { clock, run } = emulatorOn({
      [ARN]: async () => {
        await clock.sleep(1_000);
        return { status: "completed" };
      },
    });
    const { ended } = await run(invokeThenSay());

    // Act
    const text = renderTimeline(ended);

    // Assess
    expect(text.split("\n")).toEqual([
      "   0.0s  call c0ac7000-0000-4000-8000-000000000001 starts",
      "   0.0s  λ fake (synchronous) ok, status=completed in 1.0s",
      "   0.0s  ...   silence 1.0s (invoke)",
      '   1.0s  SAYS  "completed" (0.4s)',
      "   1.4s  call disconnected",
      "   1.4s  end (disconnected); longest silence 1.0s at 0.0s",
    ]);
  });
});

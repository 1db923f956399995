import type { ConnectContactFlowEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { ARN, act, emulatorOn, eventsOf, hangUp, next, rawFlow, speak, spoken } from "./harness.ts";

const streaming = (state: "Enabled" | "Disabled", directions: string[]) => ({
  MediaStreamingState: state,
  MediaStreamType: "Audio",
  Participants: [{ ParticipantType: "Customer", MediaDirections: directions }],
});

describe("media streaming (UpdateContactMediaStreamingBehavior)", () => {
  // Attributes: Admin Guide, "Contact attributes for live media streaming in Kinesis Video Streams",
  // https://docs.aws.amazon.com/connect/latest/adminguide/media-streaming-attributes.html — StreamARN,
  // StartTimestamp, StopTimestamp, StartFragmentNumber; no stop fragment number. Wire: S1/S4 start and stop.
  it("sets the documented attributes on start and adds StopTimestamp on stop, for later blocks and Lambdas", async () => {
    // Prepare
    const events: ConnectContactFlowEvent[] = [];
    const { clock, run } = emulatorOn({
      [ARN]: async (event) => {
        events.push(event);
        return {};
      },
    });
    const startedAt = clock.now();
    const invoke = (id: string, then: string) =>
      act(
        "" + id,
        "InvokeLambdaFunction",
        { LambdaFunctionARN: ARN, InvocationTimeLimitSeconds: "3" },
        next(then),
      );

    // Act
    const { ended } = await run(
      rawFlow(
        invoke("before", "start"),
        act(
          "start",
          "UpdateContactMediaStreamingBehavior",
          streaming("Enabled", ["From"]),
          next("say-start"),
        ),
        speak("say-start", "Started at $.MediaStreams.Customer.Audio.StartTimestamp", "during"),
        invoke("during", "stop"),
        act(
          "stop",
          "UpdateContactMediaStreamingBehavior",
          streaming("Disabled", ["To", "From"]),
          next("say-stop"),
        ),
        speak("say-stop", "Stopped at $.MediaStreams.Customer.Audio.StopTimestamp", "after"),
        invoke("after", "end"),
        hangUp(),
      ),
    );

    // Assess
    const [before, during, after] = events.map(
      (event) => event.Details.ContactData.MediaStreams.Customer.Audio,
    );
    expect(before).toBeNull();
    expect(during).toEqual({
      StreamARN: expect.stringMatching(/^arn:aws:kinesisvideo:ap-northeast-1:123456789012:stream\/.+/),
      StartTimestamp: String(startedAt + 30),
      StartFragmentNumber: expect.stringMatching(/^\d+$/),
    });
    const stopAt = Number((after as { StopTimestamp?: string }).StopTimestamp);
    expect(after).toEqual({ ...during, StopTimestamp: String(stopAt) });
    expect(after).not.toHaveProperty("StopFragmentNumber");
    expect(stopAt).toBeGreaterThan(startedAt);
    expect(spoken(ended)).toEqual([`Started at ${startedAt + 30}`, `Stopped at ${stopAt}`]);
    expect(eventsOf(ended, "setting").map((event) => event.value)).toEqual([
      "Enabled (Customer From); no audio is produced",
      "Disabled (Customer To+From); no audio is produced",
    ]);
  });
});

describe("flow attributes (UpdateFlowAttributes)", () => {
  // S1 (amazon-connect/voicemail-express-amazon-connect vmx3-contactflows.yaml @ 01205ec7): FlowAttributes
  // `{ key: { Value } }`, then `$.FlowAttributes.key` as a Lambda ARN.
  it("sets $.FlowAttributes for later blocks, a dynamic Lambda ARN included", async () => {
    // Act
    const { ended } = await emulatorOn({ [ARN]: async () => ({ answer: "42" }) }).run(
      rawFlow(
        act("attrs", "UpdateFlowAttributes", { FlowAttributes: { fn: { Value: ARN } } }, next("invoke")),
        act(
          "invoke",
          "InvokeLambdaFunction",
          { LambdaFunctionARN: "$.FlowAttributes.fn", InvocationTimeLimitSeconds: "3" },
          next("say"),
        ),
        speak("say", "$.External.answer"),
        hangUp(),
      ),
    );

    // Assess
    expect(spoken(ended)).toEqual(["42"]);
  });
});

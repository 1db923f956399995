import type { FlowDocument } from "@holdline/contact-flow/flow-language";
import { describe, expect, it } from "vitest";
import { act, emulatorOn, eventsOf, hangUp, next, rawFlow, speak, spoken } from "./harness.ts";

/** Sources: the flow-language reference page of each action (docs.aws.amazon.com/connect/latest/APIReference/). */

const INSTANCE = "arn:aws:connect:us-west-2:111122223333:instance/21b5a70b-2a5a-412d-b67a-d6a81fa7c212";
const FLOW_ID = "3a0f2ffa-4a95-4a4e-8f79-dc0403b2b3ec";
const MODULE_ID = "e841e885-387a-4b7e-975a-aa8f6538b0c9";
const QUEUE = `${INSTANCE}/queue/8a2d84c5-0aa7-4c3d-a6dd-75a79b8059b5`;

const target: FlowDocument = rawFlow(
  speak("other-greet", "You are in the other flow.", "other-end"),
  hangUp("other-end"),
);

describe("TransferToFlow (flow-control-actions-transfertoflow: execution jumps to a different flow)", () => {
  // S2 (GoodMeasuresLLC/connect sample_ab_test.json): TransferToFlow with a NextAction and NoMatchingError.
  const transferring = (flowId: string) =>
    rawFlow(
      speak("greet", "Transferring.", "to-flow"),
      act("to-flow", "TransferToFlow", { ContactFlowId: flowId }, next("failed")),
      speak("failed", "Transfer failed."),
      hangUp(),
    );

  it("runs the target flow when it is given, matching its ARN to the id it was given by", async () => {
    // Act
    const { ended } = await emulatorOn({}, { flows: { [FLOW_ID]: target } }).run(
      transferring(`${INSTANCE}/contact-flow/${FLOW_ID}`),
    );

    // Assess
    expect(spoken(ended)).toEqual(["Transferring.", "You are in the other flow."]);
    expect(ended.endReason).toBe("disconnected");
    expect(eventsOf(ended, "branch")).toContainEqual(
      expect.objectContaining({ identifier: "to-flow", result: `runs flow ${FLOW_ID}` }),
    );
  });

  it("ends the call with 'transferred to flow X' when the flow was not given", async () => {
    // Act
    const { ended } = await emulatorOn({}).run(transferring(FLOW_ID));

    // Assess
    expect(spoken(ended)).toEqual(["Transferring."]);
    expect(ended.endReason).toBe("transferred");
    expect(ended.transfer).toMatchObject({ destination: "flow", target: FLOW_ID });
    expect(eventsOf(ended, "transfer")[0]?.text).toContain(`transferred to flow ${FLOW_ID}`);
  });

  it("takes the Error branch when a dynamic flow id resolves to nothing", async () => {
    // Act
    const { ended } = await emulatorOn({}).run(transferring("$.Attributes.nextFlow"));

    // Assess
    expect(spoken(ended)).toEqual(["Transferring.", "Transfer failed."]);
  });
});

describe("InvokeFlowModule and EndFlowModuleExecution (flow-language-actions-invoke-flow-module)", () => {
  // S5: FlowModuleId is a bare module id; S1: a JSONPath. MGW: custom module branches are Equals conditions.
  const invoking = rawFlow(
    act(
      "module",
      "InvokeFlowModule",
      { FlowModuleId: MODULE_ID },
      {
        NextAction: "after",
        Conditions: [{ NextAction: "vip", Condition: { Operator: "Equals", Operands: ["Vip"] } }],
        Errors: [{ NextAction: "failed", ErrorType: "NoMatchingError" }],
      },
    ),
    speak("after", "Back in the flow."),
    speak("vip", "Back, as a VIP."),
    speak("failed", "Module failed."),
    hangUp(),
  );
  const module = (result?: string): FlowDocument =>
    rawFlow(
      speak("m-greet", "Inside the module.", "m-return"),
      act("m-return", "EndFlowModuleExecution", result === undefined ? {} : { Result: result }),
    );

  it("runs a given module and comes back to the invoking action's NextAction", async () => {
    // Act
    const { ended } = await emulatorOn({}, { flowModules: { [MODULE_ID]: module() } }).run(invoking);

    // Assess
    expect(spoken(ended)).toEqual(["Inside the module.", "Back in the flow."]);
  });

  it("takes the invoking action's condition named by the module's Result", async () => {
    // Act
    const { ended } = await emulatorOn({}, { flowModules: { [`${MODULE_ID}:$LATEST`]: module("Vip") } }).run(
      invoking,
    );

    // Assess
    expect(spoken(ended)).toEqual(["Inside the module.", "Back, as a VIP."]);
  });

  it("ends the call clearly when the module was not given", async () => {
    // Act
    const { ended } = await emulatorOn({}).run(invoking);

    // Assess
    expect(ended.endReason).toBe("emulator-error");
    expect(ended.emulatorError).toMatchObject({ code: "no_flow_module", identifier: "module" });
    expect(ended.emulatorError?.message).toContain(MODULE_ID);
  });
});

describe("EndFlowExecution (flow-control-actions-endflowexecution: finishes flow, no explicit disconnect)", () => {
  it("ends the flow without a disconnect; the call ends as flow-ended", async () => {
    // Act (S6: EndFlowExecution in a customer-queue flow, Parameters {} and Transitions {})
    const { ended } = await emulatorOn({}).run(
      rawFlow(speak("greet", "Goodbye.", "stop"), act("stop", "EndFlowExecution", {})),
    );

    // Assess
    expect(ended.endReason).toBe("flow-ended");
    expect(eventsOf(ended, "end-flow")).toEqual([expect.objectContaining({ identifier: "stop" })]);
    expect(eventsOf(ended, "disconnect")).toEqual([]);
  });
});

describe("UpdateContactTargetQueue and TransferContactToQueue (contact-actions-transfercontacttoqueue)", () => {
  // S1/S6: TransferContactToQueue takes no parameters, the queue comes from UpdateContactTargetQueue.
  const queueing = rawFlow(
    act("set-queue", "UpdateContactTargetQueue", { QueueId: QUEUE }, next("queue", "failed")),
    act(
      "queue",
      "TransferContactToQueue",
      {},
      {
        NextAction: "failed",
        Errors: [
          { NextAction: "full", ErrorType: "QueueAtCapacity" },
          { NextAction: "failed", ErrorType: "NoMatchingError" },
        ],
      },
    ),
    speak("full", "The queue is full."),
    speak("failed", "Could not queue you."),
    hangUp(),
  );

  it("records the target queue and ends the call 'queued to' it", async () => {
    // Act
    const { ended } = await emulatorOn({}, { queues: { [QUEUE]: { name: "Support" } } }).run(queueing);

    // Assess
    expect(ended.endReason).toBe("transferred");
    expect(ended.transfer).toEqual({ destination: "queue", target: QUEUE, text: "queued to Support" });
    expect(eventsOf(ended, "setting")).toContainEqual(
      expect.objectContaining({ name: "target queue", value: `Support (${QUEUE})` }),
    );
  });

  it("takes QueueAtCapacity when the queue is configured full", async () => {
    // Act
    const { ended } = await emulatorOn(
      {},
      { queues: { "8a2d84c5-0aa7-4c3d-a6dd-75a79b8059b5": { atCapacity: true } } },
    ).run(queueing);

    // Assess
    expect(spoken(ended)).toEqual(["The queue is full."]);
  });

  it("takes the Error branch when no target queue was set", async () => {
    // Act
    const { ended } = await emulatorOn({}).run(
      rawFlow(
        act("queue", "TransferContactToQueue", {}, next("failed")),
        speak("failed", "No queue."),
        hangUp(),
      ),
    );

    // Assess
    expect(spoken(ended)).toEqual(["No queue."]);
  });

  it("gives the target queue to a later Lambda as ContactData.Queue and to the flow as $.Queue", async () => {
    // Prepare
    const arn = "arn:aws:lambda:us-west-2:111122223333:function:q";
    const seen: unknown[] = [];
    const { run } = emulatorOn(
      {
        [arn]: async (event) => {
          seen.push(event.Details.ContactData.Queue);
          return {};
        },
      },
      { queues: { [QUEUE]: { name: "Support" } } },
    );

    // Act
    const { ended } = await run(
      rawFlow(
        act("set-queue", "UpdateContactTargetQueue", { QueueId: QUEUE }, next("invoke")),
        act(
          "invoke",
          "InvokeLambdaFunction",
          { LambdaFunctionARN: arn, InvocationTimeLimitSeconds: "3" },
          next("say"),
        ),
        speak("say", "Queue $.Queue.Name"),
        hangUp(),
      ),
    );

    // Assess
    expect(seen).toEqual([{ ARN: QUEUE, Name: "Support" }]);
    expect(spoken(ended)).toEqual(["Queue Support"]);
  });
});

describe("DistributeByPercentage (flow-control-actions-distributebypercentage)", () => {
  // S2 (sample_ab_test.json): no Parameters key, cumulative NumberLessThan conditions, NoMatchingCondition is
  // the remainder. "A number between 1 and 100, inclusive, chosen randomly."
  const split: FlowDocument = {
    Version: "2019-10-30",
    StartAction: "split",
    Actions: [
      {
        Identifier: "split",
        Type: "DistributeByPercentage",
        Transitions: {
          NextAction: "c",
          Conditions: [
            { NextAction: "a", Condition: { Operator: "NumberLessThan", Operands: ["21"] } },
            { NextAction: "b", Condition: { Operator: "NumberLessThan", Operands: ["51"] } },
          ],
          Errors: [{ NextAction: "c", ErrorType: "NoMatchingCondition" }],
        },
      } as never,
      speak("a", "a"),
      speak("b", "b"),
      speak("c", "c"),
      hangUp(),
    ],
  };

  it("gives the same branch for the same seed, and each branch about its share over many calls", async () => {
    // Act
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    const rolls: string[] = [];
    for (let seed = 1; seed <= 400; seed++) {
      const { ended } = await emulatorOn({}, { randomSeed: seed }).run(split);
      const said = spoken(ended)[0] ?? "";
      counts[said] = (counts[said] ?? 0) + 1;
      if (seed <= 3) rolls.push(eventsOf(ended, "branch")[0]?.result ?? "");
    }
    const again = await emulatorOn({}, { randomSeed: 2 }).run(split);

    // Assess
    expect(rolls[1]).toBe(eventsOf(again.ended, "branch")[0]?.result);
    expect(rolls[0]).toMatch(/^rolled \d{1,3} of 100/);
    expect(counts.a).toBeGreaterThan(50);
    expect(counts.a).toBeLessThan(110);
    expect(counts.b).toBeGreaterThan(90);
    expect(counts.b).toBeLessThan(150);
    expect(counts.c).toBeGreaterThan(170);
    expect(counts.c).toBeLessThan(230);
  });
});

describe("recorded contact settings (recording, event hooks, tags)", () => {
  it("records each on the timeline and goes on to NextAction", async () => {
    // Act (S5b: recording with AnalyticsBehavior; S3/S6: one event hook per action; TagContact and
    // UntagContact from the reference, MGW: the type is UntagContact)
    const { ended } = await emulatorOn({}).run(
      rawFlow(
        act(
          "record",
          "UpdateContactRecordingBehavior",
          {
            RecordingBehavior: { RecordedParticipants: ["Agent", "Customer"] },
            AnalyticsBehavior: {
              Enabled: "True",
              AnalyticsLanguage: "en-US",
              ChannelConfiguration: { Voice: { AnalyticsModes: ["RealTime"] } },
            },
          },
          { NextAction: "hook" },
        ),
        act(
          "hook",
          "UpdateContactEventHooks",
          { EventHooks: { CustomerQueue: `${INSTANCE}/contact-flow/q` } },
          next("tag"),
        ),
        act(
          "tag",
          "TagContact",
          { Tags: { team: "support", caller: "$.CustomerEndpoint.Address" } },
          next("untag"),
        ),
        act("untag", "UntagContact", { TagKeys: ["team"] }, next("done")),
        speak("done", "Done."),
        hangUp(),
      ),
    );

    // Assess
    expect(spoken(ended)).toEqual(["Done."]);
    expect(eventsOf(ended, "setting").map((event) => `${event.name}: ${event.value}`)).toEqual([
      "recording: Agent, Customer; analytics on (RealTime) (recorded, nothing is recorded)",
      `event hook: CustomerQueue=${INSTANCE}/contact-flow/q`,
      "tags: team=support, caller=+819000000000",
      "untag: team",
    ]);
  });
});

describe("transfers out of the emulator's world", () => {
  it.each([
    ["TransferContactToAgent", {}, "agent"],
    [
      "TransferParticipantToThirdParty",
      { ThirdPartyPhoneNumber: "+15550100", ContinueFlowExecution: "False" },
      "phone-number",
    ],
  ])("%s ends the call as transferred", async (type, parameters, destination) => {
    // Act
    const { ended } = await emulatorOn({}).run(rawFlow(act("out", type, parameters, next("end")), hangUp()));

    // Assess
    expect(ended.endReason).toBe("transferred");
    expect(ended.transfer?.destination).toBe(destination);
  });
});

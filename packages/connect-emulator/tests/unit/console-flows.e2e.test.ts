import {
  CONSOLE_FLOW_FIXTURES,
  CONSOLE_FLOW_NAMES,
  loadConsoleFlow,
} from "@holdline/contact-flow/testing/console-flows";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import type { ConnectContactFlowEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { press, say, silence } from "../../src/caller-script.ts";
import type { ConnectEmulatorOptions } from "../../src/connect-emulator.ts";
import type { HoursOfOperation } from "../../src/hours-of-operation.ts";
import type { LambdaFunctions } from "../../src/lambda-function.ts";
import { decryptEmulatedInput } from "../../src/store-input.ts";
import { emulatorOn, eventsOf, spoken } from "./harness.ts";

/**
 * Every flow of contact-flow's corpus of console-shaped fixtures (issue 14 item 2), run end to end with small
 * local Lambdas, each ending the way its shape says it should.
 */

const LAMBDA = (name: string) => `arn:aws:lambda:us-west-2:111122223333:function:${name}`;
const INSTANCE = "arn:aws:connect:us-west-2:111122223333:instance/21b5a70b-2a5a-412d-b67a-d6a81fa7c212";

function emulator(
  functions: LambdaFunctions,
  options: Partial<ConnectEmulatorOptions> = {},
  clock = new ManualClock(Date.UTC(2026, 0, 6, 18)),
) {
  return emulatorOn(functions, { instanceArn: INSTANCE, ...options }, clock);
}

it("covers every fixture of the corpus", () => {
  expect(CONSOLE_FLOW_NAMES.sort()).toEqual(
    ["asyncKeepRunning", "hoursAndQueue", "lexV2", "secureInput", "syncPolling"].sort(),
  );
});

describe(`syncPolling: ${CONSOLE_FLOW_FIXTURES.syncPolling.title}`, () => {
  const flow = loadConsoleFlow("syncPolling");

  it("streams media, takes 1, stores the tracking number ended by #, polls until found, says it, stops streaming", async () => {
    // Prepare
    const events: ConnectContactFlowEvent[] = [];
    let polls = 0;
    const { run } = emulator({
      [LAMBDA("parcel-lookup-start")]: async (event) => {
        events.push(event);
        return { lookupState: "pending" };
      },
      [LAMBDA("parcel-lookup-status")]: async (event) => {
        events.push(event);
        polls += 1;
        return polls < 3
          ? { lookupState: "pending" }
          : { lookupState: "found", parcelStatus: "out for delivery" };
      },
    });

    // Act
    const { ended } = await run(flow, {
      turns: [press("1", { afterMs: 500 }), press("480213#", { afterMs: 800 })],
    });

    // Assess
    expect(events.map((event) => event.Details.Parameters)).toEqual(
      Array.from({ length: 4 }, () => ({ trackingNumber: "480213" })),
    );
    expect(events[0]?.Details.ContactData.MediaStreams.Customer.Audio).toMatchObject({
      StreamARN: expect.stringContaining(":kinesisvideo:us-west-2:111122223333:stream/"),
    });
    const said = spoken(ended);
    expect(said).toContain("One moment while I look that up.");
    expect(said.filter((text) => text === "Still looking.")).toHaveLength(2);
    expect(said).toContain("Your parcel is out for delivery.");
    expect(eventsOf(ended, "setting").at(-1)?.value).toMatch(/^Disabled/);
    expect(ended.attributes).toEqual({ trackingNumber: "480213" });
    expect(ended.endReason).toBe("disconnected");
  });

  it("re-asks the menu on silence, twice, then says goodbye (Loop count 2)", async () => {
    // Act
    const { ended } = await emulator({}).run(flow, { turns: [silence, silence, silence] });

    // Assess
    expect(eventsOf(ended, "input-timeout")).toHaveLength(3);
    expect(spoken(ended).at(-1)).toBe("Thank you for calling Northwind Parcel. Goodbye.");
    expect(ended.endReason).toBe("disconnected");
  });
});

describe(`asyncKeepRunning: ${CONSOLE_FLOW_FIXTURES.asyncKeepRunning.title}`, () => {
  const flow = loadConsoleFlow("asyncKeepRunning");
  const holdMusic = "24181a54-c92e-488d-8416-ed5b882aeb59";

  const refundCheck = (takesMs: number, received: Record<string, string>[] = []) => {
    const clock = new ManualClock(Date.UTC(2026, 0, 6, 18));
    const functions: LambdaFunctions = {
      [LAMBDA("refund-check")]: async (event) => {
        received.push(event.Details.Parameters);
        await clock.sleep(takesMs);
        return { refundState: "issued" };
      },
    };
    return emulator(functions, { promptDurationsMs: { [holdMusic]: 4_000 } }, clock);
  };

  it("plays the hold prompt on Continue until the refund check returns, then loads and says its result", async () => {
    // Prepare
    const received: Record<string, string>[] = [];

    // Act
    const { ended } = await refundCheck(9_000, received).run(flow);

    // Assess
    expect(received).toEqual([{ requestKind: "refund-status", contactRef: ended.contactId }]);
    const holds = eventsOf(ended, "prompt").filter((prompt) => prompt.text.startsWith("[prompt"));
    expect(holds.length).toBeGreaterThanOrEqual(2);
    expect(holds.at(-1)?.interrupted).toBe(true);
    expect(eventsOf(ended, "branch").map((event) => event.result)).toEqual(
      expect.arrayContaining(["Continue", "LambdaReturned", "success"]),
    );
    expect(spoken(ended).slice(-2)).toEqual([
      "Good news: your refund has been issued.",
      "Thanks for calling. Goodbye.",
    ]);
    expect(ended.endReason).toBe("disconnected");
  });

  it("apologises when the check outlives its 30 s invocation limit (the Wait's LambdaReturned, then Load's Error)", async () => {
    // Act
    const { ended } = await refundCheck(45_000).run(flow);

    // Assess
    expect(eventsOf(ended, "async-result")[0]?.outcome).toMatchObject({
      status: "error",
      errorType: "timeout",
    });
    expect(spoken(ended).at(-1)).toBe("Sorry, I could not check your refund right now.");
    expect(ended.endReason).toBe("disconnected");
  });
});

describe(`secureInput: ${CONSOLE_FLOW_FIXTURES.secureInput.title}`, () => {
  const flow = loadConsoleFlow("secureInput");
  const confirmationFlow = `${INSTANCE}/contact-flow/3a0f2ffa-4a95-4a4e-8f79-dc0403b2b3ec`;

  it("stores the card number encrypted, keeps it as an attribute, and leaves for the confirmation flow", async () => {
    // Act
    const { ended } = await emulator({}).run(flow, {
      turns: [press("4111111111111111#", { afterMs: 1_000 })],
    });

    // Assess
    expect(decryptEmulatedInput(ended.attributes.encryptedCard ?? "")).toBe("4111111111111111");
    expect(ended.attributes.encryptedCard).not.toContain("4111");
    expect(eventsOf(ended, "setting").map((event) => event.value)).toEqual(["Disabled", "Enabled"]);
    expect(ended.endReason).toBe("transferred");
    expect(ended.transfer).toMatchObject({ destination: "flow", target: confirmationFlow });
  });

  it("runs the confirmation flow when it is given", async () => {
    // Prepare
    const confirmation = {
      Version: "2019-10-30" as const,
      StartAction: "confirm",
      Actions: [
        {
          Identifier: "confirm",
          Type: "MessageParticipant",
          Parameters: { Text: "Your payment is confirmed." },
          Transitions: { NextAction: "bye", Errors: [{ NextAction: "bye", ErrorType: "NoMatchingError" }] },
        },
        { Identifier: "bye", Type: "DisconnectParticipant", Parameters: {}, Transitions: {} },
      ],
    };

    // Act
    const { ended } = await emulator({}, { flows: { [confirmationFlow]: confirmation } }).run(flow, {
      turns: [press("4111111111111111#")],
    });

    // Assess
    expect(spoken(ended).at(-1)).toBe("Your payment is confirmed.");
    expect(ended.endReason).toBe("disconnected");
  });

  it("asks once more after a Timeout, then says goodbye (Loop count 1)", async () => {
    // Act
    const { ended } = await emulator({}).run(flow, { turns: [silence, silence] });

    // Assess
    expect(spoken(ended).slice(-2)).toEqual([
      "Please key in your card number, then press the pound key.",
      "No card number was entered. Goodbye.",
    ]);
    expect(ended.endReason).toBe("disconnected");
  });
});

describe(`lexV2: ${CONSOLE_FLOW_FIXTURES.lexV2.title}`, () => {
  const flow = loadConsoleFlow("lexV2");
  const intents: Record<string, string> = {
    balance: "CheckBalance",
    lost: "ReportLostCard",
    bye: "EndConversation",
  };
  const bot: ConnectEmulatorOptions["lex"] = ({ utterance, sessionAttributes }) => ({
    intent: Object.entries(intents).find(([word]) => utterance.includes(word))?.[1] ?? "FallbackIntent",
    sessionAttributes,
  });

  it("hands the contact attribute to Lex as a session attribute and branches on the intent", async () => {
    // Prepare
    const seen: Record<string, string>[] = [];
    const { run } = emulator(
      {},
      {
        lex: (request) => {
          seen.push(request.sessionAttributes);
          return bot(request);
        },
      },
    );

    // Act
    const { ended } = await run(flow, { turns: [say("what is my balance")] });

    // Assess
    expect(seen).toEqual([{ customerTier: "standard" }]);
    expect(spoken(ended).slice(-2)).toEqual([
      "I have sent your balance to your registered phone by text message.",
      "Thank you for banking with us. Goodbye.",
    ]);
    expect(ended.attributes).toMatchObject({ lastIntent: "CheckBalance" });
  });

  it("re-asks on an intent no condition names, twice, then says goodbye", async () => {
    // Act
    const { ended } = await emulator({}, { lex: bot }).run(flow, {
      turns: [say("hmm"), say("what"), say("no idea")],
    });

    // Assess
    expect(spoken(ended).filter((text) => text === "Sorry, I did not understand.")).toHaveLength(2);
    expect(spoken(ended).at(-1)).toBe("Thank you for banking with us. Goodbye.");
  });
});

describe(`hoursAndQueue: ${CONSOLE_FLOW_FIXTURES.hoursAndQueue.title}`, () => {
  const flow = loadConsoleFlow("hoursAndQueue");
  const hoursId = "72a5e3e8-620e-40f5-8afe-88a4174537c9";
  const queue30 = `${INSTANCE}/queue/8a2d84c5-0aa7-4c3d-a6dd-75a79b8059b5`;
  const queue70 = `${INSTANCE}/queue/53763aad-cdf4-4083-ba09-449d28f49e6e`;
  const weekdays8to18: HoursOfOperation = {
    TimeZone: "America/Los_Angeles",
    Config: (["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"] as const).map((Day) => ({
      Day,
      StartTime: { Hours: 8, Minutes: 0 },
      EndTime: { Hours: 18, Minutes: 0 },
    })),
  };
  // Tuesday 2026-01-06: 10:00 in Los Angeles (UTC-8) is 18:00 UTC; 20:00 is 04:00 UTC the next day.
  const openAt = Date.UTC(2026, 0, 6, 18);
  const closedAt = Date.UTC(2026, 0, 7, 4);
  const options = (more: Partial<ConnectEmulatorOptions> = {}): Partial<ConnectEmulatorOptions> => ({
    hoursOfOperation: { [hoursId]: weekdays8to18 },
    queues: { [queue30]: { name: "Support Tier 1" }, [queue70]: { name: "Support Tier 2" } },
    ...more,
  });

  it("in hours, records recording and the event hook, splits 30/70 and ends queued", async () => {
    // Act
    const results = [];
    for (let seed = 1; seed <= 20; seed++) {
      results.push(
        (await emulator({}, options({ randomSeed: seed }), new ManualClock(openAt)).run(flow)).ended,
      );
    }

    // Assess
    for (const ended of results) {
      expect(ended.endReason).toBe("transferred");
      expect(ended.transfer?.destination).toBe("queue");
      expect(eventsOf(ended, "setting").map((event) => event.name)).toEqual(
        expect.arrayContaining(["recording", "event hook", "target queue"]),
      );
    }
    const targets = new Set(results.map((ended) => ended.transfer?.text));
    expect(targets).toEqual(new Set(["queued to Support Tier 1", "queued to Support Tier 2"]));
  });

  it("out of hours, says when it is open and hangs up", async () => {
    // Act
    const { ended } = await emulator({}, options(), new ManualClock(closedAt)).run(flow);

    // Assess
    expect(spoken(ended)).toEqual([
      "Support is open on weekdays from eight in the morning to six in the evening. Please call back then.",
    ]);
    expect(ended.endReason).toBe("disconnected");
  });

  it("takes QueueAtCapacity when both queues are full", async () => {
    // Act
    const full = { atCapacity: true };
    const { ended } = await emulator(
      {},
      options({ queues: { [queue30]: full, [queue70]: full } }),
      new ManualClock(openAt),
    ).run(flow);

    // Assess
    expect(spoken(ended).at(-1)).toBe(
      "All of our agents are busy and the queue is full. Please call back later.",
    );
    expect(ended.endReason).toBe("disconnected");
  });
});

import {
  compare,
  disconnect,
  dtmfMenu,
  invokeLambda,
  lexBot,
  loop,
  setContactAttributes,
  storeCustomerInput,
  wait,
} from "@holdline/contact-flow/flow-actions";
import type { FlowDocument } from "@holdline/contact-flow/flow-language";
import { holdlineLexBot } from "@holdline/contact-flow/holdline/lex-bot-simulation";
import type { ConnectContactFlowEvent } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { say as caller, press, silence } from "../../src/caller-script.ts";
import { ARN, emulatorOn, eventsOf, flowOf, say, spoken } from "./harness.ts";

const noLambdas = () => emulatorOn({});

describe("Compare", () => {
  const check = (value: string, operator: "Equals" | "NumberGreaterThan" = "Equals"): FlowDocument =>
    flowOf(
      setContactAttributes("set", { level: value }, { next: "check", onError: "hang-up" }),
      compare("check", "$.Attributes.level", {
        cases: [["5", "matched"]],
        onNoMatch: "unmatched",
        operator,
      }),
      say("matched", "matched"),
      say("unmatched", "unmatched"),
      disconnect("hang-up"),
    );

  it("takes the branch whose operand equals the value", async () => {
    expect(spoken((await noLambdas().run(check("5"))).ended)).toEqual(["matched"]);
  });

  it("compares numbers with the Number operators", async () => {
    expect(spoken((await noLambdas().run(check("12", "NumberGreaterThan"))).ended)).toEqual(["matched"]);
  });

  it("takes NoMatchingCondition when nothing matches", async () => {
    expect(spoken((await noLambdas().run(check("4"))).ended)).toEqual(["unmatched"]);
  });

  describe("with a dynamic operand (a JSONPath, as the Admin Guide's $.Attributes.verificationCode)", () => {
    const against = (entered: string) =>
      flowOf(
        setContactAttributes(
          "set",
          { verificationCode: "4711", entered },
          { next: "check", onError: "hang-up" },
        ),
        compare("check", "$.Attributes.entered", {
          cases: [["$.Attributes.verificationCode", "matched"]],
          onNoMatch: "unmatched",
        }),
        say("matched", "matched"),
        say("unmatched", "unmatched"),
        disconnect("hang-up"),
      );

    it("compares with the operand's value, not its text", async () => {
      // Act
      const { ended } = await noLambdas().run(against("4711"));

      // Assess
      expect(spoken(ended)).toEqual(["matched"]);
      expect(eventsOf(ended, "branch").find((event) => event.identifier === "check")?.result).toBe(
        '$.Attributes.entered = "4711"; $.Attributes.verificationCode = "4711"',
      );
    });

    it("takes NoMatchingCondition when the values differ", async () => {
      expect(spoken((await noLambdas().run(against("1234"))).ended)).toEqual(["unmatched"]);
    });
  });
});

describe("Loop", () => {
  it("continues LoopCount times, is done once, then counts again from zero", async () => {
    // Prepare
    const flow = flowOf(
      loop("again", 2, { whileLooping: "looping", whenDone: "done" }),
      say("looping", "looping", "again"),
      say("done", "done", "second-round"),
      loop("second-round", 0, { whileLooping: "hang-up", whenDone: "again-after-done" }),
      loop("again-after-done", 1, { whileLooping: "hang-up", whenDone: "hang-up" }),
      disconnect("hang-up"),
    );

    // Act
    const { ended } = await noLambdas().run(flow);

    // Assess
    expect(spoken(ended)).toEqual(["looping", "looping", "done"]);
    expect(eventsOf(ended, "branch").map((event) => `${event.identifier}:${event.result}`)).toEqual([
      "again:ContinueLooping (1 of 2)",
      "again:ContinueLooping (2 of 2)",
      "again:DoneLooping",
      "second-round:DoneLooping",
      "again-after-done:ContinueLooping (1 of 1)",
    ]);
  });
});

describe("UpdateContactAttributes", () => {
  it("sets attributes the flow and later invocations read", async () => {
    // Prepare
    const seen: ConnectContactFlowEvent[] = [];
    const { run } = emulatorOn({
      [ARN]: async (event) => {
        seen.push(event);
        return { nextTurn: "2" };
      },
    });
    const flow = flowOf(
      setContactAttributes("first", { turn: "1" }, { next: "invoke", onError: "hang-up" }),
      invokeLambda(
        "invoke",
        {
          functionArn: ARN,
          invocationType: "SYNCHRONOUS",
          timeLimitSeconds: 3,
          responseType: "STRING_MAP",
          attributes: { turn: "$.Attributes.turn" },
        },
        { next: "next", onError: "hang-up" },
      ),
      setContactAttributes("next", { turn: "$.External.nextTurn" }, { next: "said", onError: "hang-up" }),
      say("said", "turn $.Attributes.turn"),
      disconnect("hang-up"),
    );

    // Act
    const { ended } = await run(flow);

    // Assess
    expect(seen[0]?.Details.Parameters).toEqual({ turn: "1" });
    expect(seen[0]?.Details.ContactData.Attributes).toEqual({ turn: "1" });
    expect(spoken(ended)).toEqual(["turn 2"]);
    expect(ended.attributes).toEqual({ turn: "2" });
  });
});

describe("caller input", () => {
  const menu = () =>
    flowOf(
      dtmfMenu(
        "menu",
        { prompt: { text: "Press 1 for sales." }, inputTimeLimitSeconds: 5 },
        { keys: { "1": "sales" }, onNoMatch: "other", onTimeout: "timeout", onError: "hang-up" },
      ),
      say("sales", "sales"),
      say("other", "other"),
      say("timeout", "timeout"),
      disconnect("hang-up"),
    );

  it("branches on the key pressed", async () => {
    expect(
      spoken((await noLambdas().run(menu(), { turns: [press("1", { afterMs: 1_000 })] })).ended).slice(1),
    ).toEqual(["sales"]);
  });

  it("times out when the caller presses nothing within the limit", async () => {
    // Act
    const { ended } = await noLambdas().run(menu(), { turns: [press("1", { afterMs: 6_000 })] });

    // Assess
    expect(spoken(ended).slice(1)).toEqual(["timeout"]);
    expect(eventsOf(ended, "input-timeout")).toHaveLength(1);
  });

  it("stores the input in $.StoredCustomerInput when asked to", async () => {
    // Prepare
    const flow = flowOf(
      storeCustomerInput(
        "store",
        { prompt: { text: "Enter your code." }, inputTimeLimitSeconds: 10, maxDigits: 4 },
        { next: "echo", onError: "hang-up" },
      ),
      say("echo", "code $.StoredCustomerInput"),
      disconnect("hang-up"),
    );

    // Act
    const { ended } = await noLambdas().run(flow, { turns: [press("1234")] });

    // Assess
    expect(spoken(ended)).toEqual(["Enter your code.", "code 1234"]);
  });
});

describe("ConnectParticipantWithLexBot", () => {
  const bot = () =>
    flowOf(
      lexBot(
        "ask",
        {
          botAliasArn: "arn:aws:lex:ap-northeast-1:123456789012:bot-alias/B/A",
          prompt: { text: "Your question?" },
        },
        {
          intents: { HoldlineQuestion: "echo", HoldlineGoodbye: "bye" },
          onNoMatchingIntent: "other",
          onInputTimeout: "silent",
          onError: "hang-up",
        },
      ),
      say("echo", "you asked: $.Lex.SessionAttributes.holdlineTranscript"),
      say("bye", "bye"),
      say("other", "intent $.Lex.IntentName"),
      say("silent", "nothing heard"),
      disconnect("hang-up"),
    );

  it("maps a scripted utterance to an intent and session attributes with Holdline's bot", async () => {
    const { run } = emulatorOn({}, { lex: holdlineLexBot });
    expect(spoken((await run(bot(), { turns: [caller("When do you open?")] })).ended)).toEqual([
      "Your question?",
      "you asked: When do you open?",
    ]);
  });

  it("sends every utterance to FallbackIntent when given no bot, keeping the session attributes", async () => {
    const { ended } = await noLambdas().run(bot(), { turns: [caller("When do you open?")] });
    expect(spoken(ended).slice(1)).toEqual(["intent FallbackIntent"]);
    expect(eventsOf(ended, "lex")[0]).toMatchObject({ intent: "FallbackIntent", sessionAttributes: {} });
  });

  it("takes InputTimeLimitExceeded when the caller says nothing", async () => {
    expect(spoken((await noLambdas().run(bot(), { turns: [silence] })).ended).slice(1)).toEqual([
      "nothing heard",
    ]);
  });

  it("takes the no-match branch for an intent no condition names", async () => {
    expect(
      spoken(
        (await noLambdas().run(bot(), { turns: [{ say: "hmm", intent: "FallbackIntent" }] })).ended,
      ).slice(1),
    ).toEqual(["intent FallbackIntent"]);
  });

  it("asks a pluggable Lex simulation, e.g. a real code hook", async () => {
    // Prepare
    const { run } = emulatorOn(
      {},
      {
        lex: ({ utterance }) => ({
          intent: "HoldlineQuestion",
          sessionAttributes: { holdlineTranscript: utterance.toUpperCase() },
        }),
      },
    );

    // Act
    const { ended } = await run(bot(), { turns: [caller("shout")] });

    // Assess
    expect(spoken(ended).slice(1)).toEqual(["you asked: SHOUT"]);
  });
});

describe("Wait that keeps running", () => {
  const waitingFlow = (timeLimitSeconds: number) =>
    flowOf(
      invokeLambda(
        "invoke",
        {
          functionArn: ARN,
          invocationType: "ASYNCHRONOUS",
          timeLimitSeconds: 60,
          responseType: "STRING_MAP",
        },
        { next: "wait", onError: "hang-up" },
      ),
      wait(
        "wait",
        {
          timeLimitSeconds,
          minimumWaitSeconds: 1,
          lambdaInvocationId: "$.LambdaInvocation.InvocationId",
          continueExecution: true,
        },
        { onTimeout: "too-long", onLambdaReturned: "returned", onContinue: "filler", onError: "hang-up" },
      ),
      say("filler", "please hold on a little longer", "wait"),
      say("returned", "returned"),
      say("too-long", "too long"),
      disconnect("hang-up"),
    );

  // The first Continue comes MinimumWaitTimeSeconds after the wait began (our reading; MGW: the live API
  // requires the parameter in keep-running mode; no AWS page describes it).
  it("plays the Continue branch from the minimum wait until the Lambda returns, cutting the filler short", async () => {
    // Prepare
    const { clock, run } = emulatorOn({
      [ARN]: async () => {
        await clock.sleep(5_000);
        return {};
      },
    });

    // Act
    const { ended } = await run(waitingFlow(30));

    // Assess
    const prompts = eventsOf(ended, "prompt");
    expect(prompts.map((prompt) => prompt.text)).toEqual([
      "please hold on a little longer",
      "please hold on a little longer",
      "returned",
    ]);
    expect(prompts[0]?.at).toBe(1_000);
    expect(prompts[1]).toMatchObject({ interrupted: true, endAt: 5_050 });
  });

  it("takes WaitCompleted at its timeout if the Lambda has not returned", async () => {
    // Prepare
    const { clock, run } = emulatorOn({
      [ARN]: async () => {
        await clock.sleep(50_000);
        return {};
      },
    });

    // Act
    const { ended } = await run(waitingFlow(4));

    // Assess
    expect(spoken(ended).at(-1)).toBe("too long");
    expect(eventsOf(ended, "prompt").at(-1)?.at).toBe(4_000);
  });
});

describe("flows the emulator cannot run", () => {
  it("refuses a flow with a NextAction that names no action before starting", () => {
    // Prepare
    const flow: FlowDocument = {
      Version: "2019-10-30",
      StartAction: "greet",
      Actions: [
        {
          Parameters: { Text: "hi" },
          Identifier: "greet",
          Type: "MessageParticipant",
          Transitions: { NextAction: "gone" },
        },
      ],
    };

    // Act
    const start = () => noLambdas().emulator.call(flow);

    // Assess
    expect(start).toThrow(/names no action|"gone"/);
  });
});

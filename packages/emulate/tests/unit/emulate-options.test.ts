import { describe, expect, it } from "vitest";
import { type EmulateOptions, isoInstant, parseEmulateArgs, secondsToMs } from "../../src/emulate-options.ts";

const DEFAULTS: EmulateOptions = {
  flowPath: "flow.json",
  lambdas: [],
  timeoutsMs: [],
  turns: [],
  promptDurationsMs: {},
  attributes: {},
  flows: [],
  modules: [],
  hours: [],
  fullQueues: [],
  realTime: false,
  json: false,
  verbose: false,
};

const options = (argv: string[]) => {
  const parsed = parseEmulateArgs(argv);
  if (parsed.kind !== "run") throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.options;
};

const refusal = (argv: string[]) => {
  const parsed = parseEmulateArgs(argv);
  return parsed.kind === "error" ? parsed.message : `not refused: ${JSON.stringify(parsed)}`;
};

describe("parseEmulateArgs", () => {
  it("needs only the flow; virtual time, text output", () => {
    expect(options(["flow.json"])).toEqual(DEFAULTS);
  });

  it("reads every option, ignoring the `--` pnpm may pass on", () => {
    const parsed = options([
      "--",
      "flow.json",
      "--lambda",
      "arn:aws:lambda:eu-west-1:111122223333:function:lookup=./lookup.mjs",
      "--lambda",
      "notify=lib/notify.ts#notifyHandler",
      "--timeout",
      "lookup=2.5",
      "--hang-up-after",
      "40",
      "--prompt-duration",
      "hold-music.wav=12",
      "--prompt-duration",
      "0.8",
      "--locale",
      "ja-JP",
      "--attribute",
      "tier=gold",
      "--attribute",
      "note=a=b",
      "--flow",
      "arn:aws:connect:eu-west-1:111122223333:instance/i-1/contact-flow/confirm=flows/confirm.json",
      "--flow",
      "survey=flows/survey.json",
      "--module",
      "greeting=modules/greeting.json",
      "--hours",
      "support-hours=hours.json",
      "--queue-full",
      "Fernhill support",
      "--queue-full",
      "q-2",
      "--seed",
      "42",
      "--wait-event",
      "finish-block",
      "--minimum-wait",
      "not-applied",
      "--at",
      "2025-06-02T09:30:00+02:00",
      "--real-time",
      "--json",
      "--verbose",
    ]);

    expect(parsed).toEqual({
      ...DEFAULTS,
      lambdas: [
        { key: "arn:aws:lambda:eu-west-1:111122223333:function:lookup", path: "./lookup.mjs" },
        { key: "notify", path: "lib/notify.ts", exportName: "notifyHandler" },
      ],
      timeoutsMs: [{ key: "lookup", ms: 2_500 }],
      hangUpAfterMs: 40_000,
      promptDurationsMs: { "hold-music.wav": 12_000 },
      defaultPromptMs: 800,
      locale: "ja-JP",
      attributes: { tier: "gold", note: "a=b" },
      flows: [
        {
          key: "arn:aws:connect:eu-west-1:111122223333:instance/i-1/contact-flow/confirm",
          path: "flows/confirm.json",
        },
        { key: "survey", path: "flows/survey.json" },
      ],
      modules: [{ key: "greeting", path: "modules/greeting.json" }],
      hours: [{ key: "support-hours", path: "hours.json" }],
      fullQueues: ["Fernhill support", "q-2"],
      randomSeed: 42,
      keepRunningWaitEvent: "finish-block",
      keepRunningMinimumWait: "not-applied",
      startAt: Date.UTC(2025, 5, 2, 7, 30),
      realTime: true,
      json: true,
      verbose: true,
    });
  });

  it("keeps the caller's inline turns in order, each --wait delaying the next turn", () => {
    const parsed = options([
      "flow.json",
      "--say",
      "Where is my order?",
      "--wait",
      "2",
      "--press",
      "4711#",
      "--silence",
      "--wait",
      "0.5",
      "--say",
      "Goodbye",
    ]);

    expect(parsed.turns).toEqual([
      { say: "Where is my order?" },
      { press: "4711#", afterMs: 2_000 },
      {},
      { say: "Goodbye", afterMs: 500 },
    ]);
  });

  it("takes the caller from a file", () => {
    expect(options(["flow.json", "--caller", "caller.json"]).callerFile).toBe("caller.json");
  });

  it.each([
    [[], /give the flow's JSON file/],
    [["a.json", "b.json"], /one flow at a time/],
    [["f.json", "--lambda", "lookup"], /--lambda takes <arn-or-name>=<module>/],
    [["f.json", "--timeout", "lookup=soon"], /--timeout takes seconds up to 900/],
    [["f.json", "--timeout", "lookup=0"], /more than 0 seconds/],
    [["f.json", "--press", "12a"], /--press takes keys 0-9, \* and #/],
    [["f.json", "--say", " "], /--say needs something to say/],
    [["f.json", "--press", "1", "--wait", "2"], /--wait must come before/],
    [["f.json", "--wait", "1", "--wait", "2", "--press", "1"], /two --wait in a row/],
    [["f.json", "--hang-up-after", "-3"], /ambiguous|--hang-up-after takes seconds/],
    [["f.json", "--caller", "c.json", "--say", "hi"], /either inline .* or in --caller/],
    [["f.json", "--loud"], /Unknown option '--loud'/],
    [["f.json", "--flow", "confirm.json"], /--flow takes <id-or-arn>=<file.json>/],
    [["f.json", "--module", "greeting="], /--module takes <id-or-arn>=<file.json>/],
    [["f.json", "--hours", "=hours.json"], /--hours takes <id-or-arn>=<file.json>/],
    [["f.json", "--queue-full", " "], /--queue-full needs the queue's ARN, id or name/],
    [["f.json", "--seed", "1.5"], /--seed takes a whole number from 0 to 4294967295/],
    [["f.json", "--seed", "4294967296"], /--seed takes a whole number/],
    [["f.json", "--wait-event", "finish"], /--wait-event takes cut-short or finish-block/],
    [["f.json", "--minimum-wait", "never"], /--minimum-wait takes each-entry or not-applied/],
    [["f.json", "--at", "2025-06-02 09:30"], /--at takes an ISO date and time with its offset/],
    [["f.json", "--at", "2025-06-02T09:30:00"], /--at takes an ISO date and time with its offset/],
  ])("refuses %j", (argv, message) => {
    expect(refusal(argv)).toMatch(message);
  });

  it("asks for help with -h and --help", () => {
    expect(parseEmulateArgs(["-h"])).toEqual({ kind: "help" });
    expect(parseEmulateArgs(["flow.json", "--help"])).toEqual({ kind: "help" });
  });
});

describe("isoInstant", () => {
  it("reads an ISO date and time with Z or an offset, to the minute, second or millisecond", () => {
    expect(isoInstant("2025-06-02T09:30Z")).toBe(Date.UTC(2025, 5, 2, 9, 30));
    expect(isoInstant("2025-06-02T09:30:15+02:00")).toBe(Date.UTC(2025, 5, 2, 7, 30, 15));
    expect(isoInstant("2025-06-02T09:30:15.250-05:00")).toBe(Date.UTC(2025, 5, 2, 14, 30, 15, 250));
  });

  it("refuses a time without its offset (it would depend on this machine's zone), and dates that do not exist", () => {
    expect(isoInstant("2025-06-02T09:30")).toBeUndefined();
    expect(isoInstant("2025-06-02")).toBeUndefined();
    expect(isoInstant("2025-02-30T09:30Z")).toBeUndefined();
    expect(isoInstant("2025-06-02T24:00Z")).toBeUndefined();
    expect(isoInstant("2025-06-02T09:60Z")).toBeUndefined();
    expect(isoInstant("tomorrow")).toBeUndefined();
  });
});

describe("secondsToMs", () => {
  it("reads whole and decimal seconds, and nothing else", () => {
    expect(secondsToMs("3")).toBe(3_000);
    expect(secondsToMs("0.25")).toBe(250);
    expect(secondsToMs("1e3")).toBeUndefined();
    expect(secondsToMs("-1")).toBeUndefined();
    expect(secondsToMs("")).toBeUndefined();
  });
});

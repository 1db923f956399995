import { describe, expect, it } from "vitest";
import { type EmulateOptions, parseEmulateArgs, secondsToMs } from "../../src/emulate-options.ts";

const DEFAULTS: EmulateOptions = {
  flowPath: "flow.json",
  lambdas: [],
  timeoutsMs: [],
  turns: [],
  promptDurationsMs: {},
  attributes: {},
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
  ])("refuses %j", (argv, message) => {
    expect(refusal(argv)).toMatch(message);
  });

  it("asks for help with -h and --help", () => {
    expect(parseEmulateArgs(["-h"])).toEqual({ kind: "help" });
    expect(parseEmulateArgs(["flow.json", "--help"])).toEqual({ kind: "help" });
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

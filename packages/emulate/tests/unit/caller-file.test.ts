import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CallerFileError, callerScriptFrom, readCallerFile } from "../../src/caller-file.ts";

describe("callerScriptFrom", () => {
  it("maps a file's turns and hang-up, in seconds, onto the emulator's caller script", () => {
    const script = callerScriptFrom({
      turns: [
        { say: "Where is my order?", after: 0.5 },
        { press: "4711#", after: 1, keyInterval: 0.3 },
        { press: "12", keyInterval: [0.1, 2] },
        { silence: true },
        {},
        { say: "yes please", intent: "Confirm", sessionAttributes: { order: "4711" }, confidence: 0.7 },
      ],
      hangUpAfter: 42.5,
    });

    expect(script).toEqual({
      turns: [
        { say: "Where is my order?", afterMs: 500 },
        { press: "4711#", afterMs: 1_000, keyIntervalMs: 300 },
        { press: "12", keyIntervalMs: [100, 2_000] },
        {},
        {},
        { say: "yes please", intent: "Confirm", sessionAttributes: { order: "4711" }, confidence: 0.7 },
      ],
      hangUpAtMs: 42_500,
    });
  });

  it("takes a bare array as the turns", () => {
    expect(callerScriptFrom([{ press: "1" }])).toEqual({ turns: [{ press: "1" }] });
  });

  it.each([
    ["a text", "x", /an object or an array of turns/],
    ["an unknown top-level key", { turn: [] }, /unknown key "turn"/],
    ["turns that are not an array", { turns: {} }, /"turns" must be an array/],
    ["a negative hang-up", { hangUpAfter: -1 }, /"hangUpAfter" must be a number of seconds/],
    ["a misspelt turn key", { turns: [{ sya: "hi" }] }, /turns\[0\]: unknown key "sya"/],
    ["keys that are not DTMF", { turns: [{ press: "1a" }] }, /turns\[0\]: "press" must be keys/],
    ["an empty utterance", { turns: [{ say: "" }] }, /"say" must be a text/],
    ["a delay given as text", { turns: [{ press: "1", after: "2" }] }, /"after" must be a number/],
    ["key timing without keys", { turns: [{ say: "hi", keyInterval: 1 }] }, /"keyInterval" must be/],
    [
      "an intent without speech",
      { turns: [{ intent: "Help" }] },
      /"intent" must be a text, given with "say"/,
    ],
    ["a silent turn that speaks", { turns: [{ silence: true, say: "hi" }] }, /a silent turn says nothing/],
    ["a confidence above 1", { turns: [{ say: "hi", confidence: 2 }] }, /"confidence" must be/],
  ])("refuses %s", (_, json, message) => {
    expect(() => callerScriptFrom(json)).toThrow(CallerFileError);
    expect(() => callerScriptFrom(json)).toThrow(message);
  });
});

describe("readCallerFile", () => {
  it("names the file when it is missing or not JSON", async () => {
    const folder = await mkdtemp(join(tmpdir(), "holdline-caller-"));
    await writeFile(join(folder, "broken.json"), "{ turns: ");

    await expect(readCallerFile(join(folder, "missing.json"))).rejects.toThrow(/cannot read the caller file/);
    await expect(readCallerFile(join(folder, "broken.json"))).rejects.toThrow(/broken\.json is not JSON/);
  });
});

import { readFile } from "node:fs/promises";
import type { CallerScript, CallerTurn } from "@holdline/connect-emulator/caller-script";

/**
 * `--caller <file.json>`: the scripted caller, in seconds. Either an object
 * `{ "turns": [...], "hangUpAfter": 40 }` or just the array of turns. A turn:
 *
 * - `"say"`: speech (a Lex bot block; before `press`, talking that is not recognised);
 * - `"press"`: DTMF keys, e.g. `"1234#"` (a Get customer input block);
 * - `"after"`: seconds between the end of the prompt and the caller starting (default 0);
 * - `"keyInterval"`: seconds each key takes, from the previous one: one number, or one per key (default 0.2);
 * - `"intent"`, `"sessionAttributes"`, `"confidence"`: what Lex recognises, skipping the simulated bot;
 * - `{}` or `{ "silence": true }`: the caller says nothing and the block times out.
 */
export class CallerFileError extends Error {}

const TURN_KEYS = new Set([
  "say",
  "press",
  "after",
  "keyInterval",
  "intent",
  "sessionAttributes",
  "confidence",
  "silence",
]);
const FILE_KEYS = new Set(["turns", "hangUpAfter"]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

const isSeconds = (value: unknown): value is number =>
  typeof value === "number" && Number.isFinite(value) && value >= 0;

/** The caller script a `--caller` file describes; throws `CallerFileError` naming what is wrong. */
export function callerScriptFrom(json: unknown): CallerScript {
  const document = Array.isArray(json) ? { turns: json } : json;
  if (!isObject(document))
    throw new CallerFileError("the caller file must be an object or an array of turns");
  const unknownKey = Object.keys(document).find((key) => !FILE_KEYS.has(key));
  if (unknownKey !== undefined) {
    throw new CallerFileError(`unknown key "${unknownKey}" (expected "turns" and "hangUpAfter")`);
  }
  const { turns = [], hangUpAfter } = document;
  if (!Array.isArray(turns)) throw new CallerFileError(`"turns" must be an array`);
  if (hangUpAfter !== undefined && !isSeconds(hangUpAfter)) {
    throw new CallerFileError(`"hangUpAfter" must be a number of seconds`);
  }
  return {
    turns: turns.map((turn, index) => callerTurn(turn, `turns[${index}]`)),
    ...(hangUpAfter === undefined ? {} : { hangUpAtMs: Math.round(hangUpAfter * 1_000) }),
  };
}

function callerTurn(turn: unknown, where: string): CallerTurn {
  if (!isObject(turn)) throw new CallerFileError(`${where} must be an object`);
  const unknownKey = Object.keys(turn).find((key) => !TURN_KEYS.has(key));
  if (unknownKey !== undefined) {
    throw new CallerFileError(
      `${where}: unknown key "${unknownKey}" (expected ${[...TURN_KEYS].join(", ")})`,
    );
  }
  const { say, press, after, keyInterval, intent, sessionAttributes, confidence, silence } = turn;
  const fail = (message: string): never => {
    throw new CallerFileError(`${where}: ${message}`);
  };
  if (silence !== undefined && silence !== true) fail(`"silence" can only be true`);
  if (silence === true && (say !== undefined || press !== undefined)) fail(`a silent turn says nothing`);
  if (say !== undefined && (typeof say !== "string" || say.trim() === "")) fail(`"say" must be a text`);
  if (press !== undefined && (typeof press !== "string" || !/^[0-9*#]+$/.test(press))) {
    fail(`"press" must be keys 0-9, * and #`);
  }
  if (after !== undefined && !isSeconds(after)) fail(`"after" must be a number of seconds`);
  if (
    keyInterval !== undefined &&
    (press === undefined ||
      !(isSeconds(keyInterval) || (Array.isArray(keyInterval) && keyInterval.every(isSeconds))))
  ) {
    fail(`"keyInterval" must be seconds, one number or one per key, given with "press"`);
  }
  if (intent !== undefined && (typeof intent !== "string" || say === undefined)) {
    fail(`"intent" must be a text, given with "say"`);
  }
  if (
    sessionAttributes !== undefined &&
    (!isObject(sessionAttributes) || Object.values(sessionAttributes).some((v) => typeof v !== "string"))
  ) {
    fail(`"sessionAttributes" must map names to texts`);
  }
  if (confidence !== undefined && (typeof confidence !== "number" || confidence < 0 || confidence > 1)) {
    fail(`"confidence" must be a number from 0 to 1`);
  }
  return {
    ...(say === undefined ? {} : { say: say as string }),
    ...(press === undefined ? {} : { press: press as string }),
    ...(after === undefined ? {} : { afterMs: Math.round((after as number) * 1_000) }),
    ...(keyInterval === undefined ? {} : { keyIntervalMs: keyIntervalMs(keyInterval) }),
    ...(intent === undefined ? {} : { intent: intent as string }),
    ...(sessionAttributes === undefined
      ? {}
      : { sessionAttributes: sessionAttributes as Record<string, string> }),
    ...(confidence === undefined ? {} : { confidence: confidence as number }),
  };
}

const keyIntervalMs = (seconds: unknown): number | number[] =>
  Array.isArray(seconds)
    ? seconds.map((each) => Math.round(each * 1_000))
    : Math.round((seconds as number) * 1_000);

/** Reads and checks a `--caller` file. */
export async function readCallerFile(path: string): Promise<CallerScript> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new CallerFileError(`cannot read the caller file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CallerFileError(`the caller file ${path} is not JSON: ${(error as Error).message}`);
  }
  try {
    return callerScriptFrom(json);
  } catch (error) {
    throw new CallerFileError(`${path}: ${(error as Error).message}`);
  }
}

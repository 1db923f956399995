import { readFile } from "node:fs/promises";
import type { HoursOfOperation, TimeOfDay, Weekday } from "@holdline/connect-emulator/hours-of-operation";

/**
 * `--hours <id-or-arn>=<file.json>`: hours of operation in `DescribeHoursOfOperation`'s shape. The file is
 * the command's output (`{ "HoursOfOperation": { …, "TimeZone", "Config" } }`) or the inner object alone.
 * Only `TimeZone` and `Config` are read; the other keys AWS returns (`Name`, `HoursOfOperationArn`, `Tags`, …)
 * are allowed. A `Config` entry is `{ "Day", "StartTime": { "Hours", "Minutes" }, "EndTime": … }`, the
 * ranges the API documents (Hours 0–23, Minutes 0–59); its keys are checked, so a typo fails loudly.
 */
export class HoursFileError extends Error {}

const WEEKDAYS: readonly Weekday[] = [
  "MONDAY",
  "TUESDAY",
  "WEDNESDAY",
  "THURSDAY",
  "FRIDAY",
  "SATURDAY",
  "SUNDAY",
];
const RANGE_KEYS = new Set(["Day", "StartTime", "EndTime"]);
const TIME_KEYS = new Set(["Hours", "Minutes"]);

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

const isTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

/** The hours a `--hours` file describes; throws `HoursFileError` naming what is wrong. */
export function hoursFrom(json: unknown): HoursOfOperation {
  const hours = isObject(json) && isObject(json.HoursOfOperation) ? json.HoursOfOperation : json;
  if (!isObject(hours)) {
    throw new HoursFileError('expected DescribeHoursOfOperation\'s output, or its "HoursOfOperation" object');
  }
  const { TimeZone, Config } = hours;
  if (typeof TimeZone !== "string" || !isTimeZone(TimeZone)) {
    throw new HoursFileError(
      `"TimeZone" must be an IANA time zone such as "Europe/Berlin", not ${JSON.stringify(TimeZone)}`,
    );
  }
  if (!Array.isArray(Config))
    throw new HoursFileError('"Config" must be an array of { Day, StartTime, EndTime }');
  return { TimeZone, Config: Config.map((range, index) => dayRange(range, `Config[${index}]`)) };
}

function dayRange(range: unknown, where: string): HoursOfOperation["Config"][number] {
  if (!isObject(range)) throw new HoursFileError(`${where} must be an object`);
  const unknownKey = Object.keys(range).find((key) => !RANGE_KEYS.has(key));
  if (unknownKey !== undefined) {
    throw new HoursFileError(`${where}: unknown key "${unknownKey}" (expected Day, StartTime, EndTime)`);
  }
  if (!WEEKDAYS.includes(range.Day as Weekday)) {
    throw new HoursFileError(
      `${where}.Day must be one of ${WEEKDAYS.join(", ")}, not ${JSON.stringify(range.Day)}`,
    );
  }
  return {
    Day: range.Day as Weekday,
    StartTime: timeOfDay(range.StartTime, `${where}.StartTime`),
    EndTime: timeOfDay(range.EndTime, `${where}.EndTime`),
  };
}

function timeOfDay(time: unknown, where: string): TimeOfDay {
  if (!isObject(time)) throw new HoursFileError(`${where} must be { "Hours": 0-23, "Minutes": 0-59 }`);
  const unknownKey = Object.keys(time).find((key) => !TIME_KEYS.has(key));
  if (unknownKey !== undefined) {
    throw new HoursFileError(`${where}: unknown key "${unknownKey}" (expected Hours, Minutes)`);
  }
  const { Hours, Minutes } = time;
  const within = (value: unknown, max: number) =>
    Number.isInteger(value) && (value as number) >= 0 && (value as number) <= max;
  if (!within(Hours, 23)) throw new HoursFileError(`${where}.Hours must be a whole number from 0 to 23`);
  if (!within(Minutes, 59)) throw new HoursFileError(`${where}.Minutes must be a whole number from 0 to 59`);
  return { Hours: Hours as number, Minutes: Minutes as number };
}

/** Reads a `--hours` file; every problem is a `HoursFileError` that names the file. */
export async function readHoursFile(path: string): Promise<HoursOfOperation> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new HoursFileError(`cannot read the hours file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new HoursFileError(`${path} is not JSON: ${(error as Error).message}`);
  }
  try {
    return hoursFrom(json);
  } catch (error) {
    throw new HoursFileError(`${path}: ${(error as Error).message}`);
  }
}

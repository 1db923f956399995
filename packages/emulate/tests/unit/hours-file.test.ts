import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { HoursFileError, hoursFrom, readHoursFile } from "../../src/hours-file.ts";

const fixtures = fileURLToPath(new URL("../fixtures/flows/", import.meta.url));

const weekday = { Day: "MONDAY", StartTime: { Hours: 9, Minutes: 0 }, EndTime: { Hours: 17, Minutes: 30 } };

describe("hoursFrom", () => {
  it("reads DescribeHoursOfOperation's output, keeping TimeZone and Config", async () => {
    const hours = await readHoursFile(`${fixtures}support-hours.json`);

    expect(hours.TimeZone).toBe("Europe/Berlin");
    expect(hours.Config.map((range) => range.Day)).toEqual([
      "MONDAY",
      "TUESDAY",
      "WEDNESDAY",
      "THURSDAY",
      "FRIDAY",
    ]);
    expect(hours.Config[0]).toEqual({
      Day: "MONDAY",
      StartTime: { Hours: 9, Minutes: 0 },
      EndTime: { Hours: 17, Minutes: 0 },
    });
  });

  it("reads the HoursOfOperation object alone, with the other keys AWS returns", () => {
    expect(hoursFrom({ Name: "Support", TimeZone: "Asia/Tokyo", Config: [weekday] })).toEqual({
      TimeZone: "Asia/Tokyo",
      Config: [weekday],
    });
  });

  it.each([
    [[], /expected DescribeHoursOfOperation's output/],
    [{ Config: [weekday] }, /"TimeZone" must be an IANA time zone/],
    [{ TimeZone: "Mars/Olympus", Config: [] }, /"TimeZone" must be an IANA time zone .*Mars\/Olympus/],
    [{ TimeZone: "UTC" }, /"Config" must be an array/],
    [{ TimeZone: "UTC", Config: [{ ...weekday, Day: "Monday" }] }, /Config\[0\]\.Day must be one of MONDAY/],
    [
      { TimeZone: "UTC", Config: [{ ...weekday, EndTime: { Hours: 24, Minutes: 0 } }] },
      /Config\[0\]\.EndTime\.Hours must be a whole number from 0 to 23/,
    ],
    [
      { TimeZone: "UTC", Config: [{ ...weekday, StartTime: { Hours: 9, Minutes: 7.5 } }] },
      /Config\[0\]\.StartTime\.Minutes must be a whole number from 0 to 59/,
    ],
    [{ TimeZone: "UTC", Config: [{ ...weekday, Start: "9:00" }] }, /Config\[0\]: unknown key "Start"/],
  ])("refuses %j", (json, message) => {
    expect(() => hoursFrom(json)).toThrow(HoursFileError);
    expect(() => hoursFrom(json)).toThrow(message);
  });

  it("names the file it cannot read", async () => {
    await expect(readHoursFile(`${fixtures}missing-hours.json`)).rejects.toThrow(
      /cannot read the hours file .*missing-hours\.json/,
    );
  });
});

import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { describe, expect, it } from "vitest";
import { type HoursOfOperation, isInHours, localTime } from "../../src/hours-of-operation.ts";
import { act, emulatorOn, eventsOf, hangUp, next, rawFlow, speak, spoken } from "./harness.ts";

/**
 * CheckHoursOfOperation (flow-control-actions-checkhoursofoperation): "True or False based on whether the hours
 * of operation object specified is in hours or out of hours"; without HoursOfOperationId, the target queue's
 * hours. Hours in DescribeHoursOfOperation's shape (TimeZone, Config of Day / StartTime / EndTime).
 */

const weekdays9to17: HoursOfOperation = {
  TimeZone: "Asia/Tokyo",
  Config: (["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"] as const).map((Day) => ({
    Day,
    StartTime: { Hours: 9, Minutes: 0 },
    EndTime: { Hours: 17, Minutes: 0 },
  })),
};

// 2026-01-05 is a Monday. Tokyo is UTC+9 with no daylight saving time.
const tokyo = (day: number, hours: number, minutes = 0) => Date.UTC(2026, 0, day, hours - 9, minutes);

describe("hours of operation, evaluated in their own time zone", () => {
  it.each([
    [tokyo(5, 8, 59), false],
    [tokyo(5, 9, 0), true],
    [tokyo(5, 16, 59), true],
    [tokyo(5, 17, 0), false],
    [tokyo(10, 12, 0), false],
  ])("at %i is in hours: %s", (epochMs, open) => {
    expect(isInHours(weekdays9to17, epochMs)).toBe(open);
  });

  it("reads the instant in the hours' time zone, not the machine's", () => {
    // 2026-01-05 23:30 UTC is Tuesday 08:30 in Tokyo and Monday 18:30 in New York.
    const instant = Date.UTC(2026, 0, 5, 23, 30);
    expect(localTime(instant, "Asia/Tokyo").label).toBe("TUESDAY 08:30 Asia/Tokyo");
    expect(localTime(instant, "America/New_York").label).toBe("MONDAY 18:30 America/New_York");
  });

  it("runs a range whose end is not after its start past midnight (12:00 AM to 12:00 AM is the whole day)", () => {
    const night: HoursOfOperation = {
      TimeZone: "UTC",
      Config: [
        { Day: "FRIDAY", StartTime: { Hours: 22, Minutes: 0 }, EndTime: { Hours: 2, Minutes: 0 } },
        { Day: "SUNDAY", StartTime: { Hours: 0, Minutes: 0 }, EndTime: { Hours: 0, Minutes: 0 } },
      ],
    };
    expect(isInHours(night, Date.UTC(2026, 0, 9, 23, 0))).toBe(true); // Friday 23:00
    expect(isInHours(night, Date.UTC(2026, 0, 10, 1, 59))).toBe(true); // Saturday 01:59
    expect(isInHours(night, Date.UTC(2026, 0, 10, 2, 0))).toBe(false);
    expect(isInHours(night, Date.UTC(2026, 0, 11, 13, 0))).toBe(true); // Sunday
    expect(isInHours(night, Date.UTC(2026, 0, 12, 0, 30))).toBe(false); // Monday
  });
});

describe("CheckHoursOfOperation", () => {
  const HOURS_ARN =
    "arn:aws:connect:us-west-2:111122223333:instance/21b5a70b-2a5a-412d-b67a-d6a81fa7c212/operating-hours/72a5e3e8";
  // S5 (unattributed export): NextAction = the False target, Conditions True and False, NoMatchingError.
  const check = (parameters: Record<string, unknown>) =>
    rawFlow(
      act("hours", "CheckHoursOfOperation", parameters, {
        NextAction: "closed",
        Conditions: [
          { NextAction: "open", Condition: { Operator: "Equals", Operands: ["True"] } },
          { NextAction: "closed", Condition: { Operator: "Equals", Operands: ["False"] } },
        ],
        Errors: [{ NextAction: "closed", ErrorType: "NoMatchingError" }],
      }),
      speak("open", "We are open."),
      speak("closed", "We are closed."),
      hangUp(),
    );
  const callAt = (epochMs: number, parameters: Record<string, unknown>, options = {}) =>
    emulatorOn(
      {},
      { hoursOfOperation: { "72a5e3e8": weekdays9to17 }, ...options },
      new ManualClock(epochMs),
    ).run(check(parameters));

  it("takes True at the contact's time within the hours, False outside, matching the ARN to its id", async () => {
    // Act
    const open = await callAt(tokyo(6, 10), { HoursOfOperationId: HOURS_ARN });
    const closed = await callAt(tokyo(6, 20), { HoursOfOperationId: HOURS_ARN });

    // Assess
    expect(spoken(open.ended)).toEqual(["We are open."]);
    expect(eventsOf(open.ended, "branch")[0]?.result).toBe("True (TUESDAY 10:00 Asia/Tokyo)");
    expect(spoken(closed.ended)).toEqual(["We are closed."]);
  });

  it("uses the target queue's hours when no HoursOfOperationId is given", async () => {
    // Act
    const { ended } = await emulatorOn(
      {},
      {
        hoursOfOperation: { "72a5e3e8": weekdays9to17 },
        queues: { "queue-1": { name: "Support", hoursOfOperationId: "72a5e3e8" } },
      },
      new ManualClock(tokyo(7, 11)),
    ).run(
      rawFlow(
        act("set-queue", "UpdateContactTargetQueue", { QueueId: "queue-1" }, next("hours")),
        ...check({}).Actions,
      ),
    );

    // Assess
    expect(spoken(ended)).toEqual(["We are open."]);
  });

  it("ends the call clearly when the hours were not configured", async () => {
    // Act
    const { ended } = await callAt(
      tokyo(6, 10),
      { HoursOfOperationId: "unknown-hours" },
      { hoursOfOperation: {} },
    );

    // Assess
    expect(ended.emulatorError).toMatchObject({ code: "no_hours_of_operation", identifier: "hours" });
  });
});

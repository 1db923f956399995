/**
 * Hours of operation, in the shape of Connect's `DescribeHoursOfOperation` (`TimeZone`, `Config` of `Day`,
 * `StartTime`, `EndTime`), and whether an instant falls inside them. Pure: the block passes the emulator clock's
 * time, so a test decides what time the contact calls.
 */

export type Weekday = "MONDAY" | "TUESDAY" | "WEDNESDAY" | "THURSDAY" | "FRIDAY" | "SATURDAY" | "SUNDAY";

export interface TimeOfDay {
  readonly Hours: number;
  readonly Minutes: number;
}

export interface HoursOfOperation {
  /** IANA time zone, e.g. `Asia/Tokyo`, `America/New_York`. */
  readonly TimeZone: string;
  readonly Config: readonly {
    readonly Day: Weekday;
    readonly StartTime: TimeOfDay;
    readonly EndTime: TimeOfDay;
  }[];
}

const WEEKDAYS: readonly Weekday[] = [
  "SUNDAY",
  "MONDAY",
  "TUESDAY",
  "WEDNESDAY",
  "THURSDAY",
  "FRIDAY",
  "SATURDAY",
];

export interface LocalTime {
  readonly day: Weekday;
  /** Minutes since local midnight. */
  readonly minutes: number;
  /** E.g. `TUESDAY 09:05 Asia/Tokyo`. */
  readonly label: string;
}

/** The weekday and time of day at `epochMs` in `timeZone`. */
export function localTime(epochMs: number, timeZone: string): LocalTime {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "long",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(epochMs));
  const part = (type: string) => parts.find((candidate) => candidate.type === type)?.value ?? "";
  const day = part("weekday").toUpperCase() as Weekday;
  const hours = Number(part("hour")) % 24;
  const minutes = Number(part("minute"));
  const clock = `${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
  return { day, minutes: hours * 60 + minutes, label: `${day} ${clock} ${timeZone}` };
}

const minutesOf = (time: TimeOfDay) => time.Hours * 60 + time.Minutes;

/**
 * Whether `epochMs` is in hours. A range whose end is not after its start runs past midnight into the next
 * day (start = end is the whole 24 hours from the start), which is how the console's 12:00 AM – 12:00 AM day
 * reads; the end minute itself is out of hours.
 */
export function isInHours(hours: HoursOfOperation, epochMs: number): boolean {
  const now = localTime(epochMs, hours.TimeZone);
  const previous = WEEKDAYS[(WEEKDAYS.indexOf(now.day) + 6) % 7];
  return hours.Config.some((range) => {
    const start = minutesOf(range.StartTime);
    const end = minutesOf(range.EndTime);
    if (range.Day === now.day)
      return end > start ? now.minutes >= start && now.minutes < end : now.minutes >= start;
    return range.Day === previous && end <= start && now.minutes < end;
  });
}

import { describe, expect, it } from "vitest";
import { compileFilterCriteria } from "../../src/dynamodb-streams/filter-pattern.ts";

const record = {
  eventName: "MODIFY",
  awsRegion: "us-east-1",
  dynamodb: {
    ApproximateCreationDateTime: 1_777_636_800,
    Keys: { pk: { S: "call-1" } },
    NewImage: {
      pk: { S: "call-1" },
      status: { S: "completed" },
      phone: { S: "+81901234567" },
      tags: { SS: ["a", "b"] },
    },
    OldImage: { pk: { S: "call-1" }, status: { S: "in_progress" } },
    SizeBytes: 120,
  },
};

const passes = (...patterns: unknown[]) =>
  compileFilterCriteria({ Filters: patterns.map((pattern) => ({ Pattern: JSON.stringify(pattern) })) })(
    record,
  );

describe("FilterCriteria (Lambda event filter patterns, the hand-written subset)", () => {
  it("matches nested keys against a list of values", () => {
    expect(passes({ dynamodb: { NewImage: { status: { S: ["completed", "error"] } } } })).toBe(true);
    expect(passes({ dynamodb: { NewImage: { status: { S: ["error"] } } } })).toBe(false);
    expect(passes({ eventName: ["MODIFY"], dynamodb: { OldImage: { status: { S: ["queued"] } } } })).toBe(
      false,
    );
  });

  it("matches prefix, suffix and equals-ignore-case", () => {
    expect(passes({ dynamodb: { NewImage: { phone: { S: [{ prefix: "+81" }] } } } })).toBe(true);
    expect(passes({ dynamodb: { NewImage: { phone: { S: [{ prefix: "+1" }] } } } })).toBe(false);
    expect(passes({ dynamodb: { NewImage: { phone: { S: [{ suffix: "567" }] } } } })).toBe(true);
    expect(passes({ eventName: [{ "equals-ignore-case": "modify" }] })).toBe(true);
  });

  it("matches numeric ranges on JSON numbers, never on DynamoDB N strings", () => {
    expect(passes({ dynamodb: { SizeBytes: [{ numeric: [">", 100, "<=", 120] }] } })).toBe(true);
    expect(passes({ dynamodb: { SizeBytes: [{ numeric: ["<", 100] }] } })).toBe(false);
    expect(passes({ dynamodb: { Keys: { pk: { S: [{ numeric: [">", 0] }] } } } })).toBe(false);
  });

  it("matches exists and anything-but", () => {
    expect(passes({ dynamodb: { NewImage: { status: { S: [{ exists: true }] } } } })).toBe(true);
    expect(passes({ dynamodb: { NewImage: { answer: { S: [{ exists: true }] } } } })).toBe(false);
    expect(passes({ dynamodb: { NewImage: { answer: { S: [{ exists: false }] } } } })).toBe(true);
    expect(
      passes({ dynamodb: { NewImage: { status: { S: [{ "anything-but": ["queued", "error"] }] } } } }),
    ).toBe(true);
    expect(passes({ dynamodb: { NewImage: { status: { S: [{ "anything-but": "completed" }] } } } })).toBe(
      false,
    );
    expect(
      passes({ dynamodb: { NewImage: { status: { S: [{ "anything-but": { prefix: "comp" } }] } } } }),
    ).toBe(false);
  });

  it("matches any element of an array, and any of the filters", () => {
    expect(passes({ dynamodb: { NewImage: { tags: { SS: ["b"] } } } })).toBe(true);
    expect(passes({ eventName: ["INSERT"] }, { eventName: ["MODIFY"] })).toBe(true);
    expect(passes({ eventName: ["INSERT"] }, { eventName: ["REMOVE"] })).toBe(false);
  });

  it("refuses what it does not implement instead of ignoring it", () => {
    expect(() => passes({ eventName: [{ wildcard: "MOD*" }] })).toThrow(/unsupported condition at eventName/);
    expect(() => passes({ eventName: "MODIFY" })).toThrow(/must be a list of conditions/);
    expect(() => passes({}, {}, {}, {}, {}, {})).toThrow(/at most 5 filters/);
  });
});

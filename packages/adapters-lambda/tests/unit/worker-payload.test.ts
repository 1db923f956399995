import { describe, expect, it } from "vitest";
import { parseWorkerPayload, toWorkerPayload } from "../../src/worker-payload.ts";

const KEY = { contactId: "2842f992-51fb-4a63-9fcc-3363116d4179", turn: 2 };

describe("worker payload", () => {
  it("round-trips an execution key through JSON", () => {
    // Prepare
    const json = JSON.stringify(toWorkerPayload(KEY));

    // Act
    const parsed = parseWorkerPayload(JSON.parse(json));

    // Assess
    expect(parsed).toEqual({ ok: true, key: KEY });
  });

  it("drops unknown fields a newer dispatcher may add", () => {
    // Prepare
    const event = { ...KEY, executionId: "x", v: 2 };

    // Act
    const parsed = parseWorkerPayload(event);

    // Assess
    expect(parsed).toEqual({ ok: true, key: KEY });
  });

  it.each<[string, unknown]>([
    ["null", null],
    ["a string", JSON.stringify(KEY)],
    ["an array", [KEY]],
    ["no contactId", { turn: 1 }],
    ["an empty contactId", { contactId: "", turn: 1 }],
    ["a turn as a string", { contactId: KEY.contactId, turn: "1" }],
    ["turn 0", { contactId: KEY.contactId, turn: 0 }],
    ["a fractional turn", { contactId: KEY.contactId, turn: 1.5 }],
    ["an SQS event instead", { Records: [{ body: JSON.stringify(KEY) }] }],
  ])("refuses %s with invalid_payload", (_, event) => {
    // Prepare: an event the dispatcher never sends

    // Act
    const parsed = parseWorkerPayload(event);

    // Assess
    expect(parsed).toMatchObject({ ok: false, error: { code: "invalid_payload" } });
  });
});

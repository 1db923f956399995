import { describe, expect, it } from "vitest";
import { MAX_CURSOR, parseStartEvent, parseStatusEvent } from "../../src/connect-event.parser.ts";
import { defaultConnectMappingOptions as options } from "../../src/connect-mapping.options.ts";
import { connectEvent } from "../support/connect-event.builder.ts";

const status = (cursor?: string) =>
  parseStatusEvent(
    connectEvent({ parameters: { turn: "2", ...(cursor === undefined ? {} : { cursor }) } }),
    options,
  );

describe("the cursor parameter (progressive answers)", () => {
  it("is absent from the command when the flow sends none: the flow is not progressive", () => {
    const parsed = status();

    expect(parsed).toMatchObject({ ok: true });
    expect(parsed.ok && "cursor" in parsed.command).toBe(false);
  });

  it.each([
    ["0", 0],
    ["3", 3],
    [" 12 ", 12],
    [String(MAX_CURSOR), MAX_CURSOR],
    ["", 0],
  ])("reads %j as %i parts heard", (raw, cursor) => {
    expect(status(raw)).toMatchObject({ ok: true, command: { key: { turn: 2 }, cursor } });
  });

  it.each(["-1", "1.5", "01", "1e2", "0x1", "ten", String(MAX_CURSOR + 1), "9".repeat(400)])(
    "refuses %j with invalid_cursor, naming the turn",
    (raw) => {
      expect(status(raw)).toMatchObject({ ok: false, error: { code: "invalid_cursor" }, turn: 2 });
    },
  );

  it("refuses a cursor that is not a string with invalid_parameter", () => {
    const event = connectEvent({ parameters: { turn: "2" } });
    (event.Details.Parameters as Record<string, unknown>).cursor = 2;

    expect(parseStatusEvent(event, options)).toMatchObject({
      ok: false,
      error: { code: "invalid_parameter" },
    });
  });

  it("is read on a start too, beside the question", () => {
    const event = connectEvent({
      parameters: { question: "営業時間を教えてください。", turn: "1", locale: "ja-JP", cursor: "" },
    });

    expect(parseStartEvent(event, options)).toMatchObject({
      ok: true,
      command: { key: { turn: 1 }, input: { locale: "ja-JP" }, cursor: 0 },
    });
  });

  it("is never read from the prototype", () => {
    const parameters = JSON.parse('{"turn":"2","__proto__":{"cursor":"1"}}') as Record<string, string>;

    const parsed = parseStatusEvent(connectEvent({ parameters }), options);

    expect(parsed.ok && "cursor" in parsed.command).toBe(false);
  });
});

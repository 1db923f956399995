import { CONNECT_RESPONSE_KEYS } from "@holdline/connect-contract/flow-contract";
import { describe, expect, it } from "vitest";
import { parseStartEvent } from "../../src/connect-event.parser.ts";
import { CONNECT_EVENT_ERROR_CODES } from "../../src/connect-event-error.ts";
import { defaultConnectMappingOptions } from "../../src/connect-mapping.options.ts";
import { toConnectErrorResponse, toConnectResponse } from "../../src/connect-response.ts";
import { loadFixtures } from "../support/fixtures.ts";

interface Expected {
  readonly status: "error";
  readonly errorCode: string;
}

const corpus = loadFixtures<Expected>("malformed");

/** What a start handler answers Connect for one event, as far as the mapping decides it. */
function respond(event: unknown) {
  const parsed = parseStartEvent(event, defaultConnectMappingOptions);
  if (!parsed.ok) return toConnectErrorResponse(parsed.error, { turn: parsed.turn });
  return toConnectResponse(
    { status: "in_progress", turn: parsed.command.key.turn },
    defaultConnectMappingOptions,
  );
}

describe("malformed and hostile Connect events", () => {
  it("has at least 30 events, each expecting a documented error code", () => {
    // Prepare
    const codes = corpus.map((fixture) => fixture.expected.errorCode);

    // Act
    const undocumented = codes.filter(
      (code) => !(CONNECT_EVENT_ERROR_CODES as readonly string[]).includes(code),
    );

    // Assess
    expect(corpus.length).toBeGreaterThanOrEqual(30);
    expect(undocumented).toEqual([]);
  });

  it.each(corpus)("$name: $description", ({ event, expected }) => {
    // Prepare: the event as Lambda parsed it

    // Act
    const response = respond(event);

    // Assess
    expect(response).toMatchObject(expected);
    expect(Object.keys(response).sort()).toEqual([...CONNECT_RESPONSE_KEYS].sort());
    expect(Object.values(response).every((value) => typeof value === "string")).toBe(true);
  });

  it("leaves Object.prototype untouched after the whole corpus", () => {
    // Prepare
    const before = Object.getOwnPropertyNames(Object.prototype).sort();

    // Act
    for (const { event } of corpus) respond(event);

    // Assess
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(({} as Record<string, unknown>).question).toBeUndefined();
  });
});

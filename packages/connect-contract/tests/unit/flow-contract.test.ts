import { describe, expect, it } from "vitest";
import {
  CONNECT_RESPONSE_KEYS,
  CURSOR_ATTRIBUTE,
  CURSOR_PATH,
  ERROR_PROMPT,
  EXTERNAL_KEYS,
  EXTERNAL_STATUS,
  externalPath,
  FLOW_PARAMETERS,
  TURN_ATTRIBUTE,
  TURN_PATH,
} from "../../src/flow-contract.ts";

// Connect accepts attribute keys of letters, digits, dash and underscore (the console refuses others).
const attributeKey = /^[A-Za-z0-9_-]{1,128}$/;

describe("the flow↔Lambda contract", () => {
  it("answers with exactly the $.External keys the flows read", () => {
    expect([...CONNECT_RESPONSE_KEYS].sort()).toEqual(Object.values(EXTERNAL_KEYS).sort());
  });

  it("names every parameter, response key and the turn attribute as Connect accepts them", () => {
    const names = [
      ...Object.values(FLOW_PARAMETERS),
      ...Object.values(EXTERNAL_KEYS),
      TURN_ATTRIBUTE,
      CURSOR_ATTRIBUTE,
    ];

    for (const name of names) expect(name).toMatch(attributeKey);
  });

  it("keeps the statuses the flows branch on distinct", () => {
    const statuses = Object.values(EXTERNAL_STATUS);

    expect(new Set(statuses).size).toBe(statuses.length);
  });

  it("builds the flow's reference paths from the same keys", () => {
    expect(externalPath("nextTurn")).toBe(`$.External.${EXTERNAL_KEYS.nextTurn}`);
    expect(TURN_PATH).toBe(`$.Attributes.${TURN_ATTRIBUTE}`);
    expect(CURSOR_PATH).toBe(`$.Attributes.${CURSOR_ATTRIBUTE}`);
  });

  it("answers progressive flows with a cursor and an error prompt, and a partial status", () => {
    expect(CONNECT_RESPONSE_KEYS).toEqual(expect.arrayContaining(["cursor", "errorPrompt"]));
    expect(FLOW_PARAMETERS.cursor).toBe("cursor");
    expect(EXTERNAL_STATUS.partial).toBe("partial");
    expect(Object.values(ERROR_PROMPT).sort()).toEqual(["full", "short"]);
  });
});

import { describe, expect, it } from "vitest";
import { parseStartEvent, parseStatusEvent } from "../../src/connect-event.parser.ts";
import { connectMappingOptions, defaultConnectMappingOptions } from "../../src/connect-mapping.options.ts";
import { CONTACT_ID, connectEvent } from "../support/connect-event.builder.ts";
import { loadFixtures } from "../support/fixtures.ts";

const options = defaultConnectMappingOptions;
const INITIAL_ID = "4a573372-1f28-4e26-b97b-0123456789ab";

describe("parseStartEvent", () => {
  it.each(loadFixtures<{ command: unknown; contact: unknown }>("valid"))(
    "$name: $description",
    ({ event, expected }) => {
      // Prepare: a Connect event as Lambda parsed it

      // Act
      const parsed = parseStartEvent(event, options);

      // Assess
      expect(parsed).toEqual({ ok: true, command: expected.command, contact: expected.contact });
    },
  );

  it("keys a transferred contact by its InitialContactId, so its turns continue the same conversation", () => {
    // Prepare
    const event = connectEvent({
      contactId: CONTACT_ID,
      initialContactId: INITIAL_ID,
      initiationMethod: "TRANSFER",
      parameters: { question: "q", turn: "4" },
    });

    // Act
    const parsed = parseStartEvent(event, options);

    // Assess
    expect(parsed).toMatchObject({
      ok: true,
      command: { key: { contactId: INITIAL_ID, turn: 4 } },
      contact: { contactId: CONTACT_ID, initialContactId: INITIAL_ID },
    });
  });

  it("keys by ContactId when InitialContactId is absent", () => {
    // Prepare
    const event = connectEvent({ parameters: { question: "q" } }) as unknown as {
      Details: { ContactData: Record<string, unknown> };
    };
    delete event.Details.ContactData.InitialContactId;

    // Act
    const parsed = parseStartEvent(event, options);

    // Assess
    expect(parsed).toMatchObject({ ok: true, command: { key: { contactId: CONTACT_ID, turn: 1 } } });
  });

  it("prefers the turn parameter over the turn attribute", () => {
    // Prepare
    const event = connectEvent({
      parameters: { question: "q", turn: "5" },
      attributes: { holdlineTurn: "2" },
    });

    // Act
    const parsed = parseStartEvent(event, options);

    // Assess
    expect(parsed).toMatchObject({ ok: true, command: { key: { turn: 5 } } });
  });

  it("reads the turn from the attribute named in the options when the parameter is absent", () => {
    // Prepare
    const custom = connectMappingOptions({ turnAttribute: "qaTurn" });
    const event = connectEvent({
      parameters: { question: "q" },
      attributes: { qaTurn: "7", holdlineTurn: "2" },
    });

    // Act
    const parsed = parseStartEvent(event, custom);

    // Assess
    expect(parsed).toMatchObject({ ok: true, command: { key: { turn: 7 } } });
  });

  it("takes turn 1 when neither the parameter nor the attribute gives one", () => {
    // Prepare
    const event = connectEvent({ parameters: { question: "q" } });

    // Act
    const parsed = parseStartEvent(event, options);

    // Assess
    expect(parsed).toMatchObject({ ok: true, command: { key: { turn: 1 } } });
  });

  it("uses the configured default locale when the flow passes none", () => {
    // Prepare
    const english = connectMappingOptions({ defaultLocale: "en-US" });
    const event = connectEvent({ parameters: { question: "q", turn: "1" } });

    // Act
    const parsed = parseStartEvent(event, english);

    // Assess
    expect(parsed).toMatchObject({ ok: true, command: { input: { locale: "en-US" } } });
  });

  it("accepts a question of exactly the maximum length counted in code points", () => {
    // Prepare
    const event = connectEvent({ parameters: { question: "😀".repeat(options.maxQuestionChars) } });

    // Act
    const parsed = parseStartEvent(event, options);

    // Assess
    expect(parsed.ok).toBe(true);
  });

  it("honours a configured maximum question length", () => {
    // Prepare
    const strict = connectMappingOptions({ maxQuestionChars: 5 });
    const event = connectEvent({ parameters: { question: "abcdef" } });

    // Act
    const parsed = parseStartEvent(event, strict);

    // Assess
    expect(parsed).toMatchObject({ ok: false, error: { code: "question_too_long" } });
  });

  it("reports the turn with a failure found after the turn was read", () => {
    // Prepare
    const event = connectEvent({ parameters: { question: "", turn: "3" } });

    // Act
    const parsed = parseStartEvent(event, options);

    // Assess
    expect(parsed).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "missing_question" }),
      turn: 3,
    });
  });

  it("never puts the caller's question in an error message", () => {
    // Prepare
    const secret = "私の口座番号は1234567です";
    const event = connectEvent({ parameters: { question: secret.repeat(100) } });

    // Act
    const parsed = parseStartEvent(event, options);

    // Assess
    expect(parsed.ok).toBe(false);
    expect(JSON.stringify(parsed)).not.toContain("1234567");
  });

  it("returns invalid_event instead of throwing when reading the event throws", () => {
    // Prepare
    const event = {
      Name: "ContactFlowEvent",
      get Details(): never {
        throw new Error("boom");
      },
    };

    // Act
    const parsed = parseStartEvent(event, options);

    // Assess
    expect(parsed).toMatchObject({ ok: false, error: { code: "invalid_event" } });
  });

  it("returns invalid_event for a revoked proxy", () => {
    // Prepare
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();

    // Act
    const parsed = parseStartEvent(proxy, options);

    // Assess
    expect(parsed).toMatchObject({ ok: false, error: { code: "invalid_event" } });
  });
});

describe("parseStatusEvent", () => {
  it("parses the key of a status check, which carries no question", () => {
    // Prepare
    const event = connectEvent({ parameters: { turn: "2" } });

    // Act
    const parsed = parseStatusEvent(event, options);

    // Assess
    expect(parsed).toEqual({
      ok: true,
      command: { key: { contactId: CONTACT_ID, turn: 2 } },
      contact: { contactId: CONTACT_ID, initialContactId: CONTACT_ID },
    });
  });

  it("keys a status check by InitialContactId too, so it finds what the start registered", () => {
    // Prepare
    const event = connectEvent({ initialContactId: INITIAL_ID, parameters: { turn: "2" } });

    // Act
    const parsed = parseStatusEvent(event, options);

    // Assess
    expect(parsed).toMatchObject({ ok: true, command: { key: { contactId: INITIAL_ID } } });
  });

  it("refuses a turn that is not a positive integer", () => {
    // Prepare
    const event = connectEvent({ parameters: { turn: "0" } });

    // Act
    const parsed = parseStatusEvent(event, options);

    // Assess
    expect(parsed).toMatchObject({ ok: false, error: { code: "invalid_turn" } });
  });

  it("refuses an event that is not a ContactFlowEvent", () => {
    // Prepare
    const event = { ...connectEvent(), Name: "SomethingElse" };

    // Act
    const parsed = parseStatusEvent(event, options);

    // Assess
    expect(parsed).toMatchObject({ ok: false, error: { code: "invalid_event" } });
  });
});

import { LEX_BOT, TRANSCRIPT_STATUS } from "@holdline/connect-contract/flow-contract";
import { describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { dependenciesFrom } from "../../src/container.ts";
import { createHandler, type LexTranscriptDependencies } from "../../src/handler.ts";
import { fixture, loadFixtures, withTranscript } from "../support/fixtures.ts";

const harness = (environment: Record<string, string> = {}) => {
  const dependencies = dependenciesFrom(loadConfig(environment));
  return { dependencies, handler: createHandler(dependencies) };
};

const attributesOf = async (handler: ReturnType<typeof createHandler>, event: unknown) =>
  (await handler(event)).sessionState.sessionAttributes ?? {};

describe("lex-transcript handler", () => {
  it.each(loadFixtures("valid").map((f) => [f.name, f] as const))(
    "closes the intent for %s",
    async (_name, { event, expected }) => {
      // Act
      const response = await harness().handler(event);

      // Assess
      expect(response).toEqual(expected);
    },
  );

  it.each(loadFixtures("malformed").map((f) => [f.name, f] as const))(
    "closes the intent with status error for the malformed event %s",
    async (_name, { event, expected }) => {
      // Act
      const response = await harness().handler(event);

      // Assess
      expect(response).toEqual(expected);
      expect(response.sessionState.sessionAttributes?.[LEX_BOT.transcriptStatusAttribute]).toBe(
        TRANSCRIPT_STATUS.error,
      );
    },
  );

  it("leaves Object.prototype alone when a session attribute is named __proto__", async () => {
    // Act
    await harness().handler(fixture("valid", "hostile-proto-key").event);

    // Assess
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it("answers error instead of throwing when reading the event throws", async () => {
    // Prepare
    const event = Object.defineProperty({}, "invocationSource", {
      enumerable: true,
      get() {
        throw new Error("boom");
      },
    });

    // Act
    const response = await harness().handler(event);

    // Assess
    expect(response).toEqual({
      sessionState: {
        sessionAttributes: { holdlineTranscript: "", holdlineTranscriptStatus: "error" },
        dialogAction: { type: "Close" },
      },
    });
  });

  it("takes its confidence threshold from HOLDLINE_MIN_TRANSCRIPTION_CONFIDENCE", async () => {
    // Prepare
    const event = fixture("valid", "en-low-confidence").event;

    // Act
    const strict = await attributesOf(harness().handler, event);
    const lenient = await attributesOf(
      harness({ HOLDLINE_MIN_TRANSCRIPTION_CONFIDENCE: "0.2" }).handler,
      event,
    );

    // Assess
    expect(strict).toMatchObject({ holdlineTranscript: "", holdlineTranscriptStatus: "unintelligible" });
    expect(lenient).toMatchObject({ holdlineTranscript: "what tie do you", holdlineTranscriptStatus: "ok" });
  });

  it("cuts a transcript longer than HOLDLINE_MAX_TRANSCRIPT_CHARS at a code point, not inside one", async () => {
    // Prepare
    const event = withTranscript(fixture("valid", "ja-fallback-fulfillment").event, "𠮷野家の営業時間は");

    // Act
    const attributes = await attributesOf(harness({ HOLDLINE_MAX_TRANSCRIPT_CHARS: "3" }).handler, event);

    // Assess
    expect(attributes).toMatchObject({ holdlineTranscript: "𠮷野家", holdlineTranscriptStatus: "ok" });
  });

  it("reads the score of the transcription Lex interpreted, not of an alternative", async () => {
    // Prepare
    const event = {
      ...(fixture("valid", "en-fallback-confident").event as Record<string, unknown>),
      inputTranscript: "what time do you open",
      transcriptions: [
        { transcription: "what tide do you open", transcriptionConfidence: 0.9 },
        { transcription: "what time do you open", transcriptionConfidence: 0.3 },
      ],
    };

    // Act
    const attributes = await attributesOf(harness().handler, event);

    // Assess
    expect(attributes).toMatchObject({ holdlineTranscriptStatus: "unintelligible" });
  });

  it.each([
    ["DialogCodeHook", "ja-dialog-hook-preserves-attributes"],
    ["FulfillmentCodeHook", "ja-fallback-fulfillment"],
  ])("closes the intent as Fulfilled from a %s invocation", async (_source, name) => {
    // Act
    const response = await harness().handler(fixture("valid", name).event);

    // Assess
    expect(response.sessionState.dialogAction).toEqual({ type: "Close" });
    expect(response.sessionState.intent?.state).toBe("Fulfilled");
    expect(response.messages).toBeUndefined();
  });

  describe("logging", () => {
    const logged = (dependencies: LexTranscriptDependencies) => {
      const info = vi.spyOn(dependencies.observability.logger, "info");
      const appended = vi.spyOn(dependencies.observability.logger, "appendKeys");
      return () => JSON.stringify([info.mock.calls, appended.mock.calls]);
    };

    it("logs the outcome but not the caller's words", async () => {
      // Prepare
      const { dependencies, handler } = harness();
      const lines = logged(dependencies);

      // Act
      await handler(fixture("valid", "ja-fallback-fulfillment").event);

      // Assess
      expect(lines()).toContain('"status":"ok"');
      expect(lines()).not.toContain("返品");
    });

    it("logs the caller's words when HOLDLINE_DEBUG_CONTENT is set", async () => {
      // Prepare
      const { dependencies, handler } = harness({ HOLDLINE_DEBUG_CONTENT: "true" });
      const lines = logged(dependencies);

      // Act
      await handler(fixture("valid", "ja-fallback-fulfillment").event);

      // Assess
      expect(lines()).toContain("返品の方法を教えてください");
    });

    it("names the fields at fault in a refused event, never their values", async () => {
      // Prepare
      const { dependencies, handler } = harness();
      const warn = vi.spyOn(dependencies.observability.logger, "warn");

      // Act
      await handler(fixture("malformed", "non-string-transcript").event);

      // Assess
      expect(warn).toHaveBeenCalledWith("refused the Lex event", {
        issues: ["inputTranscript: invalid_type"],
      });
    });
  });
});

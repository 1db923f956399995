import { ConfigError } from "@holdline/composition/config/environment";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";

const failureOf = (environment: Record<string, string>): unknown => {
  try {
    loadConfig(environment);
  } catch (error) {
    return error;
  }
  return undefined;
};

describe("lex-transcript config", () => {
  it("needs no environment: threshold 0.4, 1,000 characters, content not logged", () => {
    expect(loadConfig({})).toEqual({
      HOLDLINE_MIN_TRANSCRIPTION_CONFIDENCE: 0.4,
      HOLDLINE_MAX_TRANSCRIPT_CHARS: 1_000,
      HOLDLINE_DEBUG_CONTENT: false,
    });
  });

  it.each(["1.5", "-0.1", "high"])("fails the cold start on a threshold of %j, naming it", (value) => {
    // Act
    const error = failureOf({ HOLDLINE_MIN_TRANSCRIPTION_CONFIDENCE: value });

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ variables: ["HOLDLINE_MIN_TRANSCRIPTION_CONFIDENCE"] });
  });
});

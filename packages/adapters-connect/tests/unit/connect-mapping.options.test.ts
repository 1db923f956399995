import { describe, expect, it } from "vitest";
import { connectMappingOptions, defaultConnectMappingOptions } from "../../src/connect-mapping.options.ts";

describe("connectMappingOptions", () => {
  it("defaults to Japanese, 1,000-character questions, 3,000-character answers and a 32,000-byte response", () => {
    // Prepare: no overrides

    // Act
    const options = defaultConnectMappingOptions;

    // Assess
    expect(options).toEqual({
      defaultLocale: "ja-JP",
      maxQuestionChars: 1_000,
      turnAttribute: "holdlineTurn",
      maxAnswerChars: 3_000,
      maxResponseBytes: 32_000,
    });
  });

  it("refuses an unsupported default locale, naming the field", () => {
    // Prepare
    const input = { defaultLocale: "fr-FR" } as never;

    // Act
    const build = () => connectMappingOptions(input);

    // Assess
    expect(build).toThrow(/defaultLocale/);
  });

  it("refuses a response budget at or over Connect's 32 KB", () => {
    // Prepare
    const input = { maxResponseBytes: 32 * 1024 };

    // Act
    const build = () => connectMappingOptions(input);

    // Assess
    expect(build).toThrow(/maxResponseBytes/);
  });

  it("refuses a turn attribute name Connect would not accept", () => {
    // Prepare
    const input = { turnAttribute: "turn.count" };

    // Act
    const build = () => connectMappingOptions(input);

    // Assess
    expect(build).toThrow(/turnAttribute/);
  });
});

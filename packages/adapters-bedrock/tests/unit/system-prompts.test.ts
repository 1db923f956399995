import { describe, expect, it } from "vitest";
import { DEFAULT_SYSTEM_PROMPTS, systemPromptFor } from "../../src/system-prompts.ts";

describe("systemPromptFor", () => {
  it("writes the Japanese prompt in Japanese", () => {
    // Prepare
    const prompts = DEFAULT_SYSTEM_PROMPTS;

    // Act
    const prompt = systemPromptFor("ja-JP", prompts);

    // Assess
    expect(prompt).toMatch(/日本語/);
    expect(prompt).not.toMatch(/[A-Za-z]{4,}/);
  });

  it("uses another prompt of the same language for a regional variant", () => {
    // Prepare
    const prompts = DEFAULT_SYSTEM_PROMPTS;

    // Act
    const prompt = systemPromptFor("en-GB", prompts);

    // Assess
    expect(prompt).toBe(DEFAULT_SYSTEM_PROMPTS["en-US"]);
  });

  it("tells the model to answer in the caller's language for a locale without a prompt", () => {
    // Prepare
    const prompts = DEFAULT_SYSTEM_PROMPTS;

    // Act
    const prompt = systemPromptFor("fr-FR", prompts);

    // Assess
    expect(prompt.startsWith(DEFAULT_SYSTEM_PROMPTS["en-US"] ?? "")).toBe(true);
    expect(prompt).toContain("fr-FR");
  });

  it("prefers a configured prompt over the default", () => {
    // Prepare
    const prompts = { ...DEFAULT_SYSTEM_PROMPTS, "ja-JP": "パン屋の電話窓口として答えてください。" };

    // Act
    const prompt = systemPromptFor("ja-JP", prompts);

    // Assess
    expect(prompt).toBe("パン屋の電話窓口として答えてください。");
  });
});

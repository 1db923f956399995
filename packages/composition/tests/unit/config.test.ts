import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, env, readConfig } from "../../src/config/environment.ts";

const schema = z.object({
  TABLE_NAME: env.required(),
  WAIT_MS: env.milliseconds(2_500),
  DEBUG: env.flag(),
  DEFAULT_LOCALE: env.locale("ja-JP"),
});

describe("readConfig", () => {
  it("parses variables and applies defaults", () => {
    expect(readConfig(schema, { TABLE_NAME: "executions", DEBUG: "true" })).toEqual({
      TABLE_NAME: "executions",
      WAIT_MS: 2_500,
      DEBUG: true,
      DEFAULT_LOCALE: "ja-JP",
    });
  });

  it("names every missing or invalid variable", () => {
    let error: unknown;
    try {
      readConfig(schema, { WAIT_MS: "soon", DEFAULT_LOCALE: "fr-FR" });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variables).toEqual(["TABLE_NAME", "WAIT_MS", "DEFAULT_LOCALE"]);
    expect((error as ConfigError).message).toMatch(/TABLE_NAME: is required/);
  });
});

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, env, readConfig } from "../../src/config/environment.ts";
import { budgetFrom, commonEnv } from "../../src/config/environment.schema.ts";

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

  it("gives a flag its own default", () => {
    const flags = z.object({ ON: env.flag(true), OFF: env.flag() });

    expect(readConfig(flags, {})).toEqual({ ON: true, OFF: false });
    expect(readConfig(flags, { ON: "false", OFF: "1" })).toEqual({ ON: false, OFF: true });
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

describe("budgetFrom", () => {
  it("records the parts of answers unless HOLDLINE_PROGRESSIVE_ANSWERS is false", () => {
    const common = z.object(commonEnv);
    const budget = (progressive?: string) =>
      budgetFrom(
        readConfig(common, {
          HOLDLINE_TABLE_NAME: "executions",
          ...(progressive === undefined ? {} : { HOLDLINE_PROGRESSIVE_ANSWERS: progressive }),
        }),
      );

    expect(budget().policy.recordParts).toBe(true);
    expect(budget("false").policy.recordParts).toBe(false);
  });
});

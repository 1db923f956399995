import { describe, expect, it } from "vitest";
import { existingBotAliasArn, existingInstanceArn } from "../src/connect-integration.ts";
import { parseStackSettings } from "../src/stack-settings.ts";
import { PROD_INSTANCE_ARN, PROD_REGION } from "./support/holdline-stacks.ts";
import { ACCOUNT_ID, type StackConfig, stackFile } from "./support/pulumi-program.ts";

// The `holdline:*` keys: what the stack files say, and what the settings refuse.

describe("stack configuration", () => {
  const dev = stackFile("dev");
  const settingsOf = (config: StackConfig) =>
    parseStackSettings(
      Object.fromEntries(
        Object.entries(config)
          .filter(([key]) => key.startsWith("holdline:"))
          .map(([key, value]) => [key.slice("holdline:".length), value]),
      ),
    );

  it("reads both stack files", () => {
    expect(settingsOf(dev).environment).toBe("dev");
    expect(settingsOf(stackFile("prod")).environment).toBe("prod");
  });

  it("refuses an unknown strategy, naming the key", () => {
    expect(() => settingsOf({ ...dev, "holdline:strategy": "websocket" })).toThrow(/holdline:strategy/);
  });

  it("turns progressive answers on unless the stack says false, and refuses anything but a boolean", () => {
    expect(settingsOf(dev).budgetChoices.progressiveAnswers).toBe(true);
    expect(
      settingsOf({ ...dev, "holdline:progressiveAnswers": false }).budgetChoices.progressiveAnswers,
    ).toBe(false);
    expect(() => settingsOf({ ...dev, "holdline:progressiveAnswers": "yes" })).toThrow(
      /holdline:progressiveAnswers: must be true or false/,
    );
  });

  it("refuses budget choices the budget cannot honour, naming the keys", () => {
    expect(() => settingsOf({ ...dev, "holdline:answerDeadlineMs": 900_000 })).toThrow(
      /holdline:answerDeadlineMs/,
    );
    expect(() => settingsOf({ ...dev, "holdline:maxSilenceMs": 300 })).toThrow(/holdline:maxSilenceMs/);
  });

  it("refuses a stack that both creates an instance and names an existing one", () => {
    const connect = {
      ...(dev["holdline:connect"] as object),
      instanceArn: `arn:aws:connect:us-east-1:${ACCOUNT_ID}:instance/${"0".repeat(8)}-0000-0000-0000-${"0".repeat(12)}`,
    };
    expect(() => settingsOf({ ...dev, "holdline:connect": connect })).toThrow(/exactly one of instanceArn/);
  });

  it("refuses a Lex V1 bot or anything but a Lex V2 bot alias ARN", () => {
    const connect = {
      ...(dev["holdline:connect"] as object),
      lexBotAliasArn: `arn:aws:lex:us-east-1:${ACCOUNT_ID}:bot:Holdline`,
    };
    expect(() => settingsOf({ ...dev, "holdline:connect": connect })).toThrow(
      /holdline:connect.lexBotAliasArn/,
    );
  });

  it("creates Holdline's own bot unless the stack names an existing bot alias", () => {
    expect(settingsOf(dev).connect.lexBot).toEqual({ kind: "create" });
  });

  it("refuses an existing bot alias outside the stack's account or region", () => {
    const aliasArn = `arn:aws:lex:us-east-1:${ACCOUNT_ID}:bot-alias/EXISTBOT01/EXISTALS01`;
    const { lexBot } = settingsOf({
      ...dev,
      "holdline:connect": { ...(dev["holdline:connect"] as object), lexBotAliasArn: aliasArn },
    }).connect;
    if (lexBot.kind !== "existing") throw new Error("the stack names an existing bot alias");

    expect(existingBotAliasArn(lexBot, ACCOUNT_ID, "us-east-1")).toBe(aliasArn);
    expect(() => existingBotAliasArn(lexBot, "444455556666", "us-east-1")).toThrow(/444455556666/);
    expect(() => existingBotAliasArn(lexBot, ACCOUNT_ID, PROD_REGION)).toThrow(/ap-northeast-1/);
  });

  it("needs the foundation model of an inference profile it cannot read from the profile id", () => {
    const bedrock = { modelId: "my-application-profile", inferenceProfile: { regions: ["us-east-1"] } };
    expect(() => settingsOf({ ...dev, "holdline:bedrock": bedrock })).toThrow(/foundationModelId/);
  });

  it("refuses an existing instance outside the stack's account or region", () => {
    const { connect } = settingsOf(stackFile("prod"));
    if (connect.instance.kind !== "existing") throw new Error("the prod stack names an existing instance");

    expect(existingInstanceArn(connect.instance, ACCOUNT_ID, PROD_REGION)).toBe(PROD_INSTANCE_ARN);
    expect(() => existingInstanceArn(connect.instance as never, "444455556666", PROD_REGION)).toThrow(
      /444455556666/,
    );
    expect(() => existingInstanceArn(connect.instance as never, ACCOUNT_ID, "us-east-1")).toThrow(
      /us-east-1/,
    );
  });
});

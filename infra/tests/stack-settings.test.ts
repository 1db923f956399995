import { describe, expect, it } from "vitest";
import { existingBotAliasArn, existingInstanceArn } from "../src/connect-integration.ts";
import { DEFAULT_TEXT_OFFER_AFTER_SECONDS, parseStackSettings } from "../src/stack-settings.ts";
import { smsResourceArns } from "../src/text-delivery-pipeline.ts";
import {
  PROD_INSTANCE_ARN,
  PROD_REGION,
  SMS_NUMBER_ARN,
  textOfferConfig,
} from "./support/holdline-stacks.ts";
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

  it("leaves the text offer off unless the stack enables it, and needs no SMS settings then", () => {
    expect(settingsOf(dev).textOffer).toBeUndefined();
    expect(settingsOf({ ...dev, "holdline:textOffer": { enabled: false } }).textOffer).toBeUndefined();
  });

  it("offers on key 1 after the default seconds unless told, and takes a key YAML wrote as a number", () => {
    expect(settingsOf(textOfferConfig(dev)).textOffer).toEqual({
      key: "1",
      afterSeconds: DEFAULT_TEXT_OFFER_AFTER_SECONDS,
      sms: {
        originationIdentityArn: SMS_NUMBER_ARN,
        region: "us-east-1",
        accountId: ACCOUNT_ID,
        configurationSet: undefined,
      },
    });
    const offer = settingsOf(textOfferConfig(dev, { offer: { key: 7, afterSeconds: 25 } })).textOffer;
    expect([offer?.key, offer?.afterSeconds]).toEqual(["7", 25]);
    expect(settingsOf(textOfferConfig(dev, { offer: { key: "#" } })).textOffer?.key).toBe("#");
  });

  it("refuses the text offer without an origination identity, saying which key and why", () => {
    expect(() => settingsOf({ ...dev, "holdline:textOffer": { enabled: true } })).toThrow(
      /holdline:sms\.originationIdentity: is required when holdline:textOffer\.enabled is true/,
    );
    expect(() =>
      settingsOf({
        ...dev,
        "holdline:textOffer": { enabled: true },
        "holdline:sms": { configurationSet: "x" },
      }),
    ).toThrow(/holdline:sms\.originationIdentity: is required/);
  });

  it("refuses anything but a phone number, sender ID or pool ARN as the origination identity", () => {
    const withIdentity = (originationIdentity: string) => ({
      ...textOfferConfig(dev),
      "holdline:sms": { originationIdentity },
    });
    for (const bad of [
      "+12065550100",
      "phone-0123456789abcdef0123456789abcdef",
      `arn:aws:sms-voice:us-east-1:${ACCOUNT_ID}:configuration-set/holdline`,
      `arn:aws:sns:us-east-1:${ACCOUNT_ID}:phone-number/phone-01`,
      `arn:aws:sms-voice:us-east-1:${ACCOUNT_ID}:sender-id/HOLDLINE`,
    ]) {
      expect(() => settingsOf(withIdentity(bad))).toThrow(
        /holdline:sms\.originationIdentity: must be the ARN of an End User Messaging SMS phone number, sender ID or pool/,
      );
    }
    for (const good of [
      SMS_NUMBER_ARN,
      `arn:aws:sms-voice:us-east-1:${ACCOUNT_ID}:sender-id/HOLDLINE/JP`,
      `arn:aws:sms-voice:us-east-1:${ACCOUNT_ID}:pool/pool-0123456789abcdef0123456789abcdef`,
    ]) {
      expect(settingsOf(withIdentity(good)).textOffer?.sms.originationIdentityArn).toBe(good);
    }
  });

  it("refuses an offer key that is not one key, an offer not before the deadline, a bad configuration set", () => {
    expect(() => settingsOf(textOfferConfig(dev, { offer: { key: "12" } }))).toThrow(
      /holdline:textOffer\.key: must be one key: 0–9, \* or #/,
    );
    expect(() => settingsOf(textOfferConfig(dev, { offer: { afterSeconds: 0 } }))).toThrow(
      /holdline:textOffer\.afterSeconds: must be at least 1/,
    );
    expect(() => settingsOf(textOfferConfig(dev, { offer: { afterSeconds: 60 } }))).toThrow(
      /holdline:textOffer\.afterSeconds: 60 s is not before the answer deadline \(60 s\)/,
    );
    expect(() => settingsOf(textOfferConfig(dev, { offer: { enabled: "yes" } }))).toThrow(
      /holdline:textOffer\.enabled: must be true or false/,
    );
    expect(() => settingsOf(textOfferConfig(dev, { configurationSet: "holdline texts" }))).toThrow(
      /holdline:sms\.configurationSet: must be a configuration set name or its ARN/,
    );
    expect(() =>
      settingsOf({
        ...textOfferConfig(dev),
        "holdline:sms": { originationIdentity: SMS_NUMBER_ARN, from: "x" },
      }),
    ).toThrow(/holdline:sms/);
  });

  it("refuses an origination identity or configuration set outside the stack's Region", () => {
    const location = { partition: "aws", region: "us-east-1", accountId: ACCOUNT_ID };
    const sms = (configurationSet?: string) => {
      const settings = settingsOf(
        textOfferConfig(dev, configurationSet === undefined ? {} : { configurationSet }),
      );
      if (settings.textOffer === undefined) throw new Error("the text offer is on");
      return settings.textOffer.sms;
    };

    expect(smsResourceArns(sms(), location)).toEqual({
      originationIdentityArn: SMS_NUMBER_ARN,
      configurationSetArn: undefined,
    });
    expect(() => smsResourceArns(sms(), { ...location, region: PROD_REGION })).toThrow(
      /holdline:sms\.originationIdentity is in us-east-1, but this stack deploys to ap-northeast-1/,
    );
    expect(() =>
      smsResourceArns(sms(`arn:aws:sms-voice:us-west-2:${ACCOUNT_ID}:configuration-set/texts`), location),
    ).toThrow(/holdline:sms\.configurationSet is in us-west-2/);
  });
});

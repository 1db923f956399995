import { LEX_BOT } from "@holdline/connect-contract/flow-contract";
import { simulateHoldlineBot } from "@holdline/contact-flow/holdline/lex-bot-simulation";
import { describe, expect, it } from "vitest";
import { botDefinitionDigest } from "../src/speech-input.ts";
import { fn, lexBlocks, only, T } from "./support/holdline-stacks.ts";
import { ACCOUNT_ID, CREATED_BOT, type ProgramRun, stackFile, stackRun } from "./support/pulumi-program.ts";

// `SpeechInput`: the Lex V2 bot, its version, alias and role — or none, when the stack names an existing alias.

interface BotIntent {
  name: string;
  parentIntentSignature?: string;
  sampleUtterances?: { utterance: string }[];
  fulfillmentCodeHook?: { enabled: boolean };
  dialogCodeHook?: { enabled: boolean };
}
interface BotLocale {
  localeId: string;
  nluConfidenceThreshold: number;
  voiceSettings: { voiceId: string; engine: string };
  intents: BotIntent[];
}
const botLocales = (run: ProgramRun): BotLocale[] => run.one(T.bot, "-speech-bot").inputs.botLocales;
const byLocale = <T>(run: ProgramRun, pick: (locale: BotLocale) => T): Record<string, T> =>
  Object.fromEntries(botLocales(run).map((locale) => [locale.localeId, pick(locale)]));

describe("the dev stack: polling, en-US, a new Connect instance, a claimed number", () => {
  const run = stackRun("dev");

  it("creates a Lex V2 bot with a ja_JP and an en_US locale, voiced as the flows are", () => {
    const bot = run.ofType(T.bot);

    expect(bot).toHaveLength(1);
    expect(bot[0]?.inputs).toMatchObject({
      dataPrivacy: { childDirected: false },
      idleSessionTtlInSeconds: 300,
      autoBuildBotLocales: true,
    });
    expect(byLocale(run, (locale) => locale.voiceSettings)).toEqual({
      ja_JP: { voiceId: "Kazuha", engine: "neural" },
      en_US: { voiceId: "Joanna", engine: "neural" },
    });
    expect(byLocale(run, (locale) => locale.nluConfidenceThreshold)).toEqual({ ja_JP: 0.7, en_US: 0.7 });
  });

  it("sends every utterance but a goodbye to FallbackIntent, whose fulfillment code hook is on", () => {
    for (const locale of botLocales(run)) {
      const fallback = locale.intents.find((intent) => intent.name === LEX_BOT.fallbackIntent);
      const withUtterances = locale.intents.filter((intent) => (intent.sampleUtterances ?? []).length > 0);

      expect([locale.localeId, locale.intents.map((intent) => intent.name).sort()]).toEqual([
        locale.localeId,
        [LEX_BOT.fallbackIntent, LEX_BOT.goodbyeIntent],
      ]);
      expect(fallback).toMatchObject({
        parentIntentSignature: "AMAZON.FallbackIntent",
        fulfillmentCodeHook: { enabled: true },
      });
      expect(withUtterances.map((intent) => intent.name)).toEqual([LEX_BOT.goodbyeIntent]);
    }
  });

  it("hears as goodbyes only what the emulator's model of the bot hears as goodbyes", () => {
    const goodbyes = byLocale(
      run,
      (locale) =>
        locale.intents
          .find((intent) => intent.name === LEX_BOT.goodbyeIntent)
          ?.sampleUtterances?.map((sample) => sample.utterance) ?? [],
    );

    expect(Object.keys(goodbyes).sort()).toEqual(["en_US", "ja_JP"]);
    for (const [localeId, utterances] of Object.entries(goodbyes)) {
      expect(utterances.length).toBeGreaterThanOrEqual(3);
      const notGoodbyes = utterances.filter(
        (utterance) =>
          simulateHoldlineBot(utterance, localeId.replace("_", "-")).intent !== LEX_BOT.goodbyeIntent,
      );
      expect([localeId, notGoodbyes]).toEqual([localeId, []]);
    }
  });

  it("branches the flow on the goodbye intent and sends the fallback intent down its no-match path", () => {
    const intents = byLocale(run, (locale) => locale.intents.map((intent) => intent.name));
    for (const block of lexBlocks(run)) {
      const named = (block.Transitions.Conditions ?? []).flatMap((condition) => condition.Condition.Operands);
      for (const localeIntents of Object.values(intents)) {
        expect(localeIntents.filter((intent) => named.includes(intent))).toEqual([LEX_BOT.goodbyeIntent]);
      }
    }
  });

  it("publishes a version of both locales from the draft, replaced whenever the bot definition changes", () => {
    const version = run.one(T.botVersion, "-speech-bot-version");

    expect(version.inputs.botId).toBe(CREATED_BOT.id);
    expect(
      [...version.inputs.botVersionLocaleSpecification].sort((a, b) => a.localeId.localeCompare(b.localeId)),
    ).toEqual([
      { localeId: "en_US", botVersionLocaleDetails: { sourceBotVersion: "DRAFT" } },
      { localeId: "ja_JP", botVersionLocaleDetails: { sourceBotVersion: "DRAFT" } },
    ]);
    expect(version.inputs.description).toBe(
      `Holdline bot definition ${botDefinitionDigest(botLocales(run))}`,
    );
    expect(run.options(T.botVersion, "-speech-bot-version").replaceOnChanges).toContain("description");
  });

  it("points the alias at that version, with lex-transcript as the code hook of each locale", () => {
    const alias = run.one(T.botAlias, "-speech-bot-alias");
    const hook = { lambdaArn: fn(run, "lex-transcript").state.arn, codeHookInterfaceVersion: "1.0" };

    expect(alias.inputs).toMatchObject({ botId: CREATED_BOT.id, botVersion: CREATED_BOT.version });
    expect(
      [...alias.inputs.botAliasLocaleSettings].sort((a, b) => a.localeId.localeCompare(b.localeId)),
    ).toEqual([
      {
        localeId: "en_US",
        botAliasLocaleSetting: { enabled: true, codeHookSpecification: { lambdaCodeHook: hook } },
      },
      {
        localeId: "ja_JP",
        botAliasLocaleSetting: { enabled: true, codeHookSpecification: { lambdaCodeHook: hook } },
      },
    ]);
    // The caller's words are personal data: no conversation logs, no sentiment analysis.
    expect([alias.inputs.conversationLogSettings, alias.inputs.sentimentAnalysisSettings]).toEqual([
      undefined,
      undefined,
    ]);
  });

  it("runs the bot with a role only Lex may assume, which may only synthesize speech", () => {
    const role = run.one(T.role, "-speech-bot-role");
    const policies = run.ofType(T.rolePolicy).filter((policy) => policy.inputs.role === role.state.id);

    expect(run.one(T.bot, "-speech-bot").inputs.roleArn).toBe(role.state.arn);
    expect(JSON.parse(role.inputs.assumeRolePolicy).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "lexv2.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } },
      },
    ]);
    expect(policies.flatMap((policy) => JSON.parse(policy.inputs.policy).Statement)).toEqual([
      { Sid: "SynthesizeBotSpeech", Effect: "Allow", Action: ["polly:SynthesizeSpeech"], Resource: ["*"] },
    ]);
    expect(run.dependsOn(T.bot, "-speech-bot")).toEqual(policies.map((policy) => policy.name));
  });
});

describe("the dev stack naming an existing bot alias instead of creating a bot", () => {
  const EXISTING_ALIAS = `arn:aws:lex:us-east-1:${ACCOUNT_ID}:bot-alias/EXISTBOT01/EXISTALS01`;
  const dev = stackFile("dev");
  const run = stackRun("dev", {
    ...dev,
    "holdline:connect": { ...(dev["holdline:connect"] as object), lexBotAliasArn: EXISTING_ALIAS },
  });

  it("creates no bot, no bot role and no association: the alias's owner wires and associates it", () => {
    const native = run.resources.filter(
      (resource) =>
        resource.type.startsWith("aws-native:") || resource.type === "pulumi:providers:aws-native",
    );

    expect(native.map((resource) => resource.type)).toEqual([]);
    expect(run.ofType("aws:iam/role:Role").filter((role) => role.name.includes("-speech-"))).toEqual([]);
  });

  it("lets Lex invoke the code hook from that alias only, and has the flow talk to it", () => {
    const lex = run
      .ofType("aws:lambda/permission:Permission")
      .filter((permission) => permission.inputs.principal === "lexv2.amazonaws.com");
    const flow = JSON.parse(only(run, "aws:connect/contactFlow:ContactFlow").inputs.content) as {
      Actions: { Type: string; Parameters: { LexV2Bot?: { AliasArn?: string } } }[];
    };

    expect(lex.map((permission) => permission.inputs.sourceArn)).toEqual([EXISTING_ALIAS]);
    expect(
      flow.Actions.filter((action) => action.Type === "ConnectParticipantWithLexBot").map(
        (action) => action.Parameters.LexV2Bot?.AliasArn,
      ),
    ).toEqual([EXISTING_ALIAS, EXISTING_ALIAS]);
    expect(run.outputs.lexBotAliasArn).toBe(EXISTING_ALIAS);
  });
});

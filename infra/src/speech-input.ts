import { createHash } from "node:crypto";
import type { Voice } from "@holdline/contact-flow/flow-actions";
import { LEX_BOT } from "@holdline/connect-contract/flow-contract";
import type { PromptPack } from "@holdline/contact-flow/holdline/prompt-packs";
import * as aws from "@pulumi/aws";
import * as awsnative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import type { HoldlineFunction } from "./holdline-function.ts";
import { allow, policyJson } from "./policy-document.ts";

/**
 * What the caller says to end the call at "anything else?" (or instead of a first question), per Lex
 * locale. Everything else falls through to `FallbackIntent` and its code hook: there is no question intent
 * with sample utterances to compete with it. The infra tests hold these to the emulator's model of the bot
 * (`simulateHoldlineBot`), so the bot and the end-to-end tests agree on what a goodbye is.
 */
export const GOODBYE_UTTERANCES: Readonly<Record<string, readonly string[]>> = {
  ja_JP: ["いいえ", "いいえ大丈夫です", "大丈夫です", "ありません", "結構です", "以上です", "さようなら"],
  en_US: ["no", "no thanks", "no thank you", "nope", "that is all", "nothing else", "goodbye", "bye"],
};

/**
 * Below this score Lex does not pick `HoldlineGoodbye` and the words go to `FallbackIntent`, that is to the
 * model as a question. Hearing a question as a goodbye hangs up on the caller; hearing a goodbye as a
 * question costs one more "anything else?", so the bar for a goodbye is set above Lex's default of 0.40.
 */
export const NLU_CONFIDENCE_THRESHOLD = 0.7;

/**
 * How long Lex keeps an idle session. The code hook needs nothing from an earlier turn (it overwrites both
 * session attributes every turn), so this only bounds how long Lex holds the caller's last words: the
 * console's default of 5 minutes.
 */
export const IDLE_SESSION_TTL_SECONDS = 300;

/** Lex V2's locale id of a prompt pack's BCP 47 tag: `ja-JP` → `ja_JP`. */
export const lexLocaleId = (locale: string): string => locale.replace("-", "_");

/**
 * The digest a bot version's description carries, so that a changed bot definition publishes a new version.
 * Keys are sorted first: the same definition has the same digest however its objects were written.
 */
export const botDefinitionDigest = (botLocales: unknown): string =>
  createHash("sha256").update(JSON.stringify(botLocales, sortedKeys)).digest("hex").slice(0, 16);

const sortedKeys = (_key: string, value: unknown): unknown =>
  value !== null && typeof value === "object" && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    : value;

export interface SpeechInputArgs {
  /** The deploying account: only Lex acting for this account may assume the bot's role. */
  readonly accountId: pulumi.Input<string>;
  /** One bot locale per pack, with the pack's voice: Lex and the flow's prompts sound alike. */
  readonly locales: readonly PromptPack[];
  /** lex-transcript: the alias's code hook in every locale. */
  readonly codeHook: HoldlineFunction;
}

/**
 * The Lex V2 bot that turns the caller's speech into a question: per locale, `HoldlineGoodbye` with a few
 * sample utterances and the built-in `FallbackIntent` with its fulfillment code hook on, so every other
 * utterance reaches lex-transcript, which puts the words in the session for the flow (docs/contact-flow.md,
 * "The speech path"). A version published from the draft and an alias on it whose code hook is lex-transcript
 * in every locale. The bot's role may only synthesize speech. Lex's permission to invoke the hook and the
 * alias's association with the Connect instance are on the Connect side (`ConnectIntegration`).
 *
 * The `aws-native` resources take their provider from this component's `providers` option.
 */
export class SpeechInput extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly bot: awsnative.lex.Bot;
  readonly version: awsnative.lex.BotVersion;
  readonly alias: awsnative.lex.BotAlias;
  /** What the flow's Lex blocks name, Connect associates and Lex's invoke permission is scoped to. */
  readonly botAliasArn: pulumi.Output<string>;

  constructor(name: string, args: SpeechInputArgs, opts?: pulumi.ComponentResourceOptions) {
    super("holdline:infra:SpeechInput", name, {}, opts);
    const localeIds = args.locales.map((pack) => lexLocaleId(pack.locale));

    this.role = new aws.iam.Role(
      `${name}-bot-role`,
      {
        assumeRolePolicy: lexTrustPolicy(args.accountId),
        description: `Runtime role of the Lex V2 bot ${name}`,
      },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-bot-policy`,
      {
        role: this.role.id,
        policy: policyJson([
          // Lex voices its messages with Polly; Polly's SynthesizeSpeech takes no resource but `*`
          // (Amazon Polly API permissions reference). The hooked intents send no message, so this is for
          // whatever Lex still says on its own.
          allow("SynthesizeBotSpeech", ["polly:SynthesizeSpeech"], ["*"]),
        ]),
      },
      { parent: this },
    );

    const botLocales = args.locales.map((pack) => botLocale(pack));
    this.bot = new awsnative.lex.Bot(
      `${name}-bot`,
      {
        description: "Holdline: hears the caller's question and hands it to the flow through lex-transcript",
        roleArn: this.role.arn,
        dataPrivacy: { childDirected: false },
        idleSessionTtlInSeconds: IDLE_SESSION_TTL_SECONDS,
        botLocales,
        // Builds every locale on create and update, so a version can be published from the draft.
        autoBuildBotLocales: true,
      },
      // Lex checks the role when the bot is created; its policy must already be there.
      { parent: this, dependsOn: [policy] },
    );

    this.version = new awsnative.lex.BotVersion(
      `${name}-bot-version`,
      {
        botId: this.bot.awsId,
        botVersionLocaleSpecification: localeIds.map((localeId) => ({
          localeId,
          botVersionLocaleDetails: { sourceBotVersion: "DRAFT" },
        })),
        description: `Holdline bot definition ${botDefinitionDigest(botLocales)}`,
      },
      // A version is a snapshot: a changed definition must publish a new one (and the alias move to it)
      // rather than update the old one's description.
      { parent: this, replaceOnChanges: ["description"] },
    );

    this.alias = new awsnative.lex.BotAlias(
      `${name}-bot-alias`,
      {
        botId: this.bot.awsId,
        botVersion: this.version.botVersion,
        description: "Holdline: the alias the contact flow talks to",
        botAliasLocaleSettings: localeIds.map((localeId) => ({
          localeId,
          botAliasLocaleSetting: {
            enabled: true,
            codeHookSpecification: {
              lambdaCodeHook: { lambdaArn: args.codeHook.arn, codeHookInterfaceVersion: "1.0" },
            },
          },
        })),
      },
      { parent: this },
    );
    this.botAliasArn = this.alias.arn;
    this.registerOutputs({ botId: this.bot.awsId, botAliasArn: this.botAliasArn });
  }
}

/** Polly's engine as the flow's voice names it, as Lex's voice settings name it. */
const LEX_VOICE_ENGINE = {
  Standard: "standard",
  Neural: "neural",
  Generative: "generative",
} as const satisfies Record<Voice["engine"], awsnative.types.enums.lex.BotVoiceSettingsEngine>;

/** Only Lex V2, acting for this account, may assume the bot's role (confused-deputy guard: aws:SourceAccount). */
const lexTrustPolicy = (accountId: pulumi.Input<string>) =>
  pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "lexv2.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  });

function botLocale(pack: PromptPack): awsnative.types.input.lex.BotLocaleArgs {
  const localeId = lexLocaleId(pack.locale);
  const goodbyes = GOODBYE_UTTERANCES[localeId];
  if (goodbyes === undefined)
    throw new pulumi.RunError(`no goodbye utterances for the Lex locale ${localeId}`);
  return {
    localeId,
    description: `Holdline ${pack.locale}`,
    nluConfidenceThreshold: NLU_CONFIDENCE_THRESHOLD,
    voiceSettings: {
      voiceId: pack.voice.name,
      engine: LEX_VOICE_ENGINE[pack.voice.engine],
    },
    intents: [
      {
        name: LEX_BOT.goodbyeIntent,
        description: "The caller has no (more) questions; the flow says goodbye",
        sampleUtterances: goodbyes.map((utterance) => ({ utterance })),
      },
      {
        name: LEX_BOT.fallbackIntent,
        description: "Any other words: the question, which lex-transcript puts in the session",
        parentIntentSignature: "AMAZON.FallbackIntent",
        // The built-in fallback intent takes a fulfillment code hook (Lex V2 guide, AMAZON.FallbackIntent).
        fulfillmentCodeHook: { enabled: true },
      },
    ],
  };
}

import {
  type AnswerChoices,
  type BudgetChoices,
  defaultAnswerChoices,
  defaultBudgetChoices,
  deriveBudget,
} from "@holdline/budget/timing-budget";
import type { Strategy } from "@holdline/contact-flow/holdline/holdline-flows";
import * as pulumi from "@pulumi/pulumi";
import * as z from "zod";

/**
 * What differs between a development and a production stack. A stack picks one with
 * `holdline:environment`; docs/deploy.md lists the values, and the stack tests pin them.
 */
export interface EnvironmentProfile {
  /** The executions table refuses `DeleteTable` until this is turned off. */
  readonly tableDeletionProtection: boolean;
  /** Point-in-time recovery window of the executions table (1–35 days). */
  readonly pointInTimeRecoveryDays: number;
  readonly logRetentionDays: number;
  /** Caps concurrent workers (and so concurrent model calls); `undefined` leaves the account's pool shared. */
  readonly workerReservedConcurrency: number | undefined;
  /** How long a failure record waits for failure-recorder; then it is dropped (it has no caller left). */
  readonly failureQueueRetentionSeconds: number;
  /** How long an unprocessable failure record stays in the dead-letter queue for a person to replay. */
  readonly deadLetterRetentionSeconds: number;
  readonly alarms: AlarmThresholds;
}

export interface AlarmThresholds {
  /** Function errors per period above which the function's error alarm fires. */
  readonly errorsPerPeriod: number;
  readonly periodSeconds: number;
  /** p99 duration above this fraction of the function's timeout fires the duration alarm. */
  readonly p99DurationFractionOfTimeout: number;
  /** Oldest failure record older than this: failure-recorder is not keeping up. */
  readonly failureQueueAgeSeconds: number;
  /**
   * Turns failed late or left stranded, per function and period, at which that alarm fires: Holdline's own
   * `Recoveries` metric with `event` = `attempt_stopped` (a crashed attempt with none left),
   * `dispatch_refused` (the worker cannot be invoked at all) or `start_abandoned` (a start the store never
   * confirmed). Each is a caller who heard the error prompt because of a fault, never normal operation.
   */
  readonly strandedTurnsPerPeriod: number;
  /**
   * Connect-facing answers `error` `deadline_exceeded` per function and period at which that alarm fires:
   * callers who waited the whole deadline and heard the error prompt (the model is slower than the deadline,
   * or its reply was lost).
   */
  readonly deadlineExceededPerPeriod: number;
  /**
   * Texts recorded `failed` per period (text-delivery's `TextDeliveriesFailed`) at which that alarm fires: callers
   * who asked for the answer by text and will not get it. Only a stack with the text offer has the alarm.
   */
  readonly failedTextsPerPeriod: number;
}

export const ENVIRONMENT_PROFILES = {
  dev: {
    tableDeletionProtection: false,
    pointInTimeRecoveryDays: 7,
    logRetentionDays: 14,
    // A new account's unreserved pool can be as small as 10; reserving from it would fail the deploy.
    workerReservedConcurrency: undefined,
    failureQueueRetentionSeconds: 24 * 60 * 60,
    deadLetterRetentionSeconds: 4 * 24 * 60 * 60,
    alarms: {
      errorsPerPeriod: 5,
      periodSeconds: 300,
      p99DurationFractionOfTimeout: 0.9,
      failureQueueAgeSeconds: 300,
      strandedTurnsPerPeriod: 1,
      deadlineExceededPerPeriod: 5,
      failedTextsPerPeriod: 5,
    },
  },
  prod: {
    tableDeletionProtection: true,
    pointInTimeRecoveryDays: 35,
    logRetentionDays: 90,
    workerReservedConcurrency: 100,
    failureQueueRetentionSeconds: 4 * 24 * 60 * 60,
    deadLetterRetentionSeconds: 14 * 24 * 60 * 60,
    alarms: {
      errorsPerPeriod: 1,
      periodSeconds: 60,
      p99DurationFractionOfTimeout: 0.8,
      failureQueueAgeSeconds: 60,
      strandedTurnsPerPeriod: 1,
      deadlineExceededPerPeriod: 1,
      failedTextsPerPeriod: 1,
    },
  },
} as const satisfies Record<string, EnvironmentProfile>;

export type EnvironmentName = keyof typeof ENVIRONMENT_PROFILES;
export type Locale = "ja-JP" | "en-US";

export type ConnectInstanceSettings =
  | { readonly kind: "create"; readonly alias: string }
  | {
      readonly kind: "existing";
      readonly arn: string;
      readonly id: string;
      readonly region: string;
      readonly accountId: string;
    };

export type PhoneNumberSettings =
  | {
      readonly kind: "claim";
      readonly countryCode: string;
      readonly type: "DID" | "TOLL_FREE";
      readonly prefix?: string;
    }
  | { readonly kind: "existing"; readonly id: string };

/** The Lex V2 bot the flow asks its questions with: Holdline's own (`SpeechInput`), or one made elsewhere. */
export type LexBotSettings =
  | { readonly kind: "create" }
  | {
      readonly kind: "existing";
      readonly aliasArn: string;
      readonly region: string;
      readonly accountId: string;
    };

export interface BedrockSettings {
  /** What the functions send as `modelId`: a foundation model id or a system inference profile id. */
  readonly modelId: string;
  readonly api: "converse" | "converse-stream";
  /** Bedrock's region; the stack's region when absent. */
  readonly region: string | undefined;
  /**
   * Set when `modelId` is a system inference profile: a geographic one (`us.`, `jp.`, …) with the model and the
   * Regions it routes to, or a global one (`global.`), which routes to any commercial Region.
   */
  readonly inferenceProfile:
    | {
        readonly kind: "geographic";
        readonly foundationModelId: string;
        readonly regions: readonly string[];
      }
    | { readonly kind: "global"; readonly foundationModelId: string }
    | undefined;
  readonly guardrail: { readonly id: string; readonly version: string } | undefined;
}

/**
 * Where the texts are sent from (AWS End User Messaging SMS): the origination identity `SendTextMessage` is given
 * and the text-delivery role may send from, and nothing else.
 */
export interface SmsSettings {
  /** The ARN of a phone number, sender ID or pool (`arn:<partition>:sms-voice:<region>:<account>:…`). */
  readonly originationIdentityArn: string;
  readonly region: string;
  readonly accountId: string;
  /** A configuration set (its events go to its destinations), by name or ARN as configured; none when absent. */
  readonly configurationSet: string | undefined;
}

/**
 * The answer by text message (docs/text-delivery.md): while the caller waits, the flow offers it by key press
 * `afterSeconds` into the wait; the stack deploys connect-text-offer, caller-left and text-delivery, the table's
 * stream and its consumer. Absent (`holdline:textOffer.enabled` false, the default): none of it exists.
 */
export interface TextOfferSettings {
  /** The key the caller presses to take the offer: one of 0–9, `*`, `#`. */
  readonly key: string;
  /** Seconds into the wait at which the offer is made. */
  readonly afterSeconds: number;
  readonly sms: SmsSettings;
}

export interface StackSettings {
  readonly environment: EnvironmentName;
  readonly profile: EnvironmentProfile;
  readonly strategy: Strategy;
  readonly locale: Locale;
  /**
   * The budget choices a stack may set; every other choice keeps its default. `progressiveAnswers` is the one
   * setting of progressive answers: the functions' `HOLDLINE_PROGRESSIVE_ANSWERS`, the flow's `progressive`,
   * and, in native-async, whether answer-worker writes the answer (`deploymentFor`).
   */
  readonly budgetChoices: Pick<BudgetChoices, "answerDeadlineMs" | "maxSilenceMs"> &
    Pick<AnswerChoices, "progressiveAnswers">;
  readonly connect: {
    readonly instance: ConnectInstanceSettings;
    readonly lexBot: LexBotSettings;
    readonly phoneNumber: PhoneNumberSettings | undefined;
  };
  /** Absent: the functions answer from the embedded FAQ model and get no Bedrock permission. */
  readonly bedrock: BedrockSettings | undefined;
  readonly alarmTopicArn: string | undefined;
  /** The text offer and everything behind it; `undefined` when it is off. */
  readonly textOffer: TextOfferSettings | undefined;
}

const CONNECT_INSTANCE_ARN = /^arn:aws[a-z-]*:connect:([a-z0-9-]+):(\d{12}):instance\/([0-9a-f-]{36})$/;
const LEX_BOT_ALIAS_ARN = /^arn:aws[a-z-]*:lex:([a-z0-9-]+):(\d{12}):bot-alias\/[A-Z0-9]{10}\/[A-Z0-9]{10}$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
/**
 * An End User Messaging SMS origination identity ARN: a phone number, a sender ID (with its country) or a pool
 * (the service's resource types: `phone-number/<id>`, `sender-id/<id>/<ISO country>`, `pool/<id>`).
 */
const SMS_ORIGINATION_ARN =
  /^arn:aws[a-z-]*:sms-voice:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):(?:phone-number\/[A-Za-z0-9_-]+|sender-id\/[A-Za-z0-9_-]{1,11}\/[A-Z]{2}|pool\/[A-Za-z0-9_-]+)$/;
/** A configuration set: its name, or its ARN. */
const SMS_CONFIGURATION_SET =
  /^(?:[A-Za-z0-9_-]{1,64}|arn:aws[a-z-]*:sms-voice:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:configuration-set\/[A-Za-z0-9_-]{1,64})$/;
/** The keys a caller can press for the offer (Connect's GetParticipantInput compares one static key). */
const OFFER_KEY = /^[0-9*#]$/;
/** When the offer is made, unless the stack says: after the first filler, well before any deadline. */
export const DEFAULT_TEXT_OFFER_AFTER_SECONDS = 10;
/** A system inference profile id is a foundation model id behind a geography: `us.`, `apac.`, `global.` … */
const PROFILE_ID = /^([a-z-]+)\.([a-z0-9-]+\..+)$/;
/** The prefix of a global cross-Region inference profile, which routes to any commercial Region. */
const GLOBAL_GEOGRAPHY = "global";

const phoneNumberSchema = z.union([
  z
    .strictObject({ id: z.string().min(1) })
    .transform((value) => ({ kind: "existing" as const, id: value.id })),
  z
    .strictObject({
      countryCode: z.string().regex(/^[A-Z]{2}$/, { error: "must be an ISO 3166-1 alpha-2 code, e.g. JP" }),
      type: z.enum(["DID", "TOLL_FREE"]),
      prefix: z
        .string()
        .regex(/^\+\d+$/)
        .optional(),
    })
    .transform((value) => ({ kind: "claim" as const, ...value })),
]);

const connectSchema = z
  .strictObject({
    instanceArn: z
      .string()
      .regex(CONNECT_INSTANCE_ARN, { error: "must be a Connect instance ARN" })
      .optional(),
    instanceAlias: z
      .string()
      .regex(/^[a-zA-Z0-9][a-zA-Z0-9-]{0,61}[a-zA-Z0-9]$/, {
        error: "must be 2–62 letters, digits or hyphens",
      })
      .optional(),
    /** An existing bot alias to use instead of the bot the program creates. */
    lexBotAliasArn: z
      .string()
      .regex(LEX_BOT_ALIAS_ARN, { error: "must be a Lex V2 bot alias ARN" })
      .optional(),
    phoneNumber: phoneNumberSchema.optional(),
  })
  .refine((value) => (value.instanceArn === undefined) !== (value.instanceAlias === undefined), {
    error: "set exactly one of instanceArn (use an existing instance) or instanceAlias (create one)",
  });

const bedrockSchema = z
  .strictObject({
    modelId: z.string().regex(/^[a-z0-9][a-z0-9.:-]*$/, { error: "must be a model or inference profile id" }),
    api: z.enum(["converse", "converse-stream"]).default("converse"),
    region: z.string().regex(REGION).optional(),
    inferenceProfile: z
      .strictObject({
        foundationModelId: z.string().min(1).optional(),
        regions: z.array(z.string().regex(REGION)).min(1).optional(),
      })
      .optional(),
    guardrail: z.strictObject({ id: z.string().min(1), version: z.string().min(1) }).optional(),
  })
  .refine(
    (value) =>
      value.inferenceProfile === undefined ||
      value.inferenceProfile.foundationModelId !== undefined ||
      PROFILE_ID.test(value.modelId),
    { error: "inferenceProfile.foundationModelId is required when modelId is not <geography>.<model id>" },
  )
  .refine(
    (value) =>
      geographyOf(value.modelId) !== GLOBAL_GEOGRAPHY || value.inferenceProfile?.regions === undefined,
    {
      error:
        "modelId is a global. inference profile, which routes to any commercial Region: leave out inferenceProfile.regions",
      path: ["inferenceProfile", "regions"],
    },
  )
  .refine(
    (value) => {
      const geography = geographyOf(value.modelId);
      return (
        geography === undefined ||
        geography === GLOBAL_GEOGRAPHY ||
        value.inferenceProfile?.regions !== undefined
      );
    },
    {
      error:
        "modelId is a cross-Region inference profile: set inferenceProfile.regions to the Regions it routes to " +
        "(the model's page in the Bedrock console lists them), so the functions may invoke the model in each",
      path: ["inferenceProfile", "regions"],
    },
  );

const textOfferSchema = z.strictObject({
  enabled: z.boolean({ error: "must be true or false" }).default(false),
  // YAML reads `key: 1` as a number: take it as the key it names.
  key: z
    .union([z.string(), z.number().int()])
    .transform(String)
    .pipe(z.string().regex(OFFER_KEY, { error: "must be one key: 0–9, * or #" }))
    .default("1"),
  afterSeconds: z
    .number({ error: "must be a number of seconds" })
    .int({ error: "must be whole seconds" })
    .positive({ error: "must be at least 1" })
    .default(DEFAULT_TEXT_OFFER_AFTER_SECONDS),
});

const smsSchema = z.strictObject({
  originationIdentity: z
    .string({ error: "is required (the ARN of a phone number, sender ID or pool)" })
    .regex(SMS_ORIGINATION_ARN, {
      error:
        "must be the ARN of an End User Messaging SMS phone number, sender ID or pool " +
        "(arn:aws:sms-voice:<region>:<account>:phone-number/<id> | sender-id/<id>/<country> | pool/<id>)",
    }),
  configurationSet: z
    .string()
    .regex(SMS_CONFIGURATION_SET, { error: "must be a configuration set name or its ARN" })
    .optional(),
});

/** The geography of a system inference profile id (`us`, `jp`, `global`, …), or undefined for a model id. */
function geographyOf(modelId: string): string | undefined {
  return PROFILE_ID.exec(modelId)?.[1];
}

const settingsSchema = z.strictObject({
  environment: z.enum(["dev", "prod"], { error: "must be dev or prod" }),
  strategy: z.enum(["polling", "native-async"]).default("polling"),
  locale: z.enum(["ja-JP", "en-US"]).default("ja-JP"),
  // Unset, the budget's own defaults: one place holds them.
  answerDeadlineMs: z.number().int().positive().default(defaultBudgetChoices.answerDeadlineMs),
  maxSilenceMs: z.number().int().positive().default(defaultBudgetChoices.maxSilenceMs),
  progressiveAnswers: z
    .boolean({ error: "must be true or false" })
    .default(defaultAnswerChoices.progressiveAnswers),
  connect: connectSchema,
  bedrock: bedrockSchema.optional(),
  alarmTopicArn: z.string().regex(SNS_TOPIC_ARN, { error: "must be an SNS topic ARN" }).optional(),
  logRetentionDays: z.number().int().positive().optional(),
  workerReservedConcurrency: z.number().int().min(0).optional(),
  textOffer: textOfferSchema.optional(),
  sms: smsSchema.optional(),
});

/** The stack's configuration keys (namespace `holdline`), as `Pulumi.<stack>.yaml` writes them. */
export const CONFIG_KEYS = Object.keys(settingsSchema.shape) as (keyof typeof settingsSchema.shape)[];

const STRUCTURED_KEYS = new Set(["connect", "bedrock", "textOffer", "sms"]);
const NUMERIC_KEYS = new Set([
  "answerDeadlineMs",
  "maxSilenceMs",
  "logRetentionDays",
  "workerReservedConcurrency",
]);
const BOOLEAN_KEYS = new Set(["progressiveAnswers"]);

/** Reads and checks the `holdline:*` configuration; a bad value stops the program naming the key. */
export function readStackSettings(config: pulumi.Config = new pulumi.Config("holdline")): StackSettings {
  const raw: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const value = STRUCTURED_KEYS.has(key)
      ? config.getObject<unknown>(key)
      : NUMERIC_KEYS.has(key)
        ? config.getNumber(key)
        : BOOLEAN_KEYS.has(key)
          ? config.getBoolean(key)
          : config.get(key);
    if (value !== undefined) raw[key] = value;
  }
  return parseStackSettings(raw);
}

export function parseStackSettings(raw: Record<string, unknown>): StackSettings {
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((issue) => `holdline:${issue.path.map(String).join(".") || "?"}: ${issue.message}`)
      .join("; ");
    throw new pulumi.RunError(`invalid stack configuration: ${detail}`);
  }
  const value = parsed.data;
  const budgetChoices = {
    answerDeadlineMs: value.answerDeadlineMs,
    maxSilenceMs: value.maxSilenceMs,
    progressiveAnswers: value.progressiveAnswers,
  };
  try {
    deriveBudget(budgetChoices);
  } catch (error) {
    throw new pulumi.RunError(
      `invalid stack configuration: holdline:answerDeadlineMs / holdline:maxSilenceMs: ${(error as Error).message}`,
    );
  }
  const base = ENVIRONMENT_PROFILES[value.environment];
  return {
    environment: value.environment,
    profile: {
      ...base,
      logRetentionDays: value.logRetentionDays ?? base.logRetentionDays,
      workerReservedConcurrency: value.workerReservedConcurrency ?? base.workerReservedConcurrency,
    },
    strategy: value.strategy,
    locale: value.locale,
    budgetChoices,
    connect: {
      instance: instanceSettings(value.connect.instanceArn, value.connect.instanceAlias),
      lexBot: lexBotSettings(value.connect.lexBotAliasArn),
      phoneNumber: value.connect.phoneNumber,
    },
    bedrock:
      value.bedrock === undefined
        ? undefined
        : {
            modelId: value.bedrock.modelId,
            api: value.bedrock.api,
            region: value.bedrock.region,
            inferenceProfile: inferenceProfileSettings(value.bedrock.modelId, value.bedrock.inferenceProfile),
            guardrail: value.bedrock.guardrail,
          },
    alarmTopicArn: value.alarmTopicArn,
    textOffer: textOfferSettings(value.textOffer, value.sms, budgetChoices.answerDeadlineMs),
  };
}

/** The text offer when it is on: its key, its time, and an SMS origination identity, without which it is refused. */
function textOfferSettings(
  offer: { enabled: boolean; key: string; afterSeconds: number } | undefined,
  sms: { originationIdentity: string; configurationSet?: string | undefined } | undefined,
  answerDeadlineMs: number,
): TextOfferSettings | undefined {
  if (offer === undefined || !offer.enabled) return undefined;
  const refuse = (detail: string): never => {
    throw new pulumi.RunError(`invalid stack configuration: ${detail}`);
  };
  if (sms === undefined) {
    return refuse(
      "holdline:sms.originationIdentity: is required when holdline:textOffer.enabled is true " +
        "(the ARN of the phone number, sender ID or pool the texts are sent from; docs/deploy.md)",
    );
  }
  if (offer.afterSeconds * 1000 >= answerDeadlineMs) {
    refuse(
      `holdline:textOffer.afterSeconds: ${offer.afterSeconds} s is not before the answer deadline ` +
        `(${answerDeadlineMs / 1000} s): the offer would never be made`,
    );
  }
  const [, region = "", accountId = ""] = SMS_ORIGINATION_ARN.exec(sms.originationIdentity) ?? [];
  return {
    key: offer.key,
    afterSeconds: offer.afterSeconds,
    sms: {
      originationIdentityArn: sms.originationIdentity,
      region,
      accountId,
      configurationSet: sms.configurationSet,
    },
  };
}

function inferenceProfileSettings(
  modelId: string,
  profile: { foundationModelId?: string | undefined; regions?: string[] | undefined } | undefined,
): BedrockSettings["inferenceProfile"] {
  const geography = geographyOf(modelId);
  const foundationModelId = profile?.foundationModelId ?? PROFILE_ID.exec(modelId)?.[2] ?? "";
  if (geography === GLOBAL_GEOGRAPHY) return { kind: "global", foundationModelId };
  if (profile?.regions === undefined) return undefined;
  return { kind: "geographic", foundationModelId, regions: profile.regions };
}

function instanceSettings(arn: string | undefined, alias: string | undefined): ConnectInstanceSettings {
  if (arn === undefined) return { kind: "create", alias: alias ?? "" };
  const [, region = "", accountId = "", id = ""] = CONNECT_INSTANCE_ARN.exec(arn) ?? [];
  return { kind: "existing", arn, id, region, accountId };
}

function lexBotSettings(aliasArn: string | undefined): LexBotSettings {
  if (aliasArn === undefined) return { kind: "create" };
  const [, region = "", accountId = ""] = LEX_BOT_ALIAS_ARN.exec(aliasArn) ?? [];
  return { kind: "existing", aliasArn, region, accountId };
}

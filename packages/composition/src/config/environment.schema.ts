import {
  defaultAnswerChoices,
  defaultBudgetChoices,
  deriveBudget,
  type TimingBudget,
} from "@holdline/budget/timing-budget";
import * as z from "zod";
import { env } from "./environment.ts";

/** Environment every Holdline function reads. */
export const commonEnv = {
  HOLDLINE_TABLE_NAME: env.required(),
  /** Only for a local DynamoDB-compatible server (the demo, tests). */
  HOLDLINE_DYNAMODB_ENDPOINT: env.optional(),
  HOLDLINE_DEFAULT_LOCALE: env.locale("ja-JP"),
  // Unset, the budget's own defaults: one place holds them.
  HOLDLINE_MAX_SILENCE_MS: env.milliseconds(defaultBudgetChoices.maxSilenceMs),
  HOLDLINE_ANSWER_DEADLINE_MS: env.milliseconds(defaultBudgetChoices.answerDeadlineMs),
  /** Logs the caller's question and the answer; off by default (they are personal data). */
  HOLDLINE_DEBUG_CONTENT: env.flag(),
  /** Progressive answers: the worker records each part of the answer as it is written. On by default. */
  HOLDLINE_PROGRESSIVE_ANSWERS: env.flag(defaultAnswerChoices.progressiveAnswers),
};

/** Environment of the functions that dispatch the worker. */
export const dispatcherEnv = {
  HOLDLINE_WORKER_FUNCTION: env.required(),
  /** Only for a local Lambda endpoint (the demo, tests). */
  HOLDLINE_LAMBDA_ENDPOINT: env.optional(),
};

/**
 * Environment of a function that dispatches the worker only when it is given one: connect-answer, whose
 * progressive answers are written by answer-worker (a native-async stack with progressive answers sets
 * `HOLDLINE_WORKER_FUNCTION`); without it, connect-answer runs every turn in place and refuses a progressive one.
 */
export const optionalDispatcherEnv = {
  ...dispatcherEnv,
  HOLDLINE_WORKER_FUNCTION: env.optional(),
};

/** Environment of the functions that call the model. Without a model id, the embedded FAQ model answers. */
export const modelEnv = {
  HOLDLINE_BEDROCK_MODEL_ID: env.optional(),
  /** The Region Bedrock is called in; defaults to the function's own. */
  HOLDLINE_BEDROCK_REGION: env.optional(),
  /** Set by Lambda to the function's Region. */
  AWS_REGION: env.optional(),
  /** Only for a local Bedrock stub (tests). */
  HOLDLINE_BEDROCK_ENDPOINT: env.optional(),
  HOLDLINE_BEDROCK_API: z.enum(["converse", "converse-stream"]).default("converse"),
  HOLDLINE_BEDROCK_MAX_TOKENS: env.integer(400),
  HOLDLINE_GUARDRAIL_ID: env.optional(),
  HOLDLINE_GUARDRAIL_VERSION: env.optional(),
  HOLDLINE_LATENCY_OPTIMIZED: env.flag(),
};

/**
 * Environment of the function that sends texts (text-delivery): AWS End User Messaging SMS from the stack's
 * origination identity (a phone number, sender id or pool: id or ARN).
 */
export const smsEnv = {
  HOLDLINE_SMS_ORIGINATION_IDENTITY: env.required(),
  /** The configuration set whose event destinations record the texts' delivery events; none if unset. */
  HOLDLINE_SMS_CONFIGURATION_SET: env.optional(),
  /** Only for a local SMS stub (the demo, tests). */
  HOLDLINE_SMS_ENDPOINT: env.optional(),
  /** The Region texts are sent from; defaults to the function's own (`AWS_REGION`). */
  HOLDLINE_SMS_REGION: env.optional(),
  /** Set by Lambda to the function's Region. */
  AWS_REGION: env.optional(),
};

/** What a text may cost and how often it is tried (`DeliverTextPolicy`'s settings that are not timings). */
export const textDeliveryEnv = {
  /** The text's cap, in SMS segments (each is billed): a longer answer is cut at a sentence. */
  HOLDLINE_TEXT_MAX_SEGMENTS: z.coerce.number().int().min(1).max(10).default(5),
  /** Sends tried per delivery (the first included) before it is recorded failed. */
  HOLDLINE_TEXT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
};

export type CommonConfig = z.infer<z.ZodObject<typeof commonEnv>>;
export type DispatcherConfig = z.infer<z.ZodObject<typeof dispatcherEnv>>;
export type OptionalDispatcherConfig = z.infer<z.ZodObject<typeof optionalDispatcherEnv>>;
export type ModelConfig = z.infer<z.ZodObject<typeof modelEnv>>;
export type SmsConfig = z.infer<z.ZodObject<typeof smsEnv>>;
export type TextDeliveryConfig = z.infer<z.ZodObject<typeof textDeliveryEnv>>;

export const budgetFrom = (config: CommonConfig): TimingBudget =>
  deriveBudget({
    maxSilenceMs: config.HOLDLINE_MAX_SILENCE_MS,
    answerDeadlineMs: config.HOLDLINE_ANSWER_DEADLINE_MS,
    progressiveAnswers: config.HOLDLINE_PROGRESSIVE_ANSWERS,
  });

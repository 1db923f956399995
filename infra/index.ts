import * as pulumi from "@pulumi/pulumi";
import { APPS_DIRECTORY } from "./src/apps-directory.ts";
import { Holdline } from "./src/holdline.ts";
import { readStackSettings } from "./src/stack-settings.ts";

// The Pulumi program: one Holdline environment per stack, configured by Pulumi.<stack>.yaml.
const settings = readStackSettings();
const holdline = new Holdline(`holdline-${pulumi.getStack()}`, { settings, appsDirectory: APPS_DIRECTORY });

export const strategy = settings.strategy;
/** Whether the flow speaks answers part by part (and, native-async, answer-worker writes them). */
export const progressiveAnswers = settings.budgetChoices.progressiveAnswers;
export const locale = settings.locale;
export const connectInstanceId = holdline.connect.instanceId;
export const contactFlowId = holdline.connect.contactFlow.contactFlowId;
/** The Lex V2 bot alias the flow talks to: Holdline's own, or the configured one. */
export const lexBotAliasArn = holdline.lexBotAliasArn;
/** The number to call, when this stack claimed one. */
export const phoneNumber = holdline.connect.phoneNumber;
/** The functions this stack's strategy deploys, by app (what `pnpm smoke` invokes). */
export const functionNames = holdline.functionNames();
export const logGroupNames = holdline.logGroupNames();
export const tableName = holdline.table.name;
/**
 * The worker's failure queue and its dead letters: stacks that run answer-worker (polling, and native-async with
 * progressive answers).
 */
export const failureQueueUrl = holdline.failures?.failureQueue.url;
export const deadLetterQueueUrl = holdline.failures?.deadLetterQueue.url;
/** For `aws sqs start-message-move-task --source-arn` (replaying dead letters, docs/deploy.md). */
export const deadLetterQueueArn = holdline.failures?.deadLetterQueue.arn;
/**
 * With the text offer: the queue of stream batches text-delivery and contact events caller-left gave up on
 * (docs/operations.md, "Text delivery").
 */
export const textFailureQueueUrl = holdline.textDelivery?.failureQueue.url;

import { fileURLToPath } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import { Holdline } from "./src/holdline.ts";
import { readStackSettings } from "./src/stack-settings.ts";

// The Pulumi program: one Holdline environment per stack, configured by Pulumi.<stack>.yaml.
const settings = readStackSettings();
const holdline = new Holdline(`holdline-${pulumi.getStack()}`, {
  settings,
  appsDirectory: fileURLToPath(new URL("../apps", import.meta.url)),
});

export const strategy = settings.strategy;
export const locale = settings.locale;
export const connectInstanceId = holdline.connect.instanceId;
export const contactFlowId = holdline.connect.contactFlow.contactFlowId;
/** The Lex V2 bot alias the flow talks to: Holdline's own, or the configured one. */
export const lexBotAliasArn = holdline.lexBotAliasArn;
/** The number to call, when this stack claimed one. */
export const phoneNumber = holdline.connect.phoneNumber;
export const functionNames = holdline.functionNames();
export const logGroupNames = holdline.logGroupNames();
export const tableName = holdline.table.name;
export const failureQueueUrl = holdline.failures.failureQueue.url;
export const deadLetterQueueUrl = holdline.failures.deadLetterQueue.url;
/** For `aws sqs start-message-move-task --source-arn` (replaying dead letters, docs/deploy.md). */
export const deadLetterQueueArn = holdline.failures.deadLetterQueue.arn;

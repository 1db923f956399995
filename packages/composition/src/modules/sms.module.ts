import { smsTextSenderModule } from "@holdline/adapters-sms/sms-text-sender.module";
import type { TimingBudget } from "@holdline/budget/timing-budget";
import type { ContainerModule } from "inversify";
import type { SmsConfig } from "../config/environment.schema.ts";
import { ConfigError } from "../config/environment.ts";

/**
 * Binds the `TextMessageSender` port to AWS End User Messaging SMS (`SendTextMessage` from the configured
 * origination identity), with the budget's SDK timeouts and its cap on one send. The Region falls back to the
 * function's own (`AWS_REGION`); with neither, the cold start fails naming `HOLDLINE_SMS_REGION`.
 */
export function smsModule(config: SmsConfig, budget: TimingBudget): ContainerModule {
  const region = config.HOLDLINE_SMS_REGION ?? config.AWS_REGION;
  if (region === undefined) {
    throw new ConfigError(
      ["HOLDLINE_SMS_REGION"],
      "HOLDLINE_SMS_REGION: is required when AWS_REGION is unset",
    );
  }
  const { sms } = budget.textDelivery;
  return smsTextSenderModule({
    client: {
      region,
      connectionTimeoutMs: sms.connectionTimeoutMs,
      requestTimeoutMs: sms.requestTimeoutMs,
      maxAttempts: sms.maxAttempts,
      ...(config.HOLDLINE_SMS_ENDPOINT === undefined ? {} : { endpoint: config.HOLDLINE_SMS_ENDPOINT }),
    },
    sender: {
      originationIdentity: config.HOLDLINE_SMS_ORIGINATION_IDENTITY,
      ...(config.HOLDLINE_SMS_CONFIGURATION_SET === undefined
        ? {}
        : { configurationSetName: config.HOLDLINE_SMS_CONFIGURATION_SET }),
      deadlineMs: sms.sendDeadlineMs,
    },
  });
}

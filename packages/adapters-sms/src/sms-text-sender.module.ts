import type { PinpointSMSVoiceV2Client } from "@aws-sdk/client-pinpoint-sms-voice-v2";
import { type TextMessageSender, TextMessageSenderId } from "@holdline/domain/ports/text-message-sender.port";
import { ContainerModule, type ServiceIdentifier } from "inversify";
import {
  EndUserMessagingTextSender,
  type EndUserMessagingTextSenderOptions,
} from "./end-user-messaging-text-sender.ts";
import { createSmsClient, type SmsClientOptions } from "./sms-client.factory.ts";

export const SmsClientId: ServiceIdentifier<PinpointSMSVoiceV2Client> = Symbol.for("holdline.SmsClient");

export interface SmsTextSenderModuleOptions {
  readonly client: SmsClientOptions;
  readonly sender: EndUserMessagingTextSenderOptions;
}

/**
 * Binds `TextMessageSenderId` to an `EndUserMessagingTextSender` over one shared End User Messaging SMS
 * client (`SmsClientId`), built on first use. Plain factories through `toResolvedValue`: no decorators.
 */
export const smsTextSenderModule = (options: SmsTextSenderModuleOptions): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(SmsClientId)
      .toResolvedValue(() => createSmsClient(options.client))
      .inSingletonScope();
    bind(TextMessageSenderId)
      .toResolvedValue(
        (client: PinpointSMSVoiceV2Client): TextMessageSender =>
          new EndUserMessagingTextSender(client, options.sender),
        [SmsClientId],
      )
      .inSingletonScope();
  });

import type { ContactEvent, ContactEventDetail } from "../../src/contact-event.ts";

export const CONTACT_ID = "7f3c2b1a-4d5e-4f60-8a9b-0c1d2e3f4a5b";
const INSTANCE_ARN =
  "arn:aws:connect:ap-northeast-1:111122223333:instance/3ff2093d-af96-43fd-b038-3c07cdd7609c";

/**
 * An Amazon Connect contact event as EventBridge delivers it (the Administrator Guide's "Contact events data
 * model"), `DISCONNECTED` on a voice contact unless changed.
 */
export function contactEvent(
  changes: Partial<ContactEventDetail> & Record<string, unknown> = {},
): ContactEvent {
  const contactId = (changes.contactId as string | undefined) ?? CONTACT_ID;
  return {
    version: "0",
    id: "b4f1c8d2-1111-4e2a-9c3b-5d6e7f8a9b0c",
    "detail-type": "Amazon Connect Contact Event",
    source: "aws.connect",
    account: "111122223333",
    time: "2026-11-29T09:00:41Z",
    region: "ap-northeast-1",
    resources: [`${INSTANCE_ARN}/contact/${contactId}`, INSTANCE_ARN],
    detail: {
      eventType: "DISCONNECTED",
      contactId,
      initialContactId: contactId,
      channel: "VOICE",
      instanceArn: INSTANCE_ARN,
      initiationMethod: "INBOUND",
      initiationTimestamp: "2026-11-29T09:00:02.000Z",
      connectedToSystemTimestamp: "2026-11-29T09:00:02.500Z",
      disconnectTimestamp: "2026-11-29T09:00:41.000Z",
      disconnectReason: "CUSTOMER_DISCONNECT",
      ...changes,
    } as ContactEventDetail,
  };
}

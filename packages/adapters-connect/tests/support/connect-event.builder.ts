import type { ConnectContactFlowEvent } from "aws-lambda";

export const CONTACT_ID = "2842f992-51fb-4a63-9fcc-3363116d4179";

export interface EventChanges {
  readonly parameters?: Record<string, string>;
  readonly attributes?: Record<string, string>;
  readonly contactId?: string;
  readonly initialContactId?: string;
  readonly initiationMethod?: ConnectContactFlowEvent["Details"]["ContactData"]["InitiationMethod"];
}

/** A well-formed inbound voice event, typed by `@types/aws-lambda`, with the given changes. */
export function connectEvent(changes: EventChanges = {}): ConnectContactFlowEvent {
  const contactId = changes.contactId ?? CONTACT_ID;
  return {
    Details: {
      ContactData: {
        Attributes: changes.attributes ?? {},
        Channel: "VOICE",
        ContactId: contactId,
        CustomerEndpoint: { Address: "+81312345678", Type: "TELEPHONE_NUMBER" },
        InitialContactId: changes.initialContactId ?? contactId,
        InitiationMethod: changes.initiationMethod ?? "INBOUND",
        InstanceARN:
          "arn:aws:connect:ap-northeast-1:111122223333:instance/3ff2093d-af96-43fd-b038-3c07cdd7609c",
        PreviousContactId: contactId,
        Queue: null,
        SystemEndpoint: { Address: "+81501234567", Type: "TELEPHONE_NUMBER" },
        MediaStreams: { Customer: { Audio: null } },
      },
      Parameters: changes.parameters ?? {
        question: "営業時間を教えてください。",
        turn: "1",
        locale: "ja-JP",
      },
    },
    Name: "ContactFlowEvent",
  };
}

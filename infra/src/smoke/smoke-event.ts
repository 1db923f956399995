import { CURSOR_ATTRIBUTE, FLOW_PARAMETERS, TURN_ATTRIBUTE } from "@holdline/connect-contract/flow-contract";
import type { ConnectContactFlowEvent } from "aws-lambda";

/** The made-up contact a smoke turn belongs to: a new contact id each run, so the turn is never a replay. */
export interface SmokeContact {
  readonly contactId: string;
  readonly turn: number;
  readonly question: string;
  readonly locale: string;
}

/** Not a real instance: the handlers do not read it, and Connect is not involved in a smoke turn. */
const SYNTHETIC_INSTANCE_ARN =
  "arn:aws:connect:us-east-1:000000000000:instance/00000000-0000-4000-8000-000000000000";

/** Progressive answers: the parts heard so far; undefined when the flow is not progressive (no cursor sent). */
type Cursor = string | undefined;

const cursorParameter = (cursor: Cursor): Record<string, string> =>
  cursor === undefined ? {} : { [FLOW_PARAMETERS.cursor]: cursor };

/**
 * What the deployed flow's question blocks send (connect-start in the polling flow; connect-answer in the
 * native-async one, and connect-start before it with progressive answers): the question, the turn, the locale
 * and, progressive, the cursor.
 */
export const questionParameters = (contact: SmokeContact, cursor: Cursor): Record<string, string> => ({
  [FLOW_PARAMETERS.question]: contact.question,
  [FLOW_PARAMETERS.turn]: String(contact.turn),
  [FLOW_PARAMETERS.locale]: contact.locale,
  ...cursorParameter(cursor),
});

/** What the polling flow's status block sends: the turn and, progressive, the cursor (no question, no locale). */
export const statusParameters = (contact: SmokeContact, cursor: Cursor): Record<string, string> => ({
  [FLOW_PARAMETERS.turn]: String(contact.turn),
  ...cursorParameter(cursor),
});

/**
 * A Connect contact-flow event as Connect sends it to a Lambda block (the same shape as the Connect
 * emulator's, `@holdline/connect-emulator`'s `lambda-blocks.ts`): an inbound voice contact whose attributes
 * hold the turn and the cursor as the flow keeps them, and the block's attributes as `Details.Parameters`.
 */
export function smokeEvent(
  contact: SmokeContact,
  parameters: Record<string, string>,
  cursor: Cursor,
): ConnectContactFlowEvent {
  return {
    Details: {
      ContactData: {
        Attributes: {
          [TURN_ATTRIBUTE]: String(contact.turn),
          ...(cursor === undefined ? {} : { [CURSOR_ATTRIBUTE]: cursor }),
        },
        Channel: "VOICE",
        ContactId: contact.contactId,
        // Fictional numbers (555-01xx is reserved for fiction).
        CustomerEndpoint: { Address: "+15555550100", Type: "TELEPHONE_NUMBER" },
        InitialContactId: contact.contactId,
        InitiationMethod: "INBOUND",
        InstanceARN: SYNTHETIC_INSTANCE_ARN,
        PreviousContactId: contact.contactId,
        Queue: null,
        SystemEndpoint: { Address: "+15555550199", Type: "TELEPHONE_NUMBER" },
        MediaStreams: { Customer: { Audio: null } },
      },
      Parameters: parameters,
    },
    Name: "ContactFlowEvent",
  };
}

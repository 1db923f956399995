import type { EventBridgeEvent } from "aws-lambda";
import * as z from "zod";

/** EventBridge's `detail-type` for Amazon Connect's contact events (source `aws.connect`). */
export const CONTACT_EVENT_DETAIL_TYPE = "Amazon Connect Contact Event";

/**
 * The fields of a contact event's `detail` this function reads (Amazon Connect Administrator Guide, "Contact
 * events data model"). Others are ignored, as the guide asks: the model gains fields and event types.
 */
const detailSchema = z.object({
  /** `INITIATED`, `CONNECTED_TO_SYSTEM`, `QUEUED`, …, `DISCONNECTED`, `COMPLETED`; new ones may come. */
  eventType: z.string().min(1),
  contactId: z.guid(),
  /** The first contact of a chain of transfers: the id Holdline keys a call's turns by (absent: `contactId`). */
  initialContactId: z.guid().nullish(),
  /** `VOICE`, `CHAT`, `TASK`, `EMAIL`. */
  channel: z.string().min(1),
  instanceArn: z.string().min(1),
  initiationMethod: z.string().nullish(),
  disconnectTimestamp: z.string().nullish(),
  disconnectReason: z.string().nullish(),
});

export type ContactEventDetail = z.infer<typeof detailSchema>;

export type ContactEvent = EventBridgeEvent<typeof CONTACT_EVENT_DETAIL_TYPE, ContactEventDetail>;

const envelopeSchema = z.object({
  source: z.literal("aws.connect"),
  "detail-type": z.literal(CONTACT_EVENT_DETAIL_TYPE),
  id: z.string().optional(),
  detail: detailSchema,
});

export interface ContactEnded {
  /** The id the executions are keyed by (`initialContactId`, lower case, as the Connect mapping stores it). */
  readonly contactId: string;
  readonly eventType: string;
  readonly channel: string;
  readonly disconnectReason?: string;
  readonly eventId?: string;
}

export type ContactEventParse =
  | { readonly ok: true; readonly event: ContactEnded }
  | { readonly ok: false; readonly reason: string };

/** Reads an EventBridge event as an Amazon Connect contact event; never throws. */
export function parseContactEvent(event: unknown): ContactEventParse {
  const parsed = envelopeSchema.safeParse(event);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue === undefined || issue.path.length === 0 ? "event" : issue.path.join(".");
    return { ok: false, reason: `not an Amazon Connect contact event (${path}: ${issue?.message ?? "?"})` };
  }
  const { detail, id } = parsed.data;
  return {
    ok: true,
    event: {
      contactId: (detail.initialContactId ?? detail.contactId).toLowerCase(),
      eventType: detail.eventType,
      channel: detail.channel,
      ...(detail.disconnectReason ? { disconnectReason: detail.disconnectReason } : {}),
      ...(id === undefined ? {} : { eventId: id }),
    },
  };
}

import type { ErrorCode } from "@holdline/domain/errors";
import { HoldlineError } from "@holdline/domain/errors";
import type {
  DeliveryView,
  TextDelivery,
  TextDeliveryState,
  TextKind,
} from "@holdline/domain/text-delivery/text-delivery";
import { ItemReader, toItem, withoutUndefined } from "./execution-item.ts";

/**
 * The attribute of an execution's item that holds its text delivery (a map). Execution transitions never
 * write or remove it (it is not an `Execution` field), so the delivery and the execution's state change
 * independently on one item, and expire together.
 */
export const TEXT_DELIVERY_ATTRIBUTE = "textDelivery";

/**
 * The delivery's state again, as a top-level string attribute written with every delivery write: the stream's
 * event filter matches on it. Filters on top-level attributes with their type key (`{"S": [...]}`) are what
 * deployments against real AWS show; none shows one reaching into a map (docs/text-delivery.md).
 */
export const TEXT_DELIVERY_STATE_ATTRIBUTE = "textDeliveryState";

/**
 * The event filter of the stream consumer (Lambda event filtering, matched against each stream record): only
 * changes whose new image is an ended turn with a due delivery reach it. Every other change (the worker's
 * writes, consent, the consumer's own writes) is filtered out before an invocation, so it costs nothing.
 */
export const DELIVERY_DUE_FILTER_PATTERN = {
  // Only the `dynamodb` key: AWS's page on filtering DynamoDB records names no other. A new item never has a
  // delivery, and a removed one has no new image, so only MODIFY records can match.
  dynamodb: {
    NewImage: {
      status: { S: ["completed", "failed"] },
      [TEXT_DELIVERY_STATE_ATTRIBUTE]: { S: ["due"] },
    },
  },
} as const;

export const toDeliveryItem = (delivery: TextDelivery): Record<string, unknown> =>
  withoutUndefined({ ...delivery });

const STATES: readonly TextDeliveryState[] = ["consented", "due", "sending", "retrying", "sent", "failed"];

/** Item map → delivery; anything else is an `internal_error`, not a guess. */
export function fromDeliveryItem(value: unknown): TextDelivery {
  const read = new ItemReader({ [TEXT_DELIVERY_ATTRIBUTE]: value }).map(TEXT_DELIVERY_ATTRIBUTE);
  const state = read.string("state") as TextDeliveryState;
  if (!STATES.includes(state)) {
    throw new HoldlineError("internal_error", `stored text delivery has an unknown state ${state}`);
  }
  const error = read.optionalMap("error");
  return withoutUndefined({
    state,
    revision: read.number("revision"),
    to: read.string("to"),
    consentedAt: read.number("consentedAt"),
    leftAt: read.optionalNumber("leftAt"),
    attempts: read.number("attempts"),
    sender: read.optionalString("sender"),
    sendingUntil: read.optionalNumber("sendingUntil"),
    kind: read.optionalString("kind") as TextKind | undefined,
    sentAt: read.optionalNumber("sentAt"),
    messageId: read.optionalString("messageId"),
    error:
      error === undefined
        ? undefined
        : { code: error.string("code") as ErrorCode, message: error.string("message") },
    failedAt: read.optionalNumber("failedAt"),
  }) as TextDelivery;
}

/** The whole item of an execution with its delivery, as the table holds it (the stream's images). */
export const itemOfView = (view: DeliveryView): Record<string, unknown> => ({
  ...toItem(view.execution),
  ...(view.delivery === undefined
    ? {}
    : {
        [TEXT_DELIVERY_ATTRIBUTE]: toDeliveryItem(view.delivery),
        [TEXT_DELIVERY_STATE_ATTRIBUTE]: view.delivery.state,
      }),
});

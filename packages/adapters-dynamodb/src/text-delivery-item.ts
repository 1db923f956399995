import type { ErrorCode } from "@holdline/domain/errors";
import { HoldlineError } from "@holdline/domain/errors";
import type {
  DeliveryView,
  TextDelivery,
  TextDeliveryState,
  TextKind,
} from "@holdline/domain/text-delivery/text-delivery";
import { toItem } from "./execution-item.ts";

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
  Object.fromEntries(Object.entries(delivery).filter(([, value]) => value !== undefined));

const STATES: readonly TextDeliveryState[] = ["consented", "due", "sending", "retrying", "sent", "failed"];

/** Item map → delivery; anything else is an `internal_error`, not a guess. */
export function fromDeliveryItem(value: unknown): TextDelivery {
  const item = value as Record<string, unknown>;
  const bad = (name: string): never => {
    throw new HoldlineError("internal_error", `stored text delivery has no valid attribute ${name}`);
  };
  if (typeof item !== "object" || item === null) bad(TEXT_DELIVERY_ATTRIBUTE);
  const num = (name: string): number => (typeof item[name] === "number" ? (item[name] as number) : bad(name));
  const str = (name: string): string => (typeof item[name] === "string" ? (item[name] as string) : bad(name));
  const optNum = (name: string): number | undefined => (item[name] === undefined ? undefined : num(name));
  const optStr = (name: string): string | undefined => (item[name] === undefined ? undefined : str(name));
  const state = str("state") as TextDeliveryState;
  if (!STATES.includes(state)) bad("state");
  const error = item.error as Record<string, unknown> | undefined;
  const delivery: Record<string, unknown> = {
    state,
    revision: num("revision"),
    to: str("to"),
    consentedAt: num("consentedAt"),
    leftAt: optNum("leftAt"),
    attempts: num("attempts"),
    sender: optStr("sender"),
    sendingUntil: optNum("sendingUntil"),
    kind: optStr("kind") as TextKind | undefined,
    sentAt: optNum("sentAt"),
    messageId: optStr("messageId"),
    error:
      error === undefined
        ? undefined
        : typeof error.code === "string" && typeof error.message === "string"
          ? { code: error.code as ErrorCode, message: error.message }
          : bad("error"),
    failedAt: optNum("failedAt"),
  };
  return Object.fromEntries(
    Object.entries(delivery).filter(([, v]) => v !== undefined),
  ) as unknown as TextDelivery;
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

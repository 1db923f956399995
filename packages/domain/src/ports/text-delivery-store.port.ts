import type { ServiceIdentifier } from "inversify";
import type { ExecutionKey } from "../execution/execution.ts";
import type { DeliveryView, TextDelivery } from "../text-delivery/text-delivery.ts";

export interface DeliveryWriteCondition {
  /** The revision of the stored delivery the write replaces; 0 when there is none yet (the consent). */
  readonly expectedRevision: number;
  /** Also require that the execution has no answer to speak yet (`awaitsAnswer`): the consent's condition. */
  readonly whileAwaitingAnswer?: boolean;
}

/**
 * The text delivery of each execution, stored on the execution's item (so it expires with it, by the same TTL)
 * and written apart from the execution's versioned state.
 *
 * - Reads are strongly consistent; an expired execution reads as absent, its delivery with it.
 * - `writeDelivery` stores `next` only if the condition holds and the execution exists (unexpired); otherwise it
 *   throws `StaleDeliveryError` (`stale_delivery`). Capacity or connectivity failures throw
 *   `StoreUnavailableError`; the write may then have landed (re-read: `next.revision` with your `sender`).
 */
export interface TextDeliveryStore {
  readDelivery(key: ExecutionKey): Promise<DeliveryView | undefined>;
  /** The contact's latest turn (highest `turn`), with its delivery. */
  latestTurn(contactId: string): Promise<DeliveryView | undefined>;
  writeDelivery(
    key: ExecutionKey,
    next: TextDelivery,
    condition: DeliveryWriteCondition,
  ): Promise<TextDelivery>;
}

export const TextDeliveryStoreId: ServiceIdentifier<TextDeliveryStore> = Symbol.for(
  "holdline.TextDeliveryStore",
);

import type { ServiceIdentifier } from "inversify";
import type { Clock } from "../../ports/clock.port.ts";
import type { TextDeliveryStore } from "../../ports/text-delivery-store.port.ts";
import { callerLeft, type DeliveryView, mayReadAgain } from "../../text-delivery/text-delivery.ts";

export interface RecordCallerLeftResult {
  /**
   * `recorded`: the delivery is now due; `already`: an earlier event recorded it (or the delivery is past that);
   * `no_consent`: the contact's latest turn has no consent (nothing is recorded, nothing will be sent);
   * `unknown_contact`: no turn of this contact is stored.
   */
  readonly outcome: "recorded" | "already" | "no_consent" | "unknown_contact";
  readonly view?: DeliveryView;
}

const ROUNDS = 3;

/**
 * The contact ended (Connect's `DISCONNECTED` contact event). If the caller consented to a text in the
 * contact's latest turn, the delivery becomes due: it is sent once the turn ends. Consent is only ever given
 * in the latest turn, since the flow ends the call after it. A redelivered event changes nothing.
 */
export class RecordCallerLeft {
  constructor(
    private readonly store: TextDeliveryStore,
    private readonly clock: Clock,
  ) {}

  async execute({ contactId }: { readonly contactId: string }): Promise<RecordCallerLeftResult> {
    for (let round = 1; ; round += 1) {
      const view = await this.store.latestTurn(contactId);
      if (view === undefined) return { outcome: "unknown_contact" };
      if (view.delivery === undefined) return { outcome: "no_consent", view };
      const next = callerLeft(view.delivery, this.clock.now());
      if (next === undefined) return { outcome: "already", view };
      try {
        const delivery = await this.store.writeDelivery(view.execution, next, {
          expectedRevision: view.delivery.revision,
        });
        return { outcome: "recorded", view: { execution: view.execution, delivery } };
      } catch (error) {
        if (!mayReadAgain(error) || round >= ROUNDS) throw error;
      }
    }
  }
}

export const RecordCallerLeftId: ServiceIdentifier<RecordCallerLeft> =
  Symbol.for("holdline.RecordCallerLeft");

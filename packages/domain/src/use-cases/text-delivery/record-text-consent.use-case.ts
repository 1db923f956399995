import type { ServiceIdentifier } from "inversify";
import { ExecutionNotFoundError, InvalidPhoneNumberError } from "../../errors.ts";
import { type Execution, type ExecutionKey, formatKey } from "../../execution/execution.ts";
import type { Clock } from "../../ports/clock.port.ts";
import type { TextDeliveryStore } from "../../ports/text-delivery-store.port.ts";
import {
  awaitsAnswer,
  consent,
  isE164,
  mayReadAgain,
  type TextDelivery,
} from "../../text-delivery/text-delivery.ts";

export interface RecordTextConsentCommand {
  readonly key: ExecutionKey;
  /** The caller's address as Connect gives it (`CustomerEndpoint.Address`); undefined when it gave none. */
  readonly address: string | undefined;
}

export type RecordTextConsentResult =
  /** The consent is recorded (now, or by an earlier delivery of the same press): confirm and end the call. */
  | { readonly outcome: "consented"; readonly execution: Execution; readonly delivery: TextDelivery }
  /** The answer (or its first part) is here: the caller hears it on the line; nothing was recorded. */
  | { readonly outcome: "answer_ready"; readonly execution: Execution };

const ROUNDS = 3;

/**
 * The caller pressed the key to get the answer by text. Their number is recorded (consent) only while the
 * turn has no answer to speak: once one exists, the caller hears it instead and no number is stored. A
 * repeated press (or a retried invocation) finds its consent and answers the same.
 * Throws `ExecutionNotFoundError` for an unknown turn and `InvalidPhoneNumberError` for a number a text cannot
 * reach (withheld, anonymous, not E.164), after checking that the answer is not already here.
 */
export class RecordTextConsent {
  constructor(
    private readonly store: TextDeliveryStore,
    private readonly clock: Clock,
  ) {}

  async execute({ key, address }: RecordTextConsentCommand): Promise<RecordTextConsentResult> {
    for (let round = 1; ; round += 1) {
      const view = await this.store.readDelivery(key);
      if (view === undefined) throw new ExecutionNotFoundError(`no execution ${formatKey(key)} to text`);
      const { execution, delivery } = view;
      if (delivery !== undefined) return { outcome: "consented", execution, delivery };
      if (!awaitsAnswer(execution)) return { outcome: "answer_ready", execution };
      if (!isE164(address)) {
        throw new InvalidPhoneNumberError(`the caller of ${formatKey(key)} has no number a text can reach`);
      }
      const next = consent({ to: address, now: this.clock.now() });
      try {
        const written = await this.store.writeDelivery(key, next, {
          expectedRevision: 0,
          whileAwaitingAnswer: true,
        });
        return { outcome: "consented", execution, delivery: written };
      } catch (error) {
        // Refused: the answer arrived, or a copy of this press won; a lost reply may have landed. Read again.
        if (!mayReadAgain(error) || round >= ROUNDS) throw error;
      }
    }
  }
}

export const RecordTextConsentId: ServiceIdentifier<RecordTextConsent> = Symbol.for(
  "holdline.RecordTextConsent",
);

import type { ServiceIdentifier } from "inversify";
import { StaleDeliveryError, TextSendError } from "../../errors.ts";
import { type ExecutionKey, newWriterToken } from "../../execution/execution.ts";
import type { Clock } from "../../ports/clock.port.ts";
import type { TextDeliveryStore } from "../../ports/text-delivery-store.port.ts";
import type { TextMessageSender } from "../../ports/text-message-sender.port.ts";
import {
  claimSend,
  type DeliveryView,
  deliveryFailed,
  isDeliveryWritten,
  mayReadAgain,
  maySend,
  retryLater,
  sent,
  type TextDelivery,
  type TextDeliveryError,
  type TextKind,
  textKindOf,
} from "../../text-delivery/text-delivery.ts";
import { composeText } from "../../text-delivery/text-message.ts";
import { resendWhileUnknown } from "../conditional-write.ts";

export interface DeliverTextPolicy {
  /** Sends tried per delivery before it is recorded `failed` (the first included). */
  readonly maxAttempts: number;
  /** How long a claimed send is held: at least the delivery function's timeout, so no live run loses it. */
  readonly claimMs: number;
  /** How long the record of a sent text is re-sent while the store does not answer. */
  readonly recordWithinMs: number;
  readonly maxSegments: number;
}

/** Why nothing was sent for a record, and nothing will be for it. */
export type SkipReason =
  | "gone" // the execution expired or never existed
  | "no_consent"
  | "on_the_line" // consent given, the caller has not left (yet)
  | "not_ended" // the turn is still running: its end brings a record of its own
  | "done"; // sent or failed already (a duplicate or a late record)

export type DeliverTextResult =
  | { readonly outcome: "sent"; readonly kind: TextKind; readonly delivery: TextDelivery }
  | { readonly outcome: "skipped"; readonly reason: SkipReason }
  /** Try this record again later: the send failed but may succeed, or another run holds it. */
  | { readonly outcome: "retry"; readonly reason: "send_failed" | "held"; readonly error?: TextDeliveryError }
  /** Recorded `failed` on the execution: the send can never succeed, or its attempts ran out. */
  | { readonly outcome: "failed"; readonly delivery: TextDelivery };

const CLAIM_ROUNDS = 3;

/**
 * Sends the text for one execution whose delivery is due (from the executions table's stream), at least
 * once: a claim on the delivery (`sending`, by this run's token) comes before the send and the record
 * (`sent`) after it, both conditional. A duplicate record finds it sent and sends nothing; a record arriving
 * while another run holds the send is retried later. A run that dies between the send and its record leaves
 * the claim to lapse, and the next try sends again: the SMS service takes no idempotency token, so that crash
 * (and only that one) can send the text twice. Losing the caller's answer is worse than a second text.
 */
export class DeliverText {
  constructor(
    private readonly store: TextDeliveryStore,
    private readonly sender: TextMessageSender,
    private readonly clock: Clock,
    private readonly policy: DeliverTextPolicy,
  ) {}

  async execute({ key }: { readonly key: ExecutionKey }): Promise<DeliverTextResult> {
    const by = newWriterToken();
    for (let round = 1; ; round += 1) {
      const view = await this.store.readDelivery(key);
      const ready = this.ready(view);
      if ("outcome" in ready) return ready;
      const { delivery, kind } = ready;
      if (delivery.attempts >= this.policy.maxAttempts) {
        const error = delivery.error ?? { code: "text_failed", message: "no attempt left" };
        return this.fail(key, delivery, error);
      }
      const claimed = claimSend(delivery, { now: this.clock.now(), leaseMs: this.policy.claimMs, by });
      try {
        await this.store.writeDelivery(key, claimed, { expectedRevision: delivery.revision });
      } catch (error) {
        if (!mayReadAgain(error)) throw error;
        const after = await this.store.readDelivery(key);
        if (!isDeliveryWritten(after?.delivery, claimed)) {
          if (round >= CLAIM_ROUNDS) throw error;
          continue;
        }
      }
      return this.send(key, claimed, kind, ready.view);
    }
  }

  private ready(
    view: DeliveryView | undefined,
  ):
    | { view: DeliveryView; delivery: TextDelivery; kind: TextKind }
    | Extract<DeliverTextResult, { outcome: "skipped" | "retry" }> {
    if (view === undefined) return { outcome: "skipped", reason: "gone" };
    const { delivery } = view;
    if (delivery === undefined) return { outcome: "skipped", reason: "no_consent" };
    if (delivery.state === "sent" || delivery.state === "failed")
      return { outcome: "skipped", reason: "done" };
    if (delivery.state === "consented") return { outcome: "skipped", reason: "on_the_line" };
    const kind = textKindOf(view.execution);
    if (kind === undefined) return { outcome: "skipped", reason: "not_ended" };
    if (!maySend(delivery, this.clock.now())) return { outcome: "retry", reason: "held" };
    return { view, delivery, kind };
  }

  private async send(
    key: ExecutionKey,
    claimed: TextDelivery,
    kind: TextKind,
    view: DeliveryView,
  ): Promise<DeliverTextResult> {
    const body = composeText({
      kind,
      ...(view.execution.answer === undefined ? {} : { answer: view.execution.answer }),
      locale: view.execution.input.locale,
      maxSegments: this.policy.maxSegments,
    });
    let messageId: string;
    try {
      ({ messageId } = await this.sender.send({ to: claimed.to, body }));
    } catch (error) {
      if (!(error instanceof TextSendError)) throw error;
      const failure = { code: error.code, message: error.message };
      if (error.retryable && claimed.attempts < this.policy.maxAttempts) {
        await this.record(key, retryLater(claimed, failure), claimed.revision);
        return { outcome: "retry", reason: "send_failed", error: failure };
      }
      return this.fail(key, claimed, failure);
    }
    const done = sent(claimed, { now: this.clock.now(), messageId, kind });
    await this.record(key, done, claimed.revision);
    return { outcome: "sent", kind, delivery: done };
  }

  private async fail(
    key: ExecutionKey,
    delivery: TextDelivery,
    error: TextDeliveryError,
  ): Promise<DeliverTextResult> {
    const failed = deliveryFailed(delivery, { now: this.clock.now(), error });
    await this.record(key, failed, delivery.revision);
    return { outcome: "failed", delivery: failed };
  }

  /**
   * Writes the outcome of a held send, re-sent while the store does not answer (a copy of a landed write is
   * refused, and the re-read shows it landed).
   */
  private async record(key: ExecutionKey, next: TextDelivery, expectedRevision: number): Promise<void> {
    const until = this.clock.now() + this.policy.recordWithinMs;
    await resendWhileUnknown(
      async () => {
        try {
          await this.store.writeDelivery(key, next, { expectedRevision });
        } catch (error) {
          if (!(error instanceof StaleDeliveryError)) throw error;
          const after = await this.store.readDelivery(key);
          if (!isDeliveryWritten(after?.delivery, next)) throw error;
        }
      },
      { clock: this.clock, until },
    );
  }
}

export const DeliverTextId: ServiceIdentifier<DeliverText> = Symbol.for("holdline.DeliverText");

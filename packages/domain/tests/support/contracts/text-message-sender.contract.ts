import { afterEach, describe, expect, it } from "vitest";
import { TextSendError } from "../../../src/errors.ts";
import type { TextMessage, TextMessageSender } from "../../../src/ports/text-message-sender.port.ts";

/** A text as the backend received it. */
export interface DeliveredText {
  readonly to: string;
  readonly body: string;
}

export interface TextMessageSenderContractOptions<S extends { readonly sender: TextMessageSender }> {
  /** Builds the sender and whatever stands behind it; called once per test. */
  readonly create: () => Promise<S> | S;
  /** The texts the backend accepted so far, in order. */
  readonly delivered: (subject: S) => Promise<readonly DeliveredText[]> | readonly DeliveredText[];
  /**
   * Makes the backend fail the next send the way that yields `code`, as the real service would (throttling
   * for `text_throttled`, its own fault for `text_failed`, a refusal such as an opted-out number for
   * `text_rejected`). Absent: the backend cannot be made to fail, and those tests are skipped.
   */
  readonly failNext?: (subject: S, code: TextSendError["code"]) => void;
  readonly dispose?: (subject: S) => Promise<void> | void;
  readonly timeoutMs?: number;
}

const NUMBER = "+819012345678";
const text = (body = "Your answer: we open at nine.", to = NUMBER): TextMessage => ({ to, body });

const RETRYABLE: Readonly<Record<TextSendError["code"], boolean>> = {
  text_throttled: true,
  text_failed: true,
  text_rejected: false,
};

/**
 * The behaviour every `TextMessageSender` must have (see the port): it resolves with the service's message
 * id once the text is accepted, sends exactly the number and body it is given, sends a message again when
 * asked again (no idempotency), refuses a number that is not E.164, and a send that did not happen rejects
 * with `TextSendError` of the right code and `retryable`, never quoting the number.
 */
export function textMessageSenderContract<S extends { readonly sender: TextMessageSender }>(
  name: string,
  options: TextMessageSenderContractOptions<S>,
): void {
  describe(`TextMessageSender contract: ${name}`, { timeout: options.timeoutMs ?? 10_000 }, () => {
    let subject: S | undefined;
    const setup = async () => {
      subject = await options.create();
      return subject;
    };
    afterEach(async () => {
      if (subject !== undefined) await options.dispose?.(subject);
      subject = undefined;
    });

    it("resolves with a message id and delivers exactly the number and the body", async () => {
      // Prepare
      const subject = await setup();
      const message = text("Thank you for calling. Opening hours: 9:00–18:00, Monday to Saturday.");

      // Act
      const sent = await subject.sender.send(message);

      // Assess
      expect(sent.messageId).toEqual(expect.any(String));
      expect(sent.messageId).not.toBe("");
      expect(await options.delivered(subject)).toEqual([message]);
    });

    it("sends the same message twice when asked twice, with two message ids", async () => {
      // Prepare
      const subject = await setup();
      const message = text();

      // Act
      const first = await subject.sender.send(message);
      const second = await subject.sender.send(message);

      // Assess
      expect(first.messageId).not.toBe(second.messageId);
      expect(await options.delivered(subject)).toEqual([message, message]);
    });

    it("sends each of 5 texts sent at once, with distinct message ids", async () => {
      // Prepare
      const subject = await setup();
      const messages = Array.from({ length: 5 }, (_, i) => text(`Answer ${i + 1}`, `+8190123456${i}0`));

      // Act
      const sent = await Promise.all(messages.map((message) => subject.sender.send(message)));

      // Assess
      expect(new Set(sent.map((s) => s.messageId)).size).toBe(5);
      const delivered = await options.delivered(subject);
      expect(delivered).toHaveLength(5);
      expect(delivered).toEqual(expect.arrayContaining(messages));
    });

    it("rejects a number that is not E.164 with text_rejected, not retryable, and sends nothing", async () => {
      // Prepare
      const subject = await setup();

      // Act
      const outcome = subject.sender.send(text("Hello", "09012345678"));

      // Assess
      await expect(outcome).rejects.toBeInstanceOf(TextSendError);
      await expect(outcome).rejects.toMatchObject({ code: "text_rejected", retryable: false });
      await expect(outcome).rejects.not.toHaveProperty("message", expect.stringContaining("9012345678"));
      expect(await options.delivered(subject)).toEqual([]);
    });

    const { failNext } = options;
    if (failNext !== undefined) {
      for (const code of ["text_throttled", "text_failed", "text_rejected"] as const) {
        it(`rejects a send the backend fails as ${code} (retryable: ${RETRYABLE[code]}), never quoting the number`, async () => {
          // Prepare
          const subject = await setup();
          failNext(subject, code);

          // Act
          const outcome = subject.sender.send(text());

          // Assess
          await expect(outcome).rejects.toBeInstanceOf(TextSendError);
          await expect(outcome).rejects.toMatchObject({ code, retryable: RETRYABLE[code] });
          const error: unknown = await outcome.catch((thrown: unknown) => thrown);
          if (!(error instanceof Error)) throw new Error("expected the send to reject with an Error");
          expect(error.message).not.toContain(NUMBER);
          expect(error.message).not.toContain(NUMBER.slice(1));
          expect(await options.delivered(subject)).toEqual([]);
        });
      }

      it("sends the text when it is sent again after a failure", async () => {
        // Prepare
        const subject = await setup();
        const message = text();
        failNext(subject, "text_throttled");
        await subject.sender.send(message).catch(() => undefined);

        // Act
        const again = subject.sender.send(message);

        // Assess
        await expect(again).resolves.toMatchObject({ messageId: expect.any(String) });
        expect(await options.delivered(subject)).toEqual([message]);
      });
    }
  });
}

import { afterEach, describe, expect, it } from "vitest";
import { LlmError, type LlmErrorCode } from "../../../src/errors.ts";
import { joinParts } from "../../../src/execution/answer-parts.ts";
import type { LlmClient, LlmRequest } from "../../../src/ports/llm-client.port.ts";

/** What a contract test asks the backend behind the client to do; each implementation scripts it its own way. */
export type LlmScenario =
  | { readonly kind: "answer"; readonly text: string; readonly latencyMs: number }
  /** The backend refuses every call with this class of error. */
  | {
      readonly kind: "refuse";
      readonly code: Extract<LlmErrorCode, "throttled" | "access_denied" | "validation">;
    }
  | { readonly kind: "hang" };

export interface LlmContractSubject {
  readonly client: LlmClient;
  /** Requests that reached the model backend. */
  modelCalls(): number;
  dispose?(): Promise<void>;
}

export interface LlmClientContractOptions {
  readonly create: (scenario: LlmScenario) => Promise<LlmContractSubject> | LlmContractSubject;
  readonly timeoutMs?: number;
}

const request: LlmRequest = {
  question: "What are your opening hours?",
  locale: "en-US",
  history: [{ question: "Hello, is this the bakery?", answer: "Yes, this is the bakery." }],
};

const signalNever = () => new AbortController().signal;

/** The behaviour every `LlmClient` must have, on real time with short latencies. */
export function llmClientContract(name: string, options: LlmClientContractOptions): void {
  describe(`LlmClient contract: ${name}`, { timeout: options.timeoutMs ?? 10_000 }, () => {
    let subject: LlmContractSubject | undefined;
    const subjectFor = async (scenario: LlmScenario) => {
      subject = await options.create(scenario);
      return subject;
    };
    afterEach(async () => {
      await subject?.dispose?.();
      subject = undefined;
    });

    it("answers with the model's text", async () => {
      // Prepare
      const { client, modelCalls } = await subjectFor({
        kind: "answer",
        text: "We open at nine.",
        latencyMs: 20,
      });

      // Act
      const response = await client.complete(request, signalNever());

      // Assess
      expect(response.text).toBe("We open at nine.");
      expect(modelCalls()).toBe(1);
    });

    it("hands onPart exactly its response's parts, in order, and they joined are its text", async () => {
      // Prepare
      const text =
        "We open at nine today. We close at six in the evening on weekdays. On Sundays we open at ten.";
      const { client } = await subjectFor({ kind: "answer", text, latencyMs: 20 });
      const handed: string[] = [];

      // Act
      const response = await client.complete(request, signalNever(), (part) => handed.push(part));

      // Assess: a client that does not stream has no parts and hands none
      expect(handed).toEqual(response.parts ?? []);
      expect(response.text).toBe(text);
      if (response.parts !== undefined) {
        expect(handed.length).toBeGreaterThan(1);
        expect(joinParts(request.locale, handed)).toBe(response.text);
      }
    });

    it("hands no part once it has rejected at the abort", async () => {
      // Prepare
      const { client } = await subjectFor({
        kind: "answer",
        text: "We open at nine today. We close at six in the evening on weekdays. On Sundays we open at ten.",
        latencyMs: 2_000,
      });
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error("deadline")), 50);
      const handed: string[] = [];

      // Act
      const outcome = client.complete(request, controller.signal, (part) => handed.push(part));
      await expect(outcome).rejects.toMatchObject({ code: "timeout" });
      const handedAtRejection = handed.length;
      await new Promise((resolve) => setTimeout(resolve, 300));

      // Assess
      expect(handed).toHaveLength(handedAtRejection);
    });

    it("stops when the signal aborts and never answers after it", async () => {
      // Prepare
      const { client } = await subjectFor({ kind: "answer", text: "Too late.", latencyMs: 2_000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error("deadline")), 50);
      const started = Date.now();

      // Act
      const outcome = client.complete(request, controller.signal);

      // Assess
      await expect(outcome).rejects.toMatchObject({ code: "timeout" });
      expect(Date.now() - started).toBeLessThan(1_500);
    });

    it("makes no model call when the signal is already aborted", async () => {
      const { client, modelCalls } = await subjectFor({ kind: "answer", text: "unused", latencyMs: 0 });
      const controller = new AbortController();
      controller.abort(new Error("deadline passed"));

      await expect(client.complete(request, controller.signal)).rejects.toMatchObject({ code: "timeout" });
      expect(modelCalls()).toBe(0);
    });

    it("ends a hanging call at the abort with timeout", async () => {
      const { client } = await subjectFor({ kind: "hang" });

      const outcome = client.complete(request, AbortSignal.timeout(100));

      await expect(outcome).rejects.toBeInstanceOf(LlmError);
      await expect(outcome).rejects.toMatchObject({ code: "timeout" });
    });

    it.each([
      ["throttled", true],
      ["access_denied", false],
      ["validation", false],
    ] as const)("classifies a persistent %s refusal (retryable: %s)", async (code, retryable) => {
      const { client } = await subjectFor({ kind: "refuse", code });

      const outcome = client.complete(request, AbortSignal.timeout(3_000));

      await expect(outcome).rejects.toBeInstanceOf(LlmError);
      await expect(outcome).rejects.toMatchObject({ code, retryable });
    });
  });
}

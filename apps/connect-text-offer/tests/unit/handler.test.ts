import { connectEvent } from "@holdline/adapters-connect/testing/connect-event.builder";
import { budgetFrom } from "@holdline/composition/config/environment.schema";
import { capturedOutput } from "@holdline/composition/testing/captured-output";
import { CONNECT_RESPONSE_KEYS, TEXT_OFFER_RESPONSE_KEYS } from "@holdline/connect-contract/flow-contract";
import {
  appendParts,
  claim,
  complete,
  type Execution,
  newExecution,
} from "@holdline/domain/execution/execution";
import { ClockId } from "@holdline/domain/ports/clock.port";
import { TextDeliveryStoreId } from "@holdline/domain/ports/text-delivery-store.port";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { InMemoryExecutionStore } from "@holdline/domain/testing/fakes/in-memory-execution-store";
import { maskPhone } from "@holdline/domain/text-delivery/text-delivery";
import type { ConnectContactFlowEvent } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { buildContainer, dependenciesFrom } from "../../src/container.ts";
import { createHandler } from "../../src/handler.ts";

const config = loadConfig({ HOLDLINE_TABLE_NAME: "executions" });
const budget = budgetFrom(config);
const KEY = { contactId: "2842f992-51fb-4a63-9fcc-3363116d4179", turn: 1 };
const PHONE = "+819012345678";

/** The offer's event: the flow's parameters and the caller's endpoint (`null`: none at all). */
function offerEvent(
  options: { address?: string | null; cursor?: string; parameters?: Record<string, string> } = {},
): ConnectContactFlowEvent {
  const event = connectEvent({
    parameters: options.parameters ?? {
      turn: "1",
      locale: "ja-JP",
      ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
    },
  });
  const contactData = event.Details.ContactData as unknown as Record<string, unknown>;
  if (options.address === null) delete contactData.CustomerEndpoint;
  else contactData.CustomerEndpoint = { Address: options.address ?? PHONE, Type: "TELEPHONE_NUMBER" };
  return event;
}

function harness() {
  const clock = new ManualClock();
  const store = new InMemoryExecutionStore(clock);
  const container = buildContainer(config, budget);
  container.rebind(ClockId).toConstantValue(clock);
  container.rebind(TextDeliveryStoreId).toConstantValue(store);
  const handler = createHandler(dependenciesFrom(container, config, budget));
  const running = async (): Promise<Execution> => {
    const { execution } = await store.createIfAbsent(
      newExecution({
        key: KEY,
        input: { question: "営業時間は？", locale: "ja-JP" },
        now: clock.now(),
        deadlineMs: budget.policy.deadlineMs,
        retentionSeconds: budget.policy.retentionSeconds,
      }),
    );
    return store.transition(
      claim(execution, { now: clock.now(), leaseMs: budget.policy.leaseMs, maxAttempts: 2, by: "worker" }),
      execution,
    );
  };
  return { clock, store, handler, running };
}

describe("connect-text-offer handler", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it("records the consent and answers accepted while the turn runs, with every key the flow reads", async () => {
    // Prepare
    const { handler, clock, store, running } = harness();
    await running();

    // Act
    const response = await clock.run(handler(offerEvent()));

    // Assess
    expect(Object.keys(response).sort()).toEqual([...TEXT_OFFER_RESPONSE_KEYS].sort());
    expect(response).toMatchObject({
      textOffer: "accepted",
      status: "in_progress",
      turn: "1",
      nextTurn: "2",
    });
    expect((await store.readDelivery(KEY))?.delivery).toMatchObject({ state: "consented", to: PHONE });
  });

  it("answers a repeated press accepted again, from the consent already recorded", async () => {
    const { handler, clock, running } = harness();
    await running();
    await clock.run(handler(offerEvent()));

    const again = await clock.run(handler(offerEvent()));

    expect(again).toMatchObject({ textOffer: "accepted", status: "in_progress" });
  });

  it("answers answer_ready with the answer to speak when it is already here, storing no number", async () => {
    // Prepare
    const { handler, clock, store, running } = harness();
    const claimed = await running();
    await store.transition(complete(claimed, { now: clock.now(), answer: "9時から19時です。" }), claimed);

    // Act
    const response = await clock.run(handler(offerEvent()));

    // Assess
    expect(response).toMatchObject({
      textOffer: "answer_ready",
      status: "completed",
      answer: "9時から19時です。",
      errorCode: "",
    });
    expect((await store.readDelivery(KEY))?.delivery).toBeUndefined();
  });

  it("answers answer_ready partial with the unheard parts and the cursor in a progressive flow", async () => {
    const { handler, clock, store, running } = harness();
    const claimed = await running();
    await store.transition(
      appendParts(claimed, { parts: ["はい。", "九時からです。"], now: clock.now() }),
      claimed,
    );

    const response = await clock.run(handler(offerEvent({ cursor: "0" })));

    expect(response).toMatchObject({ textOffer: "answer_ready", status: "partial", cursor: "2" });
    expect(response.answer).toContain("九時からです。");
  });

  it.each([
    ["anonymous", "anonymous"],
    ["a number that is not E.164", "09012345678"],
    ["a missing endpoint", null],
  ] as const)("answers unavailable for %s and keeps the caller waiting", async (_name, address) => {
    const { handler, clock, store, running } = harness();
    await running();

    const response = await clock.run(handler(offerEvent({ address })));

    expect(response).toMatchObject({ textOffer: "unavailable", status: "in_progress", errorCode: "" });
    expect((await store.readDelivery(KEY))?.delivery).toBeUndefined();
  });

  it("answers failed in_progress when the store is down, without throwing", async () => {
    const { handler, clock, store } = harness();
    store.failWith();

    const response = await clock.run(handler(offerEvent({ cursor: "1" })));

    expect(response).toMatchObject({
      textOffer: "failed",
      status: "in_progress",
      cursor: "1",
      errorCode: "",
    });
  });

  it("answers failed within its wait when the store does not answer at all", async () => {
    const { handler, clock, store, running } = harness();
    await running();
    store.slowDown({ actAfterMs: 60_000 });
    const calledAt = clock.now();

    const response = await clock.run(handler(offerEvent()));

    expect(response).toMatchObject({ textOffer: "failed", status: "in_progress" });
    expect(clock.now() - calledAt).toBe(budget.connectTextOffer.waitMs);
  });

  it("cuts its wait to the invocation's remaining time less the reserve", async () => {
    const { handler, clock, store, running } = harness();
    await running();
    store.slowDown({ actAfterMs: 60_000 });
    const calledAt = clock.now();
    const remaining = budget.connectTextOffer.reserveMs + 500;

    const response = await clock.run(handler(offerEvent(), { getRemainingTimeInMillis: () => remaining }));

    expect(response.textOffer).toBe("failed");
    expect(clock.now() - calledAt).toBe(500);
  });

  it("answers failed with execution_not_found for a turn that was never started", async () => {
    const { handler, clock } = harness();

    const response = await clock.run(handler(offerEvent()));

    expect(response).toMatchObject({
      textOffer: "failed",
      status: "error",
      errorCode: "execution_not_found",
    });
  });

  it.each([
    ["not a Connect event", { hello: "world" }],
    ["null", null],
    ["a turn that is not a number", offerEvent({ parameters: { turn: "one" } })],
    ["a bad cursor", offerEvent({ cursor: "many" })],
  ])("answers failed, never throwing, for %s", async (_name, event) => {
    const { handler, clock } = harness();

    const response = await clock.run(handler(event));

    expect(response).toMatchObject({ textOffer: "failed", status: "error" });
    expect(Object.keys(response).sort()).toEqual([...CONNECT_RESPONSE_KEYS, "textOffer"].sort());
  });

  it("never writes the caller's number to a log line, only its last two digits", async () => {
    // Prepare
    const output = capturedOutput();
    const { handler, clock, store, running } = harness();
    await running();

    // Act
    await clock.run(handler(offerEvent()));
    await clock.run(handler(offerEvent({ address: "+81901234567x" })));
    store.failWith();
    await clock.run(handler(offerEvent()));

    // Assess
    expect(output.logs().length).toBeGreaterThan(0);
    expect(output.text()).not.toContain("9012345678");
    expect(output.text()).not.toContain("901234567");
    expect(output.logs()).toContainEqual(
      expect.objectContaining({ message: "text offer", textOffer: "accepted", caller: maskPhone(PHONE) }),
    );
    expect(output.metrics()).toContainEqual(expect.objectContaining({ outcome: "accepted", TextOffers: 1 }));
  });
});

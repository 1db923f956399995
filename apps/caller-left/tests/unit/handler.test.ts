import { budgetFrom } from "@holdline/composition/config/environment.schema";
import { capturedOutput } from "@holdline/composition/testing/captured-output";
import { newExecution } from "@holdline/domain/execution/execution";
import { ClockId } from "@holdline/domain/ports/clock.port";
import { TextDeliveryStoreId } from "@holdline/domain/ports/text-delivery-store.port";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { InMemoryExecutionStore } from "@holdline/domain/testing/fakes/in-memory-execution-store";
import { consent } from "@holdline/domain/text-delivery/text-delivery";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { buildContainer, dependenciesFrom } from "../../src/container.ts";
import { createHandler } from "../../src/handler.ts";
import { CONTACT_ID, contactEvent } from "../support/contact-event.builder.ts";

const config = loadConfig({ HOLDLINE_TABLE_NAME: "executions" });
const budget = budgetFrom(config);
const KEY = { contactId: CONTACT_ID, turn: 2 };
const PHONE = "+819012345678";

function harness() {
  const clock = new ManualClock();
  const store = new InMemoryExecutionStore(clock);
  const container = buildContainer(config, budget);
  container.rebind(ClockId).toConstantValue(clock);
  container.rebind(TextDeliveryStoreId).toConstantValue(store);
  const handler = createHandler(dependenciesFrom(container));
  const consented = async () => {
    await store.createIfAbsent(
      newExecution({
        key: KEY,
        input: { question: "q", locale: "ja-JP" },
        now: clock.now(),
        deadlineMs: budget.policy.deadlineMs,
        retentionSeconds: budget.policy.retentionSeconds,
      }),
    );
    await store.writeDelivery(KEY, consent({ to: PHONE, now: clock.now() }), { expectedRevision: 0 });
  };
  return { clock, store, handler, consented };
}

describe("caller-left handler", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it("makes a consented delivery due when the voice contact is DISCONNECTED", async () => {
    const { handler, store, consented } = harness();
    await consented();

    await handler(contactEvent());

    expect((await store.readDelivery(KEY))?.delivery).toMatchObject({ state: "due" });
  });

  it("keys the turns by the initial contact, as the Connect mapping does, in lower case", async () => {
    const { handler, store, consented } = harness();
    await consented();

    await handler(
      contactEvent({
        contactId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        initialContactId: CONTACT_ID.toUpperCase(),
      }),
    );

    expect((await store.readDelivery(KEY))?.delivery?.state).toBe("due");
  });

  it("changes nothing for a redelivered event", async () => {
    const { handler, store, consented } = harness();
    await consented();
    await handler(contactEvent());
    const writes = store.requests.writeDelivery;

    await handler(contactEvent());

    expect(store.requests.writeDelivery).toBe(writes);
  });

  it.each([
    ["INITIATED", { eventType: "INITIATED" }],
    ["CONNECTED_TO_SYSTEM", { eventType: "CONNECTED_TO_SYSTEM" }],
    ["COMPLETED", { eventType: "COMPLETED" }],
    ["an event type added later", { eventType: "SOMETHING_NEW" }],
    ["a chat's DISCONNECTED", { channel: "CHAT" }],
  ])("ignores %s with a debug line, reading nothing", async (_name, changes) => {
    // Prepare
    const output = capturedOutput();
    const { handler, store, consented } = harness();
    await consented();
    const reads = store.requests.readDelivery;

    // Act
    await handler(contactEvent(changes));

    // Assess
    expect(store.requests.readDelivery).toBe(reads);
    expect((await store.readDelivery(KEY))?.delivery?.state).toBe("consented");
    expect(output.logs()).toContainEqual(
      expect.objectContaining({ level: "DEBUG", message: "ignored a contact event" }),
    );
  });

  it.each([
    ["no consent", false, "no_consent"],
    ["an unknown contact", undefined, "unknown_contact"],
  ] as const)("records nothing for %s", async (_name, withExecution, outcome) => {
    const output = capturedOutput();
    const { handler, store, clock } = harness();
    if (withExecution === false) {
      await store.createIfAbsent(
        newExecution({
          key: KEY,
          input: { question: "q", locale: "ja-JP" },
          now: clock.now(),
          deadlineMs: 60_000,
          retentionSeconds: 3_600,
        }),
      );
    }

    await handler(contactEvent());

    expect(store.requests.writeDelivery).toBe(0);
    expect(output.logs()).toContainEqual(expect.objectContaining({ message: "caller left", outcome }));
  });

  it.each([
    ["null", null],
    ["another service's event", { ...contactEvent(), source: "aws.ec2" }],
    ["a contact id that is not a UUID", contactEvent({ contactId: "not-a-uuid", initialContactId: null })],
    ["a detail without an event type", contactEvent({ eventType: "" })],
  ])("logs an error and returns for %s: a retry cannot fix it", async (_name, event) => {
    const output = capturedOutput();
    const { handler, store } = harness();

    await expect(handler(event)).resolves.toBeUndefined();

    expect(store.requests.readDelivery).toBe(0);
    expect(output.logs()).toContainEqual(
      expect.objectContaining({
        level: "ERROR",
        message: "dropped an event that is not a Connect contact event",
      }),
    );
  });

  it("throws when the store is down, so that Lambda's asynchronous retry tries again", async () => {
    const { handler, store, consented } = harness();
    await consented();
    store.failWith();

    await expect(handler(contactEvent())).rejects.toMatchObject({ code: "store_unavailable" });

    store.restore();
    await handler(contactEvent());
    expect((await store.readDelivery(KEY))?.delivery?.state).toBe("due");
  });

  it("counts callers who left by outcome and never logs the caller's number", async () => {
    const output = capturedOutput();
    const { handler, consented } = harness();
    await consented();

    await handler(contactEvent());

    expect(output.metrics()).toContainEqual(expect.objectContaining({ outcome: "recorded", CallersLeft: 1 }));
    expect(output.text()).not.toContain("9012345678");
  });
});

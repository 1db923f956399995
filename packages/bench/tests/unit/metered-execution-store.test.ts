import { claim, complete, newExecution } from "@holdline/domain/execution/execution";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { InMemoryExecutionStore } from "@holdline/domain/testing/fakes/in-memory-execution-store";
import { describe, expect, it } from "vitest";
import { MeteredExecutionStore } from "../../src/metered-execution-store.ts";

const KEY = { contactId: "0c0ffee0-0000-4000-8000-000000000001", turn: 1 };
const LEASE = { leaseMs: 30_000, maxAttempts: 1 };

function setup(latencyMs?: () => number) {
  const clock = new ManualClock(Date.UTC(2026, 10, 23, 9));
  const store = new MeteredExecutionStore(new InMemoryExecutionStore(clock), clock, latencyMs);
  const execution = newExecution({
    key: KEY,
    input: { question: "誕生日ケーキの予約はできますか？", locale: "ja-JP" },
    now: clock.now(),
    deadlineMs: 60_000,
    retentionSeconds: 86_400,
  });
  return { clock, store, execution };
}

describe("MeteredExecutionStore", () => {
  it("counts an execution's life as the adapter's requests: create, claim, complete, one read", async () => {
    // Prepare
    const { clock, store, execution } = setup();

    // Act
    const { execution: created } = await store.createIfAbsent(execution);
    const running = await store.transition(claim(created, { now: clock.now(), ...LEASE }), created);
    await store.transition(complete(running, { now: clock.now(), answer: "二日前まで承ります。" }), running);
    await store.get(KEY);

    // Assess: small items, so one unit each (docs/dynamodb-store.md, "Capacity per execution").
    expect(store.meter).toEqual({ requests: 4, writeUnits: 3, readUnits: 1 });
  });

  it("counts a refused create as a PutItem and the GetItem that reads the winner", async () => {
    // Prepare
    const { store, execution } = setup();
    await store.createIfAbsent(execution);

    // Act
    const repeat = await store.createIfAbsent(execution);

    // Assess
    expect(repeat.created).toBe(false);
    expect(store.meter).toEqual({ requests: 3, writeUnits: 2, readUnits: 1 });
  });

  it("charges a refused conditional write", async () => {
    // Prepare
    const { clock, store, execution } = setup();
    const { execution: created } = await store.createIfAbsent(execution);
    await store.transition(claim(created, { now: clock.now(), ...LEASE }), created);

    // Act
    const stale = store.transition(claim(created, { now: clock.now(), ...LEASE }), created);

    // Assess
    await expect(stale).rejects.toMatchObject({ code: "stale_version" });
    expect(store.meter).toMatchObject({ requests: 3, writeUnits: 3 });
  });

  it("charges a write by the kilobytes of the larger item", async () => {
    // Prepare: a 2,000-character Japanese answer is about 6 KB of UTF-8.
    const { clock, store, execution } = setup();
    const { execution: created } = await store.createIfAbsent(execution);
    const running = await store.transition(claim(created, { now: clock.now(), ...LEASE }), created);
    const before = store.meter.writeUnits;

    // Act
    await store.transition(complete(running, { now: clock.now(), answer: "あ".repeat(2_000) }), running);

    // Assess
    expect(store.meter.writeUnits - before).toBe(7);
  });

  it("takes each request's round trip on the clock", async () => {
    // Prepare
    const { clock, store } = setup(() => 10);
    const started = clock.now();

    // Act
    await clock.run(store.get(KEY));

    // Assess
    expect(clock.now() - started).toBe(10);
    expect(store.meter.requests).toBe(1);
  });
});

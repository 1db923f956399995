import { describe, expect, it } from "vitest";
import type { Execution, ExecutionKey } from "../../src/execution/execution.ts";
import type { InMemoryExecutionStore } from "../support/fakes/in-memory-execution-store.ts";
import { stream } from "../support/fakes/scripted-llm-client.ts";
import { domain, newKey, question } from "./domain-harness.ts";
import { ANSWER, PARTS, PROGRESSIVE, streamed } from "./progressive-harness.ts";

/**
 * Every image the store took of `key`, checked: the parts only ever grow, each image's parts a prefix of the
 * final ones (in order, none twice, none changed). Returns the lengths, in order, each change once.
 */
function partsGrowth(store: InMemoryExecutionStore, key: ExecutionKey, final: readonly string[]): number[] {
  const lengths: number[] = [];
  for (const image of store.history(key)) {
    const parts = image.parts ?? [];
    expect(final.slice(0, parts.length)).toEqual(parts);
    const last = lengths.at(-1) ?? 0;
    expect(parts.length).toBeGreaterThanOrEqual(last);
    if (parts.length > last) lengths.push(parts.length);
  }
  return lengths;
}

async function started(harness: ReturnType<typeof domain>, key = newKey()) {
  await harness.clock.run(harness.start.execute({ key, input: question(), fastPathWaitMs: 0 }));
  return key;
}

describe("progressive answers: the worker records each part as soon as it is complete", () => {
  it("records the first part before the model finishes, then every part and the whole answer", async () => {
    // Prepare
    const harness = domain({ script: [streamed()], policy: PROGRESSIVE, store: { keepHistory: true } });
    const { run, clock, store, llm } = harness;
    const key = await started(harness);
    const claimedAt = clock.now();

    // Act
    const running = run.execute(key);
    await clock.advance(850);
    const early = await store.get(key);
    const result = await clock.run(running);

    // Assess
    expect(early).toMatchObject({ status: "running", parts: [PARTS[0]] });
    expect(early?.updatedAt).toBe(claimedAt + 800);
    // The part write extends the renewed lease, as a renewal would.
    expect(early?.leaseUntil).toBe(claimedAt + 800 + (PROGRESSIVE.leaseMs ?? 0));
    expect(result.outcome).toBe("completed");
    expect(await store.get(key)).toMatchObject({ status: "completed", answer: ANSWER, parts: PARTS });
    expect(partsGrowth(store, key, PARTS)).toEqual([1, 2, 3]);
    expect(llm.listened).toEqual([true]);
  });

  it("batches the parts produced while a part write is in flight into the next write", async () => {
    // Prepare: every store call acts 300 ms late; four parts come 50 ms apart.
    const harness = domain({
      script: [
        stream(
          PARTS.concat("See you soon.").map((part, i) => [100 + 50 * i, part] as const),
          1_000,
        ),
      ],
      policy: PROGRESSIVE,
      store: { keepHistory: true },
    });
    const key = await started(harness);
    harness.store.slowDown({ actAfterMs: 300 });

    // Act
    const result = await harness.clock.run(harness.run.execute(key));

    // Assess
    expect(result.outcome).toBe("completed");
    expect(partsGrowth(harness.store, key, [...PARTS, "See you soon."])).toEqual([1, 4]);
  });

  it.each([
    ["three replies the SDK retried", "retried", 3],
    ["a reply lost to store_unavailable", "unavailable", 1],
    ["three replies lost to store_unavailable", "unavailable", 3],
  ] as const)("records every part once and in order through %s", async (_name, then, count) => {
    // Prepare: the replies of the next writes after the claim are lost (parts, renewals, re-sent copies).
    const harness = domain({ script: [streamed()], policy: PROGRESSIVE, store: { keepHistory: true } });
    const { run, clock, store, events } = harness;
    const key = await started(harness);
    const running = run.execute(key);
    await clock.advance(1);
    for (let i = 0; i < count; i += 1) store.loseNextReply("transition", then);

    // Act
    const result = await clock.run(running);

    // Assess
    expect(result.outcome).toBe("completed");
    expect((await store.get(key))?.parts).toEqual(PARTS);
    expect(partsGrowth(store, key, PARTS)).toEqual([1, 2, 3]);
    // Found landed by the part writer itself, unless a renewal read it first (three lost copies).
    if (count === 1 || then === "retried") {
      expect(events.reported).toContainEqual({ kind: "lost_reply_recovered", key, write: "parts" });
    }
  });

  it("records the parts produced during a store outage once the store is back, in one write", async () => {
    // Prepare: the store refuses everything from 0.5 s to 1.5 s (part 1's write, re-sent at 1 s and 1.4 s);
    // the next try, at 2.2 s, takes part 1 and part 2 (written at 2 s).
    const harness = domain({ script: [streamed()], policy: PROGRESSIVE, store: { keepHistory: true } });
    const { run, clock, store } = harness;
    const key = await started(harness);
    const running = run.execute(key);
    await clock.advance(500);
    store.failWith();
    await clock.advance(1_000);
    store.restore();

    // Act
    const result = await clock.run(running);

    // Assess
    expect(result.outcome).toBe("completed");
    expect(partsGrowth(store, key, PARTS)).toEqual([2, 3]);
    expect(await store.get(key)).toMatchObject({ status: "completed", attempt: 1, parts: PARTS });
  });

  it("makes one model call and records each part once for 5 deliveries of one execution", async () => {
    // Prepare
    const harness = domain({ script: [streamed()], policy: PROGRESSIVE, store: { keepHistory: true } });
    const key = await started(harness);

    // Act
    const results = await harness.clock.run(
      Promise.all(Array.from({ length: 5 }, () => harness.run.execute(key))),
    );

    // Assess
    expect(harness.llm.calls).toBe(1);
    expect(results.filter((result) => result.outcome === "completed")).toHaveLength(1);
    expect(partsGrowth(harness.store, key, PARTS)).toEqual([1, 2, 3]);
  });

  it("keeps the heartbeat's renewals and the part writes when they fall at the same instants", async () => {
    // Prepare: parts exactly at the beats (2 s, 4 s, 6 s); the answer at 7 s, past the first lease.
    const harness = domain({
      script: [
        stream(
          [
            [2_000, PARTS[0] ?? ""],
            [4_000, PARTS[1] ?? ""],
            [6_000, PARTS[2] ?? ""],
          ],
          7_000,
        ),
      ],
      policy: PROGRESSIVE,
      store: { keepHistory: true },
    });
    const { run, clock, store, dispatcher } = harness;
    const key = await started(harness);
    const claimedAt = clock.now();
    const running = run.execute(key);

    // Act
    await clock.advance(6_100);
    const seen = (await store.get(key)) as Execution;
    const result = await clock.run(running);

    // Assess
    expect(seen).toMatchObject({ status: "running", attempt: 1, parts: PARTS });
    expect(seen.leaseUntil).toBe(claimedAt + 6_000 + 5_000);
    const renewals = store
      .history(key)
      .filter((image, i, all) => image.leaseUntil !== all[i - 1]?.leaseUntil);
    expect(renewals.length).toBeGreaterThanOrEqual(4);
    expect(result.outcome).toBe("completed");
    expect(partsGrowth(store, key, PARTS)).toEqual([1, 2, 3]);
    expect(dispatcher.dispatched).toHaveLength(1);
  });

  it("sends a renewal again when a part write took its version, never taking the part write for its own", async () => {
    // Prepare: a part at 1.999 s and the beat at 2 s are both in flight at the same version (the store acts
    // 300 ms late); the part write lands first.
    const harness = domain({
      script: [stream([[1_999, PARTS[0] ?? ""]], 4_500)],
      policy: PROGRESSIVE,
    });
    const { run, clock, store, events } = harness;
    const key = await started(harness);
    const claimedAt = clock.now();
    store.slowDown({ actAfterMs: 300 });
    const running = run.execute(key);

    // Act: look before the second beat's renewal could land.
    await clock.advance(4_100);
    store.restore();
    const seen = (await store.get(key)) as Execution;
    const result = await clock.run(running);

    // Assess
    expect(seen.parts).toEqual([PARTS[0]]);
    expect(seen.leaseUntil).toBeGreaterThanOrEqual(claimedAt + 2_000 + 5_000);
    expect(result.outcome).toBe("completed");
    // No reply was lost: a writer that took another's write for its own would report one.
    expect(events.of("lost_reply_recovered")).toEqual([]);
  });

  it("records a failure after part 2 with both parts, including a part whose write had not landed", async () => {
    // Prepare: the model fails at 2.05 s after parts at 0.8 s and 2 s; the store refuses the writes at 2 s (the
    // renewal's and part 2's), so part 2 is not recorded when the model fails.
    const harness = domain({
      script: [
        stream(
          [
            [800, PARTS[0] ?? ""],
            [2_000, PARTS[1] ?? ""],
          ],
          2_050,
          { fail: "model_error" },
        ),
      ],
      policy: PROGRESSIVE,
      store: { keepHistory: true },
    });
    const { run, clock, store } = harness;
    const key = await started(harness);
    const running = run.execute(key);
    await clock.advance(1_500);
    store.failNext("transition", 2);

    // Act
    const result = await clock.run(running);

    // Assess
    expect(result.outcome).toBe("failed");
    expect(await store.get(key)).toMatchObject({
      status: "failed",
      error: { code: "model_error" },
      parts: PARTS.slice(0, 2),
    });
    expect(partsGrowth(store, key, PARTS.slice(0, 2))).toEqual([1, 2]);
  });

  it("records only the complete answer, with no part listener, when recordParts is off", async () => {
    // Prepare
    const harness = domain({
      script: [streamed()],
      policy: { ...PROGRESSIVE, recordParts: false },
      store: { keepHistory: true },
    });
    const key = await started(harness);

    // Act
    const result = await harness.clock.run(harness.run.execute(key));

    // Assess
    expect(result.outcome).toBe("completed");
    expect(harness.llm.listened).toEqual([false]);
    const images = harness.store.history(key);
    expect(images.filter((image) => image.status === "running" && image.parts !== undefined)).toEqual([]);
    expect(images.at(-1)).toMatchObject({ status: "completed", answer: ANSWER, parts: PARTS });
  });
});

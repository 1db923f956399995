import { expect, it } from "vitest";
import { ItemTooLargeError } from "../../../src/errors.ts";
import { appendParts, claim, complete, fail, renew } from "../../../src/execution/execution.ts";
import { type ExecutionStoreSetup, failure, LEASE } from "./execution-store.fixture.ts";

const PARTS = [
  "はい、本日は営業しております。",
  "営業時間は朝9時から夜7時までです。",
  "ご来店をお待ちしております。",
];

/**
 * The progressive-answer cases of the `ExecutionStore` contract: the parts of an answer (a list of strings)
 * round-trip in order, and a part write is as conditional as any other. Registers its `it`s inside the
 * caller's describe.
 */
export function executionStorePartCases(setup: ExecutionStoreSetup): void {
  it("round-trips the parts of an answer in order: appended, completed, kept by a failure", async () => {
    // Prepare
    const { clock, store, key, fresh } = await setup();
    const claimed = async () => {
      const created = (await store.createIfAbsent(fresh(key()))).execution;
      return store.transition(claim(created, { now: clock.now(), ...LEASE }), created);
    };
    const [running, failing] = [await claimed(), await claimed()];

    // Act
    const first = await store.transition(
      appendParts(running, { parts: [PARTS[0] ?? ""], now: clock.now() }),
      running,
    );
    const readFirst = await store.get(first);
    const more = await store.transition(
      appendParts(first, { parts: PARTS.slice(1), now: clock.now() }),
      first,
    );
    const done = await store.transition(
      complete(more, { now: clock.now(), answer: PARTS.join(""), parts: PARTS }),
      more,
    );
    const withPart = await store.transition(
      appendParts(failing, { parts: [PARTS[0] ?? ""], now: clock.now() }),
      failing,
    );
    const failed = await store.transition(fail(withPart, { now: clock.now(), error: failure() }), withPart);

    // Assess
    expect(readFirst).toEqual(first);
    expect(first.parts).toEqual([PARTS[0]]);
    expect(more.parts).toEqual(PARTS);
    expect(await store.get(done)).toEqual(done);
    expect(done).toMatchObject({ status: "completed", answer: PARTS.join(""), parts: PARTS });
    expect(await store.get(failed)).toMatchObject({ status: "failed", parts: [PARTS[0]] });
  });

  it("lets exactly one of two part writes at the same version land, and keeps a renewal's lease with them", async () => {
    // Prepare
    const { clock, store, key, fresh, refusal } = await setup();
    const created = (await store.createIfAbsent(fresh(key()))).execution;
    const running = await store.transition(claim(created, { now: clock.now(), ...LEASE }), created);
    const renewed = await store.transition(
      renew(running, { now: clock.now() + 1_000, leaseMs: 30_000 }),
      running,
    );

    // Act
    const mine = store.transition(
      appendParts(renewed, { parts: [PARTS[0] ?? ""], now: clock.now(), by: "parts-1" }),
      renewed,
    );
    const theirs = store.transition(
      appendParts(renewed, { parts: ["other"], now: clock.now(), by: "parts-2" }),
      renewed,
    );
    const outcomes = await Promise.allSettled([mine, theirs]);
    const stale = await refusal(
      store.transition(appendParts(running, { parts: ["late"], now: clock.now() }), running),
      running,
    );

    // Assess
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    const stored = await store.get(created);
    expect(stored?.parts).toHaveLength(1);
    expect(stored?.version).toBe(renewed.version + 1);
    expect(stored?.leaseUntil).toBe(renewed.leaseUntil);
    expect(stale.current).toEqual(stored);
  });

  it("counts the parts in the item size: parts that take it over the limit are refused with item_too_large", async () => {
    // Prepare: an answer of about 300 KB, then the same again as parts, in UTF-8.
    const { clock, store, key, fresh } = await setup();
    const created = (await store.createIfAbsent(fresh(key()))).execution;
    const running = await store.transition(claim(created, { now: clock.now(), ...LEASE }), created);
    const text = "あ".repeat(100_000);

    // Act
    const alone = store.transition(complete(running, { now: clock.now(), answer: text }), running);
    await expect(alone).resolves.toMatchObject({ status: "completed" });
    const created2 = (await store.createIfAbsent(fresh(key()))).execution;
    const running2 = await store.transition(claim(created2, { now: clock.now(), ...LEASE }), created2);
    const doubled = store.transition(
      complete(running2, {
        now: clock.now(),
        answer: text,
        parts: [text.slice(0, 50_000), text.slice(50_000)],
      }),
      running2,
    );

    // Assess
    await expect(doubled).rejects.toBeInstanceOf(ItemTooLargeError);
    expect(await store.get(created2)).toEqual(running2);
  });
}

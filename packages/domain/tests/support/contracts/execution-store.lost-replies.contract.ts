import { expect, it } from "vitest";
import { claim, fail, wroteThis } from "../../../src/execution/execution.ts";
import { type ExecutionStoreSetup, failure, LEASE } from "./execution-store.fixture.ts";

/**
 * The writer-token cases of the `ExecutionStore` contract: each write stores its token as `lastWriter`, so a
 * writer whose reply was lost can recognise its own write. Registers its `it`s inside the caller's describe.
 */
export function executionStoreLostReplyCases(
  setup: ExecutionStoreSetup,
  options: { readonly refusalCarriesCurrent?: boolean },
): void {
  it("stores each write's token as lastWriter and drops it when a write carries none", async () => {
    // Prepare
    const { clock, store, key, fresh } = await setup();
    const created = (await store.createIfAbsent({ ...fresh(key()), lastWriter: "starter" })).execution;

    // Act
    const claimed = await store.transition(
      claim(created, { now: clock.now(), ...LEASE, by: "worker" }),
      created,
    );
    const anonymous = await store.transition(fail(claimed, { now: clock.now(), error: failure() }), claimed);

    // Assess
    expect(created.lastWriter).toBe("starter");
    expect(claimed.lastWriter).toBe("worker");
    expect(anonymous.lastWriter).toBeUndefined();
    expect((await store.get(created))?.lastWriter).toBeUndefined();
  });

  it("lets a writer recognise its create whose reply was lost: sent again, it finds its own token", async () => {
    // Prepare
    const { store, key, fresh } = await setup();
    const k = key();
    const mine = { ...fresh(k), lastWriter: "start-1" };
    await store.createIfAbsent(mine);

    // Act
    const again = await store.createIfAbsent(mine);
    const someoneElse = await store.createIfAbsent({ ...fresh(k), lastWriter: "start-2" });

    // Assess
    expect(again.created).toBe(false);
    expect(wroteThis(again.execution, mine, mine.version)).toBe(true);
    expect(someoneElse.created).toBe(false);
    expect(wroteThis(someoneElse.execution, { ...mine, lastWriter: "start-2" }, mine.version)).toBe(false);
  });

  it("lets a writer recognise its transition whose reply was lost: the copy is refused, the store shows its token at the version it wrote", async () => {
    // Prepare
    const { clock, store, key, fresh, refusal } = await setup();
    const created = (await store.createIfAbsent(fresh(key()))).execution;
    const mine = claim(created, { now: clock.now(), ...LEASE, by: "worker-1" });
    const theirs = claim(created, { now: clock.now(), ...LEASE, by: "worker-2" });
    await store.transition(mine, created);

    // Act
    const copy = await refusal(store.transition(mine, created), created);
    const rival = await refusal(store.transition(theirs, created), created);

    // Assess
    expect(wroteThis(copy.current, mine, created.version + 1)).toBe(true);
    expect(wroteThis(rival.current, theirs, created.version + 1)).toBe(false);
    expect(await store.get(created)).toEqual({ ...mine, version: created.version + 1 });
  });

  it("recognises no write that carried no token", async () => {
    // Prepare
    const { clock, store, key, fresh, refusal } = await setup();
    const created = (await store.createIfAbsent(fresh(key()))).execution;
    const anonymous = claim(created, { now: clock.now(), ...LEASE });
    await store.transition(anonymous, created);

    // Act
    const copy = await refusal(store.transition(anonymous, created), created);

    // Assess
    expect(copy.current?.version).toBe(created.version + 1);
    expect(wroteThis(copy.current, anonymous, created.version + 1)).toBe(false);
  });

  if (options.refusalCarriesCurrent) {
    it("returns the stored execution with a refusal, so the writer need not read", async () => {
      // Prepare
      const { clock, store, key, fresh, refusal } = await setup();
      const created = (await store.createIfAbsent(fresh(key()))).execution;
      const claimed = await store.transition(claim(created, { now: clock.now(), ...LEASE }), created);

      // Act
      const { carried } = await refusal(
        store.transition(fail(created, { now: clock.now(), error: failure() }), created),
        created,
      );

      // Assess
      expect(carried).toEqual(claimed);
    });
  }
}

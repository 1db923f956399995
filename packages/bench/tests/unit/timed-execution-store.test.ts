import { StaleExecutionError, StoreUnavailableError } from "@holdline/domain/errors";
import type { ExecutionStore } from "@holdline/domain/ports/execution-store.port";
import { describe, expect, it } from "vitest";
import { TimedExecutionStore } from "../../src/timed-execution-store.ts";

const KEY = { contactId: "0c0ffee0-0000-4000-8000-000000000001", turn: 1 };

/** A store whose reads answer nothing and whose writes fail as given. */
const storeFailingWith = (error: Error): ExecutionStore => ({
  get: async () => undefined,
  createIfAbsent: async () => Promise.reject(error),
  transition: async () => Promise.reject(error),
  recentTurns: async () => [],
});

describe("TimedExecutionStore", () => {
  it("times every call and counts the ones the store failed, by code", async () => {
    // Prepare
    const store = new TimedExecutionStore(storeFailingWith(new StoreUnavailableError("no reply in 3 s")));

    // Act
    await store.get(KEY);
    await store.recentTurns(KEY.contactId, 2, 5);
    const refused = await store
      .transition({ contactId: KEY.contactId, status: "queued" } as never, { version: 1, status: "queued" })
      .catch((e) => e);

    // Assess
    expect(refused).toBeInstanceOf(StoreUnavailableError);
    expect(store.load()).toMatchObject({ calls: 3, failures: { store_unavailable: 1 } });
    expect(store.unsuccessful).toMatchObject([
      { contactId: KEY.contactId, what: "transition queued → queued", code: "store_unavailable" },
    ]);
    expect(store.load().latencyP99Ms).toBeGreaterThanOrEqual(0);
  });

  it("does not count a refused conditional write as a failure of the store", async () => {
    // Prepare
    const store = new TimedExecutionStore(storeFailingWith(new StaleExecutionError("version moved on")));

    // Act
    await store
      .transition({ contactId: KEY.contactId, status: "running" } as never, { version: 1, status: "queued" })
      .catch(() => undefined);

    // Assess: counted apart, and kept for the turn's trace.
    expect(store.load()).toMatchObject({ calls: 1, failures: {} });
    expect(store.unsuccessful).toMatchObject([
      { what: "transition queued → running", code: "stale_version" },
    ]);
  });
});

import { SystemClock } from "@holdline/adapters-node/system-clock";
import { deriveBudget } from "@holdline/budget/timing-budget";
import { say } from "@holdline/connect-emulator/caller-script";
import type { Strategy } from "@holdline/contact-flow/holdline/holdline-flows";
import { EN_US } from "@holdline/contact-flow/holdline/prompt-packs";
import { answer, ScriptedLlmClient } from "@holdline/domain/testing/fakes/scripted-llm-client";
import { describe, expect, it } from "vitest";
import { BRISK_SPEECH } from "../../src/brisk-speech.ts";
import { wireLocalHoldline } from "../../src/local-holdline.ts";
import { startDynaliteStore } from "../../src/local-stores.ts";
import { eventsOf, notesOf, spoken } from "../unit/harness.ts";

const QUESTION = "When are you closed?";
const ANSWER = "We are closed every Tuesday.";
const SLOW_ANSWER = "Whole cakes need two days.";

describe("a real-time local call on dynalite (the DynamoDB adapter over HTTP)", { timeout: 20_000 }, () => {
  it.each<Strategy>(["polling", "native-async"])(
    "stores, transitions and answers a fast question through DynamoDB (%s)",
    async (strategy) => {
      // Prepare
      const clock = new SystemClock();
      const local = await startDynaliteStore(clock, deriveBudget(), { childProcess: false });
      const llm = new ScriptedLlmClient(clock, [answer(ANSWER, 300)]);
      const holdline = wireLocalHoldline({ clock, store: local.store, model: llm, emulator: BRISK_SPEECH });
      const contactId = crypto.randomUUID();
      try {
        // Act
        const call = holdline.call(
          strategy,
          EN_US,
          { turns: [say(QUESTION), say("No, that's all.")] },
          { contactId },
        );
        const ended = await call.settled;
        await holdline.idle();

        // Assess
        expect(spoken(ended)).toContain(ANSWER);
        expect(spoken(ended)).not.toContain(EN_US.holdOn);
        expect(ended.endReason).toBe("disconnected");
        const stored = await local.store.get({ contactId, turn: 1 });
        expect(stored).toMatchObject({ status: "completed", answer: ANSWER, version: 3, attempt: 1 });
        expect(await local.store.recentTurns(contactId, 2, 5)).toHaveLength(1);
        expect(notesOf(ended, "store")).toEqual([
          expect.stringMatching(/^turn 1: queued \(created by connect-(start|answer)\)$/),
          expect.stringMatching(/^turn 1: queued → running \(attempt 1\) by (answer-worker|connect-answer)$/),
          expect.stringMatching(/^turn 1: running → completed/),
        ]);
        expect(llm.calls).toBe(1);
        expect(eventsOf(ended, "invocation").every((event) => event.outcome.status !== "error")).toBe(true);
      } finally {
        await holdline.close();
        await local.close();
      }
    },
  );

  it.each<Strategy>(["polling", "native-async"])(
    "fills a slower answer's wait and speaks the answer once it is stored, on real time (%s)",
    async (strategy) => {
      // Prepare
      const clock = new SystemClock();
      const local = await startDynaliteStore(clock, deriveBudget(), { childProcess: false });
      const llm = new ScriptedLlmClient(clock, [answer(SLOW_ANSWER, 3_500)]);
      const holdline = wireLocalHoldline({ clock, store: local.store, model: llm, emulator: BRISK_SPEECH });
      const contactId = crypto.randomUUID();
      try {
        // Act
        const call = holdline.call(
          strategy,
          EN_US,
          { turns: [say(QUESTION), say("No, that's all.")] },
          { contactId },
        );
        const ended = await call.settled;
        await holdline.idle();

        // Assess
        // Polling (progressive, the default) acknowledges and long-polls at once; native-async holds on.
        expect(spoken(ended)).toContain(strategy === "polling" ? EN_US.acknowledgement : EN_US.holdOn);
        expect(spoken(ended)).toContain(SLOW_ANSWER);
        const stored = await local.store.get({ contactId, turn: 1 });
        const answeredAt = eventsOf(ended, "prompt").find((event) => event.text === SLOW_ANSWER)?.at ?? 0;
        // Timing is pinned on virtual time; here, roomy bounds for a loaded machine.
        const spokenAfterStoredMs = answeredAt + ended.startedAt - (stored?.finishedAt ?? 0);
        expect(spokenAfterStoredMs).toBeGreaterThanOrEqual(0);
        expect(spokenAfterStoredMs).toBeLessThan(2_000);
      } finally {
        await holdline.close();
        await local.close();
      }
    },
  );
});

import { SystemClock } from "@holdline/adapters-node/system-clock";
import { deriveBudget } from "@holdline/budget/timing-budget";
import { press, say } from "@holdline/connect-emulator/caller-script";
import { EN_US } from "@holdline/contact-flow/holdline/prompt-packs";
import { answer, ScriptedLlmClient } from "@holdline/domain/testing/fakes/scripted-llm-client";
import { describe, expect, it } from "vitest";
import { BRISK_SPEECH } from "../../src/brisk-speech.ts";
import { startDemoTexts } from "../../src/demo-texts.ts";
import { wireLocalHoldline } from "../../src/local-holdline.ts";
import { startDynaliteStore } from "../../src/local-stores.ts";
import { spoken } from "../unit/harness.ts";

const ANSWER = "Whole cakes need two days' notice.";
const CALLER = "+15555550199";

describe("the answer by text on real time: dynalite's stream and the SMS wire protocol", {
  timeout: 60_000,
}, () => {
  it("sends the text through the real SDK client once the answer is stored, from the change capture's stream", async () => {
    // Prepare: the table behind the change capture, texts to the End User Messaging SMS stub.
    const clock = new SystemClock();
    const budget = deriveBudget();
    const local = await startDynaliteStore(clock, budget, { childProcess: false, stream: true });
    const texts = await startDemoTexts(false, clock, budget);
    const stream = local.stream;
    if (stream === undefined) throw new Error("no stream from the change capture");
    const holdline = wireLocalHoldline({
      clock,
      store: local.store,
      model: new ScriptedLlmClient(clock, [answer(ANSWER, 9_000)]),
      emulator: BRISK_SPEECH,
      environment: { HOLDLINE_PROGRESSIVE_ANSWERS: "false" },
      texts: { stream, sender: texts.sender, afterSeconds: 3, contactEventLatencyMs: 200 },
    });
    const contactId = crypto.randomUUID();
    try {
      // Act
      const call = holdline.call(
        "polling",
        EN_US,
        { turns: [say("Can I order a cake?"), press("1")] },
        { contactId, customerNumber: CALLER },
      );
      const ended = await call.settled;
      await holdline.idle();

      // Assess
      expect(spoken(ended).at(-1)).toBe(EN_US.textAccepted);
      expect(texts.received).toEqual([
        { at: expect.any(Number), to: CALLER, body: expect.stringContaining(ANSWER) },
      ]);
      const view = await local.store.readDelivery({ contactId, turn: 1 });
      expect(view?.delivery).toMatchObject({ state: "sent", kind: "answer", attempts: 1 });
      expect(texts.received[0]?.at).toBeGreaterThanOrEqual(
        view?.execution.finishedAt ?? Number.POSITIVE_INFINITY,
      );
      // The stream carried the item's changes as DynamoDB Streams would: the consent, the leave, the send.
      const states = stream.records
        .filter((record) => record.dynamodb?.Keys?.contactId?.S === contactId)
        .map((record) => record.dynamodb?.NewImage?.textDeliveryState?.S)
        .filter((state) => state !== undefined);
      expect([...new Set(states)]).toEqual(["consented", "due", "sending", "sent"]);
    } finally {
      await holdline.close();
      await texts.close();
      await local.close();
    }
  });
});

import {
  answer,
  streamFailure,
  streamFailureAfter,
  throttling,
} from "@holdline/local-aws/bedrock-stub-script";
import { describe, expect, it, vi } from "vitest";
import { toSpeakable } from "../../src/speakable.ts";
import { abortAfter, never, question } from "../support/llm-requests.ts";
import { stubbedBedrockPerTest } from "../support/stubbed-bedrock.ts";

// Progressive answers: with `onPart`, each speakable part is handed while the model is still writing.

const start = stubbedBedrockPerTest();

/** Records each part with how far the stub's stream had got when it was handed. */
function partRecorder(progress: () => { deltasSent: number; outcome: string } | undefined) {
  const handed: { part: string; deltasSent: number; outcome: string }[] = [];
  const onPart = vi.fn((part: string) => {
    const now = progress();
    handed.push({ part, deltasSent: now?.deltasSent ?? -1, outcome: now?.outcome ?? "none" });
  });
  return { onPart, handed, parts: () => handed.map((entry) => entry.part) };
}

const SIX_CHUNKS = [
  "We bake rye ",
  "bread every morning. ",
  "It is ready at eight, ",
  "and it sells out by noon most days. ",
  "On Sundays we bake ",
  "only white bread.",
];

describe("BedrockLlmClient progressive answers on converse-stream", () => {
  it("hands each part the moment it is complete, while the stream is still running", async () => {
    // Prepare
    const { stub, client } = await start(
      [answer(SIX_CHUNKS.join(""), { chunks: SIX_CHUNKS, chunkDelayMs: 150 })],
      {
        api: "converse-stream",
      },
    );
    const { onPart, handed, parts } = partRecorder(() => stub.requests[0]);

    // Act
    const response = await client.complete(question(), abortAfter(10_000), onPart);

    // Assess
    expect(parts()).toEqual([
      "We bake rye bread every morning.",
      "It is ready at eight, and it sells out by noon most days.",
      "On Sundays we bake only white bread.",
    ]);
    // The first part came with the second delta (its sentence end), four deltas before the stream ended.
    expect(handed[0]?.outcome).toBe("pending");
    expect(handed[0]?.deltasSent).toBeLessThan(SIX_CHUNKS.length);
    expect(handed[1]?.outcome).toBe("pending");
    expect(response.parts).toEqual(parts());
    expect(response.text).toBe(parts().join(" "));
    expect(response.usage?.outputTokens).toBeGreaterThan(0);
    expect(stub.calls).toBe(1);
  });

  it("cuts a Japanese answer after 。 and joins its parts without spaces", async () => {
    // Prepare
    const chunks = [
      "はい、",
      "営業しております。",
      "本日は午後七時まで",
      "営業しておりますので、",
      "ぜひお越しください。",
      "お待ちしております。",
    ];
    const { client } = await start([answer(chunks.join(""), { chunks, chunkDelayMs: 20 })], {
      api: "converse-stream",
    });
    const { onPart, parts } = partRecorder(() => undefined);

    // Act
    const response = await client.complete(question({ locale: "ja-JP" }), abortAfter(10_000), onPart);

    // Assess
    expect(parts()).toEqual([
      "はい、営業しております。",
      "本日は午後七時まで営業しておりますので、ぜひお越しください。",
      "お待ちしております。",
    ]);
    expect(response.text).toBe(chunks.join(""));
  });

  it("applies the speakable rules to each part: markdown, emoji and code blocks are not spoken", async () => {
    // Prepare
    const text =
      "**Yes!** We bake rye bread every morning.\n\n🍞🥐🥖🍞🥐🥖🍞🥐🥖🍞🥐🥖🍞🥐🥖🍞🥐🥖🍞🥐🥖\n\n- It is ready at 8.\n- It sells out by noon 🍞\n```js\nconsole.log('a long line of code that runs on')\n```\nThat is all, thank you for calling today.";
    const chunks = text.match(/[\s\S]{1,7}/gu) ?? [];
    const { client } = await start([answer(text, { chunks })], { api: "converse-stream" });
    const { onPart, parts } = partRecorder(() => undefined);

    // Act
    const response = await client.complete(question(), abortAfter(10_000), onPart);

    // Assess
    expect(parts()[0]).toBe("Yes! We bake rye bread every morning.");
    expect(parts().join(" ")).not.toMatch(/[*`🍞🥐🥖]|console|^-/u);
    expect(response.text).toBe(toSpeakable(text, { locale: "en-US" }));
    expect(response.text).toBe(
      "Yes! We bake rye bread every morning. It is ready at 8. It sells out by noon. That is all, thank you for calling today.",
    );
  });

  it("caps the whole answer: the part that reaches the cap ends at a sentence end, then the stream is cancelled", async () => {
    // Prepare: 6 sentences of 25 to 27 characters; 70 characters hold two of them and a half
    const sentences = [
      "We open at nine each day.",
      "We close at six each day.",
      "We bake bread every hour.",
      "Cakes are made to order.",
      "Parking is behind the shop.",
      "Cards and cash are fine.",
    ];
    const chunks = sentences.flatMap((sentence) => [`${sentence.slice(0, 10)}`, `${sentence.slice(10)} `]);
    const { stub, client } = await start([answer(chunks.join(""), { chunks, chunkDelayMs: 50 })], {
      api: "converse-stream",
      maxSpeakableChars: 70,
    });
    const { onPart, parts } = partRecorder(() => stub.requests[0]);

    // Act
    const response = await client.complete(question(), abortAfter(10_000), onPart);

    // Assess
    expect(parts()).toEqual(["We open at nine each day.", "We close at six each day."]);
    expect(response.text).toBe("We open at nine each day. We close at six each day.");
    expect(response.text).toBe(toSpeakable(chunks.join(""), { locale: "en-US", maxChars: 70 }));
    expect(stub.requests[0]?.deltasSent).toBeLessThan(chunks.length);
    await vi.waitFor(() => expect(stub.requests[0]?.outcome).toBe("cancelled"), { timeout: 5_000 });
  });

  it("cuts a first part longer than the cap at a clause, as toSpeakable does", async () => {
    // Prepare
    const text = "We open at nine, we close at six, and on Sundays we open at ten in the morning.";
    const { client } = await start([answer(text)], { api: "converse-stream", maxSpeakableChars: 40 });
    const { onPart, parts } = partRecorder(() => undefined);

    // Act
    const response = await client.complete(question(), abortAfter(10_000), onPart);

    // Assess
    expect(parts()).toEqual([toSpeakable(text, { locale: "en-US", maxChars: 40 })]);
    expect(response.text.length).toBeLessThanOrEqual(40);
  });

  it("drops the sentence the token limit cut off, as the whole answer would", async () => {
    // Prepare
    const text = "We open at nine today. We close at six in the evening on weekdays. On Sun";
    const { client } = await start([answer(text, { stopReason: "max_tokens" })], { api: "converse-stream" });
    const { onPart, parts } = partRecorder(() => undefined);

    // Act
    const response = await client.complete(question(), abortAfter(10_000), onPart);

    // Assess
    expect(parts()).toEqual(["We open at nine today.", "We close at six in the evening on weekdays."]);
    expect(response.text).toBe(toSpeakable(text, { locale: "en-US", truncated: true }));
  });

  it("rejects an answer with nothing speakable with empty_answer and hands nothing", async () => {
    // Prepare
    const { client } = await start([answer("🍞🥐 🥖")], { api: "converse-stream" });
    const onPart = vi.fn();

    // Act
    const outcome = client.complete(question(), abortAfter(10_000), onPart);

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: "empty_answer", retryable: false });
    expect(onPart).not.toHaveBeenCalled();
  });

  it("does not retry a stream that fails after parts were handed: exactly those parts, then the error", async () => {
    // Prepare
    const { stub, client } = await start(
      [
        streamFailureAfter(
          ["We open at nine today. ", "We close at six in the evening on weekdays. ", "On Sun"],
          {
            chunkDelayMs: 50,
          },
        ),
        answer("A retry would say this."),
      ],
      { api: "converse-stream" },
    );
    const { onPart, parts } = partRecorder(() => stub.requests[0]);

    // Act
    const outcome = client.complete(question(), abortAfter(10_000), onPart);

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: "model_error", retryable: true });
    expect(parts()).toEqual(["We open at nine today.", "We close at six in the evening on weekdays."]);
    expect(stub.calls).toBe(1);
    expect(stub.requests[0]?.outcome).toBe("failed-mid-stream");
  });

  it.each([
    ["a throttled call", throttling()],
    ["a stream that fails before its first sentence is complete", streamFailure("We open at")],
  ])("retries %s: nothing was handed yet", async (_name, failure) => {
    // Prepare
    const { stub, client } = await start([failure, answer("We open at nine today. We close at six.")], {
      api: "converse-stream",
    });
    const { onPart, parts } = partRecorder(() => undefined);

    // Act
    const response = await client.complete(question(), abortAfter(10_000), onPart);

    // Assess
    expect(stub.calls).toBe(2);
    expect(parts()).toEqual(["We open at nine today.", "We close at six."]);
    expect(response.text).toBe("We open at nine today. We close at six.");
  });

  it("stops at the abort mid-stream: rejects with timeout and hands nothing after it", async () => {
    // Prepare
    const { stub, client } = await start(
      [answer(SIX_CHUNKS.join(""), { chunks: SIX_CHUNKS, chunkDelayMs: 300 })],
      {
        api: "converse-stream",
      },
    );
    const { onPart, parts } = partRecorder(() => stub.requests[0]);
    const deadline = new AbortController();

    // Act: abort once the first part has been handed
    const outcome = client.complete(question(), deadline.signal, onPart);
    outcome.catch(() => undefined);
    await vi.waitFor(() => expect(onPart).toHaveBeenCalledOnce(), { timeout: 5_000 });
    deadline.abort(new Error("deadline"));

    // Assess
    await expect(outcome).rejects.toMatchObject({ code: "timeout" });
    await vi.waitFor(() => expect(stub.requests[0]?.outcome).toBe("cancelled"), { timeout: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(parts()).toEqual(["We bake rye bread every morning."]);
  });

  it("without onPart answers as before: the whole text, no parts", async () => {
    // Prepare
    const { client } = await start([answer(SIX_CHUNKS.join(""), { chunks: SIX_CHUNKS })], {
      api: "converse-stream",
    });

    // Act
    const response = await client.complete(question(), never());

    // Assess
    expect(response.parts).toBeUndefined();
    expect(response.text).toBe(SIX_CHUNKS.join(""));
  });
});

describe("BedrockLlmClient progressive answers on converse", () => {
  it("hands the whole answer's parts at once when it arrives, the same parts a stream would give", async () => {
    // Prepare
    const text = SIX_CHUNKS.join("");
    const { client } = await start([answer(text)], { api: "converse" });
    const { onPart, parts } = partRecorder(() => undefined);

    // Act
    const response = await client.complete(question(), abortAfter(10_000), onPart);

    // Assess
    expect(parts()).toEqual([
      "We bake rye bread every morning.",
      "It is ready at eight, and it sells out by noon most days.",
      "On Sundays we bake only white bread.",
    ]);
    expect(response.parts).toEqual(parts());
    expect(response.text).toBe(text);
  });
});

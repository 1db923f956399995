import { connectEvent } from "@holdline/adapters-connect/testing/connect-event.builder";
import { parseStartEvent, type StartRequest } from "@holdline/adapters-connect/connect-event.parser";
import { defaultConnectMappingOptions } from "@holdline/adapters-connect/connect-mapping.options";
import { StoreUnavailableError } from "@holdline/domain/errors";
import {
  appendParts,
  claim,
  complete,
  type Execution,
  newExecution,
} from "@holdline/domain/execution/execution";
import { describe, expect, it, vi } from "vitest";
import { connectHandler } from "../../src/lambda/connect-handler.ts";
import { createObservability } from "../../src/lambda/observability.ts";

const QUESTION = "営業時間を教えてください。";
const ANSWER = "朝9時から夜7時までです。";

const queued = (): Execution =>
  newExecution({
    key: { contactId: "2842f992-51fb-4a63-9fcc-3363116d4179", turn: 1 },
    input: { question: QUESTION, locale: "ja-JP" },
    now: 0,
    deadlineMs: 60_000,
    retentionSeconds: 60,
  });

const completed = (): Execution => {
  const queued = newExecution({
    key: { contactId: "2842f992-51fb-4a63-9fcc-3363116d4179", turn: 1 },
    input: { question: QUESTION, locale: "ja-JP" },
    now: 0,
    deadlineMs: 60_000,
    retentionSeconds: 60,
  });
  return complete(claim(queued, { now: 1, leaseMs: 1_000, maxAttempts: 1 }), { now: 2, answer: ANSWER });
};

function harness(run: (command: StartRequest, waitMs: number) => Promise<Execution>, logContent = false) {
  const observability = createObservability("connect-test", logContent);
  const logged = [
    vi.spyOn(observability.logger, "info"),
    vi.spyOn(observability.logger, "warn"),
    vi.spyOn(observability.logger, "error"),
    vi.spyOn(observability.logger, "appendKeys"),
  ];
  const handler = connectHandler<StartRequest>(
    { parse: (event) => parseStartEvent(event, defaultConnectMappingOptions), run },
    { mapping: defaultConnectMappingOptions, observability, waitMs: 2_500, reserveMs: 4_000 },
  );
  const logs = () => JSON.stringify(logged.map((spy) => spy.mock.calls));
  return { handler, logs };
}

describe("connectHandler", () => {
  it("answers a use-case failure with its stable code instead of throwing", async () => {
    const { handler } = harness(async () => {
      throw new StoreUnavailableError("throttled");
    });

    expect(await handler(connectEvent())).toEqual({
      status: "error",
      answer: "",
      errorCode: "store_unavailable",
      cursor: "",
      answerParts: "",
      errorPrompt: "full",
      turn: "1",
      nextTurn: "2",
    });
  });

  it("shows the execution with the event's cursor when the flow is progressive", async () => {
    // Prepare
    const running = appendParts(claim(queued(), { now: 1, leaseMs: 1_000, maxAttempts: 2 }), {
      parts: ["朝9時からです。"],
      now: 3,
    });
    const { handler } = harness(async () => running);
    const event = (cursor: string) =>
      connectEvent({ parameters: { question: QUESTION, turn: "1", locale: "ja-JP", cursor } });

    // Act
    const first = await handler(event("0"));
    const again = await handler(event("1"));

    // Assess
    expect(first).toMatchObject({ status: "partial", answer: "朝9時からです。", cursor: "1" });
    expect(again).toMatchObject({ status: "in_progress", answer: "", cursor: "1" });
  });

  it("answers a failure after the caller heard a part with the short error prompt and its cursor", async () => {
    const { handler } = harness(async () => {
      throw new StoreUnavailableError("down");
    });

    const response = await handler(
      connectEvent({ parameters: { question: QUESTION, turn: "1", locale: "ja-JP", cursor: "2" } }),
    );

    expect(response).toMatchObject({ status: "error", errorPrompt: "short", cursor: "2" });
  });

  it("refuses a bad cursor with invalid_cursor instead of throwing", async () => {
    const run = vi.fn(async () => completed());
    const { handler } = harness(run);

    const response = await handler(
      connectEvent({ parameters: { question: QUESTION, turn: "1", locale: "ja-JP", cursor: "-1" } }),
    );

    expect(response).toMatchObject({ status: "error", errorCode: "invalid_cursor", turn: "1" });
    expect(run).not.toHaveBeenCalled();
  });

  it("answers an unexpected exception as internal_error instead of throwing", async () => {
    const { handler } = harness(async () => {
      throw new TypeError("cannot read properties of undefined");
    });

    expect(await handler(connectEvent())).toMatchObject({ status: "error", errorCode: "internal_error" });
  });

  it("cuts the wait to the invocation's remaining time less the reserve", async () => {
    const run = vi.fn(async (_command: StartRequest, _waitMs: number) => completed());
    const { handler } = harness(run);

    await handler(connectEvent(), { getRemainingTimeInMillis: () => 5_000 });
    await handler(connectEvent(), { getRemainingTimeInMillis: () => 3_000 });
    await handler(connectEvent());

    expect(run.mock.calls.map(([, waitMs]) => waitMs)).toEqual([1_000, 0, 2_500]);
  });

  it("does not log the caller's question or the answer by default", async () => {
    const { handler, logs } = harness(async () => completed());

    const response = await handler(
      connectEvent({ parameters: { question: QUESTION, turn: "1", locale: "ja-JP" } }),
    );

    expect(response.answer).toBe(ANSWER);
    expect(logs()).toContain('"status":"completed"');
    expect(logs()).not.toContain(QUESTION);
    expect(logs()).not.toContain(ANSWER);
  });

  it("logs the question and the answer when content logging is on", async () => {
    const { handler, logs } = harness(async () => completed(), true);

    await handler(connectEvent({ parameters: { question: QUESTION, turn: "1", locale: "ja-JP" } }));

    expect(logs()).toContain(QUESTION);
    expect(logs()).toContain(ANSWER);
  });
});

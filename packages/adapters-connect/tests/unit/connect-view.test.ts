import { appendParts, complete, type Execution, fail } from "@holdline/domain/execution/execution";
import { executionInState as inState } from "@holdline/domain/testing/executions/execution-in-state";
import { describe, expect, it } from "vitest";
import { inProgressView, toConnectView } from "../../src/connect-view.ts";

const PARTS = ["Yes, we are open.", "We open at nine.", "We close at seven."];
const NOW = Date.UTC(2026, 10, 23, 9, 0, 10);
const ERROR = { code: "model_error" as const, message: "boom", retryable: false };

const running = (parts: readonly string[]): Execution =>
  parts.length === 0 ? inState("running") : appendParts(inState("running"), { parts, now: NOW });

describe("Connect view", () => {
  it.each([
    ["queued", { status: "in_progress", turn: 1 }],
    ["running", { status: "in_progress", turn: 1 }],
    ["completed", { status: "completed", turn: 1, answer: "nine" }],
    ["failed", { status: "error", turn: 1, errorCode: "model_error" }],
  ] as const)("shows a %s execution in the seed's vocabulary", (status, view) => {
    expect(toConnectView(inState(status))).toEqual(view);
  });

  it("shows the seed's view of an execution with parts when the flow sends no cursor", () => {
    const done = complete(running(PARTS.slice(0, 1)), { now: NOW, answer: PARTS.join(" "), parts: PARTS });

    expect(toConnectView(running(PARTS.slice(0, 2)))).toEqual({ status: "in_progress", turn: 1 });
    expect(toConnectView(done)).toEqual({ status: "completed", turn: 1, answer: PARTS.join(" ") });
  });
});

describe("Connect view with the flow's cursor (progressive answers)", () => {
  it("shows a running execution with parts past the cursor as partial, those parts to speak", () => {
    const view = toConnectView(running(PARTS.slice(0, 2)), 0);

    expect(view).toEqual({
      status: "partial",
      turn: 1,
      answer: "Yes, we are open. We open at nine.",
      progressive: { heard: 0, unheard: PARTS.slice(0, 2), locale: "en-US" },
    });
  });

  it.each([
    ["queued", inState("queued"), 0],
    ["running without parts", running([]), 0],
    ["running with no part past the cursor", running(PARTS.slice(0, 2)), 2],
  ])("shows a %s execution as in_progress, the cursor unmoved", (_name, execution, cursor) => {
    expect(toConnectView(execution, cursor)).toEqual({
      status: "in_progress",
      turn: 1,
      progressive: { heard: cursor, unheard: [], locale: "en-US" },
    });
  });

  it("shows a completed execution with the parts after the cursor, or none", () => {
    const done = complete(running(PARTS.slice(0, 1)), { now: NOW, answer: PARTS.join(" "), parts: PARTS });

    expect(toConnectView(done, 1)).toMatchObject({
      status: "completed",
      answer: "We open at nine. We close at seven.",
      progressive: { heard: 1, unheard: PARTS.slice(1) },
    });
    expect(toConnectView(done, 3)).toMatchObject({
      status: "completed",
      answer: "",
      progressive: { unheard: [] },
    });
  });

  it("takes the whole answer as the one part of a completed execution written without parts", () => {
    expect(toConnectView(inState("completed"), 0)).toMatchObject({
      status: "completed",
      answer: "nine",
      progressive: { heard: 0, unheard: ["nine"] },
    });
  });

  it("shows a failure after parts with the unheard parts and the short error prompt", () => {
    const failed = fail(running(PARTS.slice(0, 2)), { now: NOW, error: ERROR });

    expect(toConnectView(failed, 1)).toMatchObject({
      status: "error",
      errorCode: "model_error",
      errorPrompt: "short",
      answer: "We open at nine.",
    });
    expect(toConnectView(failed, 2)).toMatchObject({ errorPrompt: "short", answer: "" });
  });

  it("shows a failure before any part with the full error prompt", () => {
    expect(toConnectView(inState("failed"), 0)).toMatchObject({
      status: "error",
      errorCode: "model_error",
      errorPrompt: "full",
      answer: "",
    });
  });

  it("joins Japanese parts without a space", () => {
    const japanese = appendParts(
      { ...inState("running"), input: { question: "営業時間は？", locale: "ja-JP" } },
      { parts: ["はい。", "九時からです。"], now: NOW },
    );

    expect(toConnectView(japanese, 0).answer).toBe("はい。九時からです。");
  });

  it("keeps the flow's cursor in a view of an execution that could not be read", () => {
    expect(inProgressView(2, 3)).toEqual({
      status: "in_progress",
      turn: 2,
      progressive: { heard: 3, unheard: [], locale: "" },
    });
    expect(inProgressView(2)).toEqual({ status: "in_progress", turn: 2 });
  });
});

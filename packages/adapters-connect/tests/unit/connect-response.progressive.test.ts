import { describe, expect, it } from "vitest";
import { connectMappingOptions, defaultConnectMappingOptions } from "../../src/connect-mapping.options.ts";
import { serializedBytes, toConnectResponse } from "../../src/connect-response.ts";
import type { ConnectView } from "../../src/connect-view.ts";

const options = defaultConnectMappingOptions;
const PARTS = ["Yes, we are open.", "We open at nine.", "We close at seven."];

const view = (status: ConnectView["status"], heard: number, unheard: readonly string[], locale = "en-US") =>
  ({ status, turn: 1, progressive: { heard, unheard, locale } }) satisfies ConnectView;

describe("toConnectResponse with progressive answers", () => {
  it("speaks the unheard parts of a partial answer and moves the cursor past them", () => {
    const response = toConnectResponse(view("partial", 1, PARTS.slice(1, 3)), options);

    expect(response).toEqual({
      status: "partial",
      answer: "We open at nine. We close at seven.",
      errorCode: "",
      cursor: "3",
      answerParts: "2",
      errorPrompt: "",
      turn: "1",
      nextTurn: "2",
    });
  });

  it("keeps the cursor where it is while nothing new is there", () => {
    expect(toConnectResponse(view("in_progress", 2, []), options)).toMatchObject({
      status: "in_progress",
      answer: "",
      cursor: "2",
      answerParts: "0",
    });
  });

  it("completes with the last parts, or none", () => {
    expect(toConnectResponse(view("completed", 2, PARTS.slice(2)), options)).toMatchObject({
      status: "completed",
      answer: "We close at seven.",
      cursor: "3",
      answerParts: "1",
    });
    expect(toConnectResponse(view("completed", 3, []), options)).toMatchObject({
      status: "completed",
      answer: "",
      cursor: "3",
      answerParts: "0",
    });
  });

  it("speaks the parts heard before a failure with the short error prompt", () => {
    const failed: ConnectView = {
      ...view("error", 1, PARTS.slice(1, 2)),
      errorCode: "model_error",
      errorPrompt: "short",
    };

    expect(toConnectResponse(failed, options)).toMatchObject({
      status: "error",
      answer: "We open at nine.",
      errorCode: "model_error",
      errorPrompt: "short",
      cursor: "2",
      answerParts: "1",
    });
  });

  it("joins Japanese parts without a space", () => {
    expect(toConnectResponse(view("partial", 0, ["はい。", "九時からです。"], "ja-JP"), options).answer).toBe(
      "はい。九時からです。",
    );
  });

  it("speaks only the whole parts that fit and says partial, so the flow asks for the rest", () => {
    // Prepare: 100 characters at most; each part has 21.
    const limits = connectMappingOptions({ maxAnswerChars: 100 });
    const part = "本日の営業は午後六時までとなっております。";
    const parts = Array.from({ length: 10 }, () => part);

    // Act
    const first = toConnectResponse(view("completed", 0, parts, "ja-JP"), limits);
    const failed = toConnectResponse(
      { ...view("error", 0, parts, "ja-JP"), errorCode: "model_error", errorPrompt: "short" },
      limits,
    );

    // Assess
    expect(first).toMatchObject({ status: "partial", answer: part.repeat(4), cursor: "4" });
    expect(failed).toMatchObject({ status: "partial", cursor: "4", errorCode: "", errorPrompt: "" });
  });

  it("cuts a single part too long to fit and counts it heard", () => {
    const limits = connectMappingOptions({ maxAnswerChars: 100 });
    const long = "Our store opens at nine. ".repeat(10).trim();

    const response = toConnectResponse(view("partial", 0, [long, "Next."]), limits);

    expect(response).toMatchObject({
      status: "partial",
      answer: "Our store opens at nine. ".repeat(4).trim(),
      cursor: "1",
    });
  });

  it("keeps the serialized response under Connect's 32 KB whatever the parts", () => {
    // Prepare: a generous character cap, so only the byte budget holds 400 parts full of escapes.
    const generous = connectMappingOptions({ maxAnswerChars: 30_000 });
    const part = 'He said "yes"\n\u0001\\ 日本語😀.';
    const parts = Array.from({ length: 4_000 }, () => part);

    // Act
    const response = toConnectResponse(view("completed", 9_000, parts), generous);

    // Assess
    expect(serializedBytes(response)).toBeLessThanOrEqual(generous.maxResponseBytes);
    expect(response.status).toBe("partial");
    expect(Number(response.cursor)).toBeGreaterThan(9_000 + 100);
    expect(response.answer).toBe(parts.slice(0, Number(response.cursor) - 9_000).join(" "));
  });
});

import { DispatchError, StoreUnavailableError } from "@holdline/domain/errors";
import { CONNECT_RESPONSE_KEYS } from "@holdline/connect-contract/flow-contract";
import type { ConnectContactFlowResult } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { connectMappingOptions, defaultConnectMappingOptions } from "../../src/connect-mapping.options.ts";
import {
  type ConnectResponse,
  serializedBytes,
  toConnectErrorResponse,
  toConnectResponse,
} from "../../src/connect-response.ts";
import type { ConnectView } from "../../src/connect-view.ts";

const options = defaultConnectMappingOptions;
const codePoints = (text: string): number => [...text].length;

describe("toConnectResponse", () => {
  it("answers in_progress with empty answer and error code while the work runs", () => {
    // Prepare
    const view: ConnectView = { status: "in_progress", turn: 2 };

    // Act
    const response = toConnectResponse(view, options);

    // Assess
    expect(response).toEqual({
      status: "in_progress",
      answer: "",
      errorCode: "",
      cursor: "",
      answerParts: "",
      errorPrompt: "",
      turn: "2",
      nextTurn: "3",
    });
  });

  it("passes a completed answer that fits through unchanged", () => {
    // Prepare
    const view: ConnectView = {
      status: "completed",
      turn: 1,
      answer: "営業時間は午前9時から午後6時までです。",
    };

    // Act
    const response = toConnectResponse(view, options);

    // Assess
    expect(response).toEqual({
      status: "completed",
      answer: "営業時間は午前9時から午後6時までです。",
      errorCode: "",
      cursor: "",
      answerParts: "",
      errorPrompt: "",
      turn: "1",
      nextTurn: "2",
    });
  });

  it("carries a failed execution's error code and the full error prompt", () => {
    // Prepare
    const view: ConnectView = { status: "error", turn: 3, errorCode: "deadline_exceeded" };

    // Act
    const response = toConnectResponse(view, options);

    // Assess
    expect(response).toEqual({
      status: "error",
      answer: "",
      errorCode: "deadline_exceeded",
      cursor: "",
      answerParts: "",
      errorPrompt: "full",
      turn: "3",
      nextTurn: "4",
    });
  });

  it("says internal_error for a failed execution without a code", () => {
    // Prepare
    const view: ConnectView = { status: "error", turn: 1 };

    // Act
    const response = toConnectResponse(view, options);

    // Assess
    expect(response.errorCode).toBe("internal_error");
  });

  it.each<ConnectView>([
    { status: "in_progress", turn: 1 },
    { status: "completed", turn: 1 },
    { status: "completed", turn: 1, answer: "yes" },
    { status: "error", turn: 1 },
    { status: "partial", turn: 1, progressive: { heard: 0, unheard: ["yes"], locale: "en-US" } },
    { status: "error", turn: 1, progressive: { heard: 2, unheard: [], locale: "en-US" } },
  ])("always has every key as a string ($status)", (view) => {
    // Prepare: a view with optional fields left out

    // Act
    const response: ConnectContactFlowResult = toConnectResponse(view, options);

    // Assess
    expect(Object.keys(response).sort()).toEqual([...CONNECT_RESPONSE_KEYS].sort());
    expect(Object.values(response).every((value) => typeof value === "string")).toBe(true);
  });

  it("cuts a long Japanese answer after the last whole sentence that fits", () => {
    // Prepare
    const limits = connectMappingOptions({ maxAnswerChars: 100 });
    const sentence = "本日の営業は午後六時までとなっております。"; // 21 code points
    const view: ConnectView = { status: "completed", turn: 1, answer: sentence.repeat(10) };

    // Act
    const response = toConnectResponse(view, limits);

    // Assess
    expect(response.answer).toBe(sentence.repeat(4));
  });

  it("cuts a long English answer at a sentence boundary without trailing space", () => {
    // Prepare
    const limits = connectMappingOptions({ maxAnswerChars: 100 });
    const answer = "Our store opens at nine. ".repeat(10).trim();

    // Act
    const response = toConnectResponse({ status: "completed", turn: 1, answer }, limits);

    // Assess
    expect(response.answer).toBe("Our store opens at nine. ".repeat(4).trim());
  });

  it("cuts one over-long sentence between graphemes and marks the cut, never splitting an emoji", () => {
    // Prepare
    const limits = connectMappingOptions({ maxAnswerChars: 100 });
    const answer = `${"あ".repeat(99)}${"👨‍👩‍👧".repeat(10)}`;

    // Act
    const response = toConnectResponse({ status: "completed", turn: 1, answer }, limits);

    // Assess
    expect(response.answer).toBe(`${"あ".repeat(99)}…`);
    expect(response.answer).not.toMatch(
      /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
    );
  });

  it("keeps the answer within the configured character cap", () => {
    // Prepare
    const answer = "これはテストです。".repeat(1_000);

    // Act
    const response = toConnectResponse({ status: "completed", turn: 1, answer }, options);

    // Assess
    expect(codePoints(response.answer)).toBeLessThanOrEqual(options.maxAnswerChars);
    expect(codePoints(response.answer)).toBeGreaterThan(options.maxAnswerChars / 2);
  });

  it("keeps the serialized response under Connect's 32 KB whatever the answer", () => {
    // Prepare: generous character cap, so only the byte budget holds a 1 MB answer full of escapes
    const generous = connectMappingOptions({ maxAnswerChars: 30_000 });
    const answer = 'He said "yes"\n\u0001\\ 日本語😀. '.repeat(40_000);

    // Act
    const response = toConnectResponse({ status: "completed", turn: 999_999, answer }, generous);

    // Assess
    expect(serializedBytes(response)).toBeLessThanOrEqual(generous.maxResponseBytes);
    expect(Buffer.byteLength(JSON.stringify(response), "utf8")).toBeLessThan(32 * 1024);
    expect(response.answer.length).toBeGreaterThan(1_000);
  });
});

describe("toConnectErrorResponse", () => {
  it("carries a domain error's code", () => {
    // Prepare
    const error = new StoreUnavailableError("throttled by the table");

    // Act
    const response = toConnectErrorResponse(error, { turn: 2 });

    // Assess
    expect(response).toEqual({
      status: "error",
      answer: "",
      errorCode: "store_unavailable",
      cursor: "",
      answerParts: "",
      errorPrompt: "full",
      turn: "2",
      nextTurn: "3",
    });
  });

  it("carries a refused event's code", () => {
    // Prepare
    const error = { code: "invalid_turn", message: 'turn "abc" is not an integer' } as const;

    // Act
    const response = toConnectErrorResponse(error);

    // Assess
    expect(response.errorCode).toBe("invalid_turn");
  });

  it("echoes a progressive flow's cursor, with the short error prompt once the caller heard a part", () => {
    const error = new StoreUnavailableError("down");

    expect(toConnectErrorResponse(error, { turn: 2, cursor: 0 })).toMatchObject({
      cursor: "0",
      answerParts: "0",
      errorPrompt: "full",
    });
    expect(toConnectErrorResponse(error, { turn: 2, cursor: 2 })).toMatchObject({
      cursor: "2",
      answerParts: "0",
      errorPrompt: "short",
    });
  });

  it("leaves turn and nextTurn empty when the turn is unknown", () => {
    // Prepare
    const error = new DispatchError("lost");

    // Act
    const response = toConnectErrorResponse(error);

    // Assess
    expect(response).toMatchObject({ turn: "", nextTurn: "" });
  });

  it.each<[string, unknown]>([
    ["a plain Error", new Error("kaboom")],
    ["an SDK-like error with its own code", Object.assign(new Error("reset"), { code: "ECONNRESET" })],
    ["an object posing with an unknown code", { code: "drop_table", message: "x" }],
    ["a thrown string", "oops"],
    ["undefined", undefined],
  ])("says internal_error for %s", (_, error) => {
    // Prepare: something that is neither a HoldlineError nor a refused event

    // Act
    const response: ConnectResponse = toConnectErrorResponse(error, { turn: 1 });

    // Assess
    expect(response).toMatchObject({ status: "error", errorCode: "internal_error" });
  });
});

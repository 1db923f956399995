import { executionInState as inState } from "@holdline/domain/testing/executions/execution-in-state";
import { describe, expect, it } from "vitest";
import { toConnectView } from "../../src/connect-view.ts";

describe("Connect view", () => {
  it.each([
    ["queued", { status: "in_progress", turn: 1 }],
    ["running", { status: "in_progress", turn: 1 }],
    ["completed", { status: "completed", turn: 1, answer: "nine" }],
    ["failed", { status: "error", turn: 1, errorCode: "model_error" }],
  ] as const)("shows a %s execution in the seed's vocabulary", (status, view) => {
    expect(toConnectView(inState(status))).toEqual(view);
  });
});

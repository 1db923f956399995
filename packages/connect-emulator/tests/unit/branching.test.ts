import type { FlowAction, FlowTransitions } from "@holdline/contact-flow/flow-language";
import { describe, expect, it } from "vitest";
import {
  conditionOrError,
  errorBranch,
  errorTarget,
  intentBranch,
  loopStep,
  matchCondition,
  matches,
} from "../../src/branching.ts";

const action = (transitions: FlowTransitions): FlowAction => ({
  Identifier: "block",
  Type: "Compare",
  Parameters: {},
  Transitions: transitions,
});

const equals = (operand: string, next: string) => ({
  NextAction: next,
  Condition: { Operator: "Equals" as const, Operands: [operand] },
});

describe("matches", () => {
  it("compares text exactly, or by containing, starting or ending with the operand", () => {
    expect(matches("Equals", "completed", "completed")).toBe(true);
    expect(matches("Equals", "completed", "Completed")).toBe(false);
    expect(matches("TextContains", "lete", "completed")).toBe(true);
    expect(matches("TextStartsWith", "comp", "completed")).toBe(true);
    expect(matches("TextEndsWith", "ted", "completed")).toBe(true);
    expect(matches("TextEndsWith", "comp", "completed")).toBe(false);
  });

  it("compares numbers only when both sides are numbers", () => {
    expect(matches("NumberGreaterThan", "10", "12")).toBe(true);
    expect(matches("NumberGreaterThan", "12", "12")).toBe(false);
    expect(matches("NumberGreaterOrEqualTo", "12", "12")).toBe(true);
    expect(matches("NumberLessThan", "3", "2.5")).toBe(true);
    expect(matches("NumberLessOrEqualTo", "2", "3")).toBe(false);
    expect(matches("NumberLessThan", "3", "")).toBe(false);
    expect(matches("NumberLessThan", "3", "two")).toBe(false);
    expect(matches("NumberGreaterThan", " ", "1")).toBe(false);
  });

  it("never matches an operator it does not know", () => {
    expect(matches("Regex", ".*", "anything")).toBe(false);
  });
});

describe("matchCondition", () => {
  it("takes the first condition, in flow order, with an operand the value matches", () => {
    const compare = action({
      Conditions: [
        equals("error", "say-error"),
        { NextAction: "say-done", Condition: { Operator: "Equals", Operands: ["completed", "done"] } },
        equals("done", "never"),
      ],
    });
    expect(matchCondition(compare, "done")).toBe("say-done");
    expect(matchCondition(compare, "error")).toBe("say-error");
    expect(matchCondition(compare, "in_progress")).toBeUndefined();
    expect(matchCondition(action({}), "anything")).toBeUndefined();
  });
});

describe("error branches", () => {
  const withErrors = action({
    Errors: [
      { NextAction: "timed-out", ErrorType: "InputTimeLimitExceeded" },
      { NextAction: "failed", ErrorType: "NoMatchingError" },
    ],
  });

  it("takes the branch for the error, else falls back to NoMatchingError as Connect does", () => {
    expect(errorTarget(withErrors, "InputTimeLimitExceeded")).toBe("timed-out");
    expect(errorTarget(withErrors, "NoMatchingCondition")).toBe("failed");
    expect(errorTarget(action({}), "NoMatchingCondition")).toBeUndefined();
  });

  it("stops the run with missing_branch when the flow has neither", () => {
    expect(errorBranch(withErrors, "InProgress")).toBe("failed");
    expect(() => errorBranch(action({}), "InProgress")).toThrow(
      expect.objectContaining({ name: "EmulatorError", code: "missing_branch" }),
    );
  });

  it("prefers a matching condition to the error branch", () => {
    const compare = action({
      Conditions: [equals("completed", "say-answer")],
      Errors: [{ NextAction: "no-match", ErrorType: "NoMatchingCondition" }],
    });
    expect(conditionOrError(compare, "completed", "NoMatchingCondition")).toBe("say-answer");
    expect(conditionOrError(compare, "in_progress", "NoMatchingCondition")).toBe("no-match");
  });
});

describe("intentBranch", () => {
  it("takes the intent's condition, else NoMatchingCondition, else the default NextAction", () => {
    const intents = [equals("Goodbye", "bye")];
    const noMatch = [{ NextAction: "other", ErrorType: "NoMatchingCondition" }];
    expect(
      intentBranch(action({ Conditions: intents, Errors: noMatch, NextAction: "next" }), "Goodbye"),
    ).toBe("bye");
    expect(intentBranch(action({ Conditions: intents, Errors: noMatch, NextAction: "next" }), "Other")).toBe(
      "other",
    );
    expect(intentBranch(action({ Conditions: intents, NextAction: "next" }), "Other")).toBe("next");
    expect(intentBranch(action({ Conditions: intents }), "Other")).toBeUndefined();
  });
});

describe("loopStep", () => {
  it("continues count times, is done once, then starts over", () => {
    const results: string[] = [];
    let counter = 0;
    for (let pass = 0; pass < 4; pass++) {
      const step = loopStep(2, counter);
      results.push(step.label);
      counter = step.counter;
    }
    expect(results).toEqual([
      "ContinueLooping (1 of 2)",
      "ContinueLooping (2 of 2)",
      "DoneLooping",
      "ContinueLooping (1 of 2)",
    ]);
    expect(loopStep(0, 0)).toEqual({ result: "DoneLooping", counter: 0, label: "DoneLooping" });
  });
});

import type { FlowAction } from "@holdline/contact-flow/flow-language";
import { EmulatorError } from "./emulator-errors.ts";

/**
 * How a block chooses its next action, given the value it produced: conditions (`Equals`, `Text*`,
 * `Number*`), error branches with Connect's fallback to `NoMatchingError`, Loop counting. Pure: no call
 * state, no time; the blocks record what they chose.
 */

/** Whether `value` satisfies `operator` against one operand. An unknown operator never matches. */
export function matches(operator: string, operand: string, value: string): boolean {
  const numbers = () => {
    const left = Number(value);
    const right = Number(operand);
    return value.trim() !== "" && operand.trim() !== "" && Number.isFinite(left) && Number.isFinite(right)
      ? ([left, right] as const)
      : undefined;
  };
  switch (operator) {
    case "Equals":
      return value === operand;
    case "TextContains":
      return value.includes(operand);
    case "TextStartsWith":
      return value.startsWith(operand);
    case "TextEndsWith":
      return value.endsWith(operand);
    case "NumberGreaterThan": {
      const pair = numbers();
      return pair !== undefined && pair[0] > pair[1];
    }
    case "NumberGreaterOrEqualTo": {
      const pair = numbers();
      return pair !== undefined && pair[0] >= pair[1];
    }
    case "NumberLessThan": {
      const pair = numbers();
      return pair !== undefined && pair[0] < pair[1];
    }
    case "NumberLessOrEqualTo": {
      const pair = numbers();
      return pair !== undefined && pair[0] <= pair[1];
    }
    default:
      return false;
  }
}

/**
 * The first condition, in flow order, with an operand that `value` matches. `operandOf` gives an operand's
 * value: the operand itself, except in Compare, whose operands may be dynamic (`$.Attributes.x`).
 */
export function matchCondition(
  action: FlowAction,
  value: string,
  operandOf: (operand: string) => string = (operand) => operand,
): string | undefined {
  for (const condition of action.Transitions.Conditions ?? []) {
    const { Operator, Operands } = condition.Condition;
    if (Operands.some((operand) => matches(Operator, operandOf(operand), value))) return condition.NextAction;
  }
  return undefined;
}

/** The branch for `errorType`, else the `NoMatchingError` branch, as Connect falls back. */
export function errorTarget(action: FlowAction, errorType: string): string | undefined {
  const errors = action.Transitions.Errors ?? [];
  return (
    errors.find((error) => error.ErrorType === errorType)?.NextAction ??
    errors.find((error) => error.ErrorType === "NoMatchingError")?.NextAction
  );
}

/** `errorTarget`; a flow with neither branch cannot go on (`missing_branch`). */
export function errorBranch(action: FlowAction, errorType: string): string {
  const target = errorTarget(action, errorType);
  if (target === undefined) {
    throw new EmulatorError(
      "missing_branch",
      `action "${action.Identifier}" (${action.Type}) raised ${errorType} and has no branch for it`,
    );
  }
  return target;
}

/** The matching condition, else the `errorType` branch. */
export const conditionOrError = (action: FlowAction, value: string, errorType: string): string =>
  matchCondition(action, value) ?? errorBranch(action, errorType);

/** A Lex block: the intent's condition, else `NoMatchingCondition`, else the default `NextAction`. */
export const intentBranch = (action: FlowAction, intent: string): string | undefined =>
  matchCondition(action, intent) ??
  errorTarget(action, "NoMatchingCondition") ??
  action.Transitions.NextAction;

export interface LoopStep {
  readonly result: "ContinueLooping" | "DoneLooping";
  /** The counter the contact keeps for this Loop after this pass. */
  readonly counter: number;
  /** What the timeline shows, e.g. `ContinueLooping (2 of 3)`. */
  readonly label: string;
}

/** Loop: `ContinueLooping` `count` times, then `DoneLooping` once, and the counter starts over. */
export function loopStep(count: number, done: number): LoopStep {
  if (done < count) {
    return {
      result: "ContinueLooping",
      counter: done + 1,
      label: `ContinueLooping (${done + 1} of ${count})`,
    };
  }
  return { result: "DoneLooping", counter: 0, label: "DoneLooping" };
}

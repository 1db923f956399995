import type { FlowAction } from "@holdline/contact-flow/flow-language";
import { requiredText, textOf } from "./action-parameters.ts";
import { conditionOrError, errorBranch, loopStep, matchCondition } from "./branching.ts";
import type { CallContext } from "./call-context.ts";
import { isJsonPath, resolveValue } from "./flow-data.ts";

/** Blocks that only steer the flow: Compare, Loop, DisconnectParticipant. */

/**
 * Check contact attributes. An operand may be dynamic, a JSONPath compared as its value ("Conditions to check
 * can be dynamic … `$.Attributes.verificationCode`", Admin Guide, "Flow block: Check contact attributes");
 * the branch event shows each dynamic operand's value.
 */
export function compare(action: FlowAction, call: CallContext): string | undefined {
  const path = textOf(action.Parameters.ComparisonValue);
  const value = resolveValue(call.data, path ?? "");
  const target = matchCondition(action, value, (operand) => resolveValue(call.data, operand));
  const dynamic = (action.Transitions.Conditions ?? [])
    .flatMap((condition) => condition.Condition.Operands)
    .filter(isJsonPath)
    .map((operand) => `; ${operand} = ${JSON.stringify(resolveValue(call.data, operand))}`)
    .join("");
  call.record({
    kind: "branch",
    at: call.now(),
    identifier: action.Identifier,
    type: action.Type,
    result: `${path} = ${JSON.stringify(value)}${dynamic}${target === undefined ? " (no match)" : ""}`,
  });
  return target ?? errorBranch(action, "NoMatchingCondition");
}

/** The counter lasts for the contact, per Loop action. */
export function loop(action: FlowAction, call: CallContext): string | undefined {
  const count = Number(resolveValue(call.data, requiredText(action, "LoopCount")));
  if (!Number.isInteger(count) || count < 0) return errorBranch(action, "NoMatchingError");
  const step = loopStep(count, call.loopCounters.get(action.Identifier) ?? 0);
  call.loopCounters.set(action.Identifier, step.counter);
  call.record({
    kind: "branch",
    at: call.now(),
    identifier: action.Identifier,
    type: action.Type,
    result: step.label,
  });
  return conditionOrError(action, step.result, "NoMatchingError");
}

export function disconnectParticipant(action: FlowAction, call: CallContext): undefined {
  call.record({ kind: "disconnect", at: call.now(), identifier: action.Identifier });
  call.disconnect();
  return undefined;
}

import type { FlowAction } from "@holdline/contact-flow/flow-language";
import { requiredText, textOf } from "./action-parameters.ts";
import { conditionOrError, errorBranch, errorTarget, matchCondition } from "./branching.ts";
import type { CallContext } from "./call-context.ts";
import { EmulatorError } from "./emulator-errors.ts";
import { resolveValue } from "./flow-data.ts";
import { lookUp, resourceKey } from "./flow-structure.ts";
import { isInHours, localTime } from "./hours-of-operation.ts";

/**
 * Where the contact goes: other flows and modules, queues and agents, the hours and percentage checks. A
 * destination outside the emulator's world (a queue, an agent, a flow that was not given) ends the call with a
 * `transfer` event; the sources are the flow-language reference pages of each action.
 */

export interface QueueSetup {
  /** `$.Queue.Name` once it is the target queue; default: the queue id. */
  readonly name?: string;
  /** TransferContactToQueue takes `QueueAtCapacity` instead of queuing the contact. */
  readonly atCapacity?: boolean;
  /** The queue's hours (a key of `hoursOfOperation`), for CheckHoursOfOperation without `HoursOfOperationId`. */
  readonly hoursOfOperationId?: string;
}

const record = (call: CallContext, action: FlowAction, result: string) =>
  call.record({ kind: "branch", at: call.now(), identifier: action.Identifier, type: action.Type, result });

/** A parameter that may be static or a JSONPath; resolving to nothing takes the Error branch, with a note. */
function resolved(action: FlowAction, call: CallContext, name: string): string | undefined {
  const given = requiredText(action, name);
  const value = resolveValue(call.data, given);
  if (value !== "") return value;
  call.record({
    kind: "note",
    at: call.now(),
    source: "emulator",
    text: `${action.Type} "${action.Identifier}": ${name} ${given} resolved to nothing: error branch`,
  });
  return undefined;
}

/** TransferToFlow: "Execution jumps to a different flow" — run it when given, else the contact leaves. */
export function transferToFlow(action: FlowAction, call: CallContext): string | undefined {
  const flowId = resolved(action, call, "ContactFlowId");
  if (flowId === undefined) return errorBranch(action, "NoMatchingError");
  const flow = lookUp(call.options.flows, flowId);
  if (flow !== undefined) return call.enterFlow(action, resourceKey(flowId), flow);
  return call.leave(action, {
    destination: "flow",
    target: flowId,
    text: `transferred to flow ${flowId} (not given to the emulator)`,
  });
}

/** InvokeFlowModule: runs the module, then comes back here (EndFlowModuleExecution). */
export function invokeFlowModule(action: FlowAction, call: CallContext): string | undefined {
  const moduleId = resolved(action, call, "FlowModuleId");
  if (moduleId === undefined) return errorBranch(action, "NoMatchingError");
  const module = lookUp(call.options.flowModules, moduleId);
  if (module === undefined) {
    throw new EmulatorError(
      "no_flow_module",
      `InvokeFlowModule "${action.Identifier}" runs module ${moduleId}, which was not given: pass it in the emulator's flowModules`,
    );
  }
  return call.enterModule(action, resourceKey(moduleId), module);
}

/**
 * EndFlowModuleExecution: back to the InvokeFlowModule that ran the module; a `Result` names its branch
 * (a condition on the invoking action), else its `NextAction`. Outside a module, the flow ends.
 */
export function endFlowModule(action: FlowAction, call: CallContext): string | undefined {
  const caller = call.leaveModule();
  if (caller === undefined) return endFlow(action, call);
  const result = textOf(action.Parameters.Result);
  record(call, caller, `module returned${result === undefined ? "" : ` ${result}`}`);
  return (result === undefined ? undefined : matchCondition(caller, result)) ?? caller.Transitions.NextAction;
}

/** EndFlowExecution: "Finishes flow, but does not explicitly disconnect the participant." */
export function endFlow(action: FlowAction, call: CallContext): undefined {
  call.record({ kind: "end-flow", at: call.now(), identifier: action.Identifier });
  return undefined;
}

/** UpdateContactTargetQueue: `QueueId` or `AgentId` (an agent's queue) becomes `$.Queue`. */
export function updateTargetQueue(action: FlowAction, call: CallContext): string | undefined {
  const byAgent = action.Parameters.QueueId === undefined && action.Parameters.AgentId !== undefined;
  const id = resolved(action, call, byAgent ? "AgentId" : "QueueId");
  if (id === undefined) return errorBranch(action, "NoMatchingError");
  const setup = lookUp(call.options.queues, id);
  const arn = id.startsWith("arn:") ? id : `${call.data.InstanceARN}/${byAgent ? "agent" : "queue"}/${id}`;
  call.data.Queue = {
    ARN: arn,
    Name: setup?.name ?? (byAgent ? `agent ${resourceKey(id)}` : resourceKey(id)),
  };
  call.record({
    kind: "setting",
    at: call.now(),
    identifier: action.Identifier,
    name: "target queue",
    value: `${call.data.Queue.Name} (${arn})`,
  });
  return action.Transitions.NextAction;
}

/** TransferContactToQueue: into the target queue, ending the call here; `QueueAtCapacity` when configured. */
export function transferToQueue(action: FlowAction, call: CallContext): string | undefined {
  const queue = call.data.Queue;
  if (queue === null) {
    call.record({
      kind: "note",
      at: call.now(),
      source: "emulator",
      text: `TransferContactToQueue "${action.Identifier}": the contact has no target queue (UpdateContactTargetQueue): error branch`,
    });
    return errorBranch(action, "NoMatchingError");
  }
  if (lookUp(call.options.queues, queue.ARN)?.atCapacity === true) {
    record(call, action, `${queue.Name} is at capacity`);
    return errorBranch(action, "QueueAtCapacity");
  }
  return call.leave(action, { destination: "queue", target: queue.ARN, text: `queued to ${queue.Name}` });
}

/** TransferContactToAgent, TransferParticipantToThirdParty, DequeueContactAndTransferToQueue: the call leaves. */
export function transferOut(action: FlowAction, call: CallContext): undefined {
  if (action.Type === "TransferParticipantToThirdParty") {
    const number = resolveValue(call.data, textOf(action.Parameters.ThirdPartyPhoneNumber) ?? "");
    return call.leave(action, {
      destination: "phone-number",
      target: number,
      text: `transferred to ${number} (the third-party leg is not emulated)`,
    });
  }
  if (action.Type === "DequeueContactAndTransferToQueue") {
    const target = resolveValue(
      call.data,
      textOf(action.Parameters.QueueId) ?? textOf(action.Parameters.AgentId) ?? "",
    );
    return call.leave(action, { destination: "queue", target, text: `queued to ${target}` });
  }
  return call.leave(action, { destination: "agent", target: "", text: "transferred to an agent" });
}

/**
 * DistributeByPercentage: "a random number between 1 and 100, inclusive", compared by the cumulative
 * `NumberLessThan` conditions; no match is `NoMatchingCondition` (the remainder), as in AWS's sample A/B flow.
 * The roll comes from the emulator's seeded generator.
 */
export function distributeByPercentage(action: FlowAction, call: CallContext): string | undefined {
  const roll = 1 + Math.floor(call.random() * 100);
  const target = matchCondition(action, String(roll));
  record(call, action, `rolled ${roll} of 100${target === undefined ? " (remainder)" : ""}`);
  return (
    target ??
    errorTarget(action, "NoMatchingCondition") ??
    action.Transitions.NextAction ??
    errorBranch(action, "NoMatchingCondition")
  );
}

/**
 * CheckHoursOfOperation: `True` in hours, `False` out of hours, for `HoursOfOperationId` or else the target
 * queue's hours, at the contact's time on the emulator's clock.
 */
export function checkHoursOfOperation(action: FlowAction, call: CallContext): string | undefined {
  const given = textOf(action.Parameters.HoursOfOperationId);
  const queue = call.data.Queue;
  const id =
    given === undefined
      ? queue === null
        ? undefined
        : lookUp(call.options.queues, queue.ARN)?.hoursOfOperationId
      : resolveValue(call.data, given);
  const hours = id === undefined ? undefined : lookUp(call.options.hoursOfOperation, id);
  if (id === undefined || hours === undefined) {
    throw new EmulatorError(
      "no_hours_of_operation",
      `CheckHoursOfOperation "${action.Identifier}" needs ${id === undefined ? "hours for the target queue (queues[…].hoursOfOperationId)" : `hours ${id}`}: pass them in the emulator's hoursOfOperation`,
    );
  }
  const result = isInHours(hours, call.clock.now()) ? "True" : "False";
  record(call, action, `${result} (${localTime(call.clock.now(), hours.TimeZone).label})`);
  return conditionOrError(action, result, "NoMatchingError");
}

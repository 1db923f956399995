import type { FlowAction } from "@holdline/contact-flow/flow-language";
import { isTrue, objectOf, textOf } from "./action-parameters.ts";
import { conditionOrError, errorBranch, errorTarget, matchCondition } from "./branching.ts";
import { type ArmedWait, type AsyncInvocation, type CallContext, HangUp, Interrupt } from "./call-context.ts";
import { resolveValue } from "./flow-data.ts";

/**
 * Wait, plain or on an event (a Lambda returning): taken at once if the event already happened. With
 * ContinueExecution the contact goes down `Continue` and the wait stays armed: when the Lambda returns or
 * the timeout passes, whatever the Continue branch is doing (a filler prompt) is cut short and the flow
 * jumps to that branch. Entering the armed block again goes down `Continue` again.
 */
export async function wait(action: FlowAction, call: CallContext): Promise<string | undefined> {
  const parameters = action.Parameters;
  const timeoutMs = Number(resolveValue(call.data, textOf(parameters.TimeoutSeconds) ?? "")) * 1_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) return errorBranch(action, "NoMatchingError");
  const lambdaEvent = objectOf(
    objectOf(objectOf(parameters.InterruptibleEvents).LambdaReturned).AsyncLambdaCompletionEvent,
  );
  const idPath = textOf(lambdaEvent.Identifier);
  const invocation =
    idPath === undefined ? undefined : call.asyncInvocations.get(resolveValue(call.data, idPath));
  const branch = (result: string) => {
    call.record({ kind: "branch", at: call.now(), identifier: action.Identifier, type: action.Type, result });
    return conditionOrError(action, result, "NoMatchingError");
  };

  if (invocation?.report !== undefined) {
    disarm(call, action.Identifier);
    return branch("LambdaReturned");
  }
  if (isTrue(parameters.ContinueExecution)) {
    if (!call.armedWaits.has(action.Identifier)) arm(action, call, timeoutMs, invocation);
    return branch("Continue");
  }
  const woken = new AbortController();
  const wake = () => woken.abort();
  invocation?.listeners.add(wake);
  try {
    await call.pause(timeoutMs, woken.signal);
    return branch("WaitCompleted");
  } catch (error) {
    if (woken.signal.aborted && !(error instanceof HangUp) && !(error instanceof Interrupt))
      return branch("LambdaReturned");
    throw error;
  } finally {
    invocation?.listeners.delete(wake);
  }
}

/** Stops every armed wait: the flow has ended. */
export function disarmAll(call: CallContext): void {
  for (const identifier of [...call.armedWaits.keys()]) disarm(call, identifier);
}

/** Fires once, on the Lambda returning or the timeout, unless another jump is already on its way. */
function arm(
  action: FlowAction,
  call: CallContext,
  timeoutMs: number,
  invocation: AsyncInvocation | undefined,
) {
  const timer = new AbortController();
  const fire = (result: "LambdaReturned" | "WaitCompleted") => {
    if (call.armedWaits.get(action.Identifier) !== armed || call.jumpPending) return;
    disarm(call, action.Identifier);
    const target = matchCondition(action, result) ?? errorTarget(action, "NoMatchingError");
    if (target === undefined) return;
    call.jump({ identifier: action.Identifier, type: action.Type, result, target });
  };
  const onReturn = () => fire("LambdaReturned");
  invocation?.listeners.add(onReturn);
  const armed: ArmedWait = { timer, stopListening: () => invocation?.listeners.delete(onReturn) };
  call.armedWaits.set(action.Identifier, armed);
  call.clock.sleep(timeoutMs, timer.signal).then(
    () => fire("WaitCompleted"),
    () => undefined,
  );
}

function disarm(call: CallContext, identifier: string) {
  const armed = call.armedWaits.get(identifier);
  if (armed === undefined) return;
  call.armedWaits.delete(identifier);
  armed.timer.abort();
  armed.stopListening();
}

import type { FlowAction } from "@holdline/contact-flow/flow-language";
import { isTrue, objectOf, requiredText, textOf } from "./action-parameters.ts";
import { conditionOrError, errorBranch, errorTarget, matchCondition } from "./branching.ts";
import { type ArmedWait, type AsyncInvocation, type CallContext, HangUp, Interrupt } from "./call-context.ts";
import { EmulatorError } from "./emulator-errors.ts";
import { resolveValue } from "./flow-data.ts";

/**
 * Wait, plain or on an event (a Lambda returning): taken at once if the event already happened. With
 * `ContinueExecution` ("keep running while waiting") the contact stays in the block for
 * `MinimumWaitTimeSeconds`, then goes down `Continue` while the wait stays armed: when the Lambda returns or
 * the time limit passes, the flow jumps to that branch, cutting short whatever the Continue branch is doing
 * (or letting it finish, with `keepRunningWaitEvent: "finish-block"`). Entering the armed block again waits
 * the minimum again, then goes down `Continue` again; the time limit counts from the first entry.
 */
export async function wait(action: FlowAction, call: CallContext): Promise<string | undefined> {
  const parameters = action.Parameters;
  const limitText = timeLimitSeconds(action);
  const limitMs = seconds(resolveValue(call.data, limitText));
  if (limitMs === undefined || limitMs <= 0) return invalidTime(action, call, "TimeLimitSeconds", limitText);
  const keepRunning = isTrue(parameters.ContinueExecution);
  // Required in keep-running mode (MGW: the live API refuses the flow without it). Our reading, which no AWS
  // page confirms: each time the contact enters the block, Continue is not taken before that long.
  const minimumText = keepRunning ? requiredText(action, "MinimumWaitTimeSeconds") : "0";
  const minimumMs = seconds(resolveValue(call.data, minimumText));
  if (minimumMs === undefined || minimumMs < 0)
    return invalidTime(action, call, "MinimumWaitTimeSeconds", minimumText);

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
  if (keepRunning) {
    const armed = call.armedWaits.get(action.Identifier) ?? arm(action, call, limitMs, invocation);
    const holds = call.options.keepRunningMinimumWait !== "not-applied";
    const stay = holds ? Math.min(minimumMs, armed.deadline - call.clock.now()) : 0;
    if (stay > 0) {
      try {
        await call.pause(stay, armed.fired.signal);
      } catch (error) {
        // The wait's own event during the minimum: its jump is pending; the interpreter takes it now.
        if (armed.fired.signal.aborted && !(error instanceof HangUp)) throw new Interrupt();
        throw error;
      }
    }
    return branch("Continue");
  }
  const woken = new AbortController();
  const wake = () => woken.abort();
  invocation?.listeners.add(wake);
  try {
    await call.pause(limitMs, woken.signal);
    return branch("WaitCompleted");
  } catch (error) {
    if (woken.signal.aborted && !(error instanceof HangUp) && !(error instanceof Interrupt))
      return branch("LambdaReturned");
    throw error;
  } finally {
    invocation?.listeners.delete(wake);
  }
}

/**
 * `TimeLimitSeconds`, the console's and the live API's name. The flow-language reference documents
 * `TimeoutSeconds`, which `CreateContactFlow` rejects ("the documented name is rejected outright":
 * mgaffigan/pulumi-amazon-connect docs/wire-format-checks.md); a flow using it stops with a message saying so,
 * rather than taking the error branch on every entry.
 */
function timeLimitSeconds(action: FlowAction): string {
  if (action.Parameters.TimeLimitSeconds === undefined && action.Parameters.TimeoutSeconds !== undefined) {
    throw new EmulatorError(
      "invalid_parameter",
      `Wait "${action.Identifier}" gives TimeoutSeconds, the flow-language reference's name, which CreateContactFlow ` +
        `rejects (mgaffigan/pulumi-amazon-connect docs/wire-format-checks.md): Connect's console and live API use TimeLimitSeconds`,
    );
  }
  return requiredText(action, "TimeLimitSeconds");
}

const seconds = (text: string): number | undefined => {
  const value = Number(text);
  return text.trim() === "" || !Number.isFinite(value) ? undefined : value * 1_000;
};

/** A dynamic time that resolves to nothing usable: Connect takes the error branch; the timeline says why. */
function invalidTime(action: FlowAction, call: CallContext, name: string, given: string): string {
  call.record({
    kind: "note",
    at: call.now(),
    source: "emulator",
    text: `Wait "${action.Identifier}": ${name} "${given}" is ${JSON.stringify(resolveValue(call.data, given))}, not a number of seconds: error branch`,
  });
  return errorBranch(action, "NoMatchingError");
}

/** Stops every armed wait: the flow has ended or another flow replaced it. */
export function disarmAll(call: CallContext): void {
  for (const identifier of [...call.armedWaits.keys()]) disarm(call, identifier);
}

/** Fires once, on the Lambda returning or the time limit, unless another jump is already on its way. */
function arm(
  action: FlowAction,
  call: CallContext,
  limitMs: number,
  invocation: AsyncInvocation | undefined,
): ArmedWait {
  const timer = new AbortController();
  const fired = new AbortController();
  const fire = (result: "LambdaReturned" | "WaitCompleted") => {
    if (call.armedWaits.get(action.Identifier) !== armed || call.jumpPending) return;
    disarm(call, action.Identifier);
    const target = matchCondition(action, result) ?? errorTarget(action, "NoMatchingError");
    if (target === undefined) return;
    call.jump({ identifier: action.Identifier, type: action.Type, result, target });
    fired.abort();
  };
  const onReturn = () => fire("LambdaReturned");
  invocation?.listeners.add(onReturn);
  const armed: ArmedWait = {
    timer,
    fired,
    deadline: call.clock.now() + limitMs,
    stopListening: () => invocation?.listeners.delete(onReturn),
  };
  call.armedWaits.set(action.Identifier, armed);
  call.clock.sleep(limitMs, timer.signal).then(
    () => fire("WaitCompleted"),
    () => undefined,
  );
  return armed;
}

function disarm(call: CallContext, identifier: string) {
  const armed = call.armedWaits.get(identifier);
  if (armed === undefined) return;
  call.armedWaits.delete(identifier);
  armed.timer.abort();
  armed.stopListening();
}

import type { FlowAction } from "@holdline/contact-flow/flow-language";
import type { ConnectContactFlowEvent } from "aws-lambda";
import { objectOf, requiredText, textOf } from "./action-parameters.ts";
import { errorBranch } from "./branching.ts";
import type { AsyncInvocation, CallContext } from "./call-context.ts";
import { EmulatorError } from "./emulator-errors.ts";
import { type FlowData, resolveMap, resolveValue } from "./flow-data.ts";
import { functionName } from "./lambda-function.ts";
import { CONNECT_LAMBDA_LIMITS, type InvocationRequest } from "./lambda-invoker.ts";

/**
 * InvokeLambdaFunction and LoadLambdaFunctionResult. The Lambda semantics themselves (retries, limits,
 * validation) are the invoker's; these blocks build the event, keep `$.External` and branch.
 */

export async function invokeLambda(action: FlowAction, call: CallContext): Promise<string | undefined> {
  const request = invocationRequest(action, call);
  if (request.functionArn === "") {
    call.record({
      kind: "note",
      at: call.now(),
      source: "emulator",
      text: `InvokeLambdaFunction "${action.Identifier}": LambdaFunctionARN ${String(action.Parameters.LambdaFunctionARN)} resolved to nothing: error branch`,
    });
    call.data.External = {};
    return errorBranch(action, "NoMatchingError");
  }
  const { invocationId, mode } = request;
  const at = call.now();
  const name = functionName(request.functionArn);
  call.invoker.assertHandler(request.functionArn);

  if (mode === "ASYNCHRONOUS") {
    const pending: AsyncInvocation = { listeners: new Set() };
    call.asyncInvocations.set(invocationId, pending);
    const work = call.invoker.invoke(request).then((report) => {
      pending.report = report;
      call.record({
        kind: "async-result",
        at: call.now(),
        invocationId,
        functionName: name,
        outcome: report.outcome,
      });
      for (const listener of [...pending.listeners]) listener();
    });
    call.track(work);
    call.data.LambdaInvocation = { InvocationId: invocationId };
    call.record({
      kind: "invocation",
      at,
      endAt: at,
      identifier: action.Identifier,
      invocationId,
      functionName: name,
      mode,
      outcome: { status: "dispatched" },
      attempts: [],
    });
    return action.Transitions.NextAction;
  }

  const invocation = call.invoker.invoke(request);
  // Recorded when the invocation ends, even if the flow stopped waiting (hang-up, interrupting event).
  call.track(
    invocation.then((done) =>
      call.record({
        kind: "invocation",
        at,
        endAt: call.now(),
        identifier: action.Identifier,
        invocationId,
        functionName: name,
        mode,
        outcome: done.outcome,
        attempts: done.attempts,
      }),
    ),
  );
  const report = await call.untilInterrupted(invocation);
  if (report.outcome.status === "success") {
    call.data.External = report.outcome.response;
    return action.Transitions.NextAction;
  }
  // Cleared, so a stale `completed` can never be read as this invocation's result.
  call.data.External = {};
  return errorBranch(action, "NoMatchingError");
}

/**
 * Loads an asynchronous invocation's response into `$.External`; `InProgress` while it runs. The invocation is
 * `LambdaInvocationId` (the name the builder writes after issue 14; no console export shows this action, so the
 * name is the best evidence there is, not a confirmed one), by default `$.LambdaInvocation.InvocationId`.
 */
export function loadLambdaResult(action: FlowAction, call: CallContext): string | undefined {
  if (action.Parameters.LambdaInvocationId === undefined && action.Parameters.InvocationId !== undefined) {
    throw new EmulatorError(
      "invalid_parameter",
      `LoadLambdaFunctionResult "${action.Identifier}" gives InvocationId; the parameter is LambdaInvocationId`,
    );
  }
  const path = textOf(action.Parameters.LambdaInvocationId) ?? "$.LambdaInvocation.InvocationId";
  const invocationId = resolveValue(call.data, path) || call.data.LambdaInvocation.InvocationId || "";
  const invocation = call.asyncInvocations.get(invocationId);
  const result =
    invocation === undefined
      ? "unknown invocation"
      : invocation.report === undefined
        ? "InProgress"
        : invocation.report.outcome.status;
  call.record({ kind: "branch", at: call.now(), identifier: action.Identifier, type: action.Type, result });
  if (invocation?.report === undefined) {
    return errorBranch(action, invocation === undefined ? "NoMatchingError" : "InProgress");
  }
  if (invocation.report.outcome.status === "success") {
    call.data.External = invocation.report.outcome.response;
    return action.Transitions.NextAction;
  }
  call.data.External = {};
  return errorBranch(action, "NoMatchingError");
}

/** The block's parameters, resolved, with the time limit capped at Connect's 8 s (60 s asynchronous). */
function invocationRequest(action: FlowAction, call: CallContext): InvocationRequest {
  const parameters = action.Parameters;
  const mode = textOf(parameters.InvocationType) === "ASYNCHRONOUS" ? "ASYNCHRONOUS" : "SYNCHRONOUS";
  const maxSeconds =
    mode === "ASYNCHRONOUS"
      ? CONNECT_LAMBDA_LIMITS.maxAsyncTimeLimitSeconds
      : CONNECT_LAMBDA_LIMITS.maxSyncTimeLimitSeconds;
  const limitSeconds = Math.min(maxSeconds, Number(textOf(parameters.InvocationTimeLimitSeconds) ?? "3"));
  const responseType =
    textOf(objectOf(parameters.ResponseValidation).ResponseType) === "JSON" ? "JSON" : "STRING_MAP";
  return {
    invocationId: call.newId("a5c1e000"),
    functionArn: resolveValue(call.data, requiredText(action, "LambdaFunctionARN")),
    mode,
    limitMs: limitSeconds * 1_000,
    responseType,
    event: contactFlowEvent(call.data, resolveMap(call.data, parameters.LambdaInvocationAttributes)),
  };
}

/** The event Connect sends: the contact's data, and the block's attributes as `Details.Parameters`. */
function contactFlowEvent(data: FlowData, parameters: Record<string, string>): ConnectContactFlowEvent {
  return {
    Details: {
      ContactData: {
        Attributes: { ...data.Attributes },
        Channel: "VOICE",
        ContactId: data.ContactId,
        CustomerEndpoint: { ...data.CustomerEndpoint },
        InitialContactId: data.InitialContactId,
        InitiationMethod: "INBOUND",
        InstanceARN: data.InstanceARN,
        PreviousContactId: data.ContactId,
        Queue: data.Queue === null ? null : { ...data.Queue },
        SystemEndpoint: { ...data.SystemEndpoint },
        // As AWS documents it: no StopFragmentNumber, although @types/aws-lambda declares one.
        MediaStreams: {
          Customer: {
            Audio: (data.MediaStreams.Customer.Audio === null
              ? null
              : {
                  ...data.MediaStreams.Customer.Audio,
                }) as ConnectContactFlowEvent["Details"]["ContactData"]["MediaStreams"]["Customer"]["Audio"],
          },
        },
        ...(data.LanguageCode === "" ? {} : { LanguageCode: data.LanguageCode }),
      },
      Parameters: parameters,
    },
    Name: "ContactFlowEvent",
  };
}

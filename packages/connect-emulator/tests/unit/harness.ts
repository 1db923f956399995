import { compare, disconnect, invokeLambda, message } from "@holdline/contact-flow/flow-actions";
import { FlowBuilder } from "@holdline/contact-flow/flow-builder";
import type { FlowAction, FlowDocument } from "@holdline/contact-flow/flow-language";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import type { CallerScript } from "../../src/caller-script.ts";
import { type CallResult, ConnectEmulator, type ConnectEmulatorOptions } from "../../src/connect-emulator.ts";
import type { LambdaFunctions } from "../../src/lambda-function.ts";
import type { TimelineEvent } from "../../src/timeline.ts";

export const ARN = "arn:aws:lambda:ap-northeast-1:123456789012:function:fake";
export const OTHER_ARN = "arn:aws:lambda:ap-northeast-1:123456789012:function:other";

/** A flow from actions; the first one starts it. */
export const flowOf = (...actions: FlowAction[]): FlowDocument =>
  new FlowBuilder().add(...actions).build(actions[0]?.Identifier ?? "");

export const say = (id: string, text: string, next = "hang-up") =>
  message(id, { text }, { next, onError: next });

/** A flow document as is, unvalidated: for shapes the builder does not write (console exports, broken flows). */
export const rawFlow = (...actions: FlowAction[]): FlowDocument => ({
  Version: "2019-10-30",
  StartAction: actions[0]?.Identifier ?? "",
  Actions: actions,
});

/** One action as JSON, for types the builder does not write. */
export const act = (
  Identifier: string,
  Type: string,
  Parameters: Record<string, unknown>,
  Transitions: FlowAction["Transitions"] = {},
): FlowAction => ({ Parameters, Identifier, Type, Transitions });

/** `{ NextAction, Errors: [NoMatchingError] }`: the shape most console actions have. */
export const next = (target: string, onError = target): FlowAction["Transitions"] => ({
  NextAction: target,
  Errors: [{ NextAction: onError, ErrorType: "NoMatchingError" }],
});

/** A MessageParticipant with no error branch of its own beyond NoMatchingError, going to `then`. */
export const speak = (id: string, text: string, then = "end"): FlowAction =>
  act(id, "MessageParticipant", { Text: text }, next(then));

export const hangUp = (id = "end"): FlowAction => act(id, "DisconnectParticipant", {});

/** invoke `ARN` → on success say `$.External.<key>`, on error say "failed". */
export function invokeThenSay(
  key = "status",
  options: Partial<Parameters<typeof invokeLambda>[1]> = {},
): FlowDocument {
  return flowOf(
    invokeLambda(
      "invoke",
      {
        functionArn: ARN,
        invocationType: "SYNCHRONOUS",
        timeLimitSeconds: 8,
        responseType: "STRING_MAP",
        ...options,
      },
      { next: "said", onError: "failed" },
    ),
    say("said", `$.External.${key}`),
    say("failed", "failed"),
    disconnect("hang-up"),
  );
}

export { compare };

export const newClock = () => new ManualClock(Date.UTC(2026, 0, 1));

export function emulatorOn(
  functions: LambdaFunctions,
  options: Partial<Omit<ConnectEmulatorOptions, "clock">> = {},
  clock = newClock(),
) {
  const emulator = new ConnectEmulator({ clock, functions, ...options });
  const run = async (flow: FlowDocument, script: CallerScript = {}) => {
    const call = emulator.call(flow, script);
    const ended = await clock.run(call.ended);
    const settled = await clock.run(call.settled);
    return { ended, settled };
  };
  return { clock, emulator, run };
}

type Of<K extends TimelineEvent["kind"]> = Extract<TimelineEvent, { kind: K }>;

export const eventsOf = <K extends TimelineEvent["kind"]>(result: CallResult, kind: K): Of<K>[] =>
  result.timeline.filter((event): event is Of<K> => event.kind === kind);

export const spoken = (result: CallResult): string[] => eventsOf(result, "prompt").map((event) => event.text);

import type { FlowAction } from "@holdline/contact-flow/flow-language";
import { isTrue, objectOf, textOf } from "./action-parameters.ts";
import { conditionOrError, errorBranch, intentBranch } from "./branching.ts";
import type { CallContext } from "./call-context.ts";
import { type CallerTurn, keyTimesMs } from "./caller-script.ts";
import { LexTurnFailedError } from "./emulator-errors.ts";
import { resolveMap } from "./flow-data.ts";
import { fallbackOnlyLexBot, type LexResponse } from "./lex-simulator.ts";
import { playPrompt } from "./prompt-blocks.ts";
import { estimateSpeechMs } from "./speech-timing.ts";
import { storeCustomerInput } from "./store-input.ts";

/** What the caller says or presses: GetParticipantInput (DTMF) and ConnectParticipantWithLexBot (speech). */

/**
 * Plays the prompt, then takes the caller's keys. Storing them is "Store customer input" (`store-input.ts`);
 * otherwise it is a menu: the first key is matched against the conditions (`Equals`, one key each).
 */
export async function getParticipantInput(
  action: FlowAction,
  call: CallContext,
): Promise<string | undefined> {
  if (isTrue(action.Parameters.StoreInput)) return storeCustomerInput(action, call);
  await playPrompt(action, call);
  const limitMs = Number(textOf(action.Parameters.InputTimeLimitSeconds) ?? "5") * 1_000;
  const keyMs = call.options.dtmfKeyMs ?? 200;
  const turn = await listen(action, call, limitMs, (candidate) =>
    candidate.press === undefined || candidate.press === ""
      ? undefined
      : (candidate.afterMs ?? 0) +
        (candidate.say === undefined ? 0 : estimateSpeechMs(candidate.say, call.locale, call.speech)) +
        (keyTimesMs(candidate, keyMs)[0] ?? keyMs),
  );
  if (turn?.press === undefined) return errorBranch(action, "InputTimeLimitExceeded");
  if (turn.say !== undefined) recordInput(action, call, "speech", turn.say);
  const key = turn.press.slice(0, 1);
  recordInput(action, call, "dtmf", key);
  return conditionOrError(action, key, "NoMatchingCondition");
}

/** Plays the prompt, then hands the caller's speech to the bot and branches on the intent. */
export async function connectParticipantWithLexBot(
  action: FlowAction,
  call: CallContext,
): Promise<string | undefined> {
  await playPrompt(action, call);
  const limitMs = call.options.lexNoInputTimeoutMs ?? 5_000;
  const turn = await listen(action, call, limitMs, (candidate) =>
    candidate.say === undefined
      ? undefined
      : (candidate.afterMs ?? 0) + estimateSpeechMs(candidate.say, call.locale, call.speech),
  );
  if (turn?.say === undefined) return errorBranch(action, "InputTimeLimitExceeded");
  recordInput(action, call, "speech", turn.say);
  await call.pause(call.options.lexProcessingMs ?? 300);
  const lex = call.options.lex ?? fallbackOnlyLexBot;
  let response: LexResponse;
  try {
    response =
      turn.intent !== undefined
        ? { intent: turn.intent, sessionAttributes: turn.sessionAttributes ?? {} }
        : await lex({
            utterance: turn.say,
            locale: call.locale,
            botAliasArn: textOf(objectOf(action.Parameters.LexV2Bot).AliasArn) ?? "",
            sessionAttributes: resolveMap(call.data, action.Parameters.LexSessionAttributes),
            contactId: call.data.ContactId,
            ...(turn.confidence === undefined ? {} : { confidence: turn.confidence }),
          });
  } catch (error) {
    if (!(error instanceof LexTurnFailedError)) throw error;
    call.record({ kind: "note", at: call.now(), source: "lex", text: error.message });
    return errorBranch(action, "NoMatchingError");
  }
  call.data.Lex = {
    IntentName: response.intent,
    SessionAttributes: { ...response.sessionAttributes },
    Slots: { ...response.slots },
  };
  call.record({
    kind: "lex",
    at: call.now(),
    identifier: action.Identifier,
    intent: response.intent,
    sessionAttributes: call.data.Lex.SessionAttributes,
  });
  return intentBranch(action, response.intent);
}

/**
 * Listens for the caller's next turn within `limitMs`: returns it once `responseMs(turn)` has passed, or
 * undefined on a timeout (no turn left, a turn of the wrong kind, or one too slow). The caller is listened to
 * all the while, so none of it is silence.
 */
async function listen(
  action: FlowAction,
  call: CallContext,
  limitMs: number,
  responseMs: (turn: CallerTurn) => number | undefined,
): Promise<CallerTurn | undefined> {
  const start = call.now();
  const turn = call.nextTurn();
  const needed = turn === undefined ? undefined : responseMs(turn);
  try {
    if (turn === undefined || needed === undefined || needed > limitMs) {
      await call.pause(limitMs);
      call.record({ kind: "input-timeout", at: call.now(), identifier: action.Identifier });
      return undefined;
    }
    await call.pause(needed);
    return turn;
  } finally {
    call.hear({ start, end: call.now() });
  }
}

const recordInput = (action: FlowAction, call: CallContext, mode: "speech" | "dtmf", value: string) =>
  call.record({ kind: "caller-input", at: call.now(), identifier: action.Identifier, mode, value });

import type { FlowAction } from "@holdline/contact-flow/flow-language";
import { isTrue, objectOf, textOf } from "./action-parameters.ts";
import { errorBranch } from "./branching.ts";
import type { CallContext } from "./call-context.ts";
import { keyTimesMs } from "./caller-script.ts";
import { EmulatorError } from "./emulator-errors.ts";
import { resolveValue } from "./flow-data.ts";
import { playPrompt } from "./prompt-blocks.ts";
import { estimateSpeechMs } from "./speech-timing.ts";

/**
 * "Store customer input" (GetParticipantInput with `StoreInput` "True"), as the Admin Guide's *Store customer
 * input* page documents it (https://docs.aws.amazon.com/connect/latest/adminguide/store-customer-input.html):
 * the digits go to `$.StoredCustomerInput` and the contact takes the Success branch (`NextAction`), with the
 * value `Timeout` when the caller entered nothing; `#` ends the entry unless another terminating keypress is
 * set; `*` clears what came before it unless the cancel key is disabled; the entry stops at the maximum number
 * of digits; 5 s between digits unless set otherwise.
 */

export interface StoreInputRules {
  /** "Timeout before first entry" (`InputTimeLimitSeconds`). */
  readonly firstEntryMs: number;
  /** "Timeout in between each entry" (`DTMFConfiguration.InterdigitTimeLimitSeconds`, default 5 s). */
  readonly interdigitMs: number;
  /** "Terminating keypress" (`DTMFConfiguration.InputTerminationSequence`, default `#`, up to five keys). */
  readonly terminator: string;
  /** "Maximum digits" (`InputValidation.CustomValidation.MaximumLength`). */
  readonly maxLength: number;
  /** `*` clears the entry so far, unless `DTMFConfiguration.DisableCancelKey` is "True". */
  readonly cancelKey: boolean;
}

export interface CollectedInput {
  /** The digits stored, without the terminator; undefined when the caller entered nothing (`Timeout`). */
  readonly value: string | undefined;
  readonly endedBy: "terminator" | "max-length" | "first-entry-timeout" | "interdigit-timeout";
  /** When the entry ended, in ms after the block started listening. */
  readonly endMs: number;
  /** The keys the block took, in order; the rest of the turn's keys came too late to count. */
  readonly consumed: string;
  readonly ignored: string;
}

/** Pure: which of the caller's keys (each at `timesMs[i]` after listening starts) make the stored value. */
export function collectDigits(
  keys: string,
  timesMs: readonly number[],
  rules: StoreInputRules,
): CollectedInput {
  const pressed = [...keys];
  let entered = "";
  let lastAt = 0;
  let first = true;
  const done = (
    value: string | undefined,
    endedBy: CollectedInput["endedBy"],
    endMs: number,
    taken: number,
  ): CollectedInput => ({
    value,
    endedBy,
    endMs,
    consumed: pressed.slice(0, taken).join(""),
    ignored: pressed.slice(taken).join(""),
  });
  for (const [index, key] of pressed.entries()) {
    const at = timesMs[index] ?? lastAt;
    const limit = first ? rules.firstEntryMs : rules.interdigitMs;
    if (at - lastAt > limit) {
      const endedBy = first ? "first-entry-timeout" : "interdigit-timeout";
      return done(entered === "" ? undefined : entered, endedBy, lastAt + limit, index);
    }
    first = false;
    lastAt = at;
    if (key === "*" && rules.cancelKey) {
      entered = "";
      continue;
    }
    entered += key;
    if (rules.terminator !== "" && entered.endsWith(rules.terminator)) {
      return done(entered.slice(0, -rules.terminator.length), "terminator", at, index + 1);
    }
    if (entered.length >= rules.maxLength) return done(entered, "max-length", at, index + 1);
  }
  const limit = first ? rules.firstEntryMs : rules.interdigitMs;
  const endedBy = first ? "first-entry-timeout" : "interdigit-timeout";
  return done(entered === "" ? undefined : entered, endedBy, lastAt + limit, pressed.length);
}

const EMULATED_CIPHERTEXT = /^EMULATED-ENCRYPTION\(key=([^)]*)\):([A-Za-z0-9+/=]*)$/u;

/**
 * What the emulator stores when the block has `InputEncryption`: an obviously fake "ciphertext" naming the
 * key id, so nothing mistakes it for Connect's real encryption (which a Lambda decrypts with the key's
 * private half); `decryptEmulatedInput` gets the digits back.
 */
export const emulatedCiphertext = (digits: string, keyId: string): string =>
  `EMULATED-ENCRYPTION(key=${keyId}):${Buffer.from(digits, "utf8").toString("base64")}`;

/** The digits inside `emulatedCiphertext`'s output; undefined for anything else. */
export function decryptEmulatedInput(stored: string): string | undefined {
  const match = EMULATED_CIPHERTEXT.exec(stored);
  return match === null ? undefined : Buffer.from(match[2] ?? "", "base64").toString("utf8");
}

const secondsOf = (call: CallContext, value: unknown, fallback: number): number => {
  const text = textOf(value);
  const seconds = text === undefined ? fallback : Number(resolveValue(call.data, text));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1_000 : fallback * 1_000;
};

/** The block's rules from its parameters; a store block needs `InputValidation` (flow-language reference). */
export function storeInputRules(action: FlowAction, call: CallContext): StoreInputRules {
  const parameters = action.Parameters;
  const dtmf = objectOf(parameters.DTMFConfiguration);
  const validation = objectOf(parameters.InputValidation);
  const custom = objectOf(validation.CustomValidation);
  if (validation.CustomValidation === undefined && validation.PhoneNumberValidation === undefined) {
    throw new EmulatorError(
      "invalid_parameter",
      `GetParticipantInput "${action.Identifier}" stores input but has no InputValidation (CustomValidation or PhoneNumberValidation), which the flow language requires with StoreInput`,
    );
  }
  const maxLength = Number(textOf(custom.MaximumLength) ?? "20");
  return {
    firstEntryMs: secondsOf(call, parameters.InputTimeLimitSeconds, 5),
    interdigitMs: secondsOf(call, dtmf.InterdigitTimeLimitSeconds, 5),
    terminator: textOf(dtmf.InputTerminationSequence) ?? "#",
    maxLength: Number.isInteger(maxLength) && maxLength > 0 ? maxLength : 20,
    cancelKey: !isTrue(dtmf.DisableCancelKey),
  };
}

/** Plays the prompt, takes the caller's keys by the rules, stores them (encrypted if asked) and goes on. */
export async function storeCustomerInput(action: FlowAction, call: CallContext): Promise<string | undefined> {
  const rules = storeInputRules(action, call);
  const validation = objectOf(action.Parameters.InputValidation);
  const encryption =
    action.Parameters.InputEncryption === undefined ? undefined : objectOf(action.Parameters.InputEncryption);
  if (encryption !== undefined && validation.CustomValidation === undefined) {
    throw new EmulatorError(
      "invalid_parameter",
      `GetParticipantInput "${action.Identifier}": InputEncryption needs CustomValidation (Connect rejects it with phone-number validation)`,
    );
  }
  await playPrompt(action, call);
  const start = call.now();
  const turn = call.nextTurn();
  const lead =
    turn === undefined
      ? 0
      : (turn.afterMs ?? 0) +
        (turn.say === undefined ? 0 : estimateSpeechMs(turn.say, call.locale, call.speech));
  const keys = turn?.press ?? "";
  const times =
    turn === undefined ? [] : keyTimesMs(turn, call.options.dtmfKeyMs ?? 200).map((t) => t + lead);
  const collected = collectDigits(keys, times, rules);
  try {
    await call.pause(collected.endMs);
  } finally {
    call.hear({ start, end: call.now() });
  }
  const record = (mode: "speech" | "dtmf", value: string) =>
    call.record({ kind: "caller-input", at: call.now(), identifier: action.Identifier, mode, value });
  if (turn?.say !== undefined) record("speech", turn.say);
  if (collected.consumed !== "") record("dtmf", collected.consumed);
  if (collected.ignored !== "") {
    call.record({
      kind: "note",
      at: call.now(),
      source: "emulator",
      text: `keys "${collected.ignored}" came after "${action.Identifier}" stopped listening (${collected.endedBy}): ignored`,
    });
  }
  const stored = (value: string, how: string) => {
    call.data.StoredCustomerInput = value;
    call.record({
      kind: "branch",
      at: call.now(),
      identifier: action.Identifier,
      type: action.Type,
      result: `$.StoredCustomerInput = ${JSON.stringify(value)} (${how})`,
    });
    return action.Transitions.NextAction;
  };
  if (collected.value === undefined) {
    call.record({ kind: "input-timeout", at: call.now(), identifier: action.Identifier });
    return stored("Timeout", "no input: Success branch with Timeout");
  }
  if (validation.PhoneNumberValidation !== undefined && !/^\d{4,15}$/u.test(collected.value)) {
    return errorBranch(action, "InvalidPhoneNumber");
  }
  if (encryption !== undefined) {
    const keyId = textOf(encryption.EncryptionKeyId) ?? "";
    return stored(emulatedCiphertext(collected.value, keyId), `${collected.endedBy}, encrypted (emulated)`);
  }
  return stored(collected.value, collected.endedBy);
}

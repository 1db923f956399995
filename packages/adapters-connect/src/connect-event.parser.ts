import type { ExecutionKey } from "@holdline/domain/execution/execution";
import type { CheckExecutionQuery } from "@holdline/domain/use-cases/check-execution/check-execution.use-case";
import type { StartExecutionCommand } from "@holdline/domain/use-cases/start-execution/start-execution.use-case";
import {
  FLOW_PARAMETERS,
  SUPPORTED_LOCALES,
  type SupportedLocale,
} from "@holdline/connect-contract/flow-contract";
import * as z from "zod";
import type { ConnectEventError, ConnectEventErrorCode } from "./connect-event-error.ts";
import type { ConnectMappingOptions } from "./connect-mapping.options.ts";

/**
 * Progressive answers: how many parts of the answer the caller has heard, as the flow says with the `cursor`
 * parameter. Absent: the flow is not progressive (it speaks only whole answers).
 */
export interface FlowCursor {
  readonly cursor?: number;
}

/** What the start handler needs from the event; it adds its own `fastPathWaitMs`. */
export type StartRequest = Pick<StartExecutionCommand, "key" | "input"> & FlowCursor;
/** What the status handler needs from the event; it adds its own `waitBudgetMs`. */
export type StatusRequest = Pick<CheckExecutionQuery, "key"> & FlowCursor;

/** The ids of the invoking contact, for logs. `key.contactId` is `initialContactId`. */
export interface ContactIds {
  readonly contactId: string;
  readonly initialContactId: string;
}

export type ConnectParseResult<T> =
  | { readonly ok: true; readonly command: T; readonly contact: ContactIds }
  | {
      readonly ok: false;
      readonly error: ConnectEventError;
      /** Present when the turn itself was valid, so the error response can still say which turn failed. */
      readonly turn?: number;
    };

export const MAX_TURN = 999_999;

/** The largest cursor accepted: far more parts than any answer has (3,000 characters in parts of 20 or more). */
export const MAX_CURSOR = 9_999;

type ParamsOptions = Pick<ConnectMappingOptions, "turnAttribute">;
type StartOptions = Pick<ConnectMappingOptions, "turnAttribute" | "defaultLocale" | "maxQuestionChars">;

/**
 * Parses the event of the start invocation into the execution key and the caller's question.
 * Never throws: anything Connect (or an attacker) could send ends in `{ ok: false, error }`.
 */
export function parseStartEvent(event: unknown, options: StartOptions): ConnectParseResult<StartRequest> {
  return neverThrow(() => {
    const common = parseCommon(event, options);
    if (!common.ok) return common;
    const { key, contact, parameters } = common;
    const fail = (code: ConnectEventErrorCode, message: string) => failure(code, message, key.turn);

    const rawQuestion = readString(parameters, FLOW_PARAMETERS.question, "parameter");
    if (!rawQuestion.ok) return fail("invalid_parameter", rawQuestion.message);
    const question = rawQuestion.value.trim();
    if (question === "") {
      return fail("missing_question", `parameter "${FLOW_PARAMETERS.question}" is absent or empty`);
    }
    if (exceedsCodePoints(question, options.maxQuestionChars)) {
      return fail("question_too_long", `the question is longer than ${options.maxQuestionChars} characters`);
    }

    const rawLocale = readString(parameters, FLOW_PARAMETERS.locale, "parameter");
    if (!rawLocale.ok) return fail("invalid_parameter", rawLocale.message);
    const requested = rawLocale.value.trim();
    const locale = requested === "" ? options.defaultLocale : canonicalLocale(requested);
    if (locale === undefined) {
      return fail(
        "unsupported_locale",
        `locale ${quote(requested)} is not one of ${SUPPORTED_LOCALES.join(", ")}`,
      );
    }
    return { ok: true, command: { key, input: { question, locale }, ...common.cursor }, contact };
  });
}

/** Parses the event of a status invocation into the execution key; question and locale are not read. */
export function parseStatusEvent(event: unknown, options: ParamsOptions): ConnectParseResult<StatusRequest> {
  return neverThrow(() => {
    const common = parseCommon(event, options);
    if (!common.ok) return common;
    return { ok: true, command: { key: common.key, ...common.cursor }, contact: common.contact };
  });
}

// --- the shared steps -------------------------------------------------------------------------------

/** Only the envelope Connect itself controls is read through zod; caller-influenced maps are read by own key. */
const envelopeSchema = z.object({
  Name: z.literal("ContactFlowEvent"),
  Details: z.object({
    ContactData: z.object({
      ContactId: z.unknown().optional(),
      InitialContactId: z.unknown().optional(),
      Attributes: z.unknown().optional(),
    }),
    Parameters: z.unknown().optional(),
  }),
});

/** Connect contact ids are UUIDs; any 8-4-4-4-12 hex form is accepted, stored lower-case. */
const contactIdSchema = z.guid().transform((id) => id.toLowerCase());

const turnSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,5}$/)
  .transform(Number)
  .pipe(z.number().int().min(1).max(MAX_TURN));

type StringMap = Readonly<Record<string, unknown>>;

const stringMapSchema = z.custom<StringMap>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
);

type Common =
  | { ok: true; key: ExecutionKey; contact: ContactIds; parameters: StringMap; cursor: FlowCursor }
  | { ok: false; error: ConnectEventError; turn?: number };

function parseCommon(event: unknown, options: ParamsOptions): Common {
  const envelope = envelopeSchema.safeParse(event);
  if (!envelope.success) {
    return failure("invalid_event", `not a Connect ContactFlowEvent (${firstIssue(envelope.error)})`);
  }
  const { ContactData: contactData, Parameters: rawParameters } = envelope.data.Details;

  const contactId = contactIdSchema.safeParse(contactData.ContactId);
  if (!contactId.success) return failure("invalid_contact_id", "ContactId is missing or not a UUID");
  const initial =
    contactData.InitialContactId === undefined ||
    contactData.InitialContactId === null ||
    contactData.InitialContactId === ""
      ? contactId
      : contactIdSchema.safeParse(contactData.InitialContactId);
  if (!initial.success) return failure("invalid_contact_id", "InitialContactId is present but not a UUID");

  const parameters = optionalStringMap(rawParameters);
  if (parameters === undefined) return failure("invalid_event", "Details.Parameters is not a string map");
  const attributes = optionalStringMap(contactData.Attributes);
  if (attributes === undefined) return failure("invalid_event", "ContactData.Attributes is not a string map");

  const turnParameter = readString(parameters, FLOW_PARAMETERS.turn, "parameter");
  if (!turnParameter.ok) return failure("invalid_parameter", turnParameter.message);
  let rawTurn = turnParameter.value.trim();
  if (rawTurn === "") {
    const turnAttribute = readString(attributes, options.turnAttribute, "attribute");
    if (!turnAttribute.ok) return failure("invalid_parameter", turnAttribute.message);
    rawTurn = turnAttribute.value.trim();
  }
  // A flow that passes no turn asks one question per contact: its only turn is 1.
  const turn = rawTurn === "" ? { success: true as const, data: 1 } : turnSchema.safeParse(rawTurn);
  if (!turn.success) {
    return failure("invalid_turn", `turn ${quote(rawTurn)} is not an integer from 1 to ${MAX_TURN}`);
  }

  const key = { contactId: initial.data, turn: turn.data };
  const cursor = readCursor(parameters);
  if (!cursor.ok) return failure(cursor.code, cursor.message, key.turn);

  return {
    ok: true,
    key,
    contact: { contactId: contactId.data, initialContactId: initial.data },
    parameters,
    cursor: cursor.value,
  };
}

const cursorSchema = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,3})$/)
  .transform(Number)
  .pipe(z.number().int().min(0).max(MAX_CURSOR));

/**
 * The `cursor` parameter: absent, the flow is not progressive (`{}`); present, the parts the caller has heard,
 * "" (an attribute reference not set yet, as at the start of a turn) counting as 0.
 */
function readCursor(
  parameters: StringMap,
): { ok: true; value: FlowCursor } | { ok: false; code: ConnectEventErrorCode; message: string } {
  if (!Object.hasOwn(parameters, FLOW_PARAMETERS.cursor)) return { ok: true, value: {} };
  const raw = readString(parameters, FLOW_PARAMETERS.cursor, "parameter");
  if (!raw.ok) return { ok: false, code: "invalid_parameter", message: raw.message };
  const text = raw.value.trim();
  if (text === "") return { ok: true, value: { cursor: 0 } };
  const cursor = cursorSchema.safeParse(text);
  if (!cursor.success) {
    return {
      ok: false,
      code: "invalid_cursor",
      message: `cursor ${quote(text)} is not an integer from 0 to ${MAX_CURSOR}`,
    };
  }
  return { ok: true, value: { cursor: cursor.data } };
}

// --- small pieces --------------------------------------------------------------------------------

function neverThrow<T>(parse: () => ConnectParseResult<T>): ConnectParseResult<T> {
  try {
    return parse();
  } catch {
    // Only a hand-built object (throwing getter, revoked proxy) gets here; Lambda hands us parsed JSON.
    return failure("invalid_event", "the event could not be read");
  }
}

function failure(
  code: ConnectEventErrorCode,
  message: string,
  turn?: number,
): { ok: false; error: ConnectEventError; turn?: number } {
  return turn === undefined
    ? { ok: false, error: { code, message } }
    : { ok: false, error: { code, message }, turn };
}

function optionalStringMap(value: unknown): StringMap | undefined {
  if (value === undefined || value === null) return {};
  const parsed = stringMapSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Reads one key of a parameter or attribute map: "" when absent (as for an unset attribute reference,
 * which Connect sends as an empty string). Own properties only, so a `__proto__` key in the JSON can
 * never supply a value.
 */
function readString(
  map: StringMap,
  key: string,
  kind: "parameter" | "attribute",
): { ok: true; value: string } | { ok: false; message: string } {
  const value = Object.hasOwn(map, key) ? map[key] : undefined;
  if (value === undefined) return { ok: true, value: "" };
  if (typeof value === "string") return { ok: true, value };
  return { ok: false, message: `${kind} "${key}" is a ${describeType(value)}, not a string` };
}

const CANONICAL_LOCALES: ReadonlyMap<string, SupportedLocale> = new Map(
  SUPPORTED_LOCALES.map((locale) => [locale.toLowerCase(), locale]),
);

const canonicalLocale = (raw: string): SupportedLocale | undefined =>
  CANONICAL_LOCALES.get(raw.toLowerCase());

function exceedsCodePoints(text: string, max: number): boolean {
  if (text.length <= max) return false;
  if (text.length > max * 2) return true; // each code point is at most two UTF-16 units
  let count = 0;
  for (const _ of text) {
    count += 1;
    if (count > max) return true;
  }
  return false;
}

function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/** Quotes a caller-supplied value for a log message, cut short so a hostile value cannot flood the log. */
function quote(value: string): string {
  return JSON.stringify(value.length > 32 ? `${value.slice(0, 32)}…` : value);
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return "unknown shape";
  const path = issue.path.length === 0 ? "event" : issue.path.join(".");
  return `${path}: ${issue.message}`;
}

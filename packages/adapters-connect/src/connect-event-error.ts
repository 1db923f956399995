/**
 * Why a Connect event was refused. Stable: contact flows and dashboards branch on these strings, so a
 * code is never renamed or reused for another meaning.
 */
export const CONNECT_EVENT_ERROR_CODES = [
  /** Not an object, wrong `Name`, or `Details` / `ContactData` / `Parameters` / `Attributes` of the wrong shape. */
  "invalid_event",
  /** `ContactId` (or a present `InitialContactId`) missing or not a UUID. */
  "invalid_contact_id",
  /** A parameter (or the turn attribute) Holdline reads is present but not a string. */
  "invalid_parameter",
  /** The turn is not a positive integer string within range. */
  "invalid_turn",
  /** The question is absent, empty or whitespace only. */
  "missing_question",
  /** The question is longer than the configured maximum. */
  "question_too_long",
  /** The locale is not one Holdline speaks. */
  "unsupported_locale",
  /** Progressive answers: the `cursor` parameter is present but not a decimal integer from 0 to `MAX_CURSOR`. */
  "invalid_cursor",
] as const;

export type ConnectEventErrorCode = (typeof CONNECT_EVENT_ERROR_CODES)[number];

export interface ConnectEventError {
  readonly code: ConnectEventErrorCode;
  /** For logs; never contains the caller's question. */
  readonly message: string;
}

export const isConnectEventError = (value: unknown): value is ConnectEventError =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as { code?: unknown }).code === "string" &&
  (CONNECT_EVENT_ERROR_CODES as readonly string[]).includes((value as { code: string }).code) &&
  typeof (value as { message?: unknown }).message === "string";

import type { LexV2Event } from "aws-lambda";
import * as z from "zod";

/**
 * The part of the Lex V2 code hook event Holdline reads (Amazon Lex V2 Developer Guide, "AWS Lambda input
 * event format for Lex V2"). Unknown fields are ignored, as the guide asks: "The input format may change
 * without a corresponding change to the messageVersion. Your code shouldn't throw an error if new fields
 * are present."
 */
const lexV2EventSchema = z.object({
  invocationSource: z.enum(["DialogCodeHook", "FulfillmentCodeHook"]),
  inputMode: z.string().optional(),
  sessionId: z.string().optional(),
  /** Absent is read as nothing heard; a non-string is a malformed event. */
  inputTranscript: z.string().optional(),
  bot: z.object({ localeId: z.string().min(1) }),
  sessionState: z.object({
    intent: z.object({ name: z.string().min(1) }),
    /** Lex's values are strings; any other value could not be handed back, so it is dropped. */
    sessionAttributes: z
      .record(z.string(), z.unknown())
      .optional()
      .transform((attributes) => stringEntries(attributes)),
  }),
  /** The top transcription and up to two alternatives, each with a 0–1 confidence where Lex scores one. */
  transcriptions: z
    .array(
      z.object({
        transcription: z.string().optional(),
        transcriptionConfidence: z.number().min(0).max(1).optional(),
      }),
    )
    .optional(),
});

export type LexV2CodeHookEvent = z.infer<typeof lexV2EventSchema>;

export type LexV2ParseResult =
  | { readonly ok: true; readonly event: LexV2CodeHookEvent }
  | { readonly ok: false; readonly issues: readonly string[] };

/** Reads an untrusted event; never throws. A refusal names the paths at fault, never their values. */
export function parseLexV2Event(event: unknown): LexV2ParseResult {
  const parsed = lexV2EventSchema.safeParse(event);
  if (parsed.success) return { ok: true, event: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => `${issue.path.join(".") || "(event)"}: ${issue.code}`),
  };
}

/**
 * What can still be read from an event the schema refused, for the `error` response: the intent name and
 * the string session attributes, so the session is preserved whatever else is wrong.
 */
export function salvage(event: unknown): { intentName?: string; sessionAttributes: Record<string, string> } {
  try {
    const state = (event as Partial<LexV2Event> | null | undefined)?.sessionState as unknown;
    if (state === null || typeof state !== "object") return { sessionAttributes: {} };
    const { intent, sessionAttributes } = state as { intent?: unknown; sessionAttributes?: unknown };
    const name =
      intent !== null && typeof intent === "object" ? (intent as { name?: unknown }).name : undefined;
    return {
      ...(typeof name === "string" && name !== "" ? { intentName: name } : {}),
      sessionAttributes:
        sessionAttributes !== null &&
        typeof sessionAttributes === "object" &&
        !Array.isArray(sessionAttributes)
          ? stringEntries(sessionAttributes as Record<string, unknown>)
          : {},
    };
  } catch {
    return { sessionAttributes: {} };
  }
}

/** Own string entries only; `Object.fromEntries` defines keys, so a `__proto__` key cannot set a prototype. */
const stringEntries = (attributes: Record<string, unknown> | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(attributes ?? {}).filter(
      (entry): entry is [string, string] => typeof entry[1] === "string" && entry[0] !== "__proto__",
    ),
  );

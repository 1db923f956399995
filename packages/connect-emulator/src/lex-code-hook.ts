import type { LexV2Event, LexV2Intent, LexV2Result } from "aws-lambda";
import { FALLBACK_INTENT, type LexRequest, type LexResponse, type LexSimulator } from "./lex-simulator.ts";
import { EmulatorError, LexTurnFailedError } from "./emulator-errors.ts";

/** A Lex V2 code hook Lambda handler, e.g. apps/lex-transcript's `createHandler(...)`. */
export type LexV2CodeHook = (event: LexV2Event) => Promise<LexV2Result> | LexV2Result;

export interface LexCodeHookOptions {
  /**
   * The bot's intent recognition, given the utterance and the Lex locale (`ja_JP`). Default: everything
   * reaches `FallbackIntent`, as in a bot with no intents of its own (Holdline's: `holdlineCodeHookBot`).
   */
  readonly recognize?: (utterance: string, localeId: string) => string;
  /** Intents whose code hook is enabled; Lex closes the others itself. Default: `FallbackIntent`. */
  readonly hookedIntents?: readonly string[];
  /** Default `FulfillmentCodeHook`. */
  readonly invocationSource?: LexV2Event["invocationSource"];
  /** Lex scores transcriptions only for these locales (the Lex V2 guide: en_GB and en_US, 8 kHz audio). */
  readonly scoredLocales?: readonly string[];
  /** The score of a scored transcription when the caller turn gives none. Default 0.9. */
  readonly defaultConfidence?: number;
}

/**
 * A Lex simulation that runs a real code hook for each utterance: it recognises the intent, builds the Lex V2
 * event Lex would send (locale from the contact's language, `inputTranscript`, `transcriptions` with a
 * confidence where Lex gives one, the session state with the block's session attributes), calls the hook and
 * hands its session attributes and intent to the flow as `$.Lex.SessionAttributes` and `$.Lex.IntentName`.
 */
export function lexCodeHookBot(hook: LexV2CodeHook, options: LexCodeHookOptions = {}): LexSimulator {
  const recognize = options.recognize ?? (() => FALLBACK_INTENT);
  const hooked = new Set(options.hookedIntents ?? [FALLBACK_INTENT]);
  const scoredLocales = new Set(options.scoredLocales ?? ["en_US", "en_GB"]);
  let requests = 0;
  return async (request: LexRequest): Promise<LexResponse> => {
    const localeId = toLexLocale(request.locale);
    const intentName = recognize(request.utterance, localeId);
    if (!hooked.has(intentName)) return { intent: intentName, sessionAttributes: request.sessionAttributes };
    requests += 1;
    const confidence =
      request.confidence ?? (scoredLocales.has(localeId) ? (options.defaultConfidence ?? 0.9) : undefined);
    const event = lexV2Event(request, {
      localeId,
      intentName,
      confidence,
      invocationSource: options.invocationSource ?? "FulfillmentCodeHook",
      requestId: `0b4f5d3e-0000-4000-8000-${String(requests).padStart(12, "0")}`,
    });
    let result: LexV2Result;
    try {
      result = await hook(event);
    } catch (error) {
      throw new LexTurnFailedError(`the code hook failed: ${(error as Error)?.message ?? String(error)}`, {
        cause: error,
      });
    }
    const dialogAction = result?.sessionState?.dialogAction?.type;
    if (dialogAction !== "Close") {
      throw new EmulatorError(
        "unsupported_lex_response",
        `the code hook answered dialogAction ${String(dialogAction)}; the emulator runs hooks that Close the intent`,
      );
    }
    return {
      intent: result.sessionState.intent?.name ?? intentName,
      sessionAttributes: result.sessionState.sessionAttributes ?? request.sessionAttributes,
    };
  };
}

/** `ja-JP` (the contact's language) → `ja_JP` (the bot locale Connect talks to). */
export const toLexLocale = (locale: string): string => (locale === "" ? "en_US" : locale.replace("-", "_"));

interface EventShape {
  readonly localeId: string;
  readonly intentName: string;
  readonly confidence: number | undefined;
  readonly invocationSource: LexV2Event["invocationSource"];
  readonly requestId: string;
}

/** The event as the Lex V2 guide's "AWS Lambda input event format for Lex V2" lays it out. */
function lexV2Event(request: LexRequest, shape: EventShape): LexV2Event {
  const [, botId = "EMULATEDBOT", aliasId = "EMULATEDALIAS"] =
    /bot-alias\/([^/]+)\/([^/]+)$/.exec(request.botAliasArn) ?? [];
  const dialog = shape.invocationSource === "DialogCodeHook";
  const intent: LexV2Intent = {
    name: shape.intentName,
    slots: {},
    state: dialog ? "InProgress" : "ReadyForFulfillment",
    confirmationState: "None",
  };
  const event = {
    messageVersion: "1.0",
    invocationSource: shape.invocationSource,
    inputMode: "Speech",
    responseContentType: "audio/pcm",
    sessionId: request.contactId ?? "emulated-session",
    inputTranscript: request.utterance,
    bot: {
      id: botId,
      name: "EmulatedBot",
      aliasId,
      aliasName: aliasId,
      localeId: shape.localeId,
      version: "1",
    },
    interpretations: [{ intent }],
    ...(dialog ? { proposedNextState: { dialogAction: { type: "Close" }, intent } } : {}),
    sessionState: {
      sessionAttributes: { ...request.sessionAttributes },
      activeContexts: [],
      intent,
      originatingRequestId: shape.requestId,
    },
    transcriptions: [
      {
        transcription: request.utterance,
        ...(shape.confidence === undefined ? {} : { transcriptionConfidence: shape.confidence }),
        resolvedContext: { intent: shape.intentName },
        resolvedSlots: {},
      },
    ],
  };
  // Lex sends proposedNextState to dialog hooks only; the @types declaration makes it required.
  return event as LexV2Event;
}

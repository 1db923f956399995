import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { TRANSCRIPT_STATUS, type TranscriptStatus } from "@holdline/connect-contract/flow-contract";
import type { Observability } from "@holdline/composition/lambda/observability";
import type { LexV2Result } from "aws-lambda";
import { readCallerTranscript, type TranscriptPolicy } from "./caller-transcript.ts";
import { parseLexV2Event, salvage } from "./lex-v2-event.ts";
import { closeIntent } from "./lex-v2-response.ts";

export interface LexTranscriptDependencies {
  readonly policy: TranscriptPolicy;
  readonly observability: Observability;
}

export type LexTranscriptHandler = (event: unknown) => Promise<LexV2Result>;

/**
 * Lex V2 code hook (dialog or fulfillment) of the question intent: closes the intent with the caller's words
 * in `holdlineTranscript` and the outcome in `holdlineTranscriptStatus`. It never throws: Lex fails the turn
 * on a Lambda error, and Connect would take the block's error branch instead of asking again.
 */
export const createHandler = ({ policy, observability }: LexTranscriptDependencies): LexTranscriptHandler => {
  const { logger, logContent } = observability;
  return async (event) => {
    try {
      const parsed = parseLexV2Event(event);
      if (!parsed.ok) {
        logger.warn("refused the Lex event", { issues: parsed.issues.slice(0, 10) });
        count(observability, TRANSCRIPT_STATUS.error);
        return closeIntent({ ...salvage(event), status: TRANSCRIPT_STATUS.error, transcript: "" });
      }
      const lex = parsed.event;
      logger.appendKeys({
        ...(lex.sessionId === undefined ? {} : { sessionId: lex.sessionId }),
        localeId: lex.bot.localeId,
        intent: lex.sessionState.intent.name,
        invocationSource: lex.invocationSource,
      });
      const heard = readCallerTranscript(lex, policy);
      logger.info("closed the intent", {
        status: heard.status,
        inputMode: lex.inputMode,
        transcriptChars: [...heard.transcript].length,
        truncated: heard.truncated,
        ...(heard.confidence === undefined ? {} : { confidence: heard.confidence }),
        ...(logContent ? { transcript: heard.transcript, inputTranscript: lex.inputTranscript } : {}),
      });
      count(observability, heard.status, lex.bot.localeId);
      return closeIntent({
        intentName: lex.sessionState.intent.name,
        sessionAttributes: lex.sessionState.sessionAttributes,
        status: heard.status,
        transcript: heard.transcript,
      });
    } catch (error) {
      logger.error("closing the intent with an error", { error: error as Error });
      count(observability, TRANSCRIPT_STATUS.error);
      return closeIntent({ ...salvage(event), status: TRANSCRIPT_STATUS.error, transcript: "" });
    } finally {
      logger.resetKeys();
    }
  };
};

function count({ metrics }: Observability, status: TranscriptStatus, localeId?: string): void {
  try {
    const metric = metrics.singleMetric();
    metric.addDimension("status", status);
    if (localeId !== undefined && /^[a-z]{2}_[A-Z]{2}$/.test(localeId))
      metric.addDimension("locale", localeId);
    metric.addMetric("Transcripts", MetricUnit.Count, 1);
  } catch {
    // A metric is never worth failing the caller's turn.
  }
}

import { LEX_BOT, type TranscriptStatus } from "@holdline/connect-contract/flow-contract";
import type { LexV2Result } from "aws-lambda";

export interface CloseIntent {
  /** The intent Lex is working on; a malformed event may not name one. */
  readonly intentName?: string;
  /** The session's attributes as they came in; the transcript attributes are set over them. */
  readonly sessionAttributes: Readonly<Record<string, string>>;
  readonly status: TranscriptStatus;
  readonly transcript: string;
}

/**
 * Closes the intent as fulfilled (Amazon Lex V2 Developer Guide, "AWS Lambda response format for Lex V2";
 * session state in "Common structures"): the conversation with Lex ends here and Connect goes on with
 * `$.Lex.IntentName` and `$.Lex.SessionAttributes`. Every outcome is `Fulfilled`: what the flow does next is
 * decided by `holdlineTranscriptStatus`, not by Lex's failure handling. No messages, so Lex says nothing.
 */
export function closeIntent({ intentName, sessionAttributes, status, transcript }: CloseIntent): LexV2Result {
  return {
    sessionState: {
      sessionAttributes: {
        ...sessionAttributes,
        // Always written, so a transcript from an earlier turn of the session is never read again.
        [LEX_BOT.transcriptAttribute]: transcript,
        [LEX_BOT.transcriptStatusAttribute]: status,
      },
      dialogAction: { type: "Close" },
      ...(intentName === undefined ? {} : { intent: { name: intentName, state: "Fulfilled" as const } }),
    },
  };
}

import type { ContentBlock, Message } from "@aws-sdk/client-bedrock-runtime";
import type { LlmRequest } from "@holdline/domain/ports/llm-client.port";
import { delimited, neutralizeDelimiters } from "./caller-text.ts";

export interface CallerTextMarking {
  /** This request's delimiter tag, the one its system prompt names. */
  readonly tag: string;
  /** A guardrail is configured: caller turns go as `guardContent`, which the guardrail evaluates. */
  readonly guarded: boolean;
}

/**
 * Earlier turns, oldest first, become alternating user/assistant messages, then the caller's question.
 * Every caller turn (the question and each earlier question) is neutralised and wrapped in the request's
 * delimiter tag; with a guardrail, as a `guardContent` block, so the guardrail judges all the caller said
 * in this call, and nothing else. The model's earlier answers stay plain assistant text (neutralised too):
 * they are the model's own output, already made speakable (and judged as output by a guardrail, if any);
 * wrapping them would teach the model to write the tags.
 */
export function toConverseMessages(request: LlmRequest, marking: CallerTextMarking): Message[] {
  const messages: Message[] = [];
  for (const turn of request.history) {
    const question = neutralizeDelimiters(turn.question);
    const answer = neutralizeDelimiters(turn.answer);
    // Converse rejects blank text blocks; dropping the whole turn keeps user/assistant alternating.
    if (question.trim() === "" || answer.trim() === "") continue;
    messages.push({ role: "user", content: [callerBlock(question, marking)] });
    messages.push({ role: "assistant", content: [{ text: answer }] });
  }
  messages.push({ role: "user", content: [callerBlock(neutralizeDelimiters(request.question), marking)] });
  return messages;
}

function callerBlock(callerText: string, { tag, guarded }: CallerTextMarking): ContentBlock {
  const text = delimited(callerText, tag);
  return guarded ? { guardContent: { text: { text, qualifiers: ["guard_content"] } } } : { text };
}

import type { Message } from "@aws-sdk/client-bedrock-runtime";
import type { LlmRequest } from "@holdline/domain/ports/llm-client.port";

/**
 * Earlier turns, oldest first, become alternating user/assistant messages, then the caller's
 * question. With a guardrail, only the question is wrapped as guard content, so the guardrail
 * judges what the caller said now rather than the whole transcript again.
 */
export function toConverseMessages(request: LlmRequest, guarded: boolean): Message[] {
  const messages: Message[] = [];
  for (const turn of request.history) {
    // Converse rejects blank text blocks; dropping the whole turn keeps user/assistant alternating.
    if (turn.question.trim() === "" || turn.answer.trim() === "") continue;
    messages.push({ role: "user", content: [{ text: turn.question }] });
    messages.push({ role: "assistant", content: [{ text: turn.answer }] });
  }
  messages.push({
    role: "user",
    content: [
      guarded
        ? { guardContent: { text: { text: request.question, qualifiers: ["guard_content"] } } }
        : { text: request.question },
    ],
  });
  return messages;
}

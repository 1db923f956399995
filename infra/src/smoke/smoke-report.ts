import { type SmokeInvocation, type SmokeResult, seconds } from "./smoke-turn.ts";

const responseSummary = (invocation: SmokeInvocation): string => {
  if (invocation.failure !== undefined) return `FAILED: ${invocation.failure}`;
  const response = invocation.response ?? {};
  const details = [
    response.status ?? "",
    response.cursor ? `cursor ${response.cursor}` : "",
    response.errorCode ? `errorCode ${response.errorCode}` : "",
    response.errorPrompt ? `errorPrompt ${response.errorPrompt}` : "",
    response.answer ? `answer ${JSON.stringify(response.answer)}` : "",
  ];
  return details.filter((detail) => detail !== "").join(", ");
};

/** The result for a terminal: each invocation, what the caller would hear and when, and the verdict. */
export function formatSmokeReport(result: SmokeResult, notes: readonly string[] = []): string {
  const { contact } = result;
  const lines = [
    `Holdline smoke check: ${result.strategy}, ${contact.locale}, contact ${contact.contactId}, turn ${contact.turn}`,
    `question: ${JSON.stringify(contact.question)}`,
    ...notes.map((note) => `note: ${note}`),
    "",
    "invocations (from the start of the turn)",
  ];
  const width = Math.max(...result.invocations.map((invocation) => invocation.fn.length), 0);
  for (const invocation of result.invocations) {
    lines.push(
      `  ${seconds(invocation.atMs).padStart(8)}  ${invocation.fn.padEnd(width)}  ${invocation.functionName}  ${invocation.cursorSent === undefined ? "no cursor" : `cursor ${invocation.cursorSent}`}  took ${seconds(invocation.durationMs)}  → ${responseSummary(invocation)}`,
    );
  }
  lines.push("", "the caller would hear (when the response arrived)");
  if (result.heard.length === 0) lines.push("  (nothing)");
  for (const line of result.heard) {
    lines.push(`  ${seconds(line.atMs).padStart(8)}  ${line.kind.padEnd(6)}  ${line.text}`);
  }
  const ended =
    result.final === undefined
      ? "the turn did not end"
      : `the turn ended ${result.final.status}${result.final.errorCode ? ` (${result.final.errorCode})` : ""}`;
  lines.push(
    "",
    `${ended} after ${seconds(result.totalMs)} and ${result.invocations.length} invocation(s)`,
    result.problems.length === 0 ? "PASS" : "FAIL",
    ...result.problems.map((problem) => `  - ${problem}`),
  );
  return lines.join("\n");
}

import { vi } from "vitest";

/**
 * Turns Powertools on (the tests' environment silences it) and captures what it writes: its Logger and Metrics
 * write JSON lines to process.stdout / stderr. Call it before the container is built (the Logger reads its
 * level then); `vi.restoreAllMocks()` and `vi.unstubAllEnvs()` undo it.
 */
export function capturedOutput(level = "DEBUG") {
  vi.stubEnv("POWERTOOLS_LOG_LEVEL", level);
  vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "false");
  const raw: string[] = [];
  const lines: Record<string, unknown>[] = [];
  const capture = (chunk: unknown) => {
    raw.push(String(chunk));
    for (const line of String(chunk).split("\n")) {
      if (line.trim().startsWith("{")) lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(capture);
  vi.spyOn(process.stderr, "write").mockImplementation(capture);
  return {
    /** Everything written, verbatim: to check that something never appears, in any field. */
    text: () => raw.join(""),
    logs: () => lines.filter((line) => !("_aws" in line)),
    metrics: () => lines.filter((line) => "_aws" in line),
  };
}

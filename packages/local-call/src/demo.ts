import { ConfigError } from "@holdline/composition/config/environment";
import type { LocalNote } from "./call-notes.ts";
import { DemoSetupError, runDemoCall } from "./demo-call.ts";
import { DEMO_USAGE, parseDemoArgs } from "./demo-options.ts";

/** `pnpm demo`: exit 0 after a call ran (whatever the caller heard), 2 for bad options or setup, 1 for a bug. */
async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseDemoArgs(argv);
  if (parsed.kind === "help") {
    process.stdout.write(`${DEMO_USAGE}\n`);
    return 0;
  }
  if (parsed.kind === "error") {
    process.stderr.write(`pnpm demo: ${parsed.message}\n\n${DEMO_USAGE}\n`);
    return 2;
  }
  // The handlers' JSON logs and metrics would bury the timeline; set these to see them anyway.
  process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
  process.env.POWERTOOLS_METRICS_DISABLED ??= "true";
  // The SDK warns on Node 20 about its releases after January 2027; Holdline supports Node 20 today.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

  const progress = parsed.options.fast || !process.stdout.isTTY ? undefined : new ProgressLine();
  try {
    await runDemoCall(parsed.options, {
      variables: process.env,
      write: (text) => {
        progress?.clear();
        process.stdout.write(`${text}\n`);
      },
      ...(progress === undefined ? {} : { onProgress: (note, startedAt) => progress.show(note, startedAt) }),
    });
    return 0;
  } catch (error) {
    progress?.clear();
    if (error instanceof DemoSetupError || error instanceof ConfigError) {
      process.stderr.write(`pnpm demo: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(
      `pnpm demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  } finally {
    progress?.stop();
  }
}

/** On a terminal, one line that says the call is running and what the back end did last. */
class ProgressLine {
  private last = "the call starts";
  private startedAt = Date.now();
  private readonly timer = setInterval(() => this.render(), 1_000);

  show(note: LocalNote, startedAt: number): void {
    this.startedAt = startedAt;
    this.last = `[${note.source}] ${note.text}`;
    this.render();
  }

  clear(): void {
    process.stdout.write("\r\x1b[2K");
  }

  stop(): void {
    clearInterval(this.timer);
    this.clear();
  }

  private render(): void {
    const elapsed = Math.max(0, Math.round((Date.now() - this.startedAt) / 1_000));
    const line = `  calling… ${elapsed}s  ${this.last}`;
    const columns = process.stdout.columns ?? 0;
    const width = columns >= 40 ? columns : 100;
    process.stdout.write(`\r\x1b[2K${line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line}`);
  }
}

process.exitCode = await main(process.argv.slice(2));

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { DemoSetupError, runDemoCall } from "../../src/demo-call.ts";
import { DEFAULT_SLOW_ANSWER_MS, type DemoOptions, parseDemoArgs } from "../../src/demo-options.ts";

const FAST: DemoOptions = {
  strategy: "polling",
  locale: "ja-JP",
  fast: true,
  slowAnswerMs: DEFAULT_SLOW_ANSWER_MS,
  verbose: false,
  questions: [],
  text: false,
};

async function demo(options: Partial<DemoOptions> = {}, variables: Record<string, string> = {}) {
  const lines: string[] = [];
  const result = await runDemoCall({ ...FAST, ...options }, { variables, write: (text) => lines.push(text) });
  return { result, output: lines.join("\n") };
}

describe("parseDemoArgs", () => {
  it("defaults to polling, ja-JP, real time and a 20-second slow answer", () => {
    expect(parseDemoArgs([])).toEqual({
      kind: "run",
      options: { ...FAST, fast: false },
    });
  });

  it("reads every option, ignoring the `--` pnpm may pass on", () => {
    const parsed = parseDemoArgs([
      "--",
      "--strategy",
      "native-async",
      "--locale",
      "en-US",
      "--fast",
      "--slow-ms",
      "12000",
      "--ask",
      "Where are you?",
      "--ask",
      "Do you sell bread?",
      "--verbose",
      "--text",
    ]);

    expect(parsed).toEqual({
      kind: "run",
      options: {
        strategy: "native-async",
        locale: "en-US",
        fast: true,
        slowAnswerMs: 12_000,
        verbose: true,
        questions: ["Where are you?", "Do you sell bread?"],
        text: true,
      },
    });
  });

  it.each([
    [["--strategy", "streams"], /--strategy must be polling or native-async/],
    [["--locale", "fr-FR"], /--locale must be ja-JP or en-US/],
    [["--slow-ms", "soon"], /--slow-ms must be a whole number/],
    [["--loud"], /Unknown option '--loud'/],
  ])("refuses %j", (argv, message) => {
    const parsed = parseDemoArgs(argv);

    expect(parsed.kind).toBe("error");
    expect(parsed.kind === "error" ? parsed.message : "").toMatch(message);
  });

  it("asks for help with -h and --help", () => {
    expect(parseDemoArgs(["-h"])).toEqual({ kind: "help" });
    expect(parseDemoArgs(["--help"])).toEqual({ kind: "help" });
  });
});

describe("the demo call (--fast)", () => {
  it("answers the fast question at once and the slow one's first sentence long before the model finishes, in ja-JP", async () => {
    // Act
    const { result, output } = await demo();

    // Assess
    expect(result.endReason).toBe("disconnected");
    expect(output).toMatch(/SAYS {2}"定休日は毎週火曜日です。/);
    // Progressive answers: the slow answer's first part is spoken within the silence gap of the question,
    // more than ten seconds before the model has written the whole answer.
    const lines = output.split("\n");
    const at = (line: string | undefined) => Number(/^\s*([\d.]+)s/.exec(line ?? "")?.[1]);
    const asked = lines.findIndex((line) =>
      line.includes('HEARS caller: "誕生日ケーキの予約はできますか？"'),
    );
    const firstSaid = lines.slice(asked).find((line) => /\bSAYS\b/.test(line));
    const completed = lines.find((line) => /\[store\] turn 2: running → completed/.test(line));
    const summary = lines.find((line) => /turn 2 {2}completed/.test(line)) ?? "";
    const answer = /「(.+?)…?」/.exec(summary)?.[1] ?? "";
    const said = /SAYS {2}"(.+)"/.exec(firstSaid ?? "")?.[1] ?? "";
    expect(said).not.toBe("");
    expect(answer.startsWith(said)).toBe(true);
    expect(at(firstSaid) - at(lines[asked])).toBeLessThan(3);
    expect(at(completed) - at(firstSaid)).toBeGreaterThan(10);
    expect(output).toMatch(
      /\[store\] turn 2: running → completed \(answer ready 20\.\ds after the question\)/,
    );
    expect(output).toMatch(
      /turn 1 {2}completed, the answer written by 1\.\ds after the question \(2 parts\)/,
    );
    expect(output).toMatch(/model calls {8}2 for 2 questions/);
    expect(result.longestSilence?.durationMs).toBeLessThan(3_000);
  });

  it("speaks the slow answer's first sentence long before the model finishes in native-async too, written by answer-worker", async () => {
    // Act
    const { result, output } = await demo({ strategy: "native-async" });

    // Assess
    const lines = output.split("\n");
    const at = (line: string | undefined) => Number(/^\s*([\d.]+)s/.exec(line ?? "")?.[1]);
    const asked = lines.findIndex((line) =>
      line.includes('HEARS caller: "誕生日ケーキの予約はできますか？"'),
    );
    const firstSaid = lines.slice(asked).find((line) => /\bSAYS\b/.test(line));
    const completed = lines.find((line) =>
      /\[store\] turn 2: running → completed .* by answer-worker/.test(line),
    );
    const summary = lines.find((line) => /turn 2 {2}completed/.test(line)) ?? "";
    const answer = /「(.+?)…?」/.exec(summary)?.[1] ?? "";
    const said = /SAYS {2}"(.+)"/.exec(firstSaid ?? "")?.[1] ?? "";
    expect(said).not.toBe("");
    expect(answer.startsWith(said)).toBe(true);
    expect(at(firstSaid) - at(lines[asked])).toBeLessThan(3);
    expect(at(completed) - at(firstSaid)).toBeGreaterThan(10);
    expect(output).toContain("connect-start registers the turn and hands it to answer-worker");
    expect(output).toMatch(/answer deadline 52\.\ds/);
    expect(output).toMatch(/model calls {8}2 for 2 questions/);
    expect(output).toMatch(/answer-worker \(Event\) ×2/);
    expect(result.longestSilence?.durationMs).toBeLessThan(3_000);
  });

  it("runs the native-async strategy in en-US with the caller's own questions", async () => {
    const { result, output } = await demo({
      strategy: "native-async",
      locale: "en-US",
      questions: ["Where are you?"],
    });

    expect(output).toContain("holdline-local-connect-answer (asynchronous)");
    expect(output).toMatch(/SAYS {2}"We are at 3-5 Kaede-cho/);
    expect(output).toMatch(/model calls {8}1 for 1 question\b/);
    expect(result.endReason).toBe("disconnected");
  });

  it.each(["polling", "native-async"] as const)(
    "--text: the caller takes the offer and hangs up, and the text goes out once the answer is written (%s)",
    async (strategy) => {
      const { result, output } = await demo({ strategy, locale: "en-US", text: true, slowAnswerMs: 40_000 });

      expect(output).toMatch(/SAYS {2}"Rather get the answer by text message\? Press 1\."/);
      expect(output).toMatch(/HEARS caller presses 1/);
      expect(output).toMatch(/SAYS {2}"We'll text you the answer as soon as it's ready\. Goodbye\."/);
      expect(result.endReason).toBe("disconnected");
      // After the caller is gone (on the timeline while an asynchronous invocation runs, then under "After the
      // call"): the contact event, then the answer, then the text.
      const after = output.slice(output.indexOf("call disconnected"));
      const dueAt = after.indexOf("turn 2: due");
      const completedAt = after.indexOf("turn 2: running → completed");
      const sentAt = after.indexOf("[text-delivery] sent a text to ***");
      expect(dueAt).toBeGreaterThan(0);
      expect(completedAt).toBeGreaterThan(dueAt);
      expect(sentAt).toBeGreaterThan(completedAt);
      expect(output).toMatch(/delivery {2}sent \(consent at/);
      expect(output).toContain("(The answer to the question you asked on the phone.)");
      // The number is never printed whole.
      expect(output).not.toContain("+819000000000");
    },
  );

  it("refuses Bedrock on virtual time, before starting anything", async () => {
    await expect(demo({}, { HOLDLINE_BEDROCK_MODEL_ID: "amazon.nova-micro-v1:0" })).rejects.toBeInstanceOf(
      DemoSetupError,
    );
  });
});

describe("pnpm demo, as a process", { timeout: 30_000 }, () => {
  const run = (...args: string[]) =>
    promisify(execFile)(process.execPath, ["--import", "tsx", "src/demo.ts", ...args], {
      cwd: `${import.meta.dirname}/../..`,
      env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("HOLDLINE_"))),
    }).then(
      ({ stdout }) => ({ code: 0, stdout, stderr: "" }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  it("exits 0 after a --fast call and leaves nothing running", async () => {
    const { code, stdout } = await run("--fast", "--locale", "en-US");

    expect(code).toBe(0);
    expect(stdout).toContain("Summary");
    expect(stdout).toMatch(/end \(disconnected\)/);
  });

  it("exits 2 with the usage on an unknown option", async () => {
    const { code, stderr } = await run("--nope");

    expect(code).toBe(2);
    expect(stderr).toContain("Usage: pnpm demo [options]");
  });
});

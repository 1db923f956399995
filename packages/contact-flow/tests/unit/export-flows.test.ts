import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { exportHoldlineFlows, main, PLACEHOLDER_ARNS, parseExportArgs } from "../../src/export-flows.ts";
import { validateFlow } from "../../src/validate-flow.ts";
import { ARNS, LEX_ALIAS } from "./flows.fixtures.ts";

const temporary: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "holdline-flow-export-"));
  temporary.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));

describe("exportHoldlineFlows", () => {
  it("writes one file per strategy and locale, each passing the validator with no finding", () => {
    // Prepare
    const outDir = tempDir();

    // Act
    const written = exportHoldlineFlows({ outDir, lambdas: ARNS, lexBotAliasArn: LEX_ALIAS });

    // Assess
    expect(readdirSync(outDir).sort()).toEqual([
      "holdline-native-async-en-US.json",
      "holdline-native-async-ja-JP.json",
      "holdline-polling-en-US.json",
      "holdline-polling-ja-JP.json",
    ]);
    for (const { path, name } of written) {
      const flow = readJson(path);
      expect(validateFlow(flow)).toEqual([]);
      expect(flow.Metadata.name).toBe(name);
    }
  });

  it("writes the ARNs it is given", () => {
    // Act
    const [native] = exportHoldlineFlows({
      outDir: tempDir(),
      lambdas: ARNS,
      lexBotAliasArn: LEX_ALIAS,
      strategies: ["native-async"],
      locales: ["en-US"],
    });

    // Assess
    const content = readFileSync(native?.path ?? "", "utf8");
    expect(content).toContain(ARNS.answer);
    expect(content).toContain(LEX_ALIAS);
  });

  it("takes its numbers from deriveBudget with the given choices", () => {
    // Act
    const [polling] = exportHoldlineFlows({
      outDir: tempDir(),
      lambdas: ARNS,
      lexBotAliasArn: LEX_ALIAS,
      strategies: ["polling"],
      locales: ["ja-JP"],
      budgetChoices: { answerDeadlineMs: 600_000 },
    });

    // Assess: the poll loop's safety net is sized from the deadline (capped at 100).
    const loop = polling?.flow.Actions.find((action) => action.Identifier === "count-polls");
    expect(loop?.Parameters).toEqual({ LoopCount: "100" });
  });
});

describe("exportHoldlineFlows and progressive answers", () => {
  it("writes the progressive flows by default", () => {
    // Act
    const written = exportHoldlineFlows({ outDir: tempDir(), lambdas: ARNS, lexBotAliasArn: LEX_ALIAS });

    // Assess
    for (const { path } of written) {
      const ids = (readJson(path).Actions as { Identifier: string }[]).map((action) => action.Identifier);
      expect(ids).toEqual(expect.arrayContaining(["reset-cursor", "say-part", "count-parts"]));
    }
  });

  it("writes the flows without progressive answers when asked", () => {
    // Act
    const [polling] = exportHoldlineFlows({
      outDir: tempDir(),
      lambdas: ARNS,
      lexBotAliasArn: LEX_ALIAS,
      strategies: ["polling"],
      locales: ["en-US"],
      progressive: false,
    });

    // Assess
    const ids = (polling?.flow.Actions ?? []).map((action) => action.Identifier);
    expect(ids).not.toContain("say-part");
    expect(readFileSync(polling?.path ?? "", "utf8")).not.toContain("holdlineCursor");
  });
});

describe("parseExportArgs", () => {
  it("defaults to ./flows, both strategies, both locales and placeholder ARNs it names", () => {
    // Act
    const parsed = parseExportArgs([], "/work/here");

    // Assess
    expect(parsed).toMatchObject({
      kind: "options",
      options: {
        outDir: "/work/here/flows",
        strategies: ["polling", "native-async"],
        locales: ["ja-JP", "en-US"],
        lambdas: {
          start: PLACEHOLDER_ARNS.start,
          status: PLACEHOLDER_ARNS.status,
          answer: PLACEHOLDER_ARNS.answer,
        },
        lexBotAliasArn: PLACEHOLDER_ARNS.lexBotAliasArn,
      },
      placeholders: ["start", "status", "answer", "lexBotAliasArn"],
    });
  });

  it("reads ARNs from a JSON file, the command line winning", () => {
    // Prepare
    const dir = tempDir();
    writeFileSync(join(dir, "arns.json"), JSON.stringify({ ...ARNS, lexBotAliasArn: LEX_ALIAS }));

    // Act
    const parsed = parseExportArgs(
      ["--arns", "arns.json", "--status-arn", "arn:aws:lambda:x:1:function:other"],
      dir,
    );

    // Assess
    expect(parsed).toMatchObject({
      kind: "options",
      options: {
        lambdas: { start: ARNS.start, status: "arn:aws:lambda:x:1:function:other", answer: ARNS.answer },
        lexBotAliasArn: LEX_ALIAS,
      },
      placeholders: [],
    });
  });

  it("leaves progressive answers on unless --no-progressive is given", () => {
    const byDefault = parseExportArgs([]);
    expect(byDefault.kind === "options" && "progressive" in byDefault.options).toBe(false);
    expect(parseExportArgs(["--no-progressive"])).toMatchObject({
      kind: "options",
      options: { progressive: false },
    });
  });

  it("adds the text offer only with --text-offer-arn, with its key and timing", () => {
    const byDefault = parseExportArgs([]);
    expect(byDefault.kind === "options" && "textOffer" in byDefault.options).toBe(false);
    const arn = "arn:aws:lambda:ap-northeast-1:123456789012:function:holdline-dev-connect-text-offer";
    expect(parseExportArgs(["--text-offer-arn", arn])).toMatchObject({
      options: { textOffer: { functionArn: arn, key: "1", afterSeconds: 20 } },
    });
    expect(
      parseExportArgs(["--text-offer-arn", arn, "--text-offer-key", "#", "--text-offer-after-seconds", "30"]),
    ).toMatchObject({ options: { textOffer: { functionArn: arn, key: "#", afterSeconds: 30 } } });
    expect(parseExportArgs(["--text-offer-arn", arn, "--text-offer-key", "12"])).toMatchObject({
      kind: "error",
    });
    expect(parseExportArgs(["--text-offer-key", "2"])).toMatchObject({ kind: "error" });
  });

  it("writes flows with the text offer that pass the validator", () => {
    const outDir = tempDir();
    const written = exportHoldlineFlows({
      outDir,
      lambdas: ARNS,
      lexBotAliasArn: LEX_ALIAS,
      textOffer: {
        functionArn: "arn:aws:lambda:ap-northeast-1:123456789012:function:offer",
        afterSeconds: 20,
      },
    });
    expect(written).toHaveLength(4);
    for (const { path } of written) {
      const flow = readJson(path);
      expect(validateFlow(flow)).toEqual([]);
      expect(flow.Actions.filter((a: { Type: string }) => a.Type === "GetParticipantInput")).toHaveLength(1);
    }
  });

  it("takes the silence and deadline choices in milliseconds", () => {
    expect(parseExportArgs(["--max-silence-ms", "2500", "--answer-deadline-ms", "45000"])).toMatchObject({
      options: { budgetChoices: { maxSilenceMs: 2_500, answerDeadlineMs: 45_000 } },
    });
  });

  it.each([
    [["--strategy", "hybrid"], "unknown --strategy"],
    [["--locale", "fr-FR"], "unknown --locale"],
    [["--max-silence-ms", "soon"], "whole number"],
    [["--arns", "missing.json"], "--arns missing.json"],
    [["--colour"], "colour"],
  ])("refuses %j", (argv, message) => {
    expect(parseExportArgs(argv, tempDir())).toEqual({
      kind: "error",
      message: expect.stringContaining(message),
    });
  });
});

describe("main", () => {
  it("exits 2 for a budget Connect cannot honour, writing nothing", () => {
    // Prepare
    const outDir = tempDir();
    const stderr = vi.spyOn(process.stderr, "write").mockReturnValue(true);

    // Act
    const code = main(["--out", outDir, "--max-silence-ms", "100"]);

    // Assess
    expect(code).toBe(2);
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining("maxSilenceMs"));
    expect(readdirSync(outDir)).toEqual([]);
  });

  it("runs as `pnpm flow:export` does (tsx on the file), into --out", () => {
    // Prepare
    const outDir = tempDir();
    const tsx = fileURLToPath(new URL("../../../../node_modules/.bin/tsx", import.meta.url));
    const script = fileURLToPath(new URL("../../src/export-flows.ts", import.meta.url));

    // Act
    const output = execFileSync(tsx, [script, "--out", outDir, "--locale", "en-US"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });

    // Assess
    expect(output).toContain("wrote ");
    for (const file of readdirSync(outDir)) expect(validateFlow(readJson(join(outDir, file)))).toEqual([]);
    expect(readdirSync(outDir)).toHaveLength(2);
  }, 30_000);
});

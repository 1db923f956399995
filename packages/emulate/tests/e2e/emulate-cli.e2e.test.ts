import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { emulate, environment, root, settle } from "./emulate-process.ts";

const FLOW = "examples/order-status.flow.json";
const LAMBDA = "fernhill-order-status=examples/order-status-lookup.mjs";
const ARN = "arn:aws:lambda:eu-west-1:111122223333:function:fernhill-order-status";

describe("pnpm emulate, as a process, on the example flow and its JavaScript Lambda", {
  timeout: 30_000,
}, () => {
  it.concurrent("prints the timeline: the prompts, the caller's keys, the Lambda invocation; exit 0", async () => {
    const { code, stdout, stderr } = await emulate(FLOW, "--lambda", LAMBDA, "--press", "4711#");

    expect(code).toBe(0);
    expect(stdout).toMatch(/SAYS {2}"Thank you for calling Fernhill Garden Supplies\."/);
    expect(stdout).toMatch(/HEARS caller presses 4711#/);
    expect(stdout).toMatch(/λ fernhill-order-status \(synchronous\) ok, .*"orderState":"shipped"/);
    expect(stdout).toMatch(/SAYS {2}"Order 4711 left our nursery on Tuesday with Parcelway\."/);
    expect(stdout).toMatch(/end \(disconnected\)/);
    expect(stdout).toMatch(/exit 0: the flow ended the call \(disconnected\)/);
    // The handler's console output goes to stderr, so stdout stays the timeline.
    expect(stderr).toContain("order-status lookup: 4711 → shipped");
    expect(stdout).not.toContain("order-status lookup");
  });

  it.concurrent("prints the result as JSON with --json", async () => {
    const { code, stdout } = await emulate(
      FLOW,
      "--lambda",
      `${ARN}=examples/order-status-lookup.mjs`,
      "--json",
      "--press",
      "5150#",
    );

    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      exitCode: number;
      endReason: string;
      timeline: { kind: string; text?: string; functionName?: string; outcome?: unknown; value?: string }[];
    };
    expect(result).toMatchObject({ exitCode: 0, endReason: "disconnected" });
    expect(result.timeline.map((event) => event.kind)).toEqual(
      expect.arrayContaining(["call-started", "prompt", "caller-input", "invocation", "disconnect"]),
    );
    expect(result.timeline).toContainEqual(expect.objectContaining({ kind: "caller-input", value: "5150#" }));
    expect(result.timeline).toContainEqual(
      expect.objectContaining({
        kind: "invocation",
        functionName: "fernhill-order-status",
        outcome: {
          status: "success",
          response: { orderNumber: "5150", orderState: "packing", shipsOn: "Friday" },
        },
      }),
    );
    expect(result.timeline).toContainEqual(
      expect.objectContaining({
        kind: "prompt",
        text: "Order 5150 is being packed and should leave us on Friday.",
      }),
    );
  });

  it.concurrent("takes the caller from the example's caller file", async () => {
    const { code, stdout } = await emulate(
      FLOW,
      "--lambda",
      LAMBDA,
      "--caller",
      "examples/order-status.caller.json",
    );

    expect(code).toBe(0);
    expect(stdout).toMatch(/caller {2}1\) after 1\.5s presses 5150#; hangs up at 60s/);
    expect(stdout).toMatch(/SAYS {2}"Order 5150 is being packed/);
  });

  it.concurrent("exits 3 when the caller hangs up first", async () => {
    const { code, stdout } = await emulate(FLOW, "--lambda", LAMBDA, "--hang-up-after", "4");

    expect(code).toBe(3);
    expect(stdout).toMatch(/caller hangs up/);
    expect(stdout).toMatch(/exit 3: the caller hung up first \(hung-up\)/);
  });

  it.concurrent("exits 2 naming the ARN when a Lambda the flow invokes has no mapping", async () => {
    const { code, stdout, stderr } = await emulate(FLOW, "--press", "4711#");

    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("no --lambda mapping");
    expect(stderr).toContain(ARN);
  });

  it.concurrent("exits 2 with the usage on a bad option, and 0 with it on --help", async () => {
    const bad = await emulate(FLOW, "--loud");
    const help = await emulate("--help");

    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Usage: pnpm emulate <flow.json> [options]");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--lambda <arn-or-name>=<module>");
  });

  it.concurrent("exits 4 when the run stops on an action the emulator cannot run", async () => {
    // Prepare: the example flow with a made-up action in place of the lookup
    const folder = await mkdtemp(join(tmpdir(), "holdline-emulate-"));
    const flow = JSON.parse(await readFile(join(root, FLOW), "utf8")) as {
      Actions: { Type: string; Parameters: Record<string, unknown> }[];
    };
    const lookup = flow.Actions.find((action) => action.Type === "InvokeLambdaFunction")!;
    lookup.Type = "ExampleMadeUpAction";
    lookup.Parameters = {};
    await writeFile(join(folder, "flow.json"), JSON.stringify(flow));

    // Act
    const { code, stdout, stderr } = await emulate(join(folder, "flow.json"), "--press", "4711#");

    // Assess
    expect(code).toBe(4);
    expect(stdout).toMatch(/ExampleMadeUpAction/);
    expect(stderr).toMatch(/the flow validator finds 1 error .*\n.*ExampleMadeUpAction/);
  });

  it.concurrent("runs through `pnpm emulate` from a subdirectory, paths relative to it", async () => {
    const { code, stdout } = await settle(
      promisify(execFile)(
        "pnpm",
        [
          "--silent",
          "emulate",
          "../examples/order-status.flow.json",
          "--lambda",
          "fernhill-order-status=../examples/order-status-lookup.mjs",
          "--press",
          "4711#",
          "--json",
        ],
        { cwd: join(root, "packages"), env: environment },
      ),
    );

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ exitCode: 0, endReason: "disconnected" });
  });
});

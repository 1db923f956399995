import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runBundleOnLambdaNode } from "../../src/bundle-on-lambda-node.ts";
import { LAMBDA_NODE_MAJOR, LAMBDA_RUNTIME, lambdaNodeBinary } from "../../src/lambda-node.ts";

const binary = lambdaNodeBinary();
const onLinuxX64 = process.platform === "linux" && process.arch === "x64";

describe("the Lambda runtime's Node", () => {
  it("is the nodejs24.x runtime, and the bundle script targets the same major", () => {
    const script = readFileSync(new URL("../../../../tools/bundle-lambda.mjs", import.meta.url), "utf8");

    expect(LAMBDA_RUNTIME).toBe("nodejs24.x");
    expect(script).toContain(`target: "node${LAMBDA_NODE_MAJOR}"`);
  });

  it.runIf(onLinuxX64)("is installed from the npm registry on Linux x64, at that major", () => {
    const version = execFileSync(binary ?? "missing", ["--version"], { encoding: "utf8" }).trim();

    expect(version).toMatch(new RegExp(`^v${LAMBDA_NODE_MAJOR}\\.`));
  });

  it.runIf(onLinuxX64)(
    "runs a bundle's handler in a warm process with the given environment and context",
    async () => {
      // Act
      const run = await runBundleOnLambdaNode({
        bundle: new URL("../fixtures/echo-bundle.mjs", import.meta.url).pathname,
        environment: { GREETING: "hello" },
        invocations: [
          { event: { n: 1 }, requestId: "req-1" },
          { event: { n: 2 }, requestId: "req-2" },
        ],
      });

      // Assess
      expect(run.nodeVersion).toMatch(new RegExp(`^v${LAMBDA_NODE_MAJOR}\\.`));
      expect(run.results).toEqual([
        { ok: true, value: { event: { n: 1 }, greeting: "hello", remainingMs: true } },
        { ok: true, value: { event: { n: 2 }, greeting: "hello", remainingMs: true } },
      ]);
      expect(run.logLines).toEqual([
        { message: "echo", requestId: "req-1", invocations: 1 },
        { message: "echo", requestId: "req-2", invocations: 2 },
      ]);
    },
  );
});

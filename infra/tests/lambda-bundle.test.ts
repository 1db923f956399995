import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lambdaBundle } from "../src/lambda-bundle.ts";
import { builtApps } from "./support/app-bundles.ts";

// `lambdaBundle`: the function's code is the built bundle alone, and never a missing or stale one.

describe("lambdaBundle", () => {
  it("archives the bundle alone when it is as built from its sources", async () => {
    // Prepare
    const apps = builtApps();

    // Act
    const bundle = lambdaBundle(join(apps, "connect-start"), "connect-start");

    // Assess
    expect(Object.keys(await bundle.archive.assets)).toEqual(["index.mjs"]);
    expect(bundle.sourceMap).toBe(false);
  });

  it("refuses a missing bundle, saying what to run", () => {
    const apps = builtApps();
    rmSync(join(apps, "connect-start", "dist"), { recursive: true });

    expect(() => lambdaBundle(join(apps, "connect-start"), "connect-start")).toThrow(
      "apps/connect-start/dist/index.mjs is missing: run `pnpm build` at the repository root",
    );
  });

  it("refuses a bundle older than a source it was built from", () => {
    const apps = builtApps();
    writeFileSync(join(apps, "connect-start", "src", "index.ts"), "export const handler = async () => 2;\n");

    expect(() => lambdaBundle(join(apps, "connect-start"), "connect-start")).toThrow(
      "apps/connect-start/dist is older than its sources (src/index.ts changed since it was built): run `pnpm build`",
    );
  });

  it("refuses a bundle built from a source that is gone", () => {
    const apps = builtApps();
    rmSync(join(apps, "connect-start", "src", "index.ts"));

    expect(() => lambdaBundle(join(apps, "connect-start"), "connect-start")).toThrow(
      /older than its sources/,
    );
  });

  it("refuses a bundle edited after it was built", () => {
    const apps = builtApps();
    writeFileSync(join(apps, "connect-start", "dist", "index.mjs"), "export const handler = 1;\n");

    expect(() => lambdaBundle(join(apps, "connect-start"), "connect-start")).toThrow(
      /changed after it was built/,
    );
  });

  it("refuses a bundle from the build script before input hashes", () => {
    const apps = builtApps();
    rmSync(join(apps, "connect-start", "dist", "bundle-inputs.json"));

    expect(() => lambdaBundle(join(apps, "connect-start"), "connect-start")).toThrow(
      /no bundle-inputs\.json/,
    );
  });
});

import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AppName } from "../../src/strategy-deployment.ts";

const APPS: readonly AppName[] = [
  "connect-start",
  "connect-status",
  "connect-answer",
  "answer-worker",
  "failure-recorder",
  "lex-transcript",
  "connect-text-offer",
  "caller-left",
  "text-delivery",
];

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * An `apps/` directory of small built bundles, each as `tools/bundle-lambda.mjs` leaves it (the bundle, its
 * metafile, the hashes of the one source it was built from, and a map when asked for), so the program's tests
 * do not depend on the state of the real `apps/<app>/dist`.
 */
export function builtApps(options: { sourceMap?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), "holdline-apps-"));
  for (const app of APPS) {
    const source = `export const handler = async () => "${app}";\n`;
    const bundle = `export const handler=async()=>"${app}";\n`;
    mkdirSync(join(root, app, "src"), { recursive: true });
    mkdirSync(join(root, app, "dist"), { recursive: true });
    writeFileSync(join(root, app, "src", "index.ts"), source);
    writeFileSync(join(root, app, "dist", "index.mjs"), bundle);
    writeFileSync(join(root, app, "dist", "meta.json"), JSON.stringify({ inputs: {}, outputs: {} }));
    if (options.sourceMap === true) writeFileSync(join(root, app, "dist", "index.mjs.map"), "{}");
    writeFileSync(
      join(root, app, "dist", "bundle-inputs.json"),
      JSON.stringify({
        bundle: "index.mjs",
        bundleSha256: sha256(bundle),
        sourceMap: options.sourceMap === true,
        inputs: { "src/index.ts": sha256(source) },
      }),
    );
  }
  return root;
}

/** The fixture every program run uses unless it is given another. */
export const BUILT_APPS = builtApps();

#!/usr/bin/env node
// Bundles one Lambda app (run from the app's directory): src/index.ts → dist/index.mjs for nodejs24.x.
//
// dist/ also gets what the checks read, none of which is deployed (infra archives index.mjs alone):
// - meta.json, esbuild's metafile (the bundle tests read which packages went in);
// - bundle-inputs.json, the SHA-256 of the bundle and of every source file it was built from, so that
//   `pulumi up` refuses a bundle older than its sources (infra/src/lambda-bundle.ts).
// A source map (index.mjs.map, about 3 MB) is written only when asked for: HOLDLINE_SOURCEMAP=1 pnpm build.
import { createHash } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { build } from "esbuild";

const app = basename(process.cwd());
const sourceMap = process.env.HOLDLINE_SOURCEMAP === "1";
const result = await build({
  entryPoints: ["src/index.ts"],
  outfile: "dist/index.mjs",
  bundle: true,
  platform: "node",
  // Prefer each package's ES module build: esbuild's node default (main first) mixes in CommonJS copies.
  mainFields: ["module", "main"],
  target: "node24",
  format: "esm",
  minify: true,
  sourcemap: sourceMap,
  metafile: true,
  legalComments: "none",
  // Some CommonJS dependencies call require(); give ESM output a require of its own.
  banner: {
    js: "import { createRequire as __holdlineRequire } from 'node:module'; const require = __holdlineRequire(import.meta.url);",
  },
  logLevel: "warning",
});
// A map left by an earlier build with maps would be deployed beside a bundle it does not describe.
if (!sourceMap) await rm("dist/index.mjs.map", { force: true });
await writeFile("dist/meta.json", JSON.stringify(result.metafile));

const sha256 = async (path) =>
  createHash("sha256")
    .update(await readFile(path))
    .digest("hex");
const inputs = {};
for (const input of Object.keys(result.metafile.inputs).sort()) inputs[input] = await sha256(input);
await writeFile(
  "dist/bundle-inputs.json",
  JSON.stringify({ bundle: "index.mjs", bundleSha256: await sha256("dist/index.mjs"), sourceMap, inputs }),
);
const bytes = result.metafile.outputs["dist/index.mjs"]?.bytes ?? 0;
console.log(
  `${app}: dist/index.mjs ${(bytes / 1024).toFixed(1)} KiB${sourceMap ? " (with a source map)" : ""}`,
);

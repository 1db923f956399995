#!/usr/bin/env node
// Bundles one Lambda app (run from the app's directory): src/index.ts → dist/index.mjs for nodejs22.x.
import { mkdir, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { build } from "esbuild";

const app = basename(process.cwd());
const result = await build({
  entryPoints: ["src/index.ts"],
  outfile: "dist/index.mjs",
  bundle: true,
  platform: "node",
  // Prefer each package's ES module build: esbuild's node default (main first) mixes in CommonJS copies.
  mainFields: ["module", "main"],
  target: "node22",
  format: "esm",
  minify: true,
  sourcemap: true,
  metafile: true,
  legalComments: "none",
  // Some CommonJS dependencies call require(); give ESM output a require of its own.
  banner: {
    js: "import { createRequire as __holdlineRequire } from 'node:module'; const require = __holdlineRequire(import.meta.url);",
  },
  logLevel: "warning",
});
await mkdir("dist", { recursive: true });
await writeFile("dist/meta.json", JSON.stringify(result.metafile));
const bytes = result.metafile.outputs["dist/index.mjs"]?.bytes ?? 0;
console.log(`${app}: dist/index.mjs ${(bytes / 1024).toFixed(1)} KiB`);

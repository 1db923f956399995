import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";

/** What `tools/bundle-lambda.mjs` records beside each bundle: the hashes it was built from. */
interface BundleInputs {
  readonly bundle: string;
  readonly bundleSha256: string;
  readonly sourceMap: boolean;
  /** Every source file esbuild read, by its path relative to the app's directory. */
  readonly inputs: Readonly<Record<string, string>>;
}

export interface LambdaBundle {
  /** What Lambda gets: `index.mjs` alone, and its source map only when the bundle was built with one. */
  readonly archive: pulumi.asset.AssetArchive;
  /** The bundle was built with `HOLDLINE_SOURCEMAP=1`: the function should run Node with source maps on. */
  readonly sourceMap: boolean;
}

const REBUILD = "run `pnpm build` at the repository root, then `pulumi up` again";

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/**
 * An app's built bundle as the function's code, or a refusal naming what to run: the program never uploads a
 * missing bundle, one older than any source it was built from (a source changed or is gone since), or one
 * edited after it was built. The archive holds the bundle only: esbuild's metafile and the input hashes stay
 * behind, and the source map (about 3 MB) goes only when the build was asked for one.
 */
export function lambdaBundle(appDirectory: string, app: string): LambdaBundle {
  const dist = join(appDirectory, "dist");
  const bundlePath = join(dist, "index.mjs");
  const manifestPath = join(dist, "bundle-inputs.json");
  if (!existsSync(bundlePath)) {
    throw new pulumi.RunError(`apps/${app}/dist/index.mjs is missing: ${REBUILD}`);
  }
  if (!existsSync(manifestPath)) {
    throw new pulumi.RunError(
      `apps/${app}/dist has no bundle-inputs.json (built by an older build script): ${REBUILD}`,
    );
  }
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as BundleInputs;
  if (sha256(bundlePath) !== manifest.bundleSha256) {
    throw new pulumi.RunError(`apps/${app}/dist/index.mjs was changed after it was built: ${REBUILD}`);
  }
  const changed = Object.entries(manifest.inputs)
    .filter(([input, hash]) => {
      const path = join(appDirectory, input);
      return !existsSync(path) || sha256(path) !== hash;
    })
    .map(([input]) => input);
  if (changed.length > 0) {
    const more = changed.length > 1 ? ` and ${changed.length - 1} more` : "";
    throw new pulumi.RunError(
      `apps/${app}/dist is older than its sources (${changed[0]} changed since it was built${more}): ${REBUILD}`,
    );
  }
  const mapPath = join(dist, "index.mjs.map");
  const sourceMap = manifest.sourceMap && existsSync(mapPath);
  return {
    archive: new pulumi.asset.AssetArchive({
      "index.mjs": new pulumi.asset.FileAsset(bundlePath),
      ...(sourceMap ? { "index.mjs.map": new pulumi.asset.FileAsset(mapPath) } : {}),
    }),
    sourceMap,
  };
}

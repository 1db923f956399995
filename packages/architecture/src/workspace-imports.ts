import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { cruise } from "dependency-cruiser";

/** One import as dependency-cruiser resolved it, paths relative to the workspace root. */
export interface WorkspaceImport {
  readonly from: string;
  readonly specifier: string;
  /** The resolved file, or the specifier itself for a third-party or built-in module. */
  readonly to: string;
  readonly kind: "workspace" | "npm" | "core" | "unresolved";
}

/** The workspace's package folders, as pnpm-workspace.yaml lists them. */
export function workspacePackages(root: string): string[] {
  const under = (folder: string) =>
    readdirSync(join(root, folder), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(root, folder, entry.name, "package.json")))
      .map((entry) => `${folder}/${entry.name}`);
  return [...under("packages"), ...under("apps"), "infra"].sort();
}

const CODE_FOLDERS = ["src", "tests", "bench"];

/** Every import of every package's code (production, tests, benchmarks), resolved as Node and TypeScript do. */
export async function workspaceImports(root: string): Promise<WorkspaceImport[]> {
  const roots = workspacePackages(root).flatMap((pkg) =>
    CODE_FOLDERS.map((folder) => `${pkg}/${folder}`).filter((path) => existsSync(join(root, path))),
  );
  const result = await cruise(roots, {
    baseDir: root,
    tsPreCompilationDeps: true,
    exclude: { path: "(^|/)(node_modules|dist|coverage)/" },
    doNotFollow: { path: "node_modules" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".mjs", ".cjs", ".js", ".json"],
    },
  });
  if (typeof result.output === "string") throw new Error("dependency-cruiser returned a report, not modules");
  return result.output.modules
    .filter((module) => !module.source.includes("node_modules"))
    .flatMap((module) =>
      module.dependencies.map((dependency) => ({
        from: module.source,
        specifier: dependency.module,
        to: dependency.resolved,
        kind: dependency.couldNotResolve
          ? ("unresolved" as const)
          : dependency.coreModule
            ? ("core" as const)
            : dependency.resolved.includes("node_modules/") && !dependency.module.startsWith("@holdline/")
              ? ("npm" as const)
              : ("workspace" as const),
      })),
    );
}

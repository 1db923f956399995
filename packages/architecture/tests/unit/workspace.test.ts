import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { allowedEdges, findViolations, productionEdges } from "../../src/dependency-check.ts";
import { DEPENDENCY_RULE } from "../../src/dependency-rule.ts";
import { packageDiagram } from "../../src/package-diagram.ts";
import { type WorkspaceImport, workspaceImports, workspacePackages } from "../../src/workspace-imports.ts";

const root = fileURLToPath(new URL("../../../../", import.meta.url));

/** Whether any file matches `pattern`, a path in which `*` stands for any part of one segment (Node 20 has no fs.glob). */
function anyMatch(pattern: string, directory = root): boolean {
  const [segment, ...rest] = pattern.split("/");
  if (segment === undefined) return false;
  if (!segment.includes("*")) {
    return rest.length === 0
      ? existsSync(join(directory, segment))
      : anyMatch(rest.join("/"), join(directory, segment));
  }
  const matcher = new RegExp(
    `^${segment
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
  if (!existsSync(directory)) return false;
  return readdirSync(directory)
    .filter((name) => matcher.test(name))
    .some((name) => (rest.length === 0 ? true : anyMatch(rest.join("/"), join(directory, name))));
}

// The whole workspace's imports, resolved once: about a thousand files.
let imports: WorkspaceImport[] = [];
beforeAll(async () => {
  imports = await workspaceImports(root);
}, 120_000);

describe("the workspace keeps the dependency rule", () => {
  it("gives every workspace package a rule, and every rule a package", () => {
    expect(Object.keys(DEPENDENCY_RULE).sort()).toEqual(workspacePackages(root));
  });

  it("reads the imports of every package", () => {
    const importing = new Set(imports.map((dependency) => dependency.from.split("/").slice(0, 2).join("/")));

    expect(importing).toContain("packages/domain");
    expect(importing).toContain("apps/connect-start");
  });

  it("imports nothing the rule does not allow", () => {
    expect(findViolations(imports, DEPENDENCY_RULE)).toEqual([]);
  });

  it("allows exactly the production imports the code makes, so the diagram has no dead edge", () => {
    expect([...allowedEdges(DEPENDENCY_RULE)].sort()).toEqual(
      [...productionEdges(imports, DEPENDENCY_RULE)].sort(),
    );
  });

  it("shows the rule's diagram in docs/architecture.md", () => {
    const document = readFileSync(`${root}docs/architecture.md`, "utf8");

    expect(document).toContain(packageDiagram(DEPENDENCY_RULE));
  });

  it("names only files that exist in the where-things-are table of docs/architecture.md", () => {
    // Prepare
    const document = readFileSync(`${root}docs/architecture.md`, "utf8");
    const table = document.slice(
      document.indexOf("## Where things are"),
      document.indexOf("## The execution"),
    );
    const paths = [...table.matchAll(/`((?:packages|apps|infra)\/[^`]+)`/g)].map((match) => match[1]!);

    // Act: a placeholder such as <app> stands for any folder
    const missing = paths.filter((path) => !anyMatch(path.replace(/<[^>]+>/g, "*")));

    // Assess
    expect(paths.length).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });
});

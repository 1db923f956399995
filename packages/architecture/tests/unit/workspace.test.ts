import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { allowedEdges, findViolations, productionEdges } from "../../src/dependency-check.ts";
import { DEPENDENCY_RULE } from "../../src/dependency-rule.ts";
import { packageDiagram } from "../../src/package-diagram.ts";
import { type WorkspaceImport, workspaceImports, workspacePackages } from "../../src/workspace-imports.ts";

const root = fileURLToPath(new URL("../../../../", import.meta.url));

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
});

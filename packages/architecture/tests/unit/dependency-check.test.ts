import { describe, expect, it } from "vitest";
import { allowedEdges, findViolations, npmPackageName, productionEdges } from "../../src/dependency-check.ts";
import type { PackageRule } from "../../src/dependency-rule.ts";
import type { WorkspaceImport } from "../../src/workspace-imports.ts";

const rule: Record<string, PackageRule> = {
  "packages/core": { layer: "domain", role: "core", src: [], npm: ["inversify"] },
  "packages/store": { layer: "adapter", role: "store", src: ["packages/core"], tests: ["packages/local"] },
  "packages/local": { layer: "local", role: "local", src: [] },
  "packages/demo": { layer: "local", role: "demo", src: ["packages/core"], harness: true },
  "packages/core-extra": { layer: "domain", role: "a folder whose name extends another's", src: [] },
};

const workspace = (from: string, to: string, specifier = "@holdline/x/y"): WorkspaceImport => ({
  from,
  to,
  specifier,
  kind: "workspace",
});

describe("findViolations", () => {
  it("allows a production import the rule lists", () => {
    // Prepare
    const imports = [workspace("packages/store/src/store.ts", "packages/core/src/port.ts")];

    // Act
    const violations = findViolations(imports, rule);

    // Assess
    expect(violations).toEqual([]);
  });

  it("refuses a production import the rule does not list", () => {
    const imports = [workspace("packages/core/src/port.ts", "packages/store/src/store.ts")];

    expect(findViolations(imports, rule)).toEqual([
      expect.objectContaining({ reason: "packages/core may not import packages/store" }),
    ]);
  });

  it("lets tests import what only tests may", () => {
    const imports = [workspace("packages/store/tests/unit/store.test.ts", "packages/local/src/server.ts")];

    expect(findViolations(imports, rule)).toEqual([]);
  });

  it("refuses production code an import only its tests may make", () => {
    const imports = [workspace("packages/store/src/store.ts", "packages/local/src/server.ts")];

    expect(findViolations(imports, rule)).toHaveLength(1);
  });

  it("refuses production code that imports another package's test support", () => {
    const imports = [workspace("packages/store/src/store.ts", "packages/core/tests/support/fake.ts")];

    expect(findViolations(imports, rule)).toEqual([
      expect.objectContaining({ reason: "production code imports packages/core's test support" }),
    ]);
  });

  it("lets a harness's production code use test doubles", () => {
    const imports = [workspace("packages/demo/src/demo.ts", "packages/core/tests/support/fake.ts")];

    expect(findViolations(imports, rule)).toEqual([]);
  });

  it("refuses a relative path into another package", () => {
    const imports = [
      workspace("packages/store/src/store.ts", "packages/core/src/port.ts", "../../core/src/port.ts"),
    ];

    expect(findViolations(imports, rule)[0]?.reason).toMatch(/relative path/);
  });

  it("refuses a third-party package outside a restricted layer's list", () => {
    const imports: WorkspaceImport[] = [
      {
        from: "packages/core/src/port.ts",
        to: "node_modules/x",
        specifier: "@aws-sdk/client-s3/dist",
        kind: "npm",
      },
      { from: "packages/core/src/port.ts", to: "node_modules/y", specifier: "inversify", kind: "npm" },
    ];

    expect(findViolations(imports, rule)).toEqual([
      expect.objectContaining({
        reason: "packages/core keeps its production code free of @aws-sdk/client-s3",
      }),
    ]);
  });

  it("refuses a workspace import that cannot be resolved", () => {
    const imports: WorkspaceImport[] = [
      {
        from: "packages/store/src/store.ts",
        to: "@holdline/gone/x",
        specifier: "@holdline/gone/x",
        kind: "unresolved",
      },
    ];

    expect(findViolations(imports, rule)[0]?.reason).toBe("cannot be resolved");
  });

  it("does not take a folder for the package whose name it extends", () => {
    const imports = [workspace("packages/core-extra/src/a.ts", "packages/core/src/port.ts")];

    expect(findViolations(imports, rule)).toEqual([
      expect.objectContaining({ reason: "packages/core-extra may not import packages/core" }),
    ]);
  });
});

describe("production edges", () => {
  it("counts only production imports between packages", () => {
    const imports = [
      workspace("packages/store/src/store.ts", "packages/core/src/port.ts"),
      workspace("packages/store/tests/unit/store.test.ts", "packages/local/src/server.ts"),
      workspace("packages/store/src/a.ts", "packages/store/src/b.ts"),
    ];

    expect([...productionEdges(imports, rule)]).toEqual(["packages/store → packages/core"]);
    expect([...allowedEdges(rule)]).toEqual([
      "packages/store → packages/core",
      "packages/demo → packages/core",
    ]);
  });
});

describe("npmPackageName", () => {
  it.each([
    ["@aws-sdk/client-dynamodb/dist-cjs/index.js", "@aws-sdk/client-dynamodb"],
    ["zod/v4", "zod"],
    ["inversify", "inversify"],
  ])("reads %s as %s", (specifier, name) => {
    expect(npmPackageName(specifier)).toBe(name);
  });
});

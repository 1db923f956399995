import { OPEN_TO_TESTS, type PackageRule } from "./dependency-rule.ts";
import type { WorkspaceImport } from "./workspace-imports.ts";

export interface Violation {
  readonly from: string;
  readonly specifier: string;
  readonly reason: string;
}

type Rule = Readonly<Record<string, PackageRule>>;

/** The package folder a path lies in (the longest rule key that prefixes it), if any. */
export function packageOf(path: string, rule: Rule): string | undefined {
  return Object.keys(rule)
    .filter((pkg) => path === pkg || path.startsWith(`${pkg}/`))
    .sort((a, b) => b.length - a.length)[0];
}

const isProduction = (path: string, pkg: string): boolean => path.startsWith(`${pkg}/src/`);

/** `@aws-sdk/client-dynamodb/dist-cjs/…` → `@aws-sdk/client-dynamodb`; `zod/v4` → `zod`. */
export const npmPackageName = (specifier: string): string =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

/** Every import the rule does not allow, each with the reason. */
export function findViolations(imports: readonly WorkspaceImport[], rule: Rule): Violation[] {
  const violations: Violation[] = [];
  for (const dependency of imports) {
    const from = packageOf(dependency.from, rule);
    const refuse = (reason: string) =>
      violations.push({ from: dependency.from, specifier: dependency.specifier, reason });
    if (from === undefined) {
      refuse("the importing file belongs to no package of the dependency rule");
      continue;
    }
    const production = isProduction(dependency.from, from);
    const fromRule = rule[from]!;
    if (dependency.kind === "unresolved") {
      if (dependency.specifier.startsWith("@holdline/") || dependency.specifier.startsWith(".")) {
        refuse("cannot be resolved");
      }
      continue;
    }
    if (dependency.kind === "core") continue;
    if (dependency.kind === "npm") {
      const name = npmPackageName(dependency.specifier);
      if (production && fromRule.npm !== undefined && !fromRule.npm.includes(name)) {
        refuse(`${from} keeps its production code free of ${name}`);
      }
      continue;
    }
    const to = packageOf(dependency.to, rule);
    if (to === undefined) {
      refuse(`resolves to ${dependency.to}, outside every package`);
      continue;
    }
    if (to === from) continue;
    if (dependency.specifier.startsWith(".")) {
      refuse(`reaches into ${to} by a relative path; import it by its package name`);
      continue;
    }
    if (production) {
      if (!isProduction(dependency.to, to) && !fromRule.harness) {
        refuse(`production code imports ${to}'s test support`);
      } else if (!fromRule.src.includes(to)) refuse(`${from} may not import ${to}`);
      continue;
    }
    const allowed = [...fromRule.src, ...(fromRule.tests ?? []), ...OPEN_TO_TESTS];
    if (!allowed.includes(to)) refuse(`${from}'s tests may not import ${to}`);
  }
  return violations;
}

/** The production imports the code actually makes, as `from → to` package pairs. */
export function productionEdges(imports: readonly WorkspaceImport[], rule: Rule): Set<string> {
  const edges = new Set<string>();
  for (const dependency of imports) {
    if (dependency.kind !== "workspace") continue;
    const from = packageOf(dependency.from, rule);
    const to = packageOf(dependency.to, rule);
    if (from === undefined || to === undefined || from === to) continue;
    if (isProduction(dependency.from, from)) edges.add(`${from} → ${to}`);
  }
  return edges;
}

/** The production imports the rule allows, in the same form. */
export const allowedEdges = (rule: Rule): Set<string> =>
  new Set(Object.entries(rule).flatMap(([from, { src }]) => src.map((to) => `${from} → ${to}`)));

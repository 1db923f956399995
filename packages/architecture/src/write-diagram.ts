import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DEPENDENCY_RULE } from "./dependency-rule.ts";
import { packageDiagram, withDiagram } from "./package-diagram.ts";

// Rewrites the package diagram of docs/architecture.md from the dependency rule.
const path = fileURLToPath(new URL("../../../docs/architecture.md", import.meta.url));
writeFileSync(path, withDiagram(readFileSync(path, "utf8"), packageDiagram(DEPENDENCY_RULE)));
console.log(`wrote the package diagram into ${path}`);

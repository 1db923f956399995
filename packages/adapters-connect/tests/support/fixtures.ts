import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface Fixture<Expected> {
  readonly name: string;
  readonly description: string;
  readonly event: unknown;
  readonly expected: Expected;
}

const FIXTURES = join(import.meta.dirname, "..", "fixtures");

/**
 * Loads every fixture of a folder with `JSON.parse`, as the Lambda runtime parses an event: a `__proto__`
 * key stays an own property (a JSON import could turn it into a real prototype).
 */
export function loadFixtures<Expected>(folder: "malformed" | "valid"): Fixture<Expected>[] {
  const dir = join(FIXTURES, folder);
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => {
      const parsed = JSON.parse(readFileSync(join(dir, file), "utf8")) as Omit<Fixture<Expected>, "name">;
      return { ...parsed, name: file.replace(/\.json$/, "") };
    });
}

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { LexV2Result } from "aws-lambda";

export interface LexFixture {
  readonly name: string;
  readonly description: string;
  readonly event: unknown;
  /** The whole response Lex gets back. */
  readonly expected: LexV2Result;
}

const FIXTURES = join(import.meta.dirname, "..", "fixtures");

/**
 * Every fixture of a folder, read with `JSON.parse` as the Lambda runtime reads an event: a `__proto__` key
 * stays an own property (a JSON import could turn it into a real prototype).
 */
export function loadFixtures(folder: "malformed" | "valid"): LexFixture[] {
  const dir = join(FIXTURES, folder);
  return readdirSync(dir)
    .filter((file) => file.endsWith(".json"))
    .sort()
    .map((file) => ({
      ...(JSON.parse(readFileSync(join(dir, file), "utf8")) as Omit<LexFixture, "name">),
      name: file.replace(/\.json$/, ""),
    }));
}

export const fixture = (folder: "malformed" | "valid", name: string): LexFixture => {
  const found = loadFixtures(folder).find((candidate) => candidate.name.endsWith(name));
  if (found === undefined) throw new Error(`no ${folder} fixture ${name}`);
  return found;
};

/** A copy of a fixture's event with a different transcript and scores. */
export function withTranscript(event: unknown, text: string, confidence?: number): Record<string, unknown> {
  const copy = structuredClone(event) as Record<string, unknown>;
  copy.inputTranscript = text;
  copy.transcriptions = [
    { transcription: text, ...(confidence === undefined ? {} : { transcriptionConfidence: confidence }) },
  ];
  return copy;
}

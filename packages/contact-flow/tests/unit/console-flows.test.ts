import { existsSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validateFlow } from "../../src/validate-flow.ts";
import {
  CONSOLE_FLOW_FIXTURES,
  CONSOLE_FLOW_NAMES,
  CONSOLE_FLOWS_DIR,
  consoleFlowPath,
  consoleFlows,
} from "../support/console-flows.ts";

describe("the console-shaped fixture corpus", () => {
  it("lists every file in the folder, and every listed file exists", () => {
    // Act
    const files = readdirSync(CONSOLE_FLOWS_DIR).filter((file) => file.endsWith(".json"));

    // Assess
    expect(files.sort()).toEqual(
      Object.values(CONSOLE_FLOW_FIXTURES)
        .map((f) => f.file)
        .sort(),
    );
    for (const name of CONSOLE_FLOW_NAMES) expect(existsSync(consoleFlowPath(name))).toBe(true);
  });

  it.each(consoleFlows())("$name uses exactly the action types it lists", ({ fixture, flow }) => {
    expect(new Set(flow.Actions.map((action) => action.Type))).toEqual(new Set(fixture.actionTypes));
  });

  it.each(consoleFlows())("$name carries the metadata modern exports carry", ({ flow }) => {
    // Prepare
    const metadata = flow.Metadata as {
      entryPointPosition: unknown;
      ActionMetadata: Record<string, { position?: unknown; isFriendlyName?: boolean }>;
      Annotations: unknown;
      type: unknown;
      status: unknown;
    };
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

    // Assess
    expect(metadata).toMatchObject({ entryPointPosition: { x: 40, y: 40 }, Annotations: [] });
    expect(metadata.type).toBe("contactFlow");
    expect(metadata.status).toBe("published");
    for (const action of flow.Actions) {
      const entry = metadata.ActionMetadata[action.Identifier];
      expect(entry?.position).toEqual({ x: expect.any(Number), y: expect.any(Number) });
      // A friendly name (not a console UUID) is flagged, as in deepgram/amazon-connect-integration's export.
      expect(entry?.isFriendlyName).toBe(uuid.test(action.Identifier) ? undefined : true);
    }
  });

  it.each(consoleFlows())("$name uses only the project's own account and ARNs", ({ flow }) => {
    // Prepare
    const content = JSON.stringify(flow);

    // Assess
    for (const arn of content.match(/arn:aws:[a-z]+:[a-z0-9-]+:\d+:/g) ?? [])
      expect(arn).toMatch(/:us-west-2:111122223333:$/);
  });

  /**
   * Warnings the validator may give on a fixture: only where the console itself would merely warn. The corpus
   * is written as modern exports are, so there are none; an entry here would name the fixture and the code.
   */
  const ALLOWED_WARNINGS: Readonly<Record<string, readonly string[]>> = {
    syncPolling: [],
    asyncKeepRunning: [],
    secureInput: [],
    lexV2: [],
    hoursAndQueue: [],
  };

  it.each(consoleFlows())("$name passes the validator with no error", ({ name, flow }) => {
    // Act
    const issues = validateFlow(flow);

    // Assess
    expect(issues.filter((issue) => issue.severity === "error")).toEqual([]);
    expect(issues.map((issue) => `${issue.code} ${issue.identifier}`)).toEqual(ALLOWED_WARNINGS[name]);
  });
});

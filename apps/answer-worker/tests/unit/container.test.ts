import { budgetFrom } from "@holdline/composition/config/environment.schema";
import { PowertoolsExecutionEvents } from "@holdline/composition/lambda/execution-events";
import { ObservabilityId } from "@holdline/composition/lambda/observability";
import { ExecutionEventsId } from "@holdline/domain/ports/execution-events.port";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { buildContainer, dependenciesFrom } from "../../src/container.ts";

const config = loadConfig({ HOLDLINE_TABLE_NAME: "executions" });
const budget = budgetFrom(config);

// The use cases' recoveries (`ExecutionEvents`) and the handler share the function's one Observability.
describe("answer-worker container", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it("reports recoveries through the Observability its handler logs and counts with", () => {
    const container = buildContainer(config, budget);
    const { observability } = dependenciesFrom(container);

    expect(container.get(ExecutionEventsId)).toBeInstanceOf(PowertoolsExecutionEvents);
    expect(container.get(ObservabilityId)).toBe(observability);
  });

  it("counts recoveries under service=answer-worker (its app name, which alarms match)", () => {
    vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "false");
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => written.push(String(chunk)) > 0);
    const container = buildContainer(config, budget);

    container.get(ExecutionEventsId).report({ kind: "start_abandoned", key: { contactId: "c", turn: 1 } });

    const metric = written
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line))
      .find((line) => "_aws" in line);
    expect(metric).toMatchObject({ service: "answer-worker", event: "start_abandoned", Recoveries: 1 });
  });
});

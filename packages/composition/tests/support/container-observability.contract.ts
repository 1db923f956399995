import { ExecutionEventsId } from "@holdline/domain/ports/execution-events.port";
import type { Container } from "inversify";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PowertoolsExecutionEvents } from "../../src/lambda/execution-events.ts";
import { type Observability, ObservabilityId } from "../../src/lambda/observability.ts";

export interface ContainerObservabilityOptions {
  /** The app's name: the `service` dimension its metrics carry, which the alarms match. */
  readonly service: string;
  /** Builds the app's container as its index.ts does. */
  readonly build: () => Container;
  /** The Observability the app's handler is given (its `dependenciesFrom`). */
  readonly handlerObservability: (container: Container) => Observability;
}

/**
 * What every app's composition root must do for operators: the use cases' recoveries (`ExecutionEvents`) go
 * through the same Observability the handler logs and counts with, under the app's own `service`.
 */
export function containerObservabilityContract({
  service,
  build,
  handlerObservability,
}: ContainerObservabilityOptions): void {
  describe(`${service} container`, () => {
    afterEach(() => {
      vi.restoreAllMocks();
      vi.unstubAllEnvs();
    });

    it("reports recoveries through the Observability its handler logs and counts with", () => {
      const container = build();
      const observability = handlerObservability(container);

      expect(container.get(ExecutionEventsId)).toBeInstanceOf(PowertoolsExecutionEvents);
      expect(container.get(ObservabilityId)).toBe(observability);
    });

    it(`counts recoveries under service=${service} (its app name, which alarms match)`, () => {
      vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "false");
      const written: string[] = [];
      vi.spyOn(process.stdout, "write").mockImplementation((chunk) => written.push(String(chunk)) > 0);
      const container = build();

      container.get(ExecutionEventsId).report({ kind: "start_abandoned", key: { contactId: "c", turn: 1 } });

      const metric = written
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line))
        .find((line) => "_aws" in line);
      expect(metric).toMatchObject({ service, event: "start_abandoned", Recoveries: 1 });
    });
  });
}

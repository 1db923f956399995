import {
  ExecutionEventsId,
  RECOVERY_KINDS,
  type RecoveryEvent,
} from "@holdline/domain/ports/execution-events.port";
import { Container } from "inversify";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PowertoolsExecutionEvents } from "../../src/lambda/execution-events.ts";
import { createObservability, ObservabilityId } from "../../src/lambda/observability.ts";
import { eventsModule } from "../../src/modules/events.module.ts";

const key = { contactId: "2842f992-51fb-4a63-9fcc-3363116d4179", turn: 3 };
const executionId = "2842f992-51fb-4a63-9fcc-3363116d4179#3";

/** One event of each kind, with the fields it adds to the log line and its level there. */
const EVENTS: readonly { event: RecoveryEvent; fields: Record<string, unknown>; level: "INFO" | "WARN" }[] = [
  { event: { kind: "lost_reply_recovered", key, write: "claim" }, fields: { write: "claim" }, level: "INFO" },
  { event: { kind: "reclaimed_after_lease", key, attempt: 2 }, fields: { attempt: 2 }, level: "INFO" },
  { event: { kind: "attempt_stopped", key, attempt: 2 }, fields: { attempt: 2 }, level: "WARN" },
  {
    event: { kind: "dispatch_refused", key, reason: "ResourceNotFoundException" },
    fields: { reason: "ResourceNotFoundException" },
    level: "WARN",
  },
  { event: { kind: "start_abandoned", key }, fields: {}, level: "WARN" },
  {
    event: { kind: "start_abandon_settled", key, how: "fenced" },
    fields: { how: "fenced" },
    level: "INFO",
  },
];

/**
 * What Powertools writes: its Logger and Metrics write JSON lines to process.stdout / stderr (warn goes to
 * stderr). The tests' environment silences both; here they are on, and the lines are captured.
 */
function captured() {
  const lines: Record<string, unknown>[] = [];
  const capture = (chunk: unknown) => {
    for (const line of String(chunk).split("\n")) {
      if (line.trim().startsWith("{")) lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(capture);
  vi.spyOn(process.stderr, "write").mockImplementation(capture);
  const metrics = () => lines.filter((line) => "_aws" in line);
  const logs = () => lines.filter((line) => !("_aws" in line));
  return { metrics, logs };
}

describe("PowertoolsExecutionEvents", () => {
  beforeEach(() => {
    vi.stubEnv("POWERTOOLS_LOG_LEVEL", "INFO");
    vi.stubEnv("POWERTOOLS_METRICS_DISABLED", "false");
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it("has a case for every kind the port lists", () => {
    expect(EVENTS.map(({ event }) => event.kind)).toEqual(RECOVERY_KINDS);
  });

  it.each(EVENTS.map((entry) => [entry.event.kind, entry] as const))(
    "writes %s as one log line and one Recoveries metric",
    (kind, { event, fields, level }) => {
      // Prepare
      const events = new PowertoolsExecutionEvents(createObservability("connect-status"));
      const output = captured();

      // Act
      events.report(event);

      // Assess
      expect(output.logs()).toHaveLength(1);
      expect(output.logs()[0]).toMatchObject({
        level,
        service: "connect-status",
        message: expect.any(String),
        event: kind,
        contactId: key.contactId,
        turn: 3,
        executionId,
        ...fields,
      });
      expect(output.metrics()).toHaveLength(1);
      expect(output.metrics()[0]).toMatchObject({
        _aws: {
          CloudWatchMetrics: [
            {
              Namespace: "Holdline",
              Dimensions: [["service", "event"]],
              Metrics: [{ Name: "Recoveries", Unit: "Count" }],
            },
          ],
        },
        service: "connect-status",
        event: kind,
        Recoveries: 1,
      });
    },
  );

  it("gives each kind its own message", () => {
    const events = new PowertoolsExecutionEvents(createObservability("connect-status"));
    const output = captured();

    for (const { event } of EVENTS) events.report(event);

    expect(new Set(output.logs().map((line) => line.message)).size).toBe(RECOVERY_KINDS.length);
  });

  it("never throws: a failing logger still leaves the metric, a failing metrics client the log line", () => {
    // Prepare
    const observability = createObservability("answer-worker");
    const events = new PowertoolsExecutionEvents(observability);
    const output = captured();
    const broken = () => {
      throw new Error("stdout closed");
    };
    vi.spyOn(observability.logger, "info").mockImplementation(broken);
    vi.spyOn(observability.logger, "warn").mockImplementation(broken);

    // Act, Assess
    for (const { event } of EVENTS) expect(() => events.report(event)).not.toThrow();
    expect(output.metrics()).toHaveLength(RECOVERY_KINDS.length);

    vi.restoreAllMocks();
    const again = captured();
    vi.spyOn(observability.metrics, "singleMetric").mockImplementation(broken);
    for (const { event } of EVENTS) expect(() => events.report(event)).not.toThrow();
    expect(again.logs()).toHaveLength(RECOVERY_KINDS.length);
  });
});

describe("eventsModule", () => {
  it("binds ExecutionEvents and the function's Observability it reports through", () => {
    const observability = createObservability("connect-start");
    const container = new Container();
    container.load(eventsModule(observability));

    expect(container.get(ExecutionEventsId)).toBeInstanceOf(PowertoolsExecutionEvents);
    expect(container.get(ObservabilityId)).toBe(observability);
  });
});

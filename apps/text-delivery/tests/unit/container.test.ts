import { budgetFrom } from "@holdline/composition/config/environment.schema";
import { containerObservabilityContract } from "@holdline/composition/testing/container-observability.contract";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { buildContainer, dependenciesFrom } from "../../src/container.ts";

const environment = {
  HOLDLINE_TABLE_NAME: "executions",
  HOLDLINE_SMS_ORIGINATION_IDENTITY: "pool-holdline",
  AWS_REGION: "ap-northeast-1",
};
const config = loadConfig(environment);
const budget = budgetFrom(config);

containerObservabilityContract({
  service: "text-delivery",
  build: () => buildContainer(config, budget),
  handlerObservability: (container) => dependenciesFrom(container, budget).observability,
});

describe("text-delivery configuration", () => {
  it("fails the cold start without an origination identity", () => {
    expect(() => loadConfig({ HOLDLINE_TABLE_NAME: "executions" })).toThrow(
      /HOLDLINE_SMS_ORIGINATION_IDENTITY/,
    );
  });

  it("starts a record only with one record's worst case left", () => {
    expect(dependenciesFrom(buildContainer(config, budget), budget).recordReserveMs).toBe(
      budget.textDelivery.recordWorstCaseMs,
    );
  });
});

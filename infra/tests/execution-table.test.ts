import {
  EXECUTION_TTL_ATTRIBUTE,
  executionTableDefinition,
} from "@holdline/adapters-dynamodb/execution-table";
import { describe, expect, it } from "vitest";
import { T } from "./support/holdline-stacks.ts";
import { stackRun } from "./support/pulumi-program.ts";

// `ExecutionTable`: the table the store adapter defines.

describe("the dev stack: polling, en-US, a new Connect instance, a claimed number", () => {
  const run = stackRun("dev");

  it("creates the executions table the store adapter defines, with TTL and point-in-time recovery", () => {
    const definition = executionTableDefinition("any");
    const table = run.ofType(T.table);

    expect(table).toHaveLength(1);
    expect(table[0]?.inputs).toMatchObject({
      billingMode: definition.BillingMode,
      hashKey: definition.KeySchema?.find((key) => key.KeyType === "HASH")?.AttributeName,
      rangeKey: definition.KeySchema?.find((key) => key.KeyType === "RANGE")?.AttributeName,
      attributes: definition.AttributeDefinitions?.map((attribute) => ({
        name: attribute.AttributeName,
        type: attribute.AttributeType,
      })),
      ttl: { enabled: true, attributeName: EXECUTION_TTL_ATTRIBUTE },
      pointInTimeRecovery: { enabled: true },
    });
  });
});

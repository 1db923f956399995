import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export interface OperationMeter {
  /** Calls made through the client (what the adapter asked for). */
  calls: number;
  /** HTTP attempts, SDK retries included. */
  attempts: number;
  /** Capacity units DynamoDB reported as consumed (only with `consumedCapacity: true`). */
  capacityUnits: number;
}

export interface RequestMeter {
  /** Per DynamoDB operation, e.g. `PutItem`, `UpdateItem`, `GetItem`, `Query`. */
  readonly operations: Readonly<Record<string, OperationMeter>>;
  totalCalls(): number;
  reset(): void;
}

/**
 * Counts the DynamoDB requests a client makes, per operation, and optionally asks DynamoDB for the capacity
 * each one consumed (`ReturnConsumedCapacity: TOTAL`) and adds it up. For tests and the benchmark;
 * the adapter itself does not depend on it.
 */
export function meterDynamoDbRequests(
  client: DynamoDBDocumentClient,
  options: { readonly consumedCapacity?: boolean } = {},
): RequestMeter {
  const operations: Record<string, OperationMeter> = {};
  const meterOf = (commandName: unknown): OperationMeter => {
    const operation = String(commandName ?? "unknown").replace(/Command$/, "");
    operations[operation] ??= { calls: 0, attempts: 0, capacityUnits: 0 };
    return operations[operation];
  };

  client.middlewareStack.add(
    (next, context) => async (args) => {
      const meter = meterOf(context.commandName);
      meter.calls += 1;
      if (options.consumedCapacity) {
        (args.input as Record<string, unknown>).ReturnConsumedCapacity = "TOTAL";
      }
      const result = await next(args);
      const output = result.output as { ConsumedCapacity?: { CapacityUnits?: number } };
      meter.capacityUnits += output.ConsumedCapacity?.CapacityUnits ?? 0;
      return result;
    },
    { step: "initialize", name: "holdlineRequestMeter", override: true },
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      meterOf(context.commandName).attempts += 1;
      return next(args);
    },
    { step: "deserialize", name: "holdlineAttemptMeter", override: true },
  );

  return {
    operations,
    totalCalls: () => Object.values(operations).reduce((sum, meter) => sum + meter.calls, 0),
    reset: () => {
      for (const name of Object.keys(operations)) delete operations[name];
    },
  };
}

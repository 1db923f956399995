import { LambdaClientId } from "@holdline/adapters-lambda/lambda-dispatcher.module";
import { LambdaWorkDispatcher } from "@holdline/adapters-lambda/lambda-work-dispatcher";
import { deriveBudget } from "@holdline/budget/timing-budget";
import { WorkDispatcherId } from "@holdline/domain/ports/work-dispatcher.port";
import { Container } from "inversify";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { readConfig } from "../../src/config/environment.ts";
import { commonEnv, optionalDispatcherEnv } from "../../src/config/environment.schema.ts";
import { optionalDispatcherModule } from "../../src/modules/dispatcher.module.ts";

const budget = deriveBudget();
const schema = z.object({ ...commonEnv, ...optionalDispatcherEnv });
const configOf = (environment: Record<string, string>) =>
  readConfig(schema, { HOLDLINE_TABLE_NAME: "executions", ...environment });

/** A Lambda client that accepts every Event invocation and keeps what it was asked. */
function acceptingClient() {
  const sent: { FunctionName?: string; InvocationType?: string; Payload?: Uint8Array }[] = [];
  const client = {
    send: async (command: { input: (typeof sent)[number] }) => {
      sent.push(command.input);
      return { StatusCode: 202 };
    },
    destroy: () => undefined,
  };
  return { client, sent };
}

describe("optionalDispatcherModule (connect-answer's worker, when it has one)", () => {
  it("binds nothing when the function is given no worker", () => {
    const config = configOf({});

    expect(config.HOLDLINE_WORKER_FUNCTION).toBeUndefined();
    expect(optionalDispatcherModule(config, budget)).toBeUndefined();
  });

  it("binds the Lambda Event dispatcher to the worker HOLDLINE_WORKER_FUNCTION names", async () => {
    // Prepare
    const module = optionalDispatcherModule(
      configOf({ HOLDLINE_WORKER_FUNCTION: "holdline-worker" }),
      budget,
    );
    const container = new Container();
    if (module !== undefined) container.load(module);
    const { client, sent } = acceptingClient();
    container.rebind(LambdaClientId).toConstantValue(client as never);

    // Act
    const dispatcher = container.get(WorkDispatcherId);
    await dispatcher.dispatch({ contactId: "c", turn: 3 });

    // Assess
    expect(dispatcher).toBeInstanceOf(LambdaWorkDispatcher);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ FunctionName: "holdline-worker", InvocationType: "Event" });
    expect(JSON.parse(new TextDecoder().decode(sent[0]?.Payload))).toEqual({ contactId: "c", turn: 3 });
  });

  it("refuses an empty worker name at cold start, as every Holdline variable", () => {
    expect(() => configOf({ HOLDLINE_WORKER_FUNCTION: " " })).toThrow(/HOLDLINE_WORKER_FUNCTION/);
  });
});

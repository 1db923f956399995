import { WorkDispatcherId } from "@holdline/domain/ports/work-dispatcher.port";
import { Container } from "inversify";
import { describe, expect, it } from "vitest";
import { LambdaClientId, lambdaDispatcherModule } from "../../src/lambda-dispatcher.module.ts";
import { LambdaWorkDispatcher } from "../../src/lambda-work-dispatcher.ts";
import { TEST_CLIENT_TIMEOUTS, TEST_DISPATCH_DEADLINE_MS } from "../support/test-timeouts.ts";

describe("lambdaDispatcherModule", () => {
  it("binds the work dispatcher to a LambdaWorkDispatcher", () => {
    // Prepare
    const container = new Container();
    container.load(
      lambdaDispatcherModule({
        client: { ...TEST_CLIENT_TIMEOUTS, region: "ap-northeast-1" },
        dispatcher: { functionName: "worker", deadlineMs: TEST_DISPATCH_DEADLINE_MS },
      }),
    );

    // Act
    const dispatcher = container.get(WorkDispatcherId);

    // Assess
    expect(dispatcher).toBeInstanceOf(LambdaWorkDispatcher);
    container.get(LambdaClientId).destroy();
  });

  it("builds one Lambda client per container, however often it is resolved", () => {
    // Prepare
    const container = new Container();
    container.load(
      lambdaDispatcherModule({
        client: { ...TEST_CLIENT_TIMEOUTS, region: "ap-northeast-1" },
        dispatcher: { functionName: "worker", deadlineMs: TEST_DISPATCH_DEADLINE_MS },
      }),
    );

    // Act
    const first = container.get(LambdaClientId);
    const second = container.get(LambdaClientId);

    // Assess
    expect(second).toBe(first);
    first.destroy();
  });
});

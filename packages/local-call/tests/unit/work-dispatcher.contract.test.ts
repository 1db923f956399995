import { parseWorkerPayload } from "@holdline/adapters-lambda/worker-payload";
import type { ExecutionKey } from "@holdline/domain/execution/execution";
import type { AbandonedStart } from "@holdline/domain/ports/work-dispatcher.port";
import { ManualClock } from "@holdline/domain/testing/clock/manual-clock";
import { workDispatcherContract } from "@holdline/domain/testing/contracts/work-dispatcher.contract";
import { BackgroundWork } from "../../src/background-work.ts";
import { LambdaEventDispatcher } from "../../src/lambda-event-dispatcher.ts";

workDispatcherContract("local Lambda Event invocation", {
  create: () => {
    const clock = new ManualClock();
    const work = new BackgroundWork(clock);
    const events: unknown[] = [];
    const dispatcher = new LambdaEventDispatcher({
      clock,
      work,
      functionArn: "arn:aws:lambda:ap-northeast-1:123456789012:function:holdline-local-answer-worker",
      handler: async (event) => {
        events.push(event);
      },
      timeoutMs: 65_000,
      maximumRetryAttempts: 0,
      onFailure: () => undefined,
      note: () => undefined,
    });
    return { dispatcher, clock, work, events };
  },
  // The worker runs in the background after the dispatch latency: what it received once it all ran.
  delivery: {
    kind: "worker",
    delivered: async ({ clock, work, events }) => {
      await clock.run(work.idle());
      return events.flatMap((event): ExecutionKey[] => {
        const parsed = parseWorkerPayload(event);
        return parsed.ok && parsed.abandon === undefined ? [parsed.key] : [];
      });
    },
    abandoned: async ({ clock, work, events }) => {
      await clock.run(work.idle());
      return events.flatMap((event): AbandonedStart[] => {
        const parsed = parseWorkerPayload(event);
        return parsed.ok && parsed.abandon !== undefined ? [parsed.abandon] : [];
      });
    },
  },
  refusal: { kind: "scripted", refuseNext: ({ dispatcher }) => dispatcher.failNextDispatch() },
  dispose: ({ work }) => work.close(),
});

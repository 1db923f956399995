import { describe, expect, it } from "vitest";
import { deploymentFor, STRATEGY_DEPLOYMENTS } from "../src/strategy-deployment.ts";
import {
  fn,
  NATIVE_ASYNC_APPS,
  NATIVE_ASYNC_PROGRESSIVE_APPS,
  nativeAsyncConfig,
  POLLING_APPS,
  T,
} from "./support/holdline-stacks.ts";
import { type ProgramRun, stackFile, stackRun } from "./support/pulumi-program.ts";

// STRATEGY_DEPLOYMENTS: a stack deploys only what its strategy runs.

const deployedApps = (run: ProgramRun) =>
  run
    .ofType(T.function)
    .map((fn) => fn.name.replace(/^holdline-dev-/, ""))
    .sort();
const queueResources = (run: ProgramRun) =>
  [
    T.queue,
    "aws:lambda/eventSourceMapping:EventSourceMapping",
    "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
  ].flatMap((type) => run.ofType(type));

describe("the strategies' table", () => {
  it("deploys lex-transcript in each strategy, and connect-status and connect-answer never together", () => {
    expect([...STRATEGY_DEPLOYMENTS.polling.functions].sort()).toEqual([...POLLING_APPS].sort());
    expect([...STRATEGY_DEPLOYMENTS["native-async"].functions].sort()).toEqual([...NATIVE_ASYNC_APPS].sort());
    expect([...STRATEGY_DEPLOYMENTS["native-async-progressive"].functions].sort()).toEqual(
      [...NATIVE_ASYNC_PROGRESSIVE_APPS].sort(),
    );
  });

  it("has connect-start register and dispatch before connect-answer in native-async with progressive answers", () => {
    const row = STRATEGY_DEPLOYMENTS["native-async-progressive"];

    expect(row.functions).toContain("connect-start");
    // The flow invokes both: connect-start synchronously, then connect-answer.
    expect([...row.invokedByFlow].sort()).toEqual(["connect-answer", "connect-start"]);
    // connect-start dispatches the worker; connect-answer too, for a turn it does not find.
    expect([...row.workerDispatchers].sort()).toEqual(["connect-answer", "connect-start"]);
    expect(row.modelCallers).toEqual(["answer-worker"]);
    // Without progressive answers connect-answer runs the model in place: no connect-start, nothing dispatched.
    expect(STRATEGY_DEPLOYMENTS["native-async"].functions).not.toContain("connect-start");
  });

  it("invokes from the flow and dispatches from only what the row deploys", () => {
    for (const [name, deployment] of Object.entries(STRATEGY_DEPLOYMENTS)) {
      const deployed = new Set<string>(deployment.functions);
      const strays = [
        ...deployment.invokedByFlow,
        ...deployment.workerDispatchers,
        ...deployment.modelCallers,
      ].filter((app) => !deployed.has(app));
      expect([name, strays]).toEqual([name, []]);
    }
  });

  it("picks the row from the strategy and the progressive-answers setting", () => {
    expect(deploymentFor("polling", true).name).toBe("polling");
    expect(deploymentFor("polling", false).name).toBe("polling");
    expect(deploymentFor("native-async", true)).toEqual({
      name: "native-async-progressive",
      deployment: STRATEGY_DEPLOYMENTS["native-async-progressive"],
    });
    expect(deploymentFor("native-async", false).name).toBe("native-async");
  });

  it("has the model called where the answer is written: by the worker whenever a function dispatches it", () => {
    for (const [name, deployment] of Object.entries(STRATEGY_DEPLOYMENTS)) {
      const dispatches = deployment.workerDispatchers.length > 0;
      expect([name, [...deployment.modelCallers]]).toEqual([
        name,
        dispatches ? ["answer-worker"] : ["connect-answer"],
      ]);
      expect([name, deployment.workerFailurePipeline]).toEqual([name, dispatches]);
    }
  });
});

describe("a polling stack", () => {
  const run = stackRun("dev");

  it("deploys no connect-answer: start, status, the worker, its recorder and the Lex code hook", () => {
    expect(deployedApps(run)).toEqual([...POLLING_APPS].sort());
  });

  it("routes the worker's failures through the failure queue to failure-recorder", () => {
    expect(
      queueResources(run)
        .map((resource) => resource.type)
        .sort(),
    ).toEqual(
      [
        "aws:lambda/eventSourceMapping:EventSourceMapping",
        "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
        T.queue,
        T.queue,
        "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
      ].sort(),
    );
  });
});

describe("a native-async stack without progressive answers", () => {
  const run = stackRun("dev", nativeAsyncConfig(stackFile("dev"), { progressiveAnswers: false }));

  it("deploys connect-answer and the Lex code hook only: no polling functions, no worker, no recorder", () => {
    expect(deployedApps(run)).toEqual([...NATIVE_ASYNC_APPS].sort());
  });

  it("has no failure queue, dead-letter queue, event-invoke config or event source mapping", () => {
    expect(queueResources(run)).toEqual([]);
  });

  it("alarms only on its own functions, and exports no queues", () => {
    const alarmed = new Set(
      run.ofType(T.alarm).map((alarm) =>
        alarm.name
          .replace(/^holdline-dev-alarms-/, "")
          .split("-")
          .slice(0, 2)
          .join("-"),
      ),
    );

    expect([...alarmed].sort()).toEqual(["connect-answer", "lex-transcript"]);
    expect(run.outputs).toMatchObject({
      functionNames: {
        "connect-answer": fn(run, "connect-answer").state.name,
        "lex-transcript": fn(run, "lex-transcript").state.name,
      },
    });
    expect([run.outputs.failureQueueUrl, run.outputs.deadLetterQueueUrl]).toEqual([undefined, undefined]);
  });
});

describe("a native-async stack with progressive answers (the default)", () => {
  const run = stackRun("dev", nativeAsyncConfig(stackFile("dev")));

  it("deploys connect-start, connect-answer, the worker, its recorder and the Lex code hook: no connect-status", () => {
    expect(deployedApps(run)).toEqual([...NATIVE_ASYNC_PROGRESSIVE_APPS].sort());
  });

  it("routes the worker's failures through the failure queue to failure-recorder", () => {
    expect(
      queueResources(run)
        .map((resource) => resource.type)
        .sort(),
    ).toEqual(
      [
        "aws:lambda/eventSourceMapping:EventSourceMapping",
        "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
        T.queue,
        T.queue,
        "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
      ].sort(),
    );
    expect(
      run.ofType("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig")[0]?.inputs.functionName,
    ).toBe(fn(run, "answer-worker").state.name);
  });

  it("alarms on its five functions and the failure pipeline, and exports the queues and the setting", () => {
    const alarmed = new Set(
      run.ofType(T.alarm).map((alarm) =>
        alarm.name
          .replace(/^holdline-dev-alarms-/, "")
          .split("-")
          .slice(0, 2)
          .join("-"),
      ),
    );

    expect([...alarmed].sort()).toEqual(
      [...NATIVE_ASYNC_PROGRESSIVE_APPS, "worker-failure", "dead-letters", "failure-queue"].sort(),
    );
    expect(run.outputs).toMatchObject({
      strategy: "native-async",
      progressiveAnswers: true,
      functionNames: Object.fromEntries(
        NATIVE_ASYNC_PROGRESSIVE_APPS.map((app) => [app, fn(run, app).state.name]),
      ),
      failureQueueUrl: run.one(T.queue, "worker-failures-queue").state.url,
      deadLetterQueueUrl: run.one(T.queue, "worker-failures-dlq").state.url,
    });
  });
});

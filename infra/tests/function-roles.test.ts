import { describe, expect, it } from "vitest";
import {
  actionsOn,
  DEV_MODEL_ARNS,
  fn,
  NATIVE_ASYNC_APPS,
  NATIVE_ASYNC_PROGRESSIVE_APPS,
  nativeAsyncConfig,
  POLLING_APPS,
  statementsOf,
  T,
} from "./support/holdline-stacks.ts";
import { privilegeViolations } from "./support/least-privilege.ts";
import { stackFile, stackRun } from "./support/pulumi-program.ts";

// The functions' roles: exactly what each app's use cases need, and nothing wider anywhere.

describe("the dev stack: polling, en-US, a new Connect instance, a claimed number", () => {
  const run = stackRun("dev");

  it("grants each function exactly the item actions its use cases send to its table", () => {
    const tableArn = run.ofType(T.table)[0]?.state.arn;
    expect(actionsOn(run, "connect-start", tableArn)).toEqual([
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
    ]);
    expect(actionsOn(run, "connect-status", tableArn)).toEqual(["dynamodb:GetItem", "dynamodb:UpdateItem"]);
    expect(actionsOn(run, "answer-worker", tableArn)).toEqual([
      "dynamodb:GetItem",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
    ]);
    expect(actionsOn(run, "failure-recorder", tableArn)).toEqual(["dynamodb:GetItem", "dynamodb:UpdateItem"]);
    expect(actionsOn(run, "lex-transcript", tableArn)).toEqual([]);
  });

  it("lets only connect-start and connect-status invoke the worker, and nothing else", () => {
    const workerArn = fn(run, "answer-worker").state.arn;
    const invokers = POLLING_APPS.filter((app) =>
      statementsOf(run, app).some((statement) => statement.Action.includes("lambda:InvokeFunction")),
    );

    expect(invokers).toEqual(["connect-start", "connect-status"]);
    for (const app of invokers) expect(actionsOn(run, app, workerArn)).toEqual(["lambda:InvokeFunction"]);
  });

  it("lets answer-worker alone invoke the inference profile and its model in each Region, nothing more", () => {
    for (const app of POLLING_APPS) {
      const bedrock = statementsOf(run, app).filter((statement) =>
        statement.Action.some((action) => action.startsWith("bedrock:")),
      );
      if (app === "answer-worker") {
        expect(bedrock.flatMap((statement) => statement.Action)).toEqual(["bedrock:InvokeModel"]);
        expect(bedrock.flatMap((statement) => statement.Resource).sort()).toEqual([...DEV_MODEL_ARNS].sort());
      } else {
        expect([app, bedrock]).toEqual([app, []]);
      }
    }
  });

  it("grants no wildcard action and no unscoped resource in any policy document", () => {
    expect(privilegeViolations(run, { externalArns: DEV_MODEL_ARNS })).toEqual([]);
  });
});

describe("the dev stack switched to native-async without progressive answers", () => {
  const run = stackRun("dev", nativeAsyncConfig(stackFile("dev"), { progressiveAnswers: false }));

  it("grants connect-answer the store actions of start and run in one invocation, and the model", () => {
    const tableArn = run.ofType(T.table)[0]?.state.arn;
    const bedrock = statementsOf(run, "connect-answer").filter((statement) =>
      statement.Action.some((action) => action.startsWith("bedrock:")),
    );

    expect(actionsOn(run, "connect-answer", tableArn)).toEqual([
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
    ]);
    expect(bedrock.flatMap((statement) => statement.Resource).sort()).toEqual([...DEV_MODEL_ARNS].sort());
  });

  it("lets no function invoke another: there is no worker to dispatch", () => {
    const invokers = NATIVE_ASYNC_APPS.filter((app) =>
      statementsOf(run, app).some((statement) => statement.Action.includes("lambda:InvokeFunction")),
    );

    expect(invokers).toEqual([]);
  });

  it("grants no wildcard action and no unscoped resource in any policy document", () => {
    expect(privilegeViolations(run, { externalArns: DEV_MODEL_ARNS })).toEqual([]);
  });
});

describe("the dev stack switched to native-async, with progressive answers (the default)", () => {
  const run = stackRun("dev", nativeAsyncConfig(stackFile("dev")));

  it("grants connect-answer start and status's store actions only: no history Query, no model", () => {
    const tableArn = run.ofType(T.table)[0]?.state.arn;
    const bedrock = (app: (typeof NATIVE_ASYNC_PROGRESSIVE_APPS)[number]) =>
      statementsOf(run, app).filter((statement) =>
        statement.Action.some((action) => action.startsWith("bedrock:")),
      );

    expect(actionsOn(run, "connect-answer", tableArn)).toEqual([
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
    ]);
    expect(actionsOn(run, "answer-worker", tableArn)).toEqual([
      "dynamodb:GetItem",
      "dynamodb:Query",
      "dynamodb:UpdateItem",
    ]);
    expect(bedrock("connect-answer")).toEqual([]);
    expect(
      bedrock("answer-worker")
        .flatMap((statement) => statement.Resource)
        .sort(),
    ).toEqual([...DEV_MODEL_ARNS].sort());
  });

  it("lets connect-start (which dispatches first) and connect-answer (a turn it does not find) invoke the worker, and only the worker", () => {
    const workerArn = fn(run, "answer-worker").state.arn;
    const invokers = NATIVE_ASYNC_PROGRESSIVE_APPS.filter((app) =>
      statementsOf(run, app).some((statement) => statement.Action.includes("lambda:InvokeFunction")),
    );

    expect(invokers).toEqual(["connect-start", "connect-answer"]);
    for (const app of invokers) {
      expect(actionsOn(run, app, workerArn)).toEqual(["lambda:InvokeFunction"]);
      expect([
        app,
        statementsOf(run, app)
          .filter((statement) => statement.Action.includes("lambda:InvokeFunction"))
          .flatMap((statement) => statement.Resource),
      ]).toEqual([app, [workerArn]]);
    }
  });

  it("grants connect-start the store actions of registering a turn, and no model", () => {
    const tableArn = run.ofType(T.table)[0]?.state.arn;

    expect(actionsOn(run, "connect-start", tableArn)).toEqual([
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
    ]);
    expect(
      statementsOf(run, "connect-start").filter((statement) =>
        statement.Action.some((action) => action.startsWith("bedrock:")),
      ),
    ).toEqual([]);
  });

  it("grants no wildcard action and no unscoped resource in any policy document", () => {
    expect(privilegeViolations(run, { externalArns: DEV_MODEL_ARNS })).toEqual([]);
  });
});

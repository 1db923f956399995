import { describe, expect, it } from "vitest";
import { only, PROD_REGION } from "./support/holdline-stacks.ts";
import { ACCOUNT_ID, type ProgramRun, stackRun } from "./support/pulumi-program.ts";

// The `dev` and `prod` profiles (src/stack-settings.ts), as the two stack files deploy them.

const table = (run: ProgramRun) => only(run, "aws:dynamodb/table:Table").inputs;
const functions = (run: ProgramRun) => run.ofType("aws:lambda/function:Function");
const alarmsNamed = (run: ProgramRun, suffix: string) =>
  run.ofType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((alarm) => alarm.name.endsWith(suffix));

describe("dev and prod stacks differ as the profiles document", () => {
  const dev = stackRun("dev");
  const prod = stackRun("prod");

  it("protects only the prod table from deletion", () => {
    expect(table(dev).deletionProtectionEnabled).toBe(false);
    expect(table(prod).deletionProtectionEnabled).toBe(true);
  });

  it("keeps 35 days of point-in-time recovery in prod and 7 in dev", () => {
    expect(table(dev).pointInTimeRecovery).toEqual({ enabled: true, recoveryPeriodInDays: 7 });
    expect(table(prod).pointInTimeRecovery).toEqual({ enabled: true, recoveryPeriodInDays: 35 });
  });

  it("keeps logs 90 days in prod and 14 in dev", () => {
    const retention = (run: ProgramRun) =>
      new Set(run.ofType("aws:cloudwatch/logGroup:LogGroup").map((group) => group.inputs.retentionInDays));
    expect(retention(dev)).toEqual(new Set([14]));
    expect(retention(prod)).toEqual(new Set([90]));
  });

  it("reserves concurrency for the worker in prod only", () => {
    const reserved = (run: ProgramRun) =>
      Object.fromEntries(
        functions(run)
          .filter((fn) => fn.inputs.reservedConcurrentExecutions !== undefined)
          .map((fn) => [
            fn.name.replace(/^holdline-(dev|prod)-/, ""),
            fn.inputs.reservedConcurrentExecutions,
          ]),
      );
    expect(reserved(dev)).toEqual({});
    expect(reserved(prod)).toEqual({ "answer-worker": 100 });
  });

  it("keeps failure records 4 days and dead letters 14 days in prod, 1 and 4 days in dev", () => {
    const retention = (run: ProgramRun, suffix: string) =>
      run.one("aws:sqs/queue:Queue", suffix).inputs.messageRetentionSeconds / 86_400;
    expect([retention(dev, "-queue"), retention(dev, "-dlq")]).toEqual([1, 4]);
    expect([retention(prod, "-queue"), retention(prod, "-dlq")]).toEqual([4, 14]);
  });

  it("alarms on every function error within a minute in prod, on 5 errors in 5 minutes in dev", () => {
    const errors = (run: ProgramRun) =>
      new Set(
        alarmsNamed(run, "-errors").map((alarm) => `${alarm.inputs.threshold}/${alarm.inputs.period}s`),
      );
    expect(errors(dev)).toEqual(new Set(["5/300s"]));
    expect(errors(prod)).toEqual(new Set(["1/60s"]));
  });

  it("alarms at a p99 duration of 80% of the timeout in prod and 90% in dev", () => {
    const fractions = (run: ProgramRun) =>
      new Set(
        alarmsNamed(run, "-duration-p99").map((alarm) => {
          const fn = functions(run).find(
            (candidate) => candidate.state.name === alarm.inputs.dimensions.FunctionName,
          );
          return alarm.inputs.threshold / (fn?.inputs.timeout * 1000);
        }),
      );
    expect(fractions(dev)).toEqual(new Set([0.9]));
    expect(fractions(prod)).toEqual(new Set([0.8]));
  });

  it("alarms on every turn failed late or stranded; on deadline_exceeded answers as on errors", () => {
    const thresholds = (run: ProgramRun, metric: string) =>
      new Set(
        run
          .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
          .filter((alarm) => alarm.inputs.namespace === "Holdline" && alarm.inputs.metricName === metric)
          .map((alarm) => `${alarm.inputs.threshold}/${alarm.inputs.period}s`),
      );
    expect(thresholds(dev, "Recoveries")).toEqual(new Set(["1/300s"]));
    expect(thresholds(prod, "Recoveries")).toEqual(new Set(["1/60s"]));
    expect(thresholds(dev, "Responses")).toEqual(new Set(["5/300s"]));
    expect(thresholds(prod, "Responses")).toEqual(new Set(["1/60s"]));
  });

  it("alarms on a failure record a minute old in prod and five minutes old in dev", () => {
    expect(alarmsNamed(dev, "-failure-queue-age")[0]?.inputs.threshold).toBe(300);
    expect(alarmsNamed(prod, "-failure-queue-age")[0]?.inputs.threshold).toBe(60);
  });

  it("notifies the prod alarm topic on alarm and on recovery; dev alarms notify nobody", () => {
    const topic = `arn:aws:sns:${PROD_REGION}:${ACCOUNT_ID}:holdline-prod-alarms`;
    const actions = (run: ProgramRun) =>
      new Set(
        run
          .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
          .map((alarm) => JSON.stringify([alarm.inputs.alarmActions, alarm.inputs.okActions])),
      );
    expect(actions(dev)).toEqual(new Set([JSON.stringify([[], []])]));
    expect(actions(prod)).toEqual(new Set([JSON.stringify([[topic], [topic]])]));
  });

  it("builds the same resources apart from the Connect instance and number dev creates", () => {
    const kinds = (run: ProgramRun) =>
      run.resources
        .map((resource) => `${resource.type} ${resource.name.split("-").slice(2).join("-")}`)
        .sort();
    const devOnly = kinds(dev).filter((kind) => !kinds(prod).includes(kind));
    const prodOnly = kinds(prod).filter((kind) => !kinds(dev).includes(kind));

    expect(devOnly).toEqual([
      "aws:connect/instance:Instance connect-instance",
      "aws:connect/phoneNumber:PhoneNumber connect-number",
    ]);
    expect(prodOnly).toEqual([]);
  });

  it("times both stacks' functions alike: the budget, not the environment, sets timeouts", () => {
    const timeouts = (run: ProgramRun) =>
      Object.fromEntries(
        functions(run).map((fn) => [fn.name.replace(/^holdline-(dev|prod)-/, ""), fn.inputs.timeout]),
      );
    expect(timeouts(prod)).toEqual(timeouts(dev));
  });
});

describe("the example stack file for a fork (Pulumi.example.yaml)", () => {
  const example = stackRun("example");

  it("deploys as it stands, with the same profile for the aws-native provider and a global model grant", () => {
    const provider = example.ofType("pulumi:providers:aws-native")[0];
    const worker = example.one("aws:lambda/function:Function", "-answer-worker");

    expect(provider?.inputs.profile).toBe("my-holdline-deployer");
    expect(worker.inputs.environment.variables.HOLDLINE_BEDROCK_MODEL_ID).toBe(
      "global.anthropic.claude-haiku-4-5-20251001-v1:0",
    );
  });
});

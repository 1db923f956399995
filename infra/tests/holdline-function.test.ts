import { loadConfig as answerWorkerConfig } from "@holdline/app-answer-worker/config";
import { loadConfig as connectAnswerConfig } from "@holdline/app-connect-answer/config";
import { loadConfig as connectStartConfig } from "@holdline/app-connect-start/config";
import { loadConfig as connectStatusConfig } from "@holdline/app-connect-status/config";
import { loadConfig as failureRecorderConfig } from "@holdline/app-failure-recorder/config";
import { loadConfig as lexTranscriptConfig } from "@holdline/app-lex-transcript/config";
import { functionMemoryMb } from "@holdline/budget/function-memory";
import { beforeAll, describe, expect, it } from "vitest";
import { builtApps } from "./support/app-bundles.ts";
import {
  type App,
  actionsOn,
  budget,
  DEV_REGION,
  fn,
  NATIVE_ASYNC_APPS,
  NATIVE_ASYNC_PROGRESSIVE_APPS,
  nativeAsyncConfig,
  POLLING_APPS,
  type StrategyApp,
  T,
} from "./support/holdline-stacks.ts";
import { runProgram, stackFile, stackRun } from "./support/pulumi-program.ts";

// `HoldlineFunction`, one per app: its bundle, runtime, memory, timeout, environment and log group.

/**
 * Each app's own configuration loader: what its cold start reads. The text offer's apps are not here: the
 * dependency rule (packages/architecture) does not let infra's tests import them yet; their environment is
 * checked against the variable names in text-delivery-pipeline.test.ts.
 */
const LOADERS: Record<StrategyApp, (environment: Record<string, string | undefined>) => object> = {
  "connect-start": connectStartConfig,
  "connect-status": connectStatusConfig,
  "connect-answer": connectAnswerConfig,
  "answer-worker": answerWorkerConfig,
  "failure-recorder": failureRecorderConfig,
  "lex-transcript": lexTranscriptConfig,
};

describe("the dev stack: polling, en-US, a new Connect instance, a claimed number", () => {
  const run = stackRun("dev");

  it("deploys each app's bundle alone as an arm64 nodejs24.x function with a role of its own", async () => {
    const roles = new Set<string>();
    for (const app of POLLING_APPS) {
      const { inputs } = fn(run, app);
      expect(inputs).toMatchObject({
        runtime: "nodejs24.x",
        architectures: ["arm64"],
        handler: "index.handler",
      });
      const assets = await inputs.code.assets;
      // No metafile, no input hashes, no source map: the bundle only.
      expect(Object.keys(assets)).toEqual(["index.mjs"]);
      expect(await assets["index.mjs"].path).toMatch(new RegExp(`/${app}/dist/index\\.mjs$`));
      roles.add(inputs.role);
    }
    expect(roles.size).toBe(POLLING_APPS.length);
    expect(run.ofType(T.function)).toHaveLength(POLLING_APPS.length);
  });

  it("sizes each function from the budget's memory table", () => {
    const memory: Record<App, number> = {
      "connect-start": functionMemoryMb.connectStart,
      "connect-status": functionMemoryMb.connectStatus,
      "connect-answer": functionMemoryMb.connectAnswer,
      "answer-worker": functionMemoryMb.worker,
      "failure-recorder": functionMemoryMb.failureRecorder,
      "lex-transcript": functionMemoryMb.lexTranscript,
      "connect-text-offer": functionMemoryMb.connectTextOffer,
      "caller-left": functionMemoryMb.callerLeft,
      "text-delivery": functionMemoryMb.textDelivery,
    };
    for (const app of POLLING_APPS) expect(fn(run, app).inputs.memorySize).toBe(memory[app]);
  });

  it("times every function from deriveBudget()", () => {
    const timeouts: Record<App, number> = {
      "connect-start": budget.connectStart.lambdaTimeoutSeconds,
      "connect-status": budget.connectStatus.lambdaTimeoutSeconds,
      "connect-answer": budget.connectAnswer.lambdaTimeoutSeconds,
      "answer-worker": budget.worker.lambdaTimeoutSeconds,
      "failure-recorder": budget.failureRecorder.lambdaTimeoutSeconds,
      "lex-transcript": budget.lexTranscript.lambdaTimeoutSeconds,
      "connect-text-offer": budget.connectTextOffer.lambdaTimeoutSeconds,
      "caller-left": budget.callerLeft.lambdaTimeoutSeconds,
      "text-delivery": budget.textDelivery.lambdaTimeoutSeconds,
    };
    for (const app of POLLING_APPS) expect([app, fn(run, app).inputs.timeout]).toEqual([app, timeouts[app]]);
  });

  it("gives each function the environment its app reads, and the budget's choices", () => {
    const table = run.ofType(T.table)[0]?.state.name;
    const store = {
      HOLDLINE_TABLE_NAME: table,
      HOLDLINE_DEFAULT_LOCALE: "en-US",
      HOLDLINE_MAX_SILENCE_MS: String(budget.choices.maxSilenceMs),
      HOLDLINE_ANSWER_DEADLINE_MS: String(budget.choices.answerDeadlineMs),
      HOLDLINE_PROGRESSIVE_ANSWERS: "true",
    };
    const model = {
      HOLDLINE_BEDROCK_MODEL_ID: "us.anthropic.claude-haiku-4-5-20251001-v1:0",
      HOLDLINE_BEDROCK_REGION: DEV_REGION,
      HOLDLINE_BEDROCK_API: "converse",
    };
    const dispatch = { HOLDLINE_WORKER_FUNCTION: fn(run, "answer-worker").state.name };
    const environment = (app: App) => fn(run, app).inputs.environment?.variables ?? {};

    // No HOLDLINE_START_ROLE: polling's connect-start keeps its default role, `answer`.
    expect(environment("connect-start")).toEqual({ ...store, ...dispatch });
    expect(connectStartConfig(environment("connect-start")).HOLDLINE_START_ROLE).toBe("answer");
    expect(environment("connect-status")).toEqual({ ...store, ...dispatch });
    expect(environment("answer-worker")).toEqual({ ...store, ...model });
    expect(environment("failure-recorder")).toEqual(store);
    expect(environment("lex-transcript")).toEqual({});
  });

  it("gives each function an environment its app's own configuration reads in full", () => {
    for (const app of POLLING_APPS) {
      const environment: Record<string, string> = fn(run, app).inputs.environment?.variables ?? {};
      // Throws, naming the variable, when one the app requires is missing or invalid.
      const read = LOADERS[app](environment);
      // A variable the app does not read would be a typo or a leftover.
      expect([app, Object.keys(environment).filter((key) => !(key in read))]).toEqual([app, []]);
    }
  });

  it("logs each function to a group of its own with the profile's retention", () => {
    const groups = run.ofType(T.logGroup);
    for (const app of POLLING_APPS) {
      const group = groups.find(
        (candidate) => candidate.state.name === fn(run, app).inputs.loggingConfig?.logGroup,
      );
      expect(group?.inputs.retentionInDays).toBe(14);
      expect(actionsOn(run, app, `${group?.state.arn}:*`)).toEqual([
        "logs:CreateLogStream",
        "logs:PutLogEvents",
      ]);
    }
    expect(groups).toHaveLength(POLLING_APPS.length);
  });
});

describe("the dev stack switched to native-async without progressive answers", () => {
  const run = stackRun("dev", nativeAsyncConfig(stackFile("dev"), { progressiveAnswers: false }));

  it("sizes and times connect-answer from the budget and tells it the store and the model", () => {
    const table = run.ofType(T.table)[0]?.state.name;

    expect(fn(run, "connect-answer").inputs).toMatchObject({
      runtime: "nodejs24.x",
      memorySize: functionMemoryMb.connectAnswer,
      timeout: budget.connectAnswer.lambdaTimeoutSeconds,
      environment: {
        variables: {
          HOLDLINE_TABLE_NAME: table,
          HOLDLINE_BEDROCK_MODEL_ID: "us.anthropic.claude-haiku-4-5-20251001-v1:0",
          HOLDLINE_BEDROCK_REGION: DEV_REGION,
          HOLDLINE_PROGRESSIVE_ANSWERS: "false",
        },
      },
    });
    expect(fn(run, "connect-answer").inputs.environment.variables.HOLDLINE_WORKER_FUNCTION).toBeUndefined();
    // It runs the model in place: the size of connect-answer that runs it, not the one that waits for parts.
    expect(fn(run, "connect-answer").inputs.memorySize).not.toBe(functionMemoryMb.connectAnswerProgressive);
    for (const app of NATIVE_ASYNC_APPS) {
      const environment: Record<string, string> = fn(run, app).inputs.environment?.variables ?? {};
      const read = LOADERS[app](environment);
      expect([app, Object.keys(environment).filter((key) => !(key in read))]).toEqual([app, []]);
    }
  });
});

describe("the dev stack switched to native-async, with progressive answers (the default)", () => {
  const run = stackRun("dev", nativeAsyncConfig(stackFile("dev")));

  it("tells connect-start its register role and the worker, connect-answer the worker and no model, and answer-worker the model", () => {
    const table = run.ofType(T.table)[0]?.state.name;
    const store = {
      HOLDLINE_TABLE_NAME: table,
      HOLDLINE_DEFAULT_LOCALE: "en-US",
      HOLDLINE_MAX_SILENCE_MS: String(budget.choices.maxSilenceMs),
      HOLDLINE_ANSWER_DEADLINE_MS: String(budget.choices.answerDeadlineMs),
      HOLDLINE_PROGRESSIVE_ANSWERS: "true",
    };
    const environment = (app: App) => fn(run, app).inputs.environment?.variables ?? {};

    const dispatch = { HOLDLINE_WORKER_FUNCTION: fn(run, "answer-worker").state.name };

    expect(environment("connect-start")).toEqual({ ...store, ...dispatch, HOLDLINE_START_ROLE: "register" });
    expect(connectStartConfig(environment("connect-start")).HOLDLINE_START_ROLE).toBe("register");
    expect(environment("connect-answer")).toEqual({ ...store, ...dispatch });
    expect(environment("answer-worker")).toEqual({
      ...store,
      HOLDLINE_BEDROCK_MODEL_ID: "us.anthropic.claude-haiku-4-5-20251001-v1:0",
      HOLDLINE_BEDROCK_REGION: DEV_REGION,
      HOLDLINE_BEDROCK_API: "converse",
    });
    expect(environment("failure-recorder")).toEqual(store);
    expect(fn(run, "connect-answer").inputs.description).toMatch(/answer-worker/);
    expect(fn(run, "connect-start").inputs.description).toMatch(/native-async flow, progressive answers/);
    expect(fn(run, "connect-start").inputs.description).not.toMatch(/polling/);
  });

  it("sizes connect-answer for waiting on the worker's parts, and connect-start, on the caller's path, as in polling", () => {
    expect(fn(run, "connect-answer").inputs.memorySize).toBe(functionMemoryMb.connectAnswerProgressive);
    // Waiting costs less than running the model in place (native-async without progressive answers).
    expect(functionMemoryMb.connectAnswerProgressive).toBeLessThan(functionMemoryMb.connectAnswer);
    expect(fn(run, "connect-start").inputs.memorySize).toBe(functionMemoryMb.connectStart);
    expect(fn(run, "answer-worker").inputs.memorySize).toBe(functionMemoryMb.worker);
  });

  it("sizes and times each function from the budget, and gives each an environment its configuration reads in full", () => {
    const timeouts: Partial<Record<App, number>> = {
      "connect-start": budget.connectStart.lambdaTimeoutSeconds,
      "connect-answer": budget.connectAnswer.lambdaTimeoutSeconds,
      "answer-worker": budget.worker.lambdaTimeoutSeconds,
      "failure-recorder": budget.failureRecorder.lambdaTimeoutSeconds,
      "lex-transcript": budget.lexTranscript.lambdaTimeoutSeconds,
    };
    for (const app of NATIVE_ASYNC_PROGRESSIVE_APPS) {
      const { inputs } = fn(run, app);
      expect([app, inputs.timeout]).toEqual([app, timeouts[app]]);
      const environment: Record<string, string> = inputs.environment?.variables ?? {};
      const read = LOADERS[app](environment);
      expect([app, Object.keys(environment).filter((key) => !(key in read))]).toEqual([app, []]);
    }
    // The worker outlives the turn connect-answer registers for it.
    expect(budget.worker.lambdaTimeoutSeconds * 1000).toBeGreaterThan(
      budget.connectAnswer.progressive.deadlineMs,
    );
  });
});

describe("a stack built with source maps (HOLDLINE_SOURCEMAP=1 pnpm build)", () => {
  const run = {} as Awaited<ReturnType<typeof runProgram>>;
  beforeAll(async () => {
    Object.assign(
      run,
      await runProgram("dev", stackFile("dev"), { appsDirectory: builtApps({ sourceMap: true }) }),
    );
  });

  it("ships each bundle with its map and turns source maps on", async () => {
    for (const app of POLLING_APPS) {
      const { inputs } = fn(run, app);
      expect(Object.keys(await inputs.code.assets).sort()).toEqual(["index.mjs", "index.mjs.map"]);
      expect(inputs.environment.variables.NODE_OPTIONS).toBe("--enable-source-maps");
    }
  });
});

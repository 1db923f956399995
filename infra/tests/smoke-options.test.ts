import { describe, expect, it } from "vitest";
import {
  DEFAULT_QUESTIONS,
  parseSmokeArgs,
  resolveSmokeSettings,
  type SmokeArguments,
  type StackView,
} from "../src/smoke/smoke-options.ts";

const argsOf = (argv: readonly string[]): SmokeArguments => {
  const parsed = parseSmokeArgs(argv);
  if (parsed.kind !== "run") throw new Error(`expected arguments, got ${JSON.stringify(parsed)}`);
  return parsed.args;
};

/** What `pulumi stack output --json` and `pulumi config --json` print for a deployed polling stack. */
const pollingStack: StackView = {
  outputs: {
    strategy: "polling",
    locale: "en-US",
    functionNames: {
      "connect-start": "holdline-mine-connect-start-1a2b3c",
      "connect-status": "holdline-mine-connect-status-4d5e6f",
      "answer-worker": "holdline-mine-answer-worker-7a8b9c",
      "failure-recorder": "holdline-mine-failure-recorder-0d1e2f",
      "lex-transcript": "holdline-mine-lex-transcript-3a4b5c",
    },
    tableName: "holdline-mine-executions",
  },
  config: {
    "aws:region": { value: "us-east-1", secret: false },
    "aws:profile": { value: "my-holdline-deployer", secret: false },
    "holdline:strategy": { value: "polling", secret: false },
  },
};

const nativeAsyncStack: StackView = {
  outputs: {
    strategy: "native-async",
    locale: "ja-JP",
    functionNames: {
      "connect-answer": "holdline-mine-connect-answer-9f8e7d",
      "lex-transcript": "holdline-mine-lex-transcript-3a4b5c",
    },
  },
  config: { "aws:region": { value: "ap-northeast-1", secret: false } },
};

/** A native-async stack with progressive answers (the default): connect-start registers before connect-answer. */
const nativeAsyncProgressiveStack: StackView = {
  outputs: {
    strategy: "native-async",
    progressiveAnswers: true,
    locale: "en-US",
    functionNames: {
      "connect-start": "holdline-mine-connect-start-1a2b3c",
      "connect-answer": "holdline-mine-connect-answer-9f8e7d",
      "answer-worker": "holdline-mine-answer-worker-7a8b9c",
      "failure-recorder": "holdline-mine-failure-recorder-0d1e2f",
      "lex-transcript": "holdline-mine-lex-transcript-3a4b5c",
    },
  },
  config: { "aws:region": { value: "ap-northeast-1", secret: false } },
};

describe("pnpm smoke's command line", () => {
  it("takes a stack, explicit polling functions or connect-answer, and the turn's settings", () => {
    expect(argsOf(["--stack", "mine"])).toEqual({ stack: "mine", timeoutSeconds: 90, json: false });
    expect(
      argsOf([
        "--start",
        "s",
        "--status",
        "t",
        "--region",
        "eu-west-1",
        "--question",
        "Open today?",
        "--locale",
        "en-US",
        "--timeout-s",
        "30",
        "--json",
      ]),
    ).toEqual({
      start: "s",
      status: "t",
      region: "eu-west-1",
      question: "Open today?",
      locale: "en-US",
      timeoutSeconds: 30,
      json: true,
    });
    expect(argsOf(["--answer", "a"])).toMatchObject({ answer: "a" });
    expect(argsOf(["--start", "s", "--answer", "a"])).toMatchObject({ start: "s", answer: "a" });
    expect(parseSmokeArgs(["-h"])).toEqual({ kind: "help" });
  });

  it.each([
    [[], /--stack, --start\/--status or --answer/],
    [["--start", "s"], /--start goes with --status \(polling\) or --answer/],
    [["--status", "t"], /--start and --status go together/],
    [["--answer", "a", "--status", "t"], /cannot be combined/],
    [["--answer", "a", "--start", "s", "--status", "t"], /cannot be combined/],
    [["--answer", "a", "--start", "s", "--no-progressive"], /invokes connect-answer alone/],
    [["--stack", "mine", "--locale", "fr-FR"], /--locale fr-FR is not one of ja-JP, en-US/],
    [["--stack", "mine", "--timeout-s", "soon"], /--timeout-s "soon" is not a positive number/],
    [["--stack", "mine", "--bogus"], /Unknown option '--bogus'/],
  ])("refuses %j", (argv, message) => {
    const parsed = parseSmokeArgs(argv);
    expect(parsed.kind).toBe("error");
    expect(parsed.kind === "error" ? parsed.message : "").toMatch(message);
  });
});

describe("the turn's settings from the stack and the flags", () => {
  it("a polling stack: connect-start and connect-status by name, the stack's Region, profile and locale", () => {
    const resolved = resolveSmokeSettings(argsOf(["--stack", "mine"]), pollingStack);

    expect(resolved).toEqual({
      ok: true,
      settings: {
        plan: {
          strategy: "polling",
          start: "holdline-mine-connect-start-1a2b3c",
          status: "holdline-mine-connect-status-4d5e6f",
        },
        region: "us-east-1",
        profile: "my-holdline-deployer",
        locale: "en-US",
        question: DEFAULT_QUESTIONS["en-US"],
        progressive: true,
        timeoutMs: 90_000,
        json: false,
        notes: [],
      },
    });
  });

  it("a native-async stack: connect-answer, in the stack's locale", () => {
    const resolved = resolveSmokeSettings(argsOf(["--stack", "mine"]), nativeAsyncStack);

    expect(resolved.ok && resolved.settings).toMatchObject({
      plan: { strategy: "native-async", answer: "holdline-mine-connect-answer-9f8e7d" },
      region: "ap-northeast-1",
      locale: "ja-JP",
      question: DEFAULT_QUESTIONS["ja-JP"],
    });
    expect(resolved.ok && resolved.settings.profile).toBeUndefined();
  });

  it("a native-async stack with progressive answers: connect-start first, then connect-answer, as its flow", () => {
    const resolved = resolveSmokeSettings(argsOf(["--stack", "mine"]), nativeAsyncProgressiveStack);

    expect(resolved.ok && resolved.settings).toMatchObject({
      plan: {
        strategy: "native-async",
        answer: "holdline-mine-connect-answer-9f8e7d",
        start: "holdline-mine-connect-start-1a2b3c",
      },
      progressive: true,
      notes: [],
    });
  });

  it("a native-async stack that exports no connect-start: connect-answer alone, which registers the turn, and a note", () => {
    const resolved = resolveSmokeSettings(argsOf(["--stack", "mine"]), nativeAsyncStack);
    const withoutProgressive = resolveSmokeSettings(
      argsOf(["--stack", "mine", "--no-progressive"]),
      nativeAsyncProgressiveStack,
    );

    expect(resolved.ok && resolved.settings.plan).toEqual({
      strategy: "native-async",
      answer: "holdline-mine-connect-answer-9f8e7d",
    });
    expect(resolved.ok && resolved.settings.notes).toEqual([
      expect.stringMatching(/no connect-start to invoke first.*connect-answer registers the turn itself/),
    ]);
    // A flow without progressive answers invokes connect-answer alone: nothing to note.
    expect(withoutProgressive.ok && withoutProgressive.settings).toMatchObject({
      plan: { strategy: "native-async", answer: "holdline-mine-connect-answer-9f8e7d" },
      progressive: false,
      notes: [],
    });
    expect(withoutProgressive.ok && "start" in withoutProgressive.settings.plan).toBe(false);
  });

  it("sends no cursor to a stack without progressive answers, or with --no-progressive", () => {
    const whole = {
      ...pollingStack,
      outputs: { ...(pollingStack.outputs as object), progressiveAnswers: false },
    };

    const fromStack = resolveSmokeSettings(argsOf(["--stack", "mine"]), whole);
    const fromFlag = resolveSmokeSettings(argsOf(["--stack", "mine", "--no-progressive"]), pollingStack);
    const progressive = resolveSmokeSettings(argsOf(["--answer", "a"]));

    expect(fromStack.ok && fromStack.settings.progressive).toBe(false);
    expect(fromFlag.ok && fromFlag.settings.progressive).toBe(false);
    expect(progressive.ok && progressive.settings.progressive).toBe(true);
  });

  it("infers the strategy from the functions when the stack exports none", () => {
    const { strategy: _, ...outputs } = nativeAsyncStack.outputs as Record<string, unknown>;
    const resolved = resolveSmokeSettings(argsOf(["--stack", "old"]), { ...nativeAsyncStack, outputs });

    expect(resolved.ok && resolved.settings.plan.strategy).toBe("native-async");
  });

  it("flags win over the stack's values", () => {
    const resolved = resolveSmokeSettings(
      argsOf(["--stack", "mine", "--region", "us-west-2", "--profile", "ops", "--locale", "ja-JP"]),
      pollingStack,
    );

    expect(resolved.ok && resolved.settings).toMatchObject({
      region: "us-west-2",
      profile: "ops",
      locale: "ja-JP",
      question: DEFAULT_QUESTIONS["ja-JP"],
    });
  });

  it("without a stack: the functions as given, the Region from an ARN, ja-JP by default", () => {
    const resolved = resolveSmokeSettings(
      argsOf([
        "--start",
        "arn:aws:lambda:ap-northeast-1:111122223333:function:holdline-dev-connect-start",
        "--status",
        "holdline-dev-connect-status",
      ]),
    );

    expect(resolved.ok && resolved.settings).toMatchObject({
      plan: {
        strategy: "polling",
        start: "arn:aws:lambda:ap-northeast-1:111122223333:function:holdline-dev-connect-start",
        status: "holdline-dev-connect-status",
      },
      region: "ap-northeast-1",
      locale: "ja-JP",
    });
    expect(resolveSmokeSettings(argsOf(["--answer", "holdline-dev-connect-answer"]))).toMatchObject({
      ok: true,
      settings: { plan: { strategy: "native-async", answer: "holdline-dev-connect-answer" } },
    });
    expect(
      resolveSmokeSettings(
        argsOf(["--start", "holdline-dev-connect-start", "--answer", "holdline-dev-connect-answer"]),
      ),
    ).toMatchObject({
      ok: true,
      settings: {
        plan: {
          strategy: "native-async",
          answer: "holdline-dev-connect-answer",
          start: "holdline-dev-connect-start",
        },
        notes: [],
      },
    });
  });

  it("leaves a secret profile to the SDK and says that an assumed role is not assumed", () => {
    const resolved = resolveSmokeSettings(argsOf(["--stack", "mine"]), {
      ...pollingStack,
      config: {
        "aws:region": { value: "us-east-1", secret: false },
        "aws:profile": { value: "[secret]", secret: true },
        "aws:assumeRoles": {
          value: '[{"roleArn":"arn:aws:iam::111122223333:role/deployer"}]',
          secret: false,
        },
      },
    });

    expect(resolved.ok && resolved.settings.profile).toBeUndefined();
    expect(resolved.ok && resolved.settings.notes).toEqual([
      expect.stringMatching(/aws:assumeRoles; the smoke check does not assume it/),
    ]);
  });

  it.each([
    [{ outputs: {}, config: {} }, /the stack's outputs have no functionNames/],
    [
      { outputs: { strategy: "polling", functionNames: { "connect-answer": "a" } }, config: {} },
      /the polling stack exports no connect-start and connect-status/,
    ],
    [
      { outputs: { strategy: "native-async", functionNames: { "connect-start": "s" } }, config: {} },
      /the native-async stack exports no connect-answer/,
    ],
  ])("refuses a stack that cannot be smoke-checked: %j", (stack, message) => {
    const resolved = resolveSmokeSettings(argsOf(["--stack", "mine"]), stack);

    expect(resolved.ok).toBe(false);
    expect(resolved.ok ? "" : resolved.message).toMatch(message);
  });
});

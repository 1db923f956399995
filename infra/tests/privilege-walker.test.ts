import { describe, expect, it } from "vitest";
import { privilegeViolations } from "./support/least-privilege.ts";
import { ACCOUNT_ID, type ProgramRun, type RegisteredResource } from "./support/pulumi-program.ts";

// The least-privilege walker the stacks' tests rely on (support/least-privilege.ts), on hand-made runs.

describe("the privilege walker", () => {
  const ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT_ID}:table/executions`;
  const GROUP = `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:/aws/lambda/fn`;
  const resource = (type: string, name: string, inputs: object, state: object = {}): RegisteredResource => ({
    type,
    name,
    custom: true,
    provider: undefined,
    inputs,
    state,
  });
  const runWith = (statement: object, extra: RegisteredResource[] = []): ProgramRun => {
    const resources = [
      resource("aws:dynamodb/table:Table", "table", {}, { arn: ARN }),
      resource("aws:cloudwatch/logGroup:LogGroup", "logs", {}, { arn: GROUP }),
      resource("aws:iam/rolePolicy:RolePolicy", "policy", {
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Sid: "Probe", Effect: "Allow", ...statement }],
        }),
      }),
      ...extra,
    ];
    const unused = () => {
      throw new Error("unused");
    };
    return {
      resources,
      urns: [],
      outputs: {},
      ofType: (type) => resources.filter((candidate) => candidate.type === type),
      one: unused,
      dependsOn: unused,
      options: unused,
    };
  };
  const violations = (statement: object, extra?: RegisteredResource[]) =>
    privilegeViolations(runWith(statement, extra), { externalArns: [] });

  it("accepts one specific action on one resource of the stack", () => {
    expect(violations({ Action: ["dynamodb:GetItem"], Resource: [ARN] })).toEqual([]);
  });

  it.each([
    ["a service-wide action", { Action: ["dynamodb:*"], Resource: [ARN] }, /not one API action/],
    ["every action", { Action: "*", Resource: [ARN] }, /not one API action/],
    ["a prefix wildcard action", { Action: ["dynamodb:Get*"], Resource: [ARN] }, /not one API action/],
    ["every resource", { Action: ["dynamodb:GetItem"], Resource: "*" }, /wildcard/],
    ["a wildcard inside an ARN", { Action: ["dynamodb:GetItem"], Resource: [`${ARN}/index/*`] }, /wildcard/],
    ["a resource outside the stack", { Action: ["dynamodb:GetItem"], Resource: [`${ARN}-other`] }, /neither/],
    ["NotAction", { NotAction: ["iam:*"], Resource: [ARN] }, /NotAction/],
    [
      "log streams of a group outside the stack",
      { Action: ["logs:PutLogEvents"], Resource: [`${GROUP}-x:*`] },
      /wildcard/,
    ],
    [
      "another action on log streams",
      { Action: ["logs:DeleteLogGroup"], Resource: [`${GROUP}:*`] },
      /wildcard/,
    ],
  ])("finds %s", (_, statement, finding) => {
    expect(violations(statement).join("\n")).toMatch(finding);
  });

  it("allows the one wildcard AWS requires: this stack's log group's streams, for writing logs", () => {
    expect(
      violations({ Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [`${GROUP}:*`] }),
    ).toEqual([]);
  });

  it("refuses attached managed policies, which it cannot walk", () => {
    const attachment = resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "attach", {
      policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    });
    expect(violations({ Action: ["dynamodb:GetItem"], Resource: [ARN] }, [attachment]).join()).toMatch(
      /managed policy/,
    );
  });

  it("refuses a role any principal but Lambda may assume", () => {
    const role = resource("aws:iam/role:Role", "role", {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }],
      }),
    });
    expect(violations({ Action: ["dynamodb:GetItem"], Resource: [ARN] }, [role]).join()).toMatch(/trusts/);
  });

  describe("on a Lex bot's role", () => {
    const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/bot-role`;
    const document = (statement: object) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
    const role = (service: string) =>
      resource(
        "aws:iam/role:Role",
        "bot-role",
        {
          assumeRolePolicy: document({
            Effect: "Allow",
            Principal: { Service: service },
            Action: "sts:AssumeRole",
          }),
        },
        { id: "bot-role", arn: ROLE_ARN },
      );
    const bot = resource("aws-native:lex:Bot", "bot", { roleArn: ROLE_ARN });
    const grant = (statement: object) =>
      resource("aws:iam/rolePolicy:RolePolicy", "bot-policy", {
        role: "bot-role",
        policy: document({ Sid: "BotProbe", Effect: "Allow", ...statement }),
      });
    const speech = { Action: ["polly:SynthesizeSpeech"], Resource: "*" };
    const findings = (extra: RegisteredResource[]) =>
      violations({ Action: ["dynamodb:GetItem"], Resource: [ARN] }, extra).join("\n");

    it("allows Lex to assume it and Polly's SynthesizeSpeech, which takes no resource but *", () => {
      expect(findings([role("lexv2.amazonaws.com"), bot, grant(speech)])).toBe("");
    });

    it.each([
      ["Lex trusted by a role no bot of the stack runs with", () => [role("lexv2.amazonaws.com")], /trusts/],
      [
        "SynthesizeSpeech on * for a role no bot runs with",
        () => [role("lambda.amazonaws.com"), grant(speech)],
        /wildcard/,
      ],
      [
        "another action on * beside it",
        () => [
          role("lexv2.amazonaws.com"),
          bot,
          grant({ ...speech, Action: [...speech.Action, "lex:RecognizeText"] }),
        ],
        /wildcard/,
      ],
      [
        "IAM made through aws-native",
        () => [resource("aws-native:iam:Role", "native-role", {})],
        /does not read/,
      ],
    ])("finds %s", (_, extra, finding) => {
      expect(findings(extra())).toMatch(finding);
    });
  });
});

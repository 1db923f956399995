import { deriveBudget } from "@holdline/budget/timing-budget";
import { flowContent } from "@holdline/contact-flow/flow-language";
import { buildHoldlineFlow } from "@holdline/contact-flow/holdline/holdline-flows";
import { JA_JP } from "@holdline/contact-flow/holdline/prompt-packs";
import { validateFlow } from "@holdline/contact-flow/validate-flow";
import { describe, expect, it } from "vitest";
import { NOT_DEPLOYED } from "../src/connect-integration.ts";
import {
  only,
  PROD_GUARDRAIL_ARN,
  PROD_INSTANCE_ARN,
  PROD_INSTANCE_ID,
  PROD_LEX_ALIAS,
  PROD_MODEL_ARNS,
  PROD_REGION,
} from "./support/holdline-stacks.ts";
import { privilegeViolations } from "./support/least-privilege.ts";
import { stackRun } from "./support/pulumi-program.ts";

// Pulumi.prod.yaml: what an existing instance and number, a guardrail and a Japan profile make of the program.

describe("the prod stack: an existing instance and number, a guardrail, a Japan inference profile", () => {
  const prod = stackRun("prod");

  it("creates no instance and associates start and status with the configured one", () => {
    const associations = prod.ofType("aws:connect/lambdaFunctionAssociation:LambdaFunctionAssociation");

    expect(prod.ofType("aws:connect/instance:Instance")).toEqual([]);
    expect(associations.map((association) => association.inputs.instanceId)).toEqual([
      PROD_INSTANCE_ID,
      PROD_INSTANCE_ID,
    ]);
  });

  it("routes the configured number to the flow without claiming one", () => {
    const route = only(
      prod,
      "aws:connect/phoneNumberContactFlowAssociation:PhoneNumberContactFlowAssociation",
    );

    expect(prod.ofType("aws:connect/phoneNumber:PhoneNumber")).toEqual([]);
    expect(route.inputs).toEqual({
      instanceId: PROD_INSTANCE_ID,
      phoneNumberId: "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b",
      contactFlowId: only(prod, "aws:connect/contactFlow:ContactFlow").state.contactFlowId,
    });
  });

  it("deploys the builder's ja-JP polling flow, which the validator accepts", () => {
    const arn = (app: string) => prod.one("aws:lambda/function:Function", `-${app}`).state.arn;
    const content = only(prod, "aws:connect/contactFlow:ContactFlow").inputs.content;
    const expected = buildHoldlineFlow("polling", {
      lambdas: { start: arn("connect-start"), status: arn("connect-status"), answer: NOT_DEPLOYED },
      lexBotAliasArn: PROD_LEX_ALIAS,
      prompts: JA_JP,
      budget: deriveBudget({ answerDeadlineMs: 60_000, maxSilenceMs: 3_000 }),
      name: "holdline-prod-connect-flow",
    });

    expect(content).toBe(flowContent(expected));
    expect(validateFlow(JSON.parse(content))).toEqual([]);
  });

  it("creates its own bot in the stack's Region and associates it with the existing instance", () => {
    expect(only(prod, "pulumi:providers:aws-native").inputs.region).toBe(PROD_REGION);
    expect(only(prod, "aws-native:lex:BotAlias").state.arn).toBe(PROD_LEX_ALIAS);
    expect(only(prod, "aws-native:connect:IntegrationAssociation").inputs).toEqual({
      instanceId: PROD_INSTANCE_ARN,
      integrationType: "LEX_BOT",
      integrationArn: PROD_LEX_ALIAS,
    });
  });

  it("lets the model-calling functions apply the configured guardrail and tells them which", () => {
    for (const app of ["answer-worker"]) {
      const fn = prod.one("aws:lambda/function:Function", `-${app}`);
      const roleName = prod.one("aws:iam/role:Role", `-${app}-role`).state.name;
      const granted = prod
        .ofType("aws:iam/rolePolicy:RolePolicy")
        .filter((policy) => policy.inputs.role === roleName)
        .flatMap((policy) => JSON.parse(policy.inputs.policy).Statement)
        .filter((statement: { Action: string[] }) => statement.Action.includes("bedrock:ApplyGuardrail"));

      expect(granted.map((statement: { Resource: string[] }) => statement.Resource)).toEqual([
        [PROD_GUARDRAIL_ARN],
      ]);
      expect(fn.inputs.environment.variables).toMatchObject({
        HOLDLINE_GUARDRAIL_ID: "abcd1234efgh",
        HOLDLINE_GUARDRAIL_VERSION: "1",
        HOLDLINE_DEFAULT_LOCALE: "ja-JP",
      });
    }
  });

  it("grants no wildcard action and no unscoped resource in any policy document", () => {
    expect(privilegeViolations(prod, { externalArns: [...PROD_MODEL_ARNS, PROD_GUARDRAIL_ARN] })).toEqual([]);
  });
});

import type { TimingBudget as HoldlineBudget } from "@holdline/budget/timing-budget";
import { flowContent } from "@holdline/contact-flow/flow-language";
import { buildHoldlineFlow, type Strategy } from "@holdline/contact-flow/holdline/holdline-flows";
import type { PromptPack } from "@holdline/contact-flow/holdline/prompt-packs";
import { fromHoldlineBudget } from "@holdline/contact-flow/holdline/timing-budget";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { HoldlineFunction } from "./holdline-function.ts";
import type { ConnectInstanceSettings, PhoneNumberSettings } from "./stack-settings.ts";

export interface ConnectFunctions {
  readonly start: HoldlineFunction;
  readonly status: HoldlineFunction;
  readonly answer: HoldlineFunction;
}

export interface ConnectIntegrationArgs {
  readonly instance: ConnectInstanceSettings;
  readonly strategy: Strategy;
  readonly prompts: PromptPack;
  readonly budget: HoldlineBudget;
  readonly lexBotAliasArn: string;
  readonly functions: ConnectFunctions;
  /** The bot's code hook (lex-transcript): Lex may invoke it, from the configured bot alias only. */
  readonly lexCodeHook: HoldlineFunction;
  readonly phoneNumber: PhoneNumberSettings | undefined;
  /** The deploying account and region: an existing instance must live there. */
  readonly accountId: pulumi.Input<string>;
  readonly region: pulumi.Input<string>;
}

/** The functions each strategy's flow invokes; only these are associated with Connect and invocable by it. */
export const INVOKED_BY_FLOW: Readonly<Record<Strategy, readonly (keyof ConnectFunctions)[]>> = {
  polling: ["start", "status"],
  "native-async": ["answer"],
};

/** An existing instance must be where the stack deploys: the functions, permissions and flow all are. */
export function existingInstanceArn(
  instance: Extract<ConnectInstanceSettings, { kind: "existing" }>,
  accountId: string,
  region: string,
): string {
  if (accountId !== instance.accountId || region !== instance.region) {
    throw new pulumi.RunError(
      `holdline:connect.instanceArn is in ${instance.region}/${instance.accountId}, ` +
        `but this stack deploys to ${region}/${accountId}`,
    );
  }
  return instance.arn;
}

/**
 * Everything on the Connect side: the instance (created, or an existing one by ARN), the association and
 * the invoke permission — scoped to this instance and account — of each function the flow invokes, the
 * Lex bot alias's permission to invoke its code hook, the contact flow from `@holdline/contact-flow` built
 * with the deployed functions' ARNs and the same budget as their timeouts, and a phone number routed to the
 * flow when one is configured. (The Lex V2 bot itself, and its association with the instance, are made
 * outside this program: the AWS provider has no Lex V2 bot association; docs/deploy.md.)
 */
export class ConnectIntegration extends pulumi.ComponentResource {
  readonly instanceId: pulumi.Output<string>;
  readonly instanceArn: pulumi.Output<string>;
  readonly contactFlow: aws.connect.ContactFlow;
  /** The number to call: the claimed one, or a note saying where it comes from. */
  readonly phoneNumber: pulumi.Output<string>;

  constructor(name: string, args: ConnectIntegrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("holdline:infra:ConnectIntegration", name, {}, opts);
    const { instance } = args;
    if (instance.kind === "create") {
      const created = new aws.connect.Instance(
        `${name}-instance`,
        {
          instanceAlias: instance.alias,
          identityManagementType: "CONNECT_MANAGED",
          inboundCallsEnabled: true,
          outboundCallsEnabled: false,
          // The flows turn flow logging on; without this the instance drops those logs.
          contactFlowLogsEnabled: true,
        },
        { parent: this },
      );
      this.instanceId = created.id;
      this.instanceArn = created.arn;
    } else {
      this.instanceId = pulumi.output(instance.id);
      this.instanceArn = pulumi
        .all([args.accountId, args.region])
        .apply(([accountId, region]) => existingInstanceArn(instance, accountId, region));
    }

    const associations = INVOKED_BY_FLOW[args.strategy].map((key) => {
      const fn = args.functions[key];
      new aws.lambda.Permission(
        `${name}-invoke-${key}`,
        {
          function: fn.name,
          action: "lambda:InvokeFunction",
          principal: "connect.amazonaws.com",
          sourceArn: this.instanceArn,
          sourceAccount: args.accountId,
        },
        { parent: this },
      );
      return new aws.connect.LambdaFunctionAssociation(
        `${name}-lambda-${key}`,
        { instanceId: this.instanceId, functionArn: fn.arn },
        { parent: this },
      );
    });

    new aws.lambda.Permission(
      `${name}-lex-invoke-code-hook`,
      {
        function: args.lexCodeHook.name,
        action: "lambda:InvokeFunction",
        principal: "lexv2.amazonaws.com",
        // The alias ARN pins the account; whether Lex sends a source account to match is unconfirmed.
        sourceArn: args.lexBotAliasArn,
      },
      { parent: this },
    );

    const flowName = `${name}-flow`;
    const { start, status, answer } = args.functions;
    const content = pulumi
      .all([start.arn, status.arn, answer.arn])
      .apply(([startArn, statusArn, answerArn]) =>
        flowContent(
          buildHoldlineFlow(args.strategy, {
            lambdas: { start: startArn, status: statusArn, answer: answerArn },
            lexBotAliasArn: args.lexBotAliasArn,
            prompts: args.prompts,
            budget: fromHoldlineBudget(args.budget),
            name: flowName,
          }),
        ),
      );
    this.contactFlow = new aws.connect.ContactFlow(
      flowName,
      {
        instanceId: this.instanceId,
        name: flowName,
        description: `Holdline ${args.strategy} flow (${args.prompts.locale})`,
        type: "CONTACT_FLOW",
        content,
      },
      // Associations first, so the flow never names a function the instance may not call yet.
      { parent: this, dependsOn: associations },
    );

    const phoneNumberId = this.phoneNumberId(name, args.phoneNumber);
    if (phoneNumberId !== undefined) {
      new aws.connect.PhoneNumberContactFlowAssociation(
        `${name}-number-flow`,
        {
          instanceId: this.instanceId,
          phoneNumberId: phoneNumberId.id,
          contactFlowId: this.contactFlow.contactFlowId,
        },
        { parent: this },
      );
    }
    this.phoneNumber =
      phoneNumberId === undefined
        ? pulumi.output("none configured")
        : (phoneNumberId.number ??
          phoneNumberId.id.apply((id) => `claimed outside this stack (phone number id ${id})`));
    this.registerOutputs({
      instanceId: this.instanceId,
      contactFlowId: this.contactFlow.contactFlowId,
      phoneNumber: this.phoneNumber,
    });
  }

  private phoneNumberId(
    name: string,
    settings: PhoneNumberSettings | undefined,
  ): { id: pulumi.Output<string>; number: pulumi.Output<string> | undefined } | undefined {
    if (settings === undefined) return undefined;
    if (settings.kind === "existing") return { id: pulumi.output(settings.id), number: undefined };
    const claimed = new aws.connect.PhoneNumber(
      `${name}-number`,
      {
        targetArn: this.instanceArn,
        countryCode: settings.countryCode,
        type: settings.type,
        ...(settings.prefix === undefined ? {} : { prefix: settings.prefix }),
        description: `Holdline ${name}`,
      },
      { parent: this },
    );
    return { id: claimed.id, number: claimed.phoneNumber };
  }
}

import type { TimingBudget } from "@holdline/budget/timing-budget";
import { flowContent } from "@holdline/contact-flow/flow-language";
import { buildHoldlineFlow, type Strategy } from "@holdline/contact-flow/holdline/holdline-flows";
import type { PromptPack } from "@holdline/contact-flow/holdline/prompt-packs";
import * as aws from "@pulumi/aws";
import * as awsnative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import type { HoldlineFunction } from "./holdline-function.ts";
import type { ConnectInstanceSettings, LexBotSettings, PhoneNumberSettings } from "./stack-settings.ts";

export interface ConnectFunctions {
  readonly start: HoldlineFunction;
  readonly status: HoldlineFunction;
  readonly answer: HoldlineFunction;
}

export interface ConnectIntegrationArgs {
  readonly instance: ConnectInstanceSettings;
  readonly strategy: Strategy;
  readonly prompts: PromptPack;
  readonly budget: TimingBudget;
  /**
   * The Lex V2 bot alias the flow's Lex blocks name. `associate`: it is Holdline's own bot, associated with
   * the instance here; an existing alias (`holdline:connect.lexBotAliasArn`) is associated by its owner.
   */
  readonly lexBot: { readonly aliasArn: pulumi.Input<string>; readonly associate: boolean };
  readonly functions: ConnectFunctions;
  /** The bot's code hook (lex-transcript): Lex may invoke it, from that bot alias only. */
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

/** An existing bot alias must be where the stack deploys: Connect talks to bots of its own Region. */
export function existingBotAliasArn(
  bot: Extract<LexBotSettings, { kind: "existing" }>,
  accountId: string,
  region: string,
): string {
  if (accountId !== bot.accountId || region !== bot.region) {
    throw new pulumi.RunError(
      `holdline:connect.lexBotAliasArn is in ${bot.region}/${bot.accountId}, ` +
        `but this stack deploys to ${region}/${accountId}`,
    );
  }
  return bot.aliasArn;
}

/**
 * Everything on the Connect side: the instance (created, or an existing one by ARN), the association and
 * the invoke permission — scoped to this instance and account — of each function the flow invokes, the
 * Lex bot alias's association with the instance (Lex V2 needs `aws-native`'s `IntegrationAssociation`:
 * `aws.connect.BotAssociation` is Lex V1 only; docs/adr/0002) and its permission to invoke its code hook,
 * the contact flow from `@holdline/contact-flow` built with the deployed functions' ARNs, the bot alias and
 * the same budget as their timeouts, and a phone number routed to the flow when one is configured.
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

    const lexInvoke = new aws.lambda.Permission(
      `${name}-lex-invoke-code-hook`,
      {
        function: args.lexCodeHook.name,
        action: "lambda:InvokeFunction",
        principal: "lexv2.amazonaws.com",
        // The alias ARN pins the account; whether Lex sends a source account to match is unconfirmed.
        sourceArn: args.lexBot.aliasArn,
      },
      { parent: this },
    );
    const lexAssociation = args.lexBot.associate
      ? [
          new awsnative.connect.IntegrationAssociation(
            `${name}-lex-bot`,
            {
              // This resource's "instance id" is the instance's ARN (its schema and examples).
              instanceId: this.instanceArn,
              integrationType: "LEX_BOT",
              integrationArn: args.lexBot.aliasArn,
            },
            { parent: this },
          ),
        ]
      : [];

    const flowName = `${name}-flow`;
    const { start, status, answer } = args.functions;
    const content = pulumi
      .all([start.arn, status.arn, answer.arn, args.lexBot.aliasArn])
      .apply(([startArn, statusArn, answerArn, lexBotAliasArn]) =>
        flowContent(
          buildHoldlineFlow(args.strategy, {
            lambdas: { start: startArn, status: statusArn, answer: answerArn },
            lexBotAliasArn,
            prompts: args.prompts,
            budget: args.budget,
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
      // Associations and permissions first, so the flow never names a function or bot the instance may not
      // call yet (Connect may refuse to save a flow naming a bot it has no association with).
      { parent: this, dependsOn: [...associations, ...lexAssociation, lexInvoke] },
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

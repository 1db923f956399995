import { createHash } from "node:crypto";
import type { TimingBudget } from "@holdline/budget/timing-budget";
import { flowContent } from "@holdline/contact-flow/flow-language";
import { buildHoldlineFlow, type Strategy } from "@holdline/contact-flow/holdline/holdline-flows";
import type { PromptPack } from "@holdline/contact-flow/holdline/prompt-packs";
import * as aws from "@pulumi/aws";
import * as awsnative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import type { HoldlineFunction } from "./holdline-function.ts";
import type { ConnectInstanceSettings, LexBotSettings, PhoneNumberSettings } from "./stack-settings.ts";

/**
 * The flow's Lambda blocks, by the builder's names; a stack deploys only its strategy's, and `textOffer`
 * (connect-text-offer) only when the text offer is on.
 */
export interface ConnectFunctions {
  readonly start?: HoldlineFunction;
  readonly status?: HoldlineFunction;
  readonly answer?: HoldlineFunction;
  readonly textOffer?: HoldlineFunction;
}

export interface ConnectIntegrationArgs {
  readonly instance: ConnectInstanceSettings;
  readonly strategy: Strategy;
  readonly prompts: PromptPack;
  /** The functions' budget: the flow's timings and whether it is progressive (`choices.progressiveAnswers`). */
  readonly budget: TimingBudget;
  /**
   * The Lex V2 bot alias the flow's Lex blocks name. `associate`: it is Holdline's own bot, associated with
   * the instance here; an existing alias (`holdline:connect.lexBotAliasArn`) is associated by its owner.
   */
  readonly lexBot: { readonly aliasArn: pulumi.Input<string>; readonly associate: boolean };
  /** The functions the strategy's flow invokes, and only those: each is associated with the instance. */
  readonly functions: ConnectFunctions;
  /**
   * The flow's offer of the answer by text message (`holdline:textOffer`): the key and when. With it,
   * `functions.textOffer` (connect-text-offer) must be given; absent, the flow has no offer.
   */
  readonly textOffer?: { readonly key: string; readonly afterSeconds: number };
  /** The bot's code hook (lex-transcript): Lex may invoke it, from that bot alias in this account only. */
  readonly lexCodeHook: HoldlineFunction;
  readonly phoneNumber: PhoneNumberSettings | undefined;
  /** The deploying account and region: an existing instance must live there. */
  readonly accountId: pulumi.Input<string>;
  readonly region: pulumi.Input<string>;
}

/**
 * What the builder is given for a Lambda block the strategy's flow does not have: it takes all three ARNs and
 * writes only its strategy's, and the infra tests check no flow holds this.
 */
export const NOT_DEPLOYED = "(not deployed by this strategy)";

/**
 * The flow's name in the instance: the stack's, plus a digest of its content. A content change makes a new name,
 * and the name is replaced rather than updated (`replaceOnChanges`), so a change deploys as a new flow (Connect's
 * CreateContactFlow, which works) rather than an update of the old one's content, which the aws provider's
 * UpdateContactFlowContent fails with InvalidContactFlowException for flows holding `ConnectParticipantWithLexBot`
 * or `UpdateContactData`, as Holdline's do (pulumi/pulumi-aws#6222). Names are unique in an instance: the digest
 * lets the new flow exist beside the old one until the number is moved and the old flow deleted.
 */
export const flowNameFor = (base: string, content: string): string =>
  `${base}-${createHash("sha256").update(content).digest("hex").slice(0, 12)}`;

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
 * Everything on the Connect side: the instance (created, or an existing one by ARN), the association of each
 * function the flow invokes (which makes Connect grant itself the invoke permission for this instance), the
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

    // Associating a function with the instance is what lets Connect invoke it: Connect adds the function's
    // resource-policy statement for this instance itself, so no lambda.Permission for Connect is made here.
    const associations = Object.entries(args.functions).map(
      ([key, fn]) =>
        new aws.connect.LambdaFunctionAssociation(
          `${name}-lambda-${key}`,
          { instanceId: this.instanceId, functionArn: fn.arn },
          { parent: this },
        ),
    );

    const lexInvoke = new aws.lambda.Permission(
      `${name}-lex-invoke-code-hook`,
      {
        function: args.lexCodeHook.name,
        action: "lambda:InvokeFunction",
        principal: "lexv2.amazonaws.com",
        sourceArn: args.lexBot.aliasArn,
        // As Connect's own statements carry it: the account the invoking bot alias belongs to.
        sourceAccount: args.accountId,
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
    const arnOf = (fn: HoldlineFunction | undefined) => fn?.arn ?? pulumi.output(NOT_DEPLOYED);
    const { start, status, answer, textOffer: textOfferFunction } = args.functions;
    const offer = args.textOffer;
    if (offer !== undefined && textOfferFunction === undefined) {
      throw new Error("the text offer needs connect-text-offer among the flow's functions");
    }
    const content = pulumi
      .all([arnOf(start), arnOf(status), arnOf(answer), args.lexBot.aliasArn, arnOf(textOfferFunction)])
      .apply(([startArn, statusArn, answerArn, lexBotAliasArn, textOfferArn]) =>
        flowContent(
          buildHoldlineFlow(args.strategy, {
            lambdas: { start: startArn, status: statusArn, answer: answerArn },
            lexBotAliasArn,
            prompts: args.prompts,
            budget: args.budget,
            name: flowName,
            // The budget's choice, the one the functions' HOLDLINE_PROGRESSIVE_ANSWERS carries: the flow speaks
            // parts exactly when the functions write them.
            progressive: args.budget.choices.progressiveAnswers,
            ...(offer === undefined
              ? {}
              : {
                  textOffer: { functionArn: textOfferArn, key: offer.key, afterSeconds: offer.afterSeconds },
                }),
          }),
        ),
      );
    this.contactFlow = new aws.connect.ContactFlow(
      flowName,
      {
        instanceId: this.instanceId,
        name: content.apply((text) => flowNameFor(flowName, text)),
        description: `Holdline ${args.strategy} flow (${args.prompts.locale})`,
        type: "CONTACT_FLOW",
        content,
      },
      // Associations and permissions first, so the flow never names a function or bot the instance may not
      // call yet (Connect may refuse to save a flow naming a bot it has no association with). A new name (new
      // content) replaces the flow, new one first: its content is never updated in place (see flowNameFor).
      {
        parent: this,
        dependsOn: [...associations, ...lexAssociation, lexInvoke],
        replaceOnChanges: ["name"],
      },
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
        // A new flow replaces this association (its flow id cannot be updated): the new one points the number at
        // the new flow, and deleting the old one would disassociate the number (DisassociatePhoneNumberContactFlow
        // takes the number alone), leaving it routed nowhere. So the old one is only dropped from the state.
        { parent: this, retainOnDelete: true },
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

import { LAMBDA_RUNTIME } from "@holdline/lambda-runtime/lambda-node";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { allow, lambdaTrustPolicy, type PolicyStatement, policyJson } from "./policy-document.ts";

export interface HoldlineFunctionArgs {
  /** The function's code: the app's bundle (`index.mjs` exporting `handler`), from `lambdaBundle()`. */
  readonly code: pulumi.asset.Archive;
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
  /** What the function may do besides writing its own logs: only what its code calls. */
  readonly statements: readonly PolicyStatement[];
  readonly logRetentionDays: number;
  readonly reservedConcurrency?: number | undefined;
}

export { LAMBDA_RUNTIME };
export const LAMBDA_ARCHITECTURE = "arm64";
/** esbuild writes `index.mjs`, whose export `handler` is the entry point. */
export const LAMBDA_HANDLER = "index.handler";

/**
 * One Lambda function with everything that belongs to it alone: its log group (with retention, created
 * before the function so Lambda never creates one without it), its own role, and one inline policy that
 * grants its log writes plus the statements it is given — nothing attached, nothing shared.
 */
export class HoldlineFunction extends pulumi.ComponentResource {
  readonly function: aws.lambda.Function;
  readonly role: aws.iam.Role;
  readonly policy: aws.iam.RolePolicy;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  readonly timeoutSeconds: number;

  constructor(name: string, args: HoldlineFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("holdline:infra:HoldlineFunction", name, {}, opts);
    this.timeoutSeconds = args.timeoutSeconds;
    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { namePrefix: `/aws/lambda/${name}-`, retentionInDays: args.logRetentionDays },
      { parent: this },
    );
    this.role = new aws.iam.Role(
      `${name}-role`,
      { assumeRolePolicy: lambdaTrustPolicy, description: `Execution role of ${name}` },
      { parent: this },
    );
    this.policy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: this.role.id,
        policy: policyJson([
          // Log streams are named by Lambda at run time; the grant is limited to this function's group.
          allow(
            "WriteOwnLogs",
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            [pulumi.interpolate`${this.logGroup.arn}:*`],
          ),
          ...args.statements,
        ]),
      },
      { parent: this },
    );
    this.function = new aws.lambda.Function(
      name,
      {
        description: args.description,
        runtime: LAMBDA_RUNTIME,
        architectures: [LAMBDA_ARCHITECTURE],
        handler: LAMBDA_HANDLER,
        code: args.code,
        role: this.role.arn,
        timeout: args.timeoutSeconds,
        memorySize: args.memoryMb,
        environment: { variables: { ...args.environment } },
        // Text is Lambda's default format: Powertools' JSON lines and EMF metrics pass through it unchanged.
        loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
        ...(args.reservedConcurrency === undefined
          ? {}
          : { reservedConcurrentExecutions: args.reservedConcurrency }),
      },
      // Without its policy the first invocations would fail (or log nowhere): create it first.
      { parent: this, dependsOn: [this.policy, this.logGroup] },
    );
    this.name = this.function.name;
    this.arn = this.function.arn;
    this.registerOutputs({ name: this.name, arn: this.arn, roleArn: this.role.arn });
  }
}

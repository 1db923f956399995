import {
  EXECUTION_TTL_ATTRIBUTE,
  executionTableDefinition,
} from "@holdline/adapters-dynamodb/execution-table";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "./policy-document.ts";
import { allow } from "./policy-document.ts";

export interface ExecutionTableArgs {
  readonly deletionProtection: boolean;
  readonly pointInTimeRecoveryDays: number;
}

/** DynamoDB item actions, by what the store adapter sends (`dynamodb-execution-store.ts`). */
export type TableAction = "dynamodb:GetItem" | "dynamodb:PutItem" | "dynamodb:UpdateItem" | "dynamodb:Query";

/**
 * The executions table, shaped by the store adapter's own definition (keys, types, on-demand capacity) so
 * the deployed table and the one the adapter's tests create cannot differ; TTL on the domain's
 * `expiresAt`; point-in-time recovery; deletion protection where the profile asks for it.
 */
export class ExecutionTable extends pulumi.ComponentResource {
  readonly table: aws.dynamodb.Table;
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: ExecutionTableArgs, opts?: pulumi.ComponentResourceOptions) {
    super("holdline:infra:ExecutionTable", name, {}, opts);
    // The adapter's CreateTable input; its TableName is the adapter's business, Pulumi names ours.
    const definition = executionTableDefinition("unused");
    const keyNamed = (type: "HASH" | "RANGE") =>
      definition.KeySchema?.find((key) => key.KeyType === type)?.AttributeName;
    this.table = new aws.dynamodb.Table(
      name,
      {
        billingMode: definition.BillingMode,
        hashKey: keyNamed("HASH"),
        rangeKey: keyNamed("RANGE"),
        attributes: (definition.AttributeDefinitions ?? []).map((attribute) => ({
          name: attribute.AttributeName ?? "",
          type: attribute.AttributeType ?? "",
        })),
        ttl: { enabled: true, attributeName: EXECUTION_TTL_ATTRIBUTE },
        pointInTimeRecovery: { enabled: true, recoveryPeriodInDays: args.pointInTimeRecoveryDays },
        deletionProtectionEnabled: args.deletionProtection,
      },
      { parent: this },
    );
    this.name = this.table.name;
    this.arn = this.table.arn;
    this.registerOutputs({ name: this.name, arn: this.arn });
  }

  /** A statement granting exactly these item actions on this table (no index, no other table). */
  allow(sid: string, actions: readonly TableAction[]): PolicyStatement {
    return allow(sid, actions, [this.arn]);
  }
}

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
  /**
   * Turns on the table's stream (`NEW_AND_OLD_IMAGES`), which text-delivery consumes; off, the table has no
   * stream at all (the stream settings are not even written, so a stack without the text offer is unchanged).
   */
  readonly stream: boolean;
}

/** DynamoDB item actions, by what the store adapter sends (`dynamodb-execution-store.ts`). */
export type TableAction = "dynamodb:GetItem" | "dynamodb:PutItem" | "dynamodb:UpdateItem" | "dynamodb:Query";

/** What an event source mapping's poller does with the function's role to read a stream (the Lambda guide's). */
export const STREAM_READ_ACTIONS = [
  "dynamodb:DescribeStream",
  "dynamodb:GetRecords",
  "dynamodb:GetShardIterator",
  "dynamodb:ListStreams",
] as const;

/** Both images: the consumer's filter matches the new one, and a record shows what changed. */
export const STREAM_VIEW_TYPE = "NEW_AND_OLD_IMAGES";

/**
 * The executions table, shaped by the store adapter's own definition (keys, types, on-demand capacity) so
 * the deployed table and the one the adapter's tests create cannot differ; TTL on the domain's
 * `expiresAt`; point-in-time recovery; deletion protection where the profile asks for it; a stream (both
 * images) when the text offer is on.
 */
export class ExecutionTable extends pulumi.ComponentResource {
  readonly table: aws.dynamodb.Table;
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  /** The stream's ARN; `undefined` when the table has no stream. */
  readonly streamArn: pulumi.Output<string> | undefined;

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
        ...(args.stream ? { streamEnabled: true, streamViewType: STREAM_VIEW_TYPE } : {}),
      },
      { parent: this },
    );
    this.name = this.table.name;
    this.arn = this.table.arn;
    this.streamArn = args.stream ? this.table.streamArn : undefined;
    this.registerOutputs({ name: this.name, arn: this.arn, streamArn: this.streamArn });
  }

  /** A statement granting exactly these item actions on this table (no index, no other table). */
  allow(sid: string, actions: readonly TableAction[]): PolicyStatement {
    return allow(sid, actions, [this.arn]);
  }

  /** A statement letting a stream consumer's poller read this table's stream, and no other. */
  allowStreamRead(sid: string): PolicyStatement {
    if (this.streamArn === undefined) throw new pulumi.RunError("the executions table has no stream to read");
    return allow(sid, STREAM_READ_ACTIONS, [this.streamArn]);
  }
}

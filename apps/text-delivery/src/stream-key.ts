import { unmarshall } from "@aws-sdk/util-dynamodb";
import type { ExecutionKey } from "@holdline/domain/execution/execution";
import type { DynamoDBRecord } from "aws-lambda";
import * as z from "zod";

/** The executions table's key (`contactId` S, `turn` N), as a stream record's `dynamodb.Keys` carries it. */
const keySchema = z.object({
  contactId: z.string().min(1),
  turn: z.number().int().min(1),
});

export type StreamKey =
  | { readonly ok: true; readonly key: ExecutionKey }
  | { readonly ok: false; readonly reason: string };

/** The execution a stream record is about, from its `Keys` (DynamoDB JSON); never throws. */
export function streamKeyOf(record: DynamoDBRecord): StreamKey {
  const keys = record.dynamodb?.Keys;
  if (keys === undefined) return { ok: false, reason: "the record has no dynamodb.Keys" };
  let plain: Record<string, unknown>;
  try {
    plain = unmarshall(keys as Parameters<typeof unmarshall>[0]);
  } catch (error) {
    return { ok: false, reason: `dynamodb.Keys is not DynamoDB JSON (${(error as Error).message})` };
  }
  const parsed = keySchema.safeParse(plain);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `dynamodb.Keys is not an execution key (${issue?.path.join(".")}: ${issue?.message})`,
    };
  }
  return { ok: true, key: parsed.data };
}

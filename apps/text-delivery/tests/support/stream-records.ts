import { marshall } from "@aws-sdk/util-dynamodb";
import { itemOfView } from "@holdline/adapters-dynamodb/text-delivery-item";
import type { DeliveryView } from "@holdline/domain/text-delivery/text-delivery";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";

const TABLE_STREAM_ARN =
  "arn:aws:dynamodb:ap-northeast-1:111122223333:table/holdline-executions/stream/2026-11-29T00:00:00.000";

type Image = NonNullable<NonNullable<DynamoDBRecord["dynamodb"]>["NewImage"]>;

/** An item's image as DynamoDB Streams carries it: DynamoDB JSON. */
export const imageOf = (view: DeliveryView): Image =>
  marshall(itemOfView(view), { removeUndefinedValues: true }) as unknown as Image;

let sequence = 100_000_000_000_000_000_000;

/**
 * One stream record of a change of an execution's item (NEW_AND_OLD_IMAGES), as DynamoDB Streams delivers it to
 * Lambda: the key, both images in DynamoDB JSON, a sequence number that grows with every record.
 */
export function streamRecord(before: DeliveryView | undefined, after: DeliveryView): DynamoDBRecord {
  sequence += 1_000;
  const { contactId, turn } = after.execution;
  const newImage = imageOf(after);
  return {
    eventID: `e${sequence.toString(16)}`,
    eventName: before === undefined ? "INSERT" : "MODIFY",
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: "ap-northeast-1",
    eventSourceARN: TABLE_STREAM_ARN,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(after.execution.updatedAt / 1000),
      Keys: marshall({ contactId, turn }) as unknown as Image,
      NewImage: newImage,
      ...(before === undefined ? {} : { OldImage: imageOf(before) }),
      SequenceNumber: sequence.toString().padStart(21, "0").slice(0, 21),
      SizeBytes: JSON.stringify(newImage).length,
      StreamViewType: "NEW_AND_OLD_IMAGES",
    },
  };
}

/** The same record with other `Keys` (what a record that is not an execution's would carry). */
export const withKeys = (record: DynamoDBRecord, keys: unknown): DynamoDBRecord => ({
  ...record,
  dynamodb: { ...record.dynamodb, Keys: keys as Image },
});

export const streamEvent = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

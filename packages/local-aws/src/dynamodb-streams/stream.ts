import { randomBytes, randomUUID } from "node:crypto";
import type { AttributeValue, DynamoDBRecord } from "aws-lambda";
import { type StreamClock, systemStreamClock } from "./clock.ts";

/** An item, its key or an image in DynamoDB JSON, as the wire and the stream record carry it. */
export type DynamoDbImage = Record<string, AttributeValue>;

export type StreamEventName = NonNullable<DynamoDBRecord["eventName"]>;

/** One change, as the capture hands it to the stream. */
export interface ItemChange {
  readonly eventName: StreamEventName;
  readonly keys: DynamoDbImage;
  /** Absent on INSERT. */
  readonly oldImage?: DynamoDbImage;
  /** Absent on REMOVE. */
  readonly newImage?: DynamoDbImage;
  /** TTL deletions only: `{ type: "Service", principalId: "dynamodb.amazonaws.com" }`. */
  readonly userIdentity?: { readonly type: "Service"; readonly principalId: "dynamodb.amazonaws.com" };
}

/** A record in the shard, with when it arrived (the mapping's record age and batch info use it). */
export interface StreamEntry {
  readonly record: DynamoDBRecord;
  readonly sequenceNumber: string;
  /** Epoch ms on the stream's clock. */
  readonly arrivedAt: number;
}

export interface DynamoDbStreamOptions {
  readonly tableName: string;
  /** Default `us-east-1` (local-dynamodb's region). */
  readonly region?: string;
  /** Default `123456789012`. */
  readonly accountId?: string;
  /** What stamps records (`ApproximateCreationDateTime`, arrival) and names the stream; default the wall clock. */
  readonly clock?: Pick<StreamClock, "now">;
}

/** 21 digits, as DynamoDB Streams' sequence numbers have (e.g. `800000000003126276362`). */
const SEQUENCE_BASE = 10n ** 20n;
const SEQUENCE_STEP = 100n;

/**
 * The stream of one table (`StreamViewType: NEW_AND_OLD_IMAGES`), as a single open shard: records in the order
 * the changes were applied, each with a strictly increasing 21-digit sequence number. `append` is what the
 * change capture calls; anything may read `entries` or subscribe with `onAppend`.
 */
export class DynamoDbStream {
  readonly tableName: string;
  readonly region: string;
  readonly accountId: string;
  /** The ISO timestamp (no zone) that ends the stream ARN, e.g. `2026-01-01T00:00:00.000`. */
  readonly streamLabel: string;
  readonly streamArn: string;
  /** One shard, named as DynamoDB names them: `shardId-<20 digits>-<8 hex>`. */
  readonly shardId: string;
  readonly entries: StreamEntry[] = [];
  private readonly clock: Pick<StreamClock, "now">;
  private readonly listeners = new Set<(entry: StreamEntry) => void>();
  private sequence = SEQUENCE_BASE + BigInt(randomBytes(4).readUInt32BE()) * 1_000n;

  constructor(options: DynamoDbStreamOptions) {
    this.clock = options.clock ?? systemStreamClock;
    this.tableName = options.tableName;
    this.region = options.region ?? "us-east-1";
    this.accountId = options.accountId ?? "123456789012";
    const createdAt = this.clock.now();
    this.streamLabel = new Date(createdAt).toISOString().replace(/Z$/, "");
    this.streamArn = `arn:aws:dynamodb:${this.region}:${this.accountId}:table/${this.tableName}/stream/${this.streamLabel}`;
    this.shardId = `shardId-${String(createdAt).padStart(20, "0")}-${randomBytes(4).toString("hex")}`;
  }

  /** The records so far, oldest first. */
  get records(): DynamoDBRecord[] {
    return this.entries.map((entry) => entry.record);
  }

  /** Writes the record for one change and tells the subscribers. */
  append(change: ItemChange): DynamoDBRecord {
    this.sequence += SEQUENCE_STEP;
    const sequenceNumber = this.sequence.toString();
    const arrivedAt = this.clock.now();
    const record: DynamoDBRecord = {
      eventID: randomUUID().replaceAll("-", ""),
      eventName: change.eventName,
      eventVersion: "1.1",
      eventSource: "aws:dynamodb",
      awsRegion: this.region,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(arrivedAt / 1_000),
        Keys: change.keys,
        ...(change.newImage === undefined ? {} : { NewImage: change.newImage }),
        ...(change.oldImage === undefined ? {} : { OldImage: change.oldImage }),
        SequenceNumber: sequenceNumber,
        SizeBytes: [change.keys, change.newImage, change.oldImage].reduce(
          (total, image) => total + (image === undefined ? 0 : itemSizeBytes(image)),
          0,
        ),
        StreamViewType: "NEW_AND_OLD_IMAGES",
      },
      eventSourceARN: this.streamArn,
      ...(change.userIdentity === undefined ? {} : { userIdentity: { ...change.userIdentity } }),
    };
    const entry: StreamEntry = { record, sequenceNumber, arrivedAt };
    this.entries.push(entry);
    for (const listener of [...this.listeners]) listener(entry);
    return record;
  }

  /** Calls `listener` for every record appended from now on; returns the unsubscribe. */
  onAppend(listener: (entry: StreamEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const utf8Length = (text: string): number => Buffer.byteLength(text, "utf8");

/** DynamoDB's size of a number: one byte per two significant digits, plus one. */
const numberSize = (text: string): number => {
  const digits = text
    .replace(/^[-+]/, "")
    .replace(/[eE].*$/, "")
    .replace(".", "")
    .replace(/^0+/, "");
  const significant = digits.replace(/0+$/, "");
  return Math.ceil(Math.max(1, significant.length) / 2) + 1;
};

/** The size DynamoDB counts for one attribute value (its documented item-size rules). */
export function attributeValueSize(value: AttributeValue): number {
  const wire = value as Record<string, unknown>;
  if (typeof wire.S === "string") return utf8Length(wire.S);
  if (typeof wire.N === "string") return numberSize(wire.N);
  if (typeof wire.B === "string") return Buffer.from(wire.B, "base64").length;
  if (wire.BOOL !== undefined || wire.NULL !== undefined) return 1;
  if (Array.isArray(wire.SS)) return (wire.SS as string[]).reduce((sum, s) => sum + utf8Length(s), 0);
  if (Array.isArray(wire.NS)) return (wire.NS as string[]).reduce((sum, n) => sum + numberSize(n), 0);
  if (Array.isArray(wire.BS)) {
    return (wire.BS as string[]).reduce((sum, b) => sum + Buffer.from(b, "base64").length, 0);
  }
  if (Array.isArray(wire.L)) {
    return (
      3 + (wire.L as AttributeValue[]).reduce((sum, element) => sum + 1 + attributeValueSize(element), 0)
    );
  }
  if (wire.M !== null && typeof wire.M === "object") {
    return 3 + itemSizeBytes(wire.M as DynamoDbImage) + Object.keys(wire.M).length;
  }
  throw new Error(`not a DynamoDB attribute value: ${JSON.stringify(value)}`);
}

/** An item's size as DynamoDB counts it: each attribute's name (UTF-8) plus its value. */
export function itemSizeBytes(item: DynamoDbImage): number {
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + utf8Length(name) + attributeValueSize(value),
    0,
  );
}

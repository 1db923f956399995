import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDbChangeCapture } from "../../src/dynamodb-streams/change-capture.ts";
import type { StreamClock } from "../../src/dynamodb-streams/clock.ts";
import { freshTableName, type LocalDynamoDb, startLocalDynamoDb } from "../../src/local-dynamodb.ts";

/** dynalite for a suite, and per test a fresh table behind its own change capture and an SDK client on it. */
export class StreamsHarness {
  private readonly opened: { capture: DynamoDbChangeCapture; client: DynamoDBClient }[] = [];

  private constructor(readonly local: LocalDynamoDb) {}

  static async start(): Promise<StreamsHarness> {
    return new StreamsHarness(await startLocalDynamoDb());
  }

  /** A table keyed by `pk` (and `sk`), watched by a capture stamping records on `clock`. */
  async table(clock?: Pick<StreamClock, "now">): Promise<{
    tableName: string;
    capture: DynamoDbChangeCapture;
    /** The apps' view: a real SDK client whose endpoint is the capture proxy. */
    client: DynamoDBClient;
  }> {
    const tableName = freshTableName("streams");
    await this.local.createTable({
      TableName: tableName,
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "N" },
      ],
      BillingMode: "PAY_PER_REQUEST",
    });
    const capture = await DynamoDbChangeCapture.start({
      target: this.local.endpoint,
      tableName,
      ...(clock === undefined ? {} : { clock }),
    });
    const client = new DynamoDBClient({
      endpoint: capture.endpoint,
      region: this.local.region,
      credentials: this.local.credentials,
      maxAttempts: 1,
    });
    this.opened.push({ capture, client });
    return { tableName, capture, client };
  }

  async closeTables(): Promise<void> {
    for (const { capture, client } of this.opened.splice(0)) {
      client.destroy();
      await capture.stop();
    }
  }

  async stop(): Promise<void> {
    await this.closeTables();
    await this.local.stop();
  }
}

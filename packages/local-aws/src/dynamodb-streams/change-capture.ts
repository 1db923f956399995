import {
  Agent,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import {
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  type AttributeValue as SdkAttributeValue,
} from "@aws-sdk/client-dynamodb";
import type { AttributeValue, DynamoDBRecord } from "aws-lambda";
import { LOCAL_CREDENTIALS, LOCAL_REGION } from "../local-dynamodb.ts";
import type { StreamClock } from "./clock.ts";
import { type DynamoDbImage, DynamoDbStream, type ItemChange } from "./stream.ts";

export interface DynamoDbChangeCaptureOptions {
  /** dynalite's endpoint, e.g. `LocalDynamoDb.endpoint`. */
  readonly target: string;
  /** The watched table; it must exist (its key schema is read at start unless `keyAttributes` is given). */
  readonly tableName: string;
  /** The key's attribute names (partition key, then sort key). Default: read with DescribeTable. */
  readonly keyAttributes?: readonly string[];
  /** Default local-dynamodb's region (`us-east-1`). */
  readonly region?: string;
  /** Default `123456789012`. */
  readonly accountId?: string;
  /** Stamps records; the mapping's record age is measured on it. Default the wall clock. */
  readonly clock?: Pick<StreamClock, "now">;
  /** 0 (default) picks a free port. */
  readonly port?: number;
}

/** A request the capture refused (it cannot tell what it changes); the client got a ValidationException. */
export interface RefusedRequest {
  readonly operation: string;
  readonly message: string;
}

/** The write operations that change single items and are captured. */
const ITEM_WRITES = new Set(["PutItem", "UpdateItem", "DeleteItem"]);
/** Writes whose effect on the watched table the capture does not work out: refused when they name it. */
const UNSUPPORTED_WRITES = new Set([
  "TransactWriteItems",
  "ExecuteStatement",
  "BatchExecuteStatement",
  "ExecuteTransaction",
]);

const TTL_IDENTITY = { type: "Service", principalId: "dynamodb.amazonaws.com" } as const;

/** What one write request touches on the watched table: the item keys, serialised under one lock. */
type Capturable = { readonly keys: readonly DynamoDbImage[] };

/**
 * Change capture at the wire: an HTTP proxy on 127.0.0.1 in front of dynalite (which has no Streams) that
 * turns the watched table's writes into DynamoDB Streams records (`NEW_AND_OLD_IMAGES`) on `stream`. Point the
 * apps' real SDK clients at `endpoint`. For each PutItem, UpdateItem, DeleteItem and BatchWriteItem on the
 * table it serialises the writes per item key, reads the old image (GetItem, ConsistentRead), forwards the
 * request unchanged, and after a 200 reads the new image and appends INSERT, MODIFY or REMOVE when the item
 * actually changed (nothing for a write that changes nothing, a failed conditional write or an unprocessed
 * batch item), before the reply goes back to the client. TransactWriteItems and PartiQL statements naming the
 * table are refused with a ValidationException saying so. Writes that bypass the proxy are not seen.
 */
export class DynamoDbChangeCapture {
  readonly stream: DynamoDbStream;
  readonly refused: RefusedRequest[] = [];
  /** Image reads that failed around a write the capture therefore could not record (should stay empty). */
  readonly captureErrors: Error[] = [];
  private readonly locks = new Map<string, Promise<void>>();
  private readonly upstreamUrl: URL;
  private readonly agent = new Agent({ keepAlive: true });

  private constructor(
    private readonly server: Server,
    private readonly admin: DynamoDBClient,
    readonly tableName: string,
    private readonly keyAttributes: readonly string[],
    target: string,
    stream: DynamoDbStream,
  ) {
    this.upstreamUrl = new URL(target);
    this.stream = stream;
  }

  /** Starts the proxy; resolves once it listens. */
  static async start(options: DynamoDbChangeCaptureOptions): Promise<DynamoDbChangeCapture> {
    const region = options.region ?? LOCAL_REGION;
    const admin = new DynamoDBClient({ endpoint: options.target, region, credentials: LOCAL_CREDENTIALS });
    let keyAttributes = options.keyAttributes;
    if (keyAttributes === undefined) {
      const { Table } = await admin.send(new DescribeTableCommand({ TableName: options.tableName }));
      const schema = Table?.KeySchema ?? [];
      keyAttributes = [...schema]
        .sort((a, b) => (a.KeyType === "HASH" ? -1 : b.KeyType === "HASH" ? 1 : 0))
        .map((element) => element.AttributeName ?? "");
    }
    const stream = new DynamoDbStream({
      tableName: options.tableName,
      region,
      ...(options.accountId === undefined ? {} : { accountId: options.accountId }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    });
    const server = createServer();
    const capture = new DynamoDbChangeCapture(
      server,
      admin,
      options.tableName,
      keyAttributes,
      options.target,
      stream,
    );
    server.on("request", (req, res) => {
      capture.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    return capture;
  }

  /** `http://127.0.0.1:<port>`, for the SDK client's `endpoint`. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /**
   * Deletes the item as DynamoDB's TTL sweeper would: a REMOVE record with
   * `userIdentity: { type: "Service", principalId: "dynamodb.amazonaws.com" }`. Resolves with the record, or
   * `undefined` when there was no such item. (dynalite has no TTL: the test decides when the item expires.)
   */
  async simulateTtlDeletion(key: DynamoDbImage): Promise<DynamoDBRecord | undefined> {
    const itemKey = this.keyOf(key);
    return this.withKeys([itemKey], async () => {
      const oldImage = await this.read(itemKey);
      if (oldImage === undefined) return undefined;
      await this.admin.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: itemKey as Record<string, SdkAttributeValue>,
        }),
      );
      return this.stream.append({ eventName: "REMOVE", keys: itemKey, oldImage, userIdentity: TTL_IDENTITY });
    });
  }

  /** Closes the proxy and its connections. */
  async stop(): Promise<void> {
    this.admin.destroy();
    this.agent.destroy();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req);
    const target = req.headers["x-amz-target"];
    const operation = typeof target === "string" ? (target.split(".").pop() ?? "") : "";
    const json = operation === "" ? undefined : parseJson(body);

    if (UNSUPPORTED_WRITES.has(operation) && body.toString("utf8").includes(this.tableName)) {
      const message =
        `DynamoDbChangeCapture (@holdline/local-aws) refuses ${operation} on the watched table ` +
        `${this.tableName}: it records stream records for PutItem, UpdateItem, DeleteItem and BatchWriteItem ` +
        "only (dynalite has no transactions, and the capture does not work out what a PartiQL statement changes)";
      this.refused.push({ operation, message });
      const reply = JSON.stringify({ __type: "com.amazon.coral.validation#ValidationException", message });
      res.writeHead(400, {
        "content-type": "application/x-amz-json-1.0",
        "content-length": Buffer.byteLength(reply),
      });
      res.end(reply);
      return;
    }

    const capturable = json === undefined ? undefined : this.capturable(operation, json);
    if (capturable === undefined) {
      this.reply(res, await this.forward(req, body));
      return;
    }
    const reply = await this.withKeys(capturable.keys, async () => {
      let oldImages: (DynamoDbImage | undefined)[];
      try {
        oldImages = await Promise.all(capturable.keys.map((key) => this.read(key)));
      } catch (error) {
        this.captureErrors.push(error as Error);
        return this.forward(req, body);
      }
      const upstream = await this.forward(req, body);
      if (upstream.status !== 200) return upstream;
      try {
        const newImages = await Promise.all(capturable.keys.map((key) => this.read(key)));
        capturable.keys.forEach((key, index) => {
          const change = changeOf(key, oldImages[index], newImages[index]);
          if (change !== undefined) this.stream.append(change);
        });
      } catch (error) {
        this.captureErrors.push(error as Error);
      }
      return upstream;
    });
    this.reply(res, reply);
  }

  /** The item keys a write on the watched table touches, or `undefined` when it is not such a write. */
  private capturable(operation: string, json: Record<string, unknown>): Capturable | undefined {
    if (ITEM_WRITES.has(operation)) {
      if (json.TableName !== this.tableName) return undefined;
      const source = (operation === "PutItem" ? json.Item : json.Key) as DynamoDbImage | undefined;
      return source === undefined ? undefined : { keys: [this.keyOf(source)] };
    }
    if (operation === "BatchWriteItem") {
      const requests = (json.RequestItems as Record<string, unknown[]> | undefined)?.[this.tableName];
      if (!Array.isArray(requests)) return undefined;
      const keys = requests.map((entry) => {
        const { PutRequest, DeleteRequest } = entry as {
          PutRequest?: { Item: DynamoDbImage };
          DeleteRequest?: { Key: DynamoDbImage };
        };
        return this.keyOf(PutRequest?.Item ?? DeleteRequest?.Key ?? {});
      });
      return { keys };
    }
    return undefined;
  }

  private keyOf(item: DynamoDbImage): DynamoDbImage {
    const key: DynamoDbImage = {};
    for (const name of this.keyAttributes) {
      const value = item[name];
      if (value !== undefined) key[name] = value;
    }
    return key;
  }

  /** The item as it is now (strongly consistent), in wire JSON; `undefined` when absent. */
  private async read(key: DynamoDbImage): Promise<DynamoDbImage | undefined> {
    const { Item } = await this.admin.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: key as Record<string, SdkAttributeValue>,
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : (toWire({ M: Item }) as { M: DynamoDbImage }).M;
  }

  /** Runs `work` once no earlier write on any of the same item keys is still in flight. */
  private async withKeys<T>(keys: readonly DynamoDbImage[], work: () => Promise<T>): Promise<T> {
    const names = [...new Set(keys.map((key) => canonical(key)))];
    const earlier = names.map((name) => this.locks.get(name));
    let release: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    for (const name of names) this.locks.set(name, mine);
    await Promise.all(earlier);
    try {
      return await work();
    } finally {
      release();
      for (const name of names) if (this.locks.get(name) === mine) this.locks.delete(name);
    }
  }

  private forward(req: IncomingMessage, body: Buffer): Promise<UpstreamReply> {
    return new Promise((resolve, reject) => {
      const upstream = request(
        {
          host: this.upstreamUrl.hostname,
          port: this.upstreamUrl.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
          agent: this.agent,
        },
        (response) => {
          readAll(response).then(
            (replyBody) =>
              resolve({ status: response.statusCode ?? 500, headers: response.headers, body: replyBody }),
            reject,
          );
        },
      );
      upstream.on("error", reject);
      upstream.end(body);
    });
  }

  private reply(res: ServerResponse, upstream: UpstreamReply): void {
    const headers = { ...upstream.headers };
    delete headers["transfer-encoding"];
    delete headers.connection;
    delete headers["keep-alive"];
    headers["content-length"] = String(upstream.body.length);
    res.writeHead(upstream.status, headers);
    res.end(upstream.body);
  }
}

interface UpstreamReply {
  readonly status: number;
  readonly headers: IncomingMessage["headers"];
  readonly body: Buffer;
}

function changeOf(
  key: DynamoDbImage,
  oldImage: DynamoDbImage | undefined,
  newImage: DynamoDbImage | undefined,
): ItemChange | undefined {
  if (oldImage === undefined && newImage === undefined) return undefined;
  if (oldImage === undefined) return { eventName: "INSERT", keys: key, newImage };
  if (newImage === undefined) return { eventName: "REMOVE", keys: key, oldImage };
  if (canonical(oldImage) === canonical(newImage)) return undefined;
  return { eventName: "MODIFY", keys: key, oldImage, newImage };
}

/** A JSON text for an image or key that ignores attribute order and set member order. */
function canonical(value: unknown): string {
  const normal = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(normal);
    if (node !== null && typeof node === "object") {
      const entries = Object.entries(node as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
      return Object.fromEntries(
        entries.map(([name, child]) =>
          (name === "SS" || name === "NS" || name === "BS") && Array.isArray(child)
            ? [name, [...child].sort()]
            : [name, normal(child)],
        ),
      );
    }
    return node;
  };
  return JSON.stringify(normal(value));
}

/** The SDK's attribute value as the wire JSON has it (binary as base64). */
function toWire(value: SdkAttributeValue): AttributeValue {
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString("base64") };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString("base64")) };
  if (value.L !== undefined) return { L: value.L.map(toWire) };
  if (value.M !== undefined) {
    return { M: Object.fromEntries(Object.entries(value.M).map(([name, child]) => [name, toWire(child)])) };
  }
  const { $unknown: _unknown, ...rest } = value as SdkAttributeValue & { $unknown?: unknown };
  return rest as AttributeValue;
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    return parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

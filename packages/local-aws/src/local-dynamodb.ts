import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
} from "@aws-sdk/client-dynamodb";

/** The subset of dynalite's options this module uses (dynalite ships no type declarations). */
interface DynaliteOptions {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
  maxItemSizeKb?: number;
}

const dynalite = createRequire(import.meta.url)("dynalite") as (options: DynaliteOptions) => Server;

/** dynalite checks that requests are signed, not who signed them; these never leave the machine. */
export const LOCAL_CREDENTIALS = {
  accessKeyId: "holdline-local",
  secretAccessKey: "holdline-local",
} as const;
export const LOCAL_REGION = "us-east-1";

export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`, for the SDK client's `endpoint`. */
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Creates a table and resolves once it is ACTIVE. */
  createTable(definition: CreateTableCommandInput): Promise<void>;
  /** Closes every connection and the server; the data is gone. */
  stop(): Promise<void>;
}

export interface StartLocalDynamoDbOptions {
  /** Tables to create before resolving, e.g. `executionTableDefinition(name)` from adapters-dynamodb. */
  readonly tables?: readonly CreateTableCommandInput[];
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /**
   * Run dynalite in a child process, so its work does not share this process's event loop (benchmarks,
   * the demo's timeline). Default: in this process, which starts faster and suits tests.
   */
  readonly childProcess?: boolean;
}

interface RunningServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts dynalite (an in-memory, DynamoDB-compatible server) on 127.0.0.1 for tests, benchmarks and the
 * demo. It has no transactions, no UpdateTimeToLive and no Streams, so nothing here relies on them.
 */
export async function startLocalDynamoDb(options: StartLocalDynamoDbOptions = {}): Promise<LocalDynamoDb> {
  const server = await (options.childProcess ? startChildProcess : startInProcess)(options.port ?? 0);
  const { port } = server;
  const endpoint = `http://127.0.0.1:${port}`;
  const admin = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

  const createTable = async (definition: CreateTableCommandInput): Promise<void> => {
    await admin.send(new CreateTableCommand(definition));
    for (let round = 0; round < 200; round += 1) {
      const { Table } = await admin.send(new DescribeTableCommand({ TableName: definition.TableName }));
      if (Table?.TableStatus === "ACTIVE") return;
      await delay(5);
    }
    throw new Error(`local table ${definition.TableName} did not become ACTIVE`);
  };

  const stop = async (): Promise<void> => {
    admin.destroy();
    await server.close();
  };

  try {
    for (const table of options.tables ?? []) await createTable(table);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, createTable, stop };
}

async function startInProcess(port: number): Promise<RunningServer> {
  // Tables become ACTIVE at once instead of after dynalite's default 500 ms.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error?: Error) => (error ? reject(error) : resolve()));
        // Requests still in flight would otherwise hold close() for dynalite's 30 s grace period.
        server.closeAllConnections();
      }),
  };
}

async function startChildProcess(port: number): Promise<RunningServer> {
  const script = fileURLToPath(new URL("./dynalite-process.cjs", import.meta.url));
  const child = spawn(process.execPath, [script, String(port)], { stdio: ["pipe", "pipe", "inherit"] });
  const [line] = (await Promise.race([
    once(child.stdout, "data"),
    once(child, "exit").then(([code]) => {
      throw new Error(`dynalite exited with code ${code} before listening`);
    }),
  ])) as [Buffer];
  return {
    port: (JSON.parse(line.toString("utf8")) as { port: number }).port,
    close: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.stdin.end();
      await exited;
    },
  };
}

/** A table name no other suite or run uses, e.g. `executions-3f9c1a2b`. */
export const freshTableName = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

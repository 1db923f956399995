import { type ErrorCode, HoldlineError } from "@holdline/domain/errors";
import type {
  Execution,
  ExecutionFailure,
  ExecutionKey,
  ExecutionStatus,
  ModelUsage,
} from "@holdline/domain/execution/execution";

/** An execution as the document client writes it: plain attribute names, numbers, strings, maps. */
export type ExecutionItem = Record<string, unknown>;

type AttributeRole = "key" | "required" | "optional";

/**
 * Every field of `Execution` and how it is stored. Adding a field to `Execution` fails to compile here
 * until it is classified, so a transition can never forget to write or remove it.
 */
const ATTRIBUTE_ROLES = {
  contactId: "key",
  turn: "key",
  status: "required",
  version: "required",
  attempt: "required",
  leaseUntil: "optional",
  deadlineAt: "required",
  createdAt: "required",
  updatedAt: "required",
  dispatchedAt: "required",
  startedAt: "optional",
  finishedAt: "optional",
  input: "required",
  parts: "optional",
  answer: "optional",
  error: "optional",
  usage: "optional",
  expiresAt: "required",
  lastWriter: "optional",
} as const satisfies Record<keyof Execution, AttributeRole>;

export type ExecutionAttribute = keyof typeof ATTRIBUTE_ROLES;

const attributesWithRole = (role: AttributeRole): readonly ExecutionAttribute[] =>
  (Object.keys(ATTRIBUTE_ROLES) as ExecutionAttribute[]).filter((name) => ATTRIBUTE_ROLES[name] === role);

/** Attributes a transition may leave out; when `next` lacks one, the stored item must lose it too. */
export const OPTIONAL_ATTRIBUTES = attributesWithRole("optional");

export const keyItem = (key: ExecutionKey): ExecutionItem => ({ contactId: key.contactId, turn: key.turn });

/** Execution → item. Only known fields are written, and absent optional fields are not written at all. */
export function toItem(execution: Execution): ExecutionItem {
  const { input, error, usage } = execution;
  return withoutUndefined({
    contactId: execution.contactId,
    turn: execution.turn,
    status: execution.status,
    version: execution.version,
    attempt: execution.attempt,
    leaseUntil: execution.leaseUntil,
    deadlineAt: execution.deadlineAt,
    createdAt: execution.createdAt,
    updatedAt: execution.updatedAt,
    dispatchedAt: execution.dispatchedAt,
    startedAt: execution.startedAt,
    finishedAt: execution.finishedAt,
    input: { question: input.question, locale: input.locale },
    // A list of strings (L of S), in order; an empty list is a valid DynamoDB list.
    parts: execution.parts === undefined ? undefined : [...execution.parts],
    answer: execution.answer,
    error:
      error === undefined
        ? undefined
        : { code: error.code, message: error.message, retryable: error.retryable },
    usage:
      usage === undefined
        ? undefined
        : withoutUndefined({
            inputTokens: usage.inputTokens,
            outputTokens: usage.outputTokens,
            latencyMs: usage.latencyMs,
            modelId: usage.modelId,
          }),
    expiresAt: execution.expiresAt,
    lastWriter: execution.lastWriter,
  });
}

/** Item → execution; an item that is not an execution is an `internal_error`, not a guess. */
export function fromItem(item: ExecutionItem): Execution {
  const read = new ItemReader(item);
  const input = read.map("input");
  const error = read.optionalMap("error");
  const usage = read.optionalMap("usage");
  return withoutUndefined({
    contactId: read.string("contactId"),
    turn: read.number("turn"),
    status: read.string("status") as ExecutionStatus,
    version: read.number("version"),
    attempt: read.number("attempt"),
    leaseUntil: read.optionalNumber("leaseUntil"),
    deadlineAt: read.number("deadlineAt"),
    createdAt: read.number("createdAt"),
    updatedAt: read.number("updatedAt"),
    dispatchedAt: read.number("dispatchedAt"),
    startedAt: read.optionalNumber("startedAt"),
    finishedAt: read.optionalNumber("finishedAt"),
    input: { question: input.string("question"), locale: input.string("locale") },
    parts: read.optionalStringList("parts"),
    answer: read.optionalString("answer"),
    error:
      error === undefined
        ? undefined
        : ({
            code: error.string("code") as ErrorCode,
            message: error.string("message"),
            retryable: error.boolean("retryable"),
          } satisfies ExecutionFailure),
    usage:
      usage === undefined
        ? undefined
        : (withoutUndefined({
            inputTokens: usage.number("inputTokens"),
            outputTokens: usage.number("outputTokens"),
            latencyMs: usage.number("latencyMs"),
            modelId: usage.optionalString("modelId"),
          }) as ModelUsage),
    expiresAt: read.number("expiresAt"),
    lastWriter: read.optionalString("lastWriter"),
  }) as Execution;
}

/**
 * Item → execution, or undefined when there is no item or it is past its `expiresAt` at `now` (epoch ms):
 * DynamoDB's TTL deletes expired items only eventually, so every read treats them as absent.
 */
export function liveExecution(item: ExecutionItem | undefined, now: number): Execution | undefined {
  if (item === undefined) return undefined;
  const execution = fromItem(item);
  return execution.expiresAt * 1000 <= now ? undefined : execution;
}

/** Reads typed attributes of a stored map; a missing or mistyped one is an `internal_error`, not a guess. */
export class ItemReader {
  constructor(
    private readonly item: Record<string, unknown>,
    private readonly path = "",
  ) {}

  string(name: string): string {
    return this.typed(name, "string") as string;
  }

  number(name: string): number {
    return this.typed(name, "number") as number;
  }

  boolean(name: string): boolean {
    return this.typed(name, "boolean") as boolean;
  }

  map(name: string): ItemReader {
    return new ItemReader(this.typed(name, "object") as Record<string, unknown>, `${this.path}${name}.`);
  }

  optionalString(name: string): string | undefined {
    return this.item[name] === undefined ? undefined : this.string(name);
  }

  optionalNumber(name: string): number | undefined {
    return this.item[name] === undefined ? undefined : this.number(name);
  }

  optionalStringList(name: string): string[] | undefined {
    const value = this.item[name];
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((element) => typeof element === "string")) {
      throw new HoldlineError(
        "internal_error",
        `stored execution has no string list attribute ${this.path}${name}`,
      );
    }
    return [...value];
  }

  optionalMap(name: string): ItemReader | undefined {
    return this.item[name] === undefined ? undefined : this.map(name);
  }

  private typed(name: string, type: "string" | "number" | "boolean" | "object"): unknown {
    const value = this.item[name];
    if (typeof value !== type || value === null) {
      throw new HoldlineError(
        "internal_error",
        `stored execution has no ${type} attribute ${this.path}${name}`,
      );
    }
    return value;
  }
}

export function withoutUndefined<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

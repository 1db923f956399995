/**
 * Lambda event filtering (FilterCriteria), hand-written: no maintained npm library implements EventBridge /
 * Lambda filter patterns, so this is the subset a stream consumer needs, with EventBridge's semantics:
 *
 * - every key of a pattern must match (AND); a nested object descends into the record
 *   (`{"dynamodb":{"NewImage":{"status":{"S":["completed"]}}}}`);
 * - a leaf is a list of conditions, any of which may match (OR); on an array in the record, any element may;
 * - conditions: a literal (string, number, boolean, null; numbers compare numerically), `{"prefix": s}`,
 *   `{"suffix": s}`, `{"equals-ignore-case": s}`, `{"numeric": [">", 0, "<=", 5]}` (JSON numbers only: a
 *   DynamoDB `N` is a string in the record, so it never matches `numeric`), `{"exists": true | false}` (leaves
 *   only), `{"anything-but": literal | [literals] | {"prefix": s} | {"suffix": s}}`;
 * - FilterCriteria's filters (at most 5) are alternatives: a record passes when any pattern matches.
 *
 * Anything else (`wildcard`, `cidr`, `$or`, …) is refused when the mapping is created, not silently ignored.
 */

export interface FilterCriteria {
  readonly Filters?: readonly { readonly Pattern?: string }[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Condition = (value: Json | undefined) => boolean;

const MAX_FILTERS = 5;
const NUMERIC_OPERATORS: Record<string, (a: number, b: number) => boolean> = {
  "=": (a, b) => a === b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};

const isObject = (value: unknown): value is Record<string, Json> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** A predicate for the criteria; `undefined` or no filters lets everything through. */
export function compileFilterCriteria(criteria: FilterCriteria | undefined): (record: unknown) => boolean {
  const filters = criteria?.Filters ?? [];
  if (filters.length > MAX_FILTERS) {
    throw new Error(
      `FilterCriteria: at most ${MAX_FILTERS} filters per event source mapping, got ${filters.length}`,
    );
  }
  if (filters.length === 0) return () => true;
  const patterns = filters.map(({ Pattern }) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Pattern ?? "");
    } catch {
      throw new Error(`FilterCriteria: the pattern is not JSON: ${Pattern}`);
    }
    if (!isObject(parsed)) throw new Error(`FilterCriteria: a pattern is a JSON object: ${Pattern}`);
    return compileObject(parsed, "");
  });
  return (record) => patterns.some((matches) => matches(record as Json));
}

function compileObject(pattern: Record<string, Json>, path: string): (value: Json | undefined) => boolean {
  const fields = Object.entries(pattern).map(([name, child]) => {
    const where = path === "" ? name : `${path}.${name}`;
    if (Array.isArray(child)) {
      const conditions = child.map((condition) => compileCondition(condition, where));
      return (value: Json | undefined) => {
        const field = isObject(value) ? value[name] : undefined;
        if (Array.isArray(field)) {
          return field.length === 0
            ? conditions.some((condition) => condition(undefined))
            : field.some((element) => conditions.some((condition) => condition(element)));
        }
        return conditions.some((condition) => condition(field));
      };
    }
    if (isObject(child)) {
      const nested = compileObject(child, where);
      return (value: Json | undefined) => {
        const field = isObject(value) ? value[name] : undefined;
        return Array.isArray(field) ? field.some((element) => nested(element)) : nested(field);
      };
    }
    throw new Error(
      `FilterCriteria: ${where} must be a list of conditions or an object, got ${JSON.stringify(child)}`,
    );
  });
  return (value) => fields.every((matches) => matches(value));
}

const isLeaf = (value: Json | undefined): value is null | boolean | number | string =>
  value === null || ["boolean", "number", "string"].includes(typeof value);

function literalEquals(expected: Json, value: Json | undefined): boolean {
  if (!isLeaf(value)) return false;
  return expected === value;
}

function compileCondition(condition: Json, where: string): Condition {
  if (isLeaf(condition)) return (value) => literalEquals(condition, value);
  if (!isObject(condition) || Object.keys(condition).length !== 1) {
    throw new Error(`FilterCriteria: unsupported condition at ${where}: ${JSON.stringify(condition)}`);
  }
  const [operator, operand] = Object.entries(condition)[0] as [string, Json];
  switch (operator) {
    case "prefix":
      if (typeof operand !== "string") break;
      return (value) => typeof value === "string" && value.startsWith(operand);
    case "suffix":
      if (typeof operand !== "string") break;
      return (value) => typeof value === "string" && value.endsWith(operand);
    case "equals-ignore-case":
      if (typeof operand !== "string") break;
      return (value) => typeof value === "string" && value.toLowerCase() === operand.toLowerCase();
    case "exists":
      if (typeof operand !== "boolean") break;
      return (value) => (operand ? value !== undefined && isLeaf(value) : value === undefined);
    case "numeric":
      return compileNumeric(operand, where);
    case "anything-but":
      return compileAnythingBut(operand, where);
  }
  throw new Error(`FilterCriteria: unsupported condition at ${where}: ${JSON.stringify(condition)}`);
}

function compileNumeric(operand: Json, where: string): Condition {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0 || operand.length > 4) {
    throw new Error(`FilterCriteria: numeric at ${where} takes one or two [operator, number] pairs`);
  }
  const checks: ((value: number) => boolean)[] = [];
  for (let index = 0; index < operand.length; index += 2) {
    const operator = operand[index];
    const bound = operand[index + 1];
    const compare = typeof operator === "string" ? NUMERIC_OPERATORS[operator] : undefined;
    if (compare === undefined || typeof bound !== "number") {
      throw new Error(`FilterCriteria: numeric at ${where}: bad pair ${JSON.stringify([operator, bound])}`);
    }
    checks.push((value) => compare(value, bound));
  }
  return (value) => typeof value === "number" && checks.every((check) => check(value));
}

function compileAnythingBut(operand: Json, where: string): Condition {
  if (isLeaf(operand)) return (value) => isLeaf(value) && value !== operand;
  if (Array.isArray(operand) && operand.every(isLeaf)) {
    return (value) => isLeaf(value) && !operand.includes(value);
  }
  if (isObject(operand)) {
    const { prefix, suffix } = operand;
    if (typeof prefix === "string" && Object.keys(operand).length === 1) {
      return (value) => typeof value === "string" && !value.startsWith(prefix);
    }
    if (typeof suffix === "string" && Object.keys(operand).length === 1) {
      return (value) => typeof value === "string" && !value.endsWith(suffix);
    }
  }
  throw new Error(`FilterCriteria: unsupported anything-but at ${where}: ${JSON.stringify(operand)}`);
}

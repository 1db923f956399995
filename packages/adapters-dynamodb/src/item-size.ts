/**
 * The size DynamoDB charges and limits an item by, from the documented rules: attribute names and strings
 * count their UTF-8 bytes; a number about one byte per two significant digits plus one; a boolean or null
 * one byte; a map or list three bytes plus one per element plus its elements.
 *
 * The adapter checks this before writing because dynalite counts string length in UTF-16 code units, so
 * it accepts a Japanese answer DynamoDB would refuse; computing it here makes both behave like DynamoDB.
 */
export function itemSizeBytes(item: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    size += Buffer.byteLength(name, "utf8") + valueSize(value);
  }
  return size;
}

function valueSize(value: unknown): number {
  if (typeof value === "string") return Buffer.byteLength(value, "utf8");
  if (typeof value === "number" || typeof value === "bigint") return numberSize(String(value));
  if (typeof value === "boolean" || value === null) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value))
    return 3 + value.reduce<number>((sum, element) => sum + 1 + valueSize(element), 0);
  if (typeof value === "object") {
    let size = 3;
    for (const [name, element] of Object.entries(value)) {
      if (element === undefined) continue;
      size += 1 + Buffer.byteLength(name, "utf8") + valueSize(element);
    }
    return size;
  }
  throw new TypeError(`cannot size a ${typeof value} attribute value`);
}

function numberSize(text: string): number {
  const [mantissa = ""] = text.replace("-", "").toLowerCase().split("e");
  const digits = mantissa.replace(".", "").replace(/^0+/, "").replace(/0+$/, "");
  return 1 + Math.ceil(Math.max(1, digits.length) / 2);
}

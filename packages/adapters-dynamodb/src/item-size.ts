/**
 * The size DynamoDB charges and limits an item by, from the documented rules: attribute names and strings
 * count their UTF-8 bytes; a number one byte per two significant digits plus one (see `numberSize`); a
 * boolean or null one byte; a map or list three bytes plus one per element plus its elements.
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

/**
 * DynamoDB stores a number as an exponent byte plus base-100 digit pairs aligned on the decimal point; the
 * guide's "one byte per two significant digits, plus one" is short by a byte when an even number of digits
 * straddles the pairs (dynalite, checked against the service, counts it the same way).
 */
function numberSize(text: string): number {
  const [mantissa = "0", exponent = "0"] = text.replace("-", "").toLowerCase().split("e");
  const [whole = "", fraction = ""] = mantissa.split(".");
  const raw = whole + fraction;
  const leadingZeros = raw.length - raw.replace(/^0+/, "").length;
  const digits = raw.replace(/^0+/, "").replace(/0+$/, "").length;
  if (digits === 0) return 1;
  const power = whole.length - 1 - leadingZeros + Number(exponent);
  return 1 + Math.ceil(digits / 2) + (digits % 2 === 0 && power % 2 === 0 ? 1 : 0);
}

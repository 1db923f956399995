/** Formatting shared by the report's tables. */

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(0)} s`;

/** A duration for a table: milliseconds under a second, seconds with two decimals above; "—" for none. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return "—";
  return Math.abs(ms) < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** `a ÷ b` as `0.34×`; "—" when either side is missing or the divisor is zero. */
export function ratio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return "—";
  const value = a / b;
  return `${value >= 10 ? value.toFixed(0) : value >= 1 ? value.toFixed(1) : value.toFixed(2)}×`;
}

/** Which call of a cell the nearest-rank p99 is. */
export function p99Rank(calls: number): string {
  const fromWorst = calls - Math.max(1, Math.ceil(0.99 * calls)) + 1;
  const ordinal = fromWorst === 2 ? "second" : fromWorst === 3 ? "third" : `${fromWorst}th`;
  return fromWorst === 1 ? "is the worst call" : `is the ${ordinal}-worst call`;
}

export const percent = (share: number) => `${(share * 100).toFixed(0)} %`;
/** A price: four decimals under a cent, three above; "—" for none. */
export const dollars = (amount: number) =>
  Number.isFinite(amount) ? `$${amount < 0.01 ? amount.toFixed(4) : amount.toFixed(3)}` : "—";

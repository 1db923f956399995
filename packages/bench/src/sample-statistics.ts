/**
 * Nearest-rank percentile: the smallest sample with at least `p` % of the samples at or below it. With 30
 * samples p99 is the largest, which is what a reader of "p99 of 30 calls" should expect.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (p < 0 || p > 100) throw new RangeError(`percentile ${p} is outside 0–100`);
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

export const mean = (samples: readonly number[]): number =>
  samples.length === 0 ? Number.NaN : samples.reduce((sum, value) => sum + value, 0) / samples.length;

export const maximum = (samples: readonly number[]): number =>
  samples.length === 0 ? Number.NaN : Math.max(...samples);

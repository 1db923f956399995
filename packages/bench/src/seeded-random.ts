/**
 * Reproducible randomness for the benchmark: the same seed gives the same draws on every machine, so two
 * runs of `pnpm bench` simulate the same calls and differ only where the machine does (the real-time parts).
 */
import { seededRandom } from "@holdline/connect-emulator/seeded-random";

export type Random = () => number;

/** mulberry32 seeded by a label: the emulator's generator, so the bench and DistributeByPercentage draw alike. */
export { seededRandom };

/** `base` moved by up to ±`fraction` of itself, uniformly. */
export const jittered = (random: Random, base: number, fraction: number): number =>
  base * (1 + fraction * (2 * random() - 1));

/** The standard normal quantile of 0.99. */
const Z_99 = 2.326_347_874;

/** A latency given by its median and 99th percentile, drawn from the log-normal with those quantiles. */
export interface LatencyQuantiles {
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export function logNormal(random: Random, { p50Ms, p99Ms }: LatencyQuantiles): number {
  if (p50Ms <= 0 || p99Ms < p50Ms) throw new RangeError(`invalid latency quantiles ${p50Ms}/${p99Ms}`);
  const sigma = Math.log(p99Ms / p50Ms) / Z_99;
  // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
  const u1 = 1 - random();
  const u2 = random();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return p50Ms * Math.exp(sigma * z);
}

/**
 * A small seeded generator (mulberry32): numbers in [0, 1), the same sequence for the same seed on every
 * machine. Not for anything secret; it makes DistributeByPercentage's roll (and the bench's draws) repeatable.
 * A string seed (a label) is hashed to the 32-bit starting state with FNV-1a over its UTF-16 code units.
 */
export function seededRandom(seed: number | string): () => number {
  let state = typeof seed === "string" ? hashSeed(seed) : Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function hashSeed(seed: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < seed.length; index += 1) {
    hash ^= seed.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

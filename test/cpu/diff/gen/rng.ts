// Deterministic pseudo-random numbers for case generation. Every spec gets its own stream,
// derived from the run's seed and the spec's name, so one spec can be re-run alone (-t) and
// still get the same cases.

/** The run's seed: DIFF_SEED (decimal or 0x hex), or a fixed default so CI is reproducible. */
export function runSeed(): number {
  const env = process.env.DIFF_SEED;
  if (env === undefined || env === "") return 0x1a86;
  if (env === "random") return (Math.random() * 0x100000000) >>> 0;
  const v = Number(env);
  if (!Number.isFinite(v)) throw new Error(`DIFF_SEED must be a number or "random", got ${env}`);
  return v >>> 0;
}

/** DIFF_SCALE multiplies every spec's case count (default 1). */
export function caseScale(): number {
  const v = Number(process.env.DIFF_SCALE ?? "1");
  return Number.isFinite(v) && v > 0 ? v : 1;
}

function hashString(s: string, h: number): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}

export class Rng {
  private s: number;
  constructor(seed: number, label = "") {
    this.s = hashString(label, (seed ^ 0x811c9dc5) >>> 0) || 1;
  }
  /** mulberry32 */
  u32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  below(n: number): number {
    return Math.floor((this.u32() / 0x100000000) * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.u32() / 0x100000000 < p;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.below(a.length)];
  }
  /** A value of `bits` bits, biased towards the boundaries where flags change. */
  value(bits: number): number {
    const mask = bits === 32 ? 0xffffffff : (1 << bits) - 1;
    const top = bits === 32 ? 0x80000000 : 1 << (bits - 1);
    switch (this.below(10)) {
      case 0:
        return this.pick([0, 1, 2, mask, mask - 1, top, top - 1, top + 1, 0x0f & mask, 0x10 & mask, 0x7f & mask, 0x80 & mask, 0xff & mask]) >>> 0;
      case 1:
        return this.below(16) >>> 0;
      case 2:
        return (mask - this.below(16)) >>> 0;
      case 3:
        return ((top + this.range(-8, 8)) & mask) >>> 0;
      default:
        return (this.u32() & mask) >>> 0;
    }
  }
  /** A full 32-bit register value whose low `bits` are value(bits) and the rest random. */
  regValue(bits: number): number {
    if (bits === 32) return this.value(32);
    const mask = (1 << bits) - 1;
    return ((this.u32() & ~mask) | this.value(bits)) >>> 0;
  }
  /** Random arithmetic flags and DF, with bit 1 set. */
  flags(): number {
    return ((this.u32() & 0xcd5) | 2) >>> 0;
  }
}

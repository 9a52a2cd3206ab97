// Operand generators for the reference comparisons: seeded random values weighted towards the
// edges where hardware behaviour is subtle (signed zeros, denormals, the smallest normals, the
// largest finite values, infinities, quiet and signalling NaNs, halfway and cancellation cases,
// integer saturation limits).
import type { Case } from "./native";

export class Rng {
  private s: number;
  constructor(seed: number) { this.s = seed >>> 0 || 1; }
  u32(): number { // xorshift32
    let x = this.s;
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    this.s = x;
    return x;
  }
  below(n: number): number { return this.u32() % n; }
  pick<T>(a: readonly T[]): T { return a[this.below(a.length)]; }
}

const F32_EDGE = [
  0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x00800000, 0x80800000,
  0x00800001, 0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fa00000,
  0xffa00001, 0x7f800001, 0x3f800000, 0xbf800000, 0x3f800001, 0x33800000, 0x34000000, 0x4b000000,
  0x4f000000, 0xcf000000, 0x4effffff, 0x3fffffff, 0x00400000, 0x7effffff, 0x1f800000, 0x5f800000,
];
const F64_EDGE_HI = [
  // high dwords; low dwords are chosen separately
  0x00000000, 0x80000000, 0x00000001, 0x000fffff, 0x00100000, 0x80100000, 0x7fefffff, 0xffefffff,
  0x7ff00000, 0xfff00000, 0x7ff80000, 0xfff80000, 0x7ff40000, 0x7ff00001, 0x3ff00000, 0xbff00000,
  0x3ca00000, 0x41e00000, 0xc1e00000, 0x41dfffff, 0x36a00000, 0x36900000, 0x47efffff, 0x38100000,
  0x380fffff, 0x3690000f, 0x20000000, 0x5fe00000,
];

/** A single-precision bit pattern. */
export function f32(r: Rng): number {
  const k = r.below(10);
  if (k < 3) return r.pick(F32_EDGE);
  if (k < 4) return (r.pick(F32_EDGE) + (r.below(5) - 2)) >>> 0; // neighbours of edges
  if (k < 5) return (r.u32() & 0x807fffff) >>> 0; // denormals
  if (k < 7) { // moderate exponents around 1.0
    const e = 127 + r.below(40) - 20;
    return ((r.u32() & 0x807fffff) | (e << 23)) >>> 0;
  }
  if (k < 8) { // near the top or bottom of the exponent range
    const e = r.below(2) ? 254 - r.below(4) : 1 + r.below(26);
    return ((r.u32() & 0x807fffff) | (e << 23)) >>> 0;
  }
  return r.u32();
}
/** A double-precision bit pattern as [lo, hi]. */
export function f64(r: Rng): [number, number] {
  const k = r.below(10);
  const lo = r.below(3) === 0 ? r.pick([0, 1, 0xffffffff, 0x80000000, 0x20000000]) : r.u32();
  if (k < 4) return [lo, r.pick(F64_EDGE_HI)];
  if (k < 5) return [lo, (r.u32() & 0x800fffff) >>> 0];
  if (k < 7) {
    const e = 1023 + r.below(80) - 40;
    return [lo, ((r.u32() & 0x800fffff) | (e << 20)) >>> 0];
  }
  if (k < 8) {
    const e = r.below(2) ? 2046 - r.below(4) : 1 + r.below(60);
    return [lo, ((r.u32() & 0x800fffff) | (e << 20)) >>> 0];
  }
  if (k < 9) { // values that convert to single precision near its edges
    const e = 1023 + r.pick([-126, -127, -130, -149, -150, 127, 128, 0, 31, 30]);
    return [lo, ((r.u32() & 0x800fffff) | (e << 20)) >>> 0];
  }
  return [lo, r.u32()];
}
const INT_EDGE = [0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0x7fff, 0x8000, 0xffff, 0x7f, 0x80, 0xff, 0x10000, 0x01000000];
export function i32(r: Rng): number {
  const k = r.below(4);
  if (k === 0) return r.pick(INT_EDGE);
  if (k === 1) return (r.u32() >> r.below(32)) >>> 0;
  return r.u32();
}

export type LaneKind = "f32" | "f64" | "i32" | "bytes";

export function vector(r: Rng, kind: LaneKind): Uint8Array {
  const v = new Uint8Array(16);
  const dv = new DataView(v.buffer);
  if (kind === "f64") {
    for (let i = 0; i < 2; i++) { const [lo, hi] = f64(r); dv.setUint32(i * 8, lo, true); dv.setUint32(i * 8 + 4, hi, true); }
  } else if (kind === "bytes") {
    const k = r.below(3);
    for (let i = 0; i < 16; i++) v[i] = k === 0 ? r.pick([0, 0x7f, 0x80, 0xff, 1, 0xfe, 0x81]) : r.below(256);
    if (r.below(4) === 0) dv.setUint32(0, r.below(70), true), dv.setUint32(4, r.below(8) === 0 ? 1 : 0, true); // shift counts
  } else {
    for (let i = 0; i < 4; i++) dv.setUint32(i * 4, kind === "f32" ? f32(r) : i32(r), true);
  }
  return v;
}

// MXCSR settings: masked with each rounding mode, FTZ and DAZ; sticky flags already set; each
// exception unmasked alone; everything unmasked.
export const MXCSR_VALUES = [
  0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x9f80, 0x1fc0, 0xdfc0, 0xbfc0, 0x1fbf,
  0x1f00, 0x1e80, 0x1d80, 0x1b80, 0x1780, 0x0f80, 0x0000, 0x6000,
];

/** `n` random cases for op index `op` with the operand kind of that op. */
export function makeCases(r: Rng, op: number, kind: LaneKind, n: number, mxcsrs = MXCSR_VALUES): Case[] {
  const out: Case[] = [];
  for (let i = 0; i < n; i++) {
    const a = vector(r, kind), b = vector(r, kind);
    // Same exponent or equal values now and then: cancellation and ties.
    if (kind !== "bytes" && r.below(8) === 0) b.set(a.subarray(0, 16)), b[r.below(3)] ^= 1 << r.below(8);
    out.push({ op, mxcsr: r.pick(mxcsrs), a, b, eax: kind === "f32" || kind === "f64" ? i32(r) : i32(r) });
  }
  return out;
}

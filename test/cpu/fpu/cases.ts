// Operand generators for the x87 reference tests: random and edge-case extended, double, single,
// integer and BCD operands (denormals, pseudo-denormals, unnormals, NaNs, infinities, halfway
// rounding patterns for every precision), and the comparison of lab86 with the host.
import { expect, beforeAll } from "vitest";
import type { Cpu } from "../../../src/machine/cpu";
import type { Case, Kernel } from "./native";
import { O_SW, O_ENV, O_FLAGS, O_FAULT, O_MEM, O_SAVE, buildHost, runHost, loadKernels, runLab86 } from "./native";
import { flatCpu } from "./support";

/** Deterministic PRNG (xorshift128+ on BigInt halves kept as two u32 pairs). */
export class Rng {
  private s0: number; private s1: number; private s2: number; private s3: number;
  constructor(seed: number) { this.s0 = seed | 1; this.s1 = 0x9e3779b9; this.s2 = 0x7f4a7c15; this.s3 = seed ^ 0x5bd1e995; for (let i = 0; i < 16; i++) this.u32(); }
  u32(): number {
    // xoshiro128**
    const r = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0; this.s3 ^= this.s1; this.s1 ^= this.s2; this.s0 ^= this.s3;
    this.s2 ^= t; this.s3 = rotl(this.s3, 11);
    return r;
  }
  int(n: number): number { return this.u32() % n; }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
  u64(): bigint { return (BigInt(this.u32()) << 32n) | BigInt(this.u32()); }
  bool(): boolean { return (this.u32() & 1) === 1; }
}
function rotl(x: number, k: number): number { return (x << k) | (x >>> (32 - k)); }

export const M64 = (1n << 64n) - 1n;
export const INT = 1n << 63n;

export function f80(se: number, sig: bigint): Uint8Array {
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  dv.setBigUint64(0, sig & M64, true);
  dv.setUint16(8, se, true);
  return b;
}
export function bytesOf(v: bigint, n: number): Uint8Array {
  const b = new Uint8Array(16);
  for (let i = 0; i < n; i++) b[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return b;
}

/** A significand with a rounding-sensitive tail for some precision. */
function roundingSig(r: Rng): bigint {
  const drop = r.pick([11, 40, 1, 2]); // bits below 53-bit and 24-bit precision, and 64-bit guards
  let sig = INT | (r.u64() & (M64 >> 1n));
  const half = 1n << BigInt(drop - 1);
  const mask = (1n << BigInt(drop)) - 1n;
  const tail = r.pick([0n, half, half - 1n, half + 1n, mask, 1n]);
  sig = (sig & ~mask) | tail;
  if (r.int(4) === 0) sig |= mask << BigInt(drop); // runs of ones above: carries
  return sig & M64;
}

export type Kind = "normal" | "any" | "finite";
/** An extended operand. */
export function genF80(r: Rng, kind: Kind = "any"): Uint8Array {
  const s = r.bool() ? 0x8000 : 0;
  const cat = kind === "normal" ? r.int(6) : kind === "finite" ? r.int(10) : r.int(16);
  switch (cat) {
    case 0: case 1: return f80(s | (0x3fff - 40 + r.int(80)), INT | (r.u64() >> 1n));
    case 2: return f80(s | (0x3fff - 40 + r.int(80)), roundingSig(r));
    case 3: return f80(s | (1 + r.int(0x7ffe)), INT | (r.u64() >> 1n));
    case 4: return f80(s | (1 + r.int(70)), r.bool() ? roundingSig(r) : INT | (r.u64() >> 1n)); // near denormal range
    case 5: return f80(s | (0x7ffe - r.int(70)), r.bool() ? roundingSig(r) : INT | (r.u64() >> 1n)); // near overflow
    case 6: return f80(s, (r.u64() >> BigInt(1 + r.int(63))) | 1n); // denormal
    case 7: return f80(s, 0n); // zero
    case 8: return f80(s | (0x3fff + r.int(64)), BigInt(r.int(1000)) << 54n | INT); // integers / halves
    case 9: return f80(s | (0x3ffe + r.int(3)), INT | (BigInt(r.int(8)) << 60n)); // 0.5 .. 4 simple
    case 10: return f80(s | 0x7fff, INT); // infinity
    case 11: return f80(s | 0x7fff, INT | (1n << 62n) | (r.bool() ? 0n : r.u64() >> 2n)); // QNaN
    case 12: return f80(s | 0x7fff, INT | ((r.u64() >> 2n) | 1n)); // SNaN
    case 13: return f80(s, INT | (r.u64() >> 1n)); // pseudo-denormal
    case 14: return f80(s | (1 + r.int(0x7ffe)), r.u64() >> 1n); // unnormal
    default: return r.bool() ? f80(s | 0x7fff, r.u64() >> 1n) : f80(0xffff, 0xc000000000000000n); // pseudo-NaN/inf, indefinite
  }
}
/** Double bits. */
export function genF64(r: Rng): Uint8Array {
  const s = r.bool() ? 1n << 63n : 0n;
  const frac = r.u64() & ((1n << 52n) - 1n);
  const cat = r.int(10);
  let e: bigint;
  switch (cat) {
    case 0: e = 0n; break; // denormal or zero
    case 1: return bytesOf(s, 8);
    case 2: e = 0x7ffn; break; // inf/NaN
    case 3: return bytesOf(s | (0x7ffn << 52n), 8);
    default: e = BigInt(1 + r.int(0x7fe));
  }
  return bytesOf(s | (e << 52n) | frac, 8);
}
export function genF32(r: Rng): Uint8Array {
  const s = r.bool() ? 1n << 31n : 0n;
  const frac = BigInt(r.u32() & 0x7fffff);
  const cat = r.int(10);
  let e: bigint;
  switch (cat) {
    case 0: e = 0n; break;
    case 1: return bytesOf(s, 4);
    case 2: e = 0xffn; break;
    case 3: return bytesOf(s | (0xffn << 23n), 4);
    default: e = BigInt(1 + r.int(0xfe));
  }
  return bytesOf(s | (e << 23n) | frac, 4);
}
export function genInt(r: Rng, bits: number): Uint8Array {
  const m = (1n << BigInt(bits)) - 1n;
  const v = r.pick([0n, 1n, m, 1n << BigInt(bits - 1), (1n << BigInt(bits - 1)) - 1n, r.u64() & m, (r.u64() >> BigInt(r.int(64))) & m, BigInt(r.int(100))]);
  return bytesOf(v & m, bits / 8);
}
export function genBcd(r: Rng): Uint8Array {
  const b = new Uint8Array(16);
  const n = r.int(19);
  for (let i = 0; i < 9; i++) {
    const lo = 2 * i < n ? r.int(10) : 0, hi = 2 * i + 1 < n ? r.int(10) : 0;
    b[i] = lo | (hi << 4);
  }
  b[9] = r.bool() ? 0x80 : 0;
  return b;
}

/** A control word: random RC and PC, and (unless `masked`) exception masks cleared at random in
 * a quarter of the cases, so that unmasked responses are compared with the hardware too. */
export function genCw(r: Rng, opts: { pc?: boolean; masked?: boolean } = {}): number {
  const pc = opts.pc === false ? 3 : r.pick([0, 2, 3, 3]);
  const rc = r.int(4);
  const masks = opts.masked || r.int(4) !== 0 ? 0x3f : r.u32() & 0x3f;
  return 0x40 | masks | (pc << 8) | (rc << 10);
}
export const ALL_RC_CWS = [0x037f, 0x077f, 0x0b7f, 0x0f7f];

const Z = new Uint8Array(16);
export function mkCase(k: number, cw: number, a: Uint8Array, b: Uint8Array = Z, c: Uint8Array = Z, eflags = 0x2): Case {
  return { k, cw, eflags, a, b, c };
}

export interface CompareOpts {
  /** Bytes of MEM that are compared (default: all 160). */
  memBytes?: number;
  /** Byte offsets of MEM not compared (addresses that differ between host and lab86). */
  memIgnore?: (offset: number, c: Case, hostMem: DataView) => boolean;
  /** Status word bits that are compared (default all). */
  swMask?: number;
  /** Allowed difference in units of the last place of the 64-bit significand of R0/R1. */
  ulps?: number;
  /** EFLAGS bits compared (default CF PF AF ZF SF OF). */
  flagsMask?: number;
}

function hex(b: Uint8Array, from: number, n: number): string {
  return Array.from(b.subarray(from, from + n)).reverse().map((x) => x.toString(16).padStart(2, "0")).join("");
}
function caseStr(c: Case): string {
  return `cw=${c.cw.toString(16)} a=${hex(c.a, 0, 10)} b=${hex(c.b, 0, 10)} c=${hex(c.c, 0, 10)}`;
}
function regClose(a: Uint8Array, b: Uint8Array, off: number, ulps: number): boolean {
  const da = new DataView(a.buffer, a.byteOffset), db = new DataView(b.buffer, b.byteOffset);
  const sa = da.getUint16(off + 8, true), sb = db.getUint16(off + 8, true);
  const ma = da.getBigUint64(off, true), mb = db.getBigUint64(off, true);
  if (sa === sb && ma === mb) return true;
  if (ulps === 0) return false;
  // Compare as sign + (exponent:significand) integers, so adjacent binades are neighbours.
  const key = (se: number, m: bigint) => (BigInt(se & 0x7fff) << 63n) + (m & ((1n << 63n) - 1n));
  if ((sa & 0x8000) !== (sb & 0x8000)) return false;
  const d = key(sa, ma) - key(sb, mb);
  return (d < 0n ? -d : d) <= BigInt(ulps);
}

/** Compare lab86 with the host for every case; fails with the first differences listed. */
export function expectSame(kernels: Kernel[], cases: Case[], lab: Uint8Array[], host: Uint8Array[], opts: CompareOpts = {}): void {
  const bad: string[] = [];
  const swMask = opts.swMask ?? 0xffff;
  const flagsMask = opts.flagsMask ?? 0x8d5;
  const memBytes = opts.memBytes ?? 160;
  const ulps = opts.ulps ?? 0;
  let mismatches = 0;
  cases.forEach((c, i) => {
    const l = lab[i], h = host[i];
    const dl = new DataView(l.buffer, l.byteOffset), dh = new DataView(h.buffer, h.byteOffset);
    const diffs: string[] = [];
    const fl = dl.getUint32(O_FAULT, true), fh = dh.getUint32(O_FAULT, true);
    if (fl !== fh) diffs.push(`fault ${fl ? fl - 0x100 : "none"} host ${fh ? fh - 0x100 : "none"}`);
    const sw = (d: DataView) => d.getUint16(O_SW, true) & swMask;
    if (sw(dl) !== sw(dh)) diffs.push(`sw ${sw(dl).toString(16)} host ${sw(dh).toString(16)}`);
    for (const [name, off] of [["cw", 0], ["envsw", 4], ["tw", 8]] as const) {
      const m = name === "envsw" ? swMask : 0xffff;
      const a = dl.getUint16(O_ENV + off, true) & m, b = dh.getUint16(O_ENV + off, true) & m;
      if (a !== b) diffs.push(`${name} ${a.toString(16)} host ${b.toString(16)}`);
    }
    // Registers from the final FNSAVE, in stack order; empty ones hold stale values and are skipped.
    const top = (dh.getUint16(O_ENV + 4, true) >> 11) & 7, tw = dh.getUint16(O_ENV + 8, true);
    for (let r = 0; r < 8; r++) {
      if (((tw >> (2 * ((top + r) & 7))) & 3) === 3) continue;
      const off = O_SAVE + 28 + 10 * r;
      if (!regClose(l, h, off, r < 2 ? ulps : 0)) diffs.push(`st${r} ${hex(l, off, 10)} host ${hex(h, off, 10)}`);
    }
    const fa = dl.getUint32(O_FLAGS, true) & flagsMask, fb = dh.getUint32(O_FLAGS, true) & flagsMask;
    if (fa !== fb) diffs.push(`eflags ${fa.toString(16)} host ${fb.toString(16)}`);
    for (let j = 0; j < memBytes; j++) {
      if (opts.memIgnore?.(j, c, new DataView(h.buffer, h.byteOffset + O_MEM))) continue;
      if (l[O_MEM + j] !== h[O_MEM + j]) {
        const from = j & ~15;
        diffs.push(`mem[${from}..] ${hex(l, O_MEM + from, 16)} host ${hex(h, O_MEM + from, 16)}`);
        break;
      }
    }
    if (diffs.length) {
      mismatches++;
      if (bad.length < 25) bad.push(`${kernels[c.k].name}: ${caseStr(c)}: ${diffs.join("; ")}`);
    }
  });
  expect(bad, `${mismatches} of ${cases.length} cases differ`).toEqual([]);
}

/**
 * For a describe block: before its tests, build the host reference for `kernels` and load them
 * into a flat CPU (`setup` adjusts the CPU first). The check returned runs cases on lab86 and on
 * the host and compares them with expectSame(…, `compare`).
 */
export function compareWithHost(kernels: Kernel[], opts: { compare?: CompareOpts; setup?: (cpu: Cpu) => void } = {}): (cases: Case[]) => void {
  let cpu: Cpu;
  let entries: number[];
  let exe: string;
  beforeAll(async () => {
    exe = buildHost(kernels);
    cpu = await flatCpu();
    opts.setup?.(cpu);
    entries = loadKernels(cpu, kernels);
  });
  return (cases) => expectSame(kernels, cases, runLab86(cpu, entries, cases), runHost(exe, cases), opts.compare);
}

/** Multiplies the random case counts (LAB86_FPU_SCALE=10 for a deeper local run). */
export const SCALE = Number(process.env.LAB86_FPU_SCALE ?? "1");

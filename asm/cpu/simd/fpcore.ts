// Floating-point core for SSE/SSE2: operand classes, the MXCSR-controlled rounding of an exact
// result to single or double precision, and the exception flags that rounding raises
// (SDM Vol. 1 4.8, 4.9, 10.2.3, 11.5).
//
// WebAssembly only rounds to nearest-even and reports no flags. Every arithmetic operation here
// therefore computes its result as a pair (hi, loSign): hi = the exact result rounded to 53 bits
// with an unbounded exponent range (operands are scaled by powers of two so that no
// intermediate overflows or underflows), and loSign = the sign of (exact - hi), found with
// error-free transformations (two-sum, Dekker's product splitting). roundPack() then rounds the
// exact value to the destination format under any rounding mode, with IEEE tininess detected
// after rounding (the x86 rule), FTZ, and the OE/UE/PE flags.
//
// Why the sign of the remainder is enough: hi is a 53-bit number and |exact - hi| <= ulp(hi)/2,
// so when the significand is cut at bit 53 or above (24-bit results, subnormals) the exact value
// is on the same side of every rounding boundary as hi + loSign * epsilon.
import { MX_OE, MX_UE, MX_PE, MX_FZ, MX_DAZ, MX_OM, MX_UM } from "./regs";

export const F32 = 0;
export const F64 = 1;

export const RC_NEAREST = 0; export const RC_DOWN = 1; export const RC_UP = 2; export const RC_ZERO = 3;

// Flags raised by the element being computed: pre-computation (IE, DE, ZE) and post-computation
// (OE, UE, PE) exceptions are kept apart because an unmasked pre-computation exception in any
// element suppresses the computation, and so every post-computation flag (SDM Vol. 1 11.5.2).
export let elPre: u32 = 0;
export let elPost: u32 = 0;
export function flagPre(f: u32): void { elPre |= f; }
export function flagPost(f: u32): void { elPost |= f; }
export function resetElFlags(): void { elPre = 0; elPost = 0; }
// MXCSR of the current instruction (read once per instruction by the caller through setMode).
export let mode: u32 = 0x1f80;
export function setMode(m: u32): void { mode = m; }
// @ts-ignore: decorator
@inline export function roundingControl(): u32 { return (mode >> 13) & 3; }
// @ts-ignore: decorator
@inline export function daz(): bool { return (mode & MX_DAZ) != 0; }

// ---- Format parameters ----
// @ts-ignore: decorator
@inline export function fmtBits(fmt: i32): i32 { return fmt == F32 ? 32 : 64; }
// @ts-ignore: decorator
@inline function precision(fmt: i32): i32 { return fmt == F32 ? 24 : 53; }
// @ts-ignore: decorator
@inline function emin(fmt: i32): i32 { return fmt == F32 ? -126 : -1022; }
// @ts-ignore: decorator
@inline function emax(fmt: i32): i32 { return fmt == F32 ? 127 : 1023; }
// @ts-ignore: decorator
@inline export function signBit(fmt: i32): u64 { return fmt == F32 ? 0x80000000 : 0x8000000000000000; }
// @ts-ignore: decorator
@inline export function expMask(fmt: i32): u64 { return fmt == F32 ? 0x7f800000 : 0x7ff0000000000000; }
// @ts-ignore: decorator
@inline export function fracMask(fmt: i32): u64 { return fmt == F32 ? 0x007fffff : 0x000fffffffffffff; }
// @ts-ignore: decorator
@inline export function quietBit(fmt: i32): u64 { return fmt == F32 ? 0x00400000 : 0x0008000000000000; }
// The default NaN (QNaN floating-point indefinite, SDM Vol. 1 Table 4-3): negative, quiet.
// @ts-ignore: decorator
@inline export function defaultNaN(fmt: i32): u64 { return fmt == F32 ? 0xffc00000 : 0xfff8000000000000; }
// @ts-ignore: decorator
@inline export function infinity(fmt: i32, neg: bool): u64 { return expMask(fmt) | (neg ? signBit(fmt) : 0); }
// @ts-ignore: decorator
@inline export function zero(fmt: i32, neg: bool): u64 { return neg ? signBit(fmt) : 0; }

// ---- Classes ----
export const C_ZERO = 0; export const C_FINITE = 1; export const C_INF = 2;
export const C_QNAN = 3; export const C_SNAN = 4;
export function isNaNBits(b: u64, fmt: i32): bool {
  return (b & expMask(fmt)) == expMask(fmt) && (b & fracMask(fmt)) != 0;
}
export function isSNaN(b: u64, fmt: i32): bool {
  return isNaNBits(b, fmt) && (b & quietBit(fmt)) == 0;
}
export function isDenormal(b: u64, fmt: i32): bool {
  return (b & expMask(fmt)) == 0 && (b & fracMask(fmt)) != 0;
}
// Class of an operand, seen through DAZ (a denormal source reads as a zero of the same sign).
export function classOf(b: u64, fmt: i32): i32 {
  const e = b & expMask(fmt), f = b & fracMask(fmt);
  if (e == expMask(fmt)) return f == 0 ? C_INF : (f & quietBit(fmt)) != 0 ? C_QNAN : C_SNAN;
  if (e == 0) return f == 0 || daz() ? C_ZERO : C_FINITE;
  return C_FINITE;
}
// @ts-ignore: decorator
@inline export function isNeg(b: u64, fmt: i32): bool { return (b & signBit(fmt)) != 0; }
// @ts-ignore: decorator
@inline export function quiet(b: u64, fmt: i32): u64 { return b | quietBit(fmt); }
// The source value after DAZ, for instructions that pass an operand through (MAXPS, MINPS).
export function dazValue(b: u64, fmt: i32): u64 {
  if (daz() && isDenormal(b, fmt)) return b & signBit(fmt);
  return b;
}
// Exact value of a finite operand as f64 (single precision widens exactly). DAZ already applied
// by the caller through classOf.
export function toF64(b: u64, fmt: i32): f64 {
  if (fmt == F32) return <f64>reinterpret<f32>(<u32>b);
  return reinterpret<f64>(b);
}

// ---- Exact scaling and decomposition ----
// x * 2^n, exact whenever the result is normal (the multiplications are by powers of two).
export function scalb(x: f64, n: i32): f64 {
  while (n > 1000) { x *= reinterpret<f64>(<u64>(1023 + 1000) << 52); n -= 1000; }
  while (n < -1000) { x *= reinterpret<f64>(<u64>(1023 - 1000) << 52); n += 1000; }
  return x * reinterpret<f64>(<u64>(1023 + n) << 52);
}
// Binary exponent of a finite nonzero |x| (floor(log2 |x|)), including f64 subnormals.
export function exponentOf(x: f64): i32 {
  const b = reinterpret<u64>(x);
  const e = <i32>((b >> 52) & 0x7ff);
  if (e != 0) return e - 1023;
  return -1011 - <i32>clz<u64>(b & 0xfffffffffffff); // subnormal: leading bit position - 1074
}

// Dekker's error-free product (no FMA in WebAssembly): prodErr = a*b - fl(a*b) exactly, for
// |a|, |b| in a range where nothing overflows or underflows (callers pass values near 1).
export let prodErr: f64 = 0;
export function twoProd(a: f64, b: f64): f64 {
  const p = a * b;
  const ca = 134217729.0 * a, cb = 134217729.0 * b; // 2^27 + 1 splits into 26 + 27 bits
  const ah = ca - (ca - a), al = a - ah;
  const bh = cb - (cb - b), bl = b - bh;
  prodErr = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  return p;
}

// ---- Rounding to the destination format ----
// Round sign * hi * 2^scale (with the true value on the loSign side of hi) to `fmt` under the
// current MXCSR. hi is a positive normal f64. Sets elPost; returns the result's bits.
export function roundPack(neg: bool, hi: f64, scale: i32, loSign: i32, fmt: i32): u64 {
  const hb = reinterpret<u64>(hi);
  let e = <i32>((hb >> 52) & 0x7ff) - 1023 + scale;
  // M is the significand with 9 extra low bits (leading one at bit 61); the true value lies
  // strictly between M and M+1 when `sticky`. A negative remainder is folded in as M-1; when hi
  // is a power of two that drops the value into the binade below, where it is renormalised.
  // (Only the sign of the remainder matters at any cut of 53 bits or fewer: see the header.)
  let m: u64 = ((hb & 0xfffffffffffff) | 0x10000000000000) << 9;
  if (loSign < 0) {
    m -= 1;
    if ((m >> 61) == 0) { m = (m << 1) | 1; e -= 1; }
  }
  const sticky = loSign != 0;
  const p = precision(fmt);
  const normShift = 9 + 53 - p;
  const rc = roundingControl();
  const sgn: u64 = neg ? signBit(fmt) : 0;
  // First round to p bits with an unbounded exponent: this decides tininess (after rounding,
  // the x86 rule) and overflow, and its inexactness is what an unmasked OE/UE reports as PE.
  let q1 = roundShift(m, normShift, sticky, neg, rc);
  const inexact1 = roundInexact;
  let e1 = e;
  if ((q1 >> <u64>p) != 0) { q1 >>= 1; e1++; }
  if (e1 < emin(fmt)) {
    if ((mode & MX_UM) == 0) { // underflow unmasked: the instruction will fault
      elPost |= inexact1 ? MX_UE | MX_PE : MX_UE;
      return sgn;
    }
    if ((mode & MX_FZ) != 0) { elPost |= MX_UE | MX_PE; return sgn; } // flush to zero
    // Denormalise: round again at the position the smallest exponent allows. UE is raised
    // only together with an inexact result (IEEE 754 7.5).
    const q = roundShift(m, normShift + emin(fmt) - e, sticky, neg, rc);
    if (roundInexact) elPost |= MX_UE | MX_PE;
    return sgn | q; // a subnormal, or the smallest normal if rounding carried into bit p-1
  }
  if (e1 > emax(fmt)) {
    if ((mode & MX_OM) == 0) { elPost |= inexact1 ? MX_OE | MX_PE : MX_OE; return sgn; }
    elPost |= MX_OE | MX_PE;
    // Masked overflow result by rounding mode (SDM Vol. 1 4.9.1.4, Table 4-8).
    const toInf = rc == RC_NEAREST || (rc == RC_UP && !neg) || (rc == RC_DOWN && neg);
    return toInf ? infinity(fmt, neg) : sgn | (expMask(fmt) - (fracMask(fmt) + 1)) | fracMask(fmt);
  }
  if (inexact1) elPost |= MX_PE;
  return sgn | (<u64>(e1 + emax(fmt)) << <u64>(p - 1)) | (q1 & fracMask(fmt));
}

let roundInexact: bool = false;
// m >> s rounded by rc; `sticky` says the true value is a little above m (m was already adjusted
// for a negative remainder). Sets roundInexact.
function roundShift(m: u64, s: i32, sticky: bool, neg: bool, rc: u32): u64 {
  if (s >= 64) {
    roundInexact = m != 0 || sticky;
    return roundInexact && ((rc == RC_UP && !neg) || (rc == RC_DOWN && neg)) ? 1 : 0;
  }
  const q = m >> <u64>s;
  const rem = m & ((<u64>1 << <u64>s) - 1);
  const half = <u64>1 << <u64>(s - 1);
  roundInexact = rem != 0 || sticky;
  let up = false;
  if (rc == RC_NEAREST) up = rem > half || (rem == half && (sticky || (q & 1) != 0));
  else if (rc == RC_UP) up = !neg && roundInexact;
  else if (rc == RC_DOWN) up = neg && roundInexact;
  return up ? q + 1 : q;
}

// Round an exact f64 value (no remainder) to fmt: conversions and exact pass-throughs.
export function roundValue(x: f64, fmt: i32): u64 {
  if (x == 0) return zero(fmt, (reinterpret<u64>(x) >> 63) != 0);
  const neg = x < 0;
  const a = neg ? -x : x;
  const e = exponentOf(a);
  return roundPack(neg, scalb(a, -e), e, 0, fmt);
}

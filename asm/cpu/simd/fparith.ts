// One element of the SSE/SSE2 arithmetic instructions: ADD SUB MUL DIV SQRT MAX MIN and the
// compares, on single (F32) or double (F64) precision bit patterns, with the NaN rules of SDM
// Vol. 1 Table 4-7 / 11-1 and the exception detection of 11.5.2 (pre-computation IE DE ZE;
// post-computation OE UE PE come from fpcore.roundPack).
import {
  F32, C_ZERO, C_FINITE, C_INF, C_QNAN, C_SNAN, classOf, isNeg, quiet, defaultNaN, infinity, zero,
  toF64, scalb, exponentOf, twoProd, prodErr, roundPack, isDenormal, daz, dazValue, signBit,
  roundingControl, RC_DOWN, elPre, elPost, flagPre, resetElFlags, roundValue,
} from "./fpcore";
import { MX_IE, MX_DE, MX_ZE } from "./regs";
import { fastArith, fastResult } from "./fpfast";

export const OP_ADD = 0; export const OP_SUB = 1; export const OP_MUL = 2; export const OP_DIV = 3;
export const OP_MIN = 4; export const OP_MAX = 5; export const OP_SQRT = 6;

// @ts-ignore: decorator
@inline function pre(f: u32): void { flagPre(f); }

// DE for denormal sources when DAZ is off (SDM Vol. 1 4.9.1.2, 10.2.3.4).
function denormalCheck(a: u64, b: u64, fmt: i32, twoOps: bool): void {
  if (daz()) return;
  if (isDenormal(a, fmt) || (twoOps && isDenormal(b, fmt))) pre(MX_DE);
}

// NaN operands of a computational instruction (Table 4-7): an SNaN signals IE; the first source
// (destination) NaN wins if both are NaNs, and the result is quietened.
function propagateNaN(a: u64, ca: i32, b: u64, cb: i32, fmt: i32): u64 {
  if (ca == C_SNAN || cb == C_SNAN) pre(MX_IE);
  return quiet(ca >= C_QNAN ? a : b, fmt);
}

// Sum of two finite nonzero exact values with their signs, rounded to fmt.
function addFinite(x: f64, y: f64, fmt: i32): u64 {
  const ex = exponentOf(x), ey = exponentOf(y);
  const top = ex > ey ? ex : ey;
  const low = ex > ey ? ey : ex;
  if (top - low > 60) {
    // The smaller operand only decides the direction of the remainder.
    const big = ex > ey ? x : y, small = ex > ey ? y : x;
    const neg = big < 0;
    const a = neg ? -big : big;
    const loSign = (small < 0) == neg ? 1 : -1;
    return roundPack(neg, scalb(a, -top), top, loSign, fmt);
  }
  const xs = scalb(x, -top), ys = scalb(y, -top); // exact: both end up in [2^-61, 2)
  const s = xs + ys;
  // Knuth's two-sum: err = (xs + ys) - s exactly.
  const bv = s - xs;
  const err = (xs - (s - bv)) + (ys - bv);
  if (s == 0) return zero(fmt, roundingControl() == RC_DOWN); // exact cancellation (IEEE 6.3)
  const neg = s < 0;
  const loSign = err == 0 ? 0 : (err > 0) != neg ? 1 : -1; // relative to |s|
  return roundPack(neg, neg ? -s : s, top, loSign, fmt);
}

function mulFinite(x: f64, y: f64, neg: bool, fmt: i32): u64 {
  const ex = exponentOf(x), ey = exponentOf(y);
  const p = twoProd(scalb(x, -ex), scalb(y, -ey)); // both in [1, 2)
  const err = prodErr;
  return roundPack(neg, p, ex + ey, err > 0 ? 1 : err < 0 ? -1 : 0, fmt);
}

function divFinite(x: f64, y: f64, neg: bool, fmt: i32): u64 {
  const ex = exponentOf(x), ey = exponentOf(y);
  const mx = scalb(x, -ex), my = scalb(y, -ey);
  const q = mx / my;
  // Remainder mx - q*my: mx - p is exact (Sterbenz), so its sign is the sign of exact - q.
  const p = twoProd(q, my);
  const r = (mx - p) - prodErr;
  return roundPack(neg, q, ex - ey, r > 0 ? 1 : r < 0 ? -1 : 0, fmt);
}

function sqrtFinite(x: f64, fmt: i32): u64 {
  let e = exponentOf(x);
  let m = scalb(x, -e);
  if ((e & 1) != 0) { m *= 2; e -= 1; } // m in [1, 4), e even
  const r = Math.sqrt(m);
  const p = twoProd(r, r);
  const d = (m - p) - prodErr;
  return roundPack(false, r, e >> 1, d > 0 ? 1 : d < 0 ? -1 : 0, fmt);
}

// One element of ADD/SUB/MUL/DIV/SQRT/MIN/MAX (SQRT uses only b, as the instruction's source).
export function fpArith(op: i32, a: u64, b: u64, fmt: i32): u64 {
  resetElFlags();
  if (op == OP_MIN || op == OP_MAX) return minMax(op == OP_MAX, a, b, fmt);
  if (op == OP_SQRT) return sqrtOp(b, fmt);
  if (fastArith(op, a, b, fmt)) return fastResult;
  const ca = classOf(a, fmt), cb = classOf(b, fmt);
  if (ca >= C_QNAN || cb >= C_QNAN) return propagateNaN(a, ca, b, cb, fmt);
  // A finite dividend over a zero divisor reports ZE alone, even for a denormal dividend
  // (checked on hardware); every other case with a denormal source reports DE.
  if (op != OP_DIV || cb != C_ZERO || ca != C_FINITE) denormalCheck(a, b, fmt, true);
  const na = isNeg(a, fmt);
  let nb = isNeg(b, fmt);
  if (op == OP_SUB) nb = !nb;
  if (op == OP_ADD || op == OP_SUB) {
    if (ca == C_INF || cb == C_INF) {
      if (ca == C_INF && cb == C_INF && na != nb) { pre(MX_IE); return defaultNaN(fmt); }
      return infinity(fmt, ca == C_INF ? na : nb);
    }
    if (ca == C_ZERO && cb == C_ZERO) return zero(fmt, na == nb ? na : roundingControl() == RC_DOWN);
    if (ca == C_ZERO) return roundValue(nb ? -absF64(b, fmt) : absF64(b, fmt), fmt);
    if (cb == C_ZERO) return roundValue(na ? -absF64(a, fmt) : absF64(a, fmt), fmt);
    const x = na ? -absF64(a, fmt) : absF64(a, fmt), y = nb ? -absF64(b, fmt) : absF64(b, fmt);
    return addFinite(x, y, fmt);
  }
  const neg = na != nb;
  if (op == OP_MUL) {
    if ((ca == C_INF && cb == C_ZERO) || (ca == C_ZERO && cb == C_INF)) { pre(MX_IE); return defaultNaN(fmt); }
    if (ca == C_INF || cb == C_INF) return infinity(fmt, neg);
    if (ca == C_ZERO || cb == C_ZERO) return zero(fmt, neg);
    return mulFinite(absF64(a, fmt), absF64(b, fmt), neg, fmt);
  }
  // OP_DIV
  if ((ca == C_INF && cb == C_INF) || (ca == C_ZERO && cb == C_ZERO)) { pre(MX_IE); return defaultNaN(fmt); }
  if (ca == C_INF) return infinity(fmt, neg);
  if (cb == C_INF) return zero(fmt, neg);
  if (cb == C_ZERO) { pre(MX_ZE); return infinity(fmt, neg); }
  if (ca == C_ZERO) return zero(fmt, neg);
  return divFinite(absF64(a, fmt), absF64(b, fmt), neg, fmt);
}

// @ts-ignore: decorator
@inline function absF64(b: u64, fmt: i32): f64 { return Math.abs(toF64(b, fmt)); }

function sqrtOp(b: u64, fmt: i32): u64 {
  const cb = classOf(b, fmt);
  if (cb >= C_QNAN) { if (cb == C_SNAN) pre(MX_IE); return quiet(b, fmt); }
  const neg = isNeg(b, fmt);
  if (cb == C_ZERO) return zero(fmt, neg);
  // IE takes precedence: a negative denormal reports IE alone (checked on hardware).
  if (neg) { pre(MX_IE); return defaultNaN(fmt); }
  denormalCheck(b, 0, fmt, false);
  if (cb == C_INF) return b;
  return sqrtFinite(absF64(b, fmt), fmt);
}

// MAXPS/MINPS and friends (SDM Vol. 2 MAXPS): if either operand is a NaN (QNaN or SNaN: IE) or
// both are zeros of any sign, the second operand is returned unchanged; otherwise the larger
// (smaller). Under DAZ a denormal operand is a zero in the comparison and in the returned value,
// even when the other operand is a NaN (checked on hardware).
function minMax(isMax: bool, a: u64, b: u64, fmt: i32): u64 {
  const ca = classOf(a, fmt), cb = classOf(b, fmt);
  if (ca >= C_QNAN || cb >= C_QNAN) { pre(MX_IE); return dazValue(b, fmt); }
  denormalCheck(a, b, fmt, true);
  const av = dazValue(a, fmt), bv = dazValue(b, fmt);
  const x = ca == C_ZERO ? 0.0 : toF64(av, fmt), y = cb == C_ZERO ? 0.0 : toF64(bv, fmt);
  if (isMax) return x > y ? av : bv;
  return x < y ? av : bv;
}

// CMPPS/CMPSS predicate imm8 0..7 (SDM Vol. 2 CMPPS Table 3-7): returns true when it holds.
// LT LE NLT NLE signal IE on QNaNs too; EQ UNORD NEQ ORD only on SNaNs.
export function fpCompare(pred: u32, a: u64, b: u64, fmt: i32): bool {
  resetElFlags();
  const ca = classOf(a, fmt), cb = classOf(b, fmt);
  const unordered = ca >= C_QNAN || cb >= C_QNAN;
  const p = pred & 7;
  if (unordered) {
    if (ca == C_SNAN || cb == C_SNAN || (p & 3) == 1 || (p & 3) == 2) pre(MX_IE);
  } else denormalCheck(a, b, fmt, true);
  if (unordered) return p >= 4 && p != 7 || p == 3;
  const x = ca == C_ZERO ? 0.0 : toF64(a, fmt), y = cb == C_ZERO ? 0.0 : toF64(b, fmt);
  switch (p) {
    case 0: return x == y;
    case 1: return x < y;
    case 2: return x <= y;
    case 3: return false;
    case 4: return x != y;
    case 5: return !(x < y);
    case 6: return !(x <= y);
    default: return true;
  }
}
// COMISS/UCOMISS: 0 less, 1 equal, 2 greater, 3 unordered. COMIS signals IE on any NaN,
// UCOMIS only on SNaN (SDM Vol. 2 COMISS).
export function fpOrder(a: u64, b: u64, fmt: i32, signalQuiet: bool): i32 {
  resetElFlags();
  const ca = classOf(a, fmt), cb = classOf(b, fmt);
  if (ca >= C_QNAN || cb >= C_QNAN) {
    if (signalQuiet || ca == C_SNAN || cb == C_SNAN) pre(MX_IE);
    return 3;
  }
  denormalCheck(a, b, fmt, true);
  const x = ca == C_ZERO ? 0.0 : toF64(a, fmt), y = cb == C_ZERO ? 0.0 : toF64(b, fmt);
  return x < y ? 0 : x == y ? 1 : 2;
}

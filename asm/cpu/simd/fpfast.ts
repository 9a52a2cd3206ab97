// Fast path for the common case of ADD/SUB/MUL/DIV: round to nearest, both operands normal
// numbers and a normal result. Then no exception other than PE is possible, WebAssembly's own
// arithmetic gives the correctly rounded result, and only inexactness must be found.
//
// Single precision is computed in double precision and narrowed: for +, -, *, / the double
// rounding is innocuous because 53 >= 2 * 24 + 2 (Figueroa, "When is double rounding
// innocuous?", 1995). Inexactness comes from an exact remainder: two-sum for +/-, the exact
// 48-bit product for *, x - q*y (exact by Sterbenz's lemma) for /. Double precision uses
// two-sum and Dekker's product, within exponent ranges where both are exact.
// Anything else returns false and goes through the general path of fparith.ts.
import { F32, twoProd, prodErr, flagPost, roundingControl, RC_NEAREST } from "./fpcore";
import { MX_PE } from "./regs";

export let fastResult: u64 = 0;

// @ts-ignore: decorator
@inline function normal32(b: u64): bool { const e = (<u32>b >> 23) & 0xff; return e != 0 && e != 0xff; }
// @ts-ignore: decorator
@inline function expField64(b: u64): i32 { return <i32>((b >> 52) & 0x7ff); }

// Biased exponents within which Dekker's splitting cannot overflow and the error terms of a
// product near 1 stay normal: [2^-960, 2^960).
const SAFE_LO = 1023 - 960;
const SAFE_HI = 1023 + 960;

export function fastArith(op: i32, a: u64, b: u64, fmt: i32): bool {
  if (roundingControl() != RC_NEAREST) return false;
  if (fmt == F32) {
    if (!normal32(a) || !normal32(b)) return false;
    const x = <f64>reinterpret<f32>(<u32>a), y = <f64>reinterpret<f32>(<u32>b);
    let r: f64;
    let exact = true;
    if (op <= 1) { // ADD (0) or SUB (1)
      const yy = op == 0 ? y : -y;
      r = x + yy;
      const bv = r - x;
      exact = (x - (r - bv)) + (yy - bv) == 0;
    } else if (op == 2) r = x * y; // 24 x 24 bits: exact in double
    else r = x / y;
    const q = <f32>r;
    const bits = <u64>reinterpret<u32>(q);
    // A result of exactly 2^-126 may come from a tiny product or quotient rounded up: that one
    // needs the tininess test of the general path.
    if (!normal32(bits) || (bits & 0x7fffffff) == 0x00800000) return false;
    const qd = <f64>q;
    if (op == 3) exact = x - qd * y == 0;
    else exact = exact && qd == r;
    if (!exact) flagPost(MX_PE);
    fastResult = bits;
    return true;
  }
  const ea = expField64(a), eb = expField64(b);
  if (ea == 0 || ea == 0x7ff || eb == 0 || eb == 0x7ff) return false;
  const x = reinterpret<f64>(a), y = reinterpret<f64>(b);
  let r: f64;
  let exact: bool;
  if (op <= 1) {
    const yy = op == 0 ? y : -y;
    r = x + yy;
    const er = expField64(reinterpret<u64>(r));
    if (er == 0 || er == 0x7ff) return false;
    const bv = r - x;
    exact = (x - (r - bv)) + (yy - bv) == 0;
  } else {
    if (ea < SAFE_LO || ea >= SAFE_HI || eb < SAFE_LO || eb >= SAFE_HI) return false;
    r = op == 2 ? x * y : x / y;
    const er = expField64(reinterpret<u64>(r));
    if (er < SAFE_LO || er >= SAFE_HI) return false;
    if (op == 2) { twoProd(x, y); exact = prodErr == 0; }
    else { const p = twoProd(r, y); exact = x - p == prodErr; } // x - r*y == (x - p) - prodErr
  }
  fastResult = reinterpret<u64>(r);
  if (!exact) flagPost(MX_PE);
  return true;
}

// Transcendental instructions: FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X, FYL2XP1.
//
// WHERE RESULTS CAN DIFFER FROM HARDWARE (the brief allows computing through f64):
//  * The core functions are evaluated in double precision (AssemblyScript's Math, musl-derived)
//    on the operand rounded to 53 bits, so the delivered 64-bit significand carries only about
//    53 correct bits (test/cpu/fpu/transcend.test.ts checks 50 against the host CPU); the P6
//    delivers results within 1 ulp of the extended result. Bits below the 53rd can differ, and
//    so can C1 (round-up), which comes from our own final rounding of the double result.
//  * Every such result is rounded as inexact, so PE (and UE for results in the denormal range)
//    are set as on hardware; exact special cases (sin(+-0), cos(0) = 1, log2(1) = 0,
//    2^0 - 1 = 0, the atan2 table of zeros and infinities) raise no PE.
//  * Argument reduction of FSIN/FCOS/FSINCOS/FPTAN uses the x87's 66-bit pi exactly (128-bit
//    fixed-point arithmetic on the 64-bit significand), so results near multiples of pi show
//    the same reduction error as hardware; only the final double evaluation differs.
//  * The out-of-range rule is exact: |x| >= 2^63 sets C2 and leaves ST(0) unchanged.
//  * Outside the documented domains the SDM leaves results undefined; here they follow the host
//    CPU the tests compare with: F2XM1 with |x| > 1 returns x unchanged (PE set), FYL2XP1 with
//    x <= -1 returns x (PE set), FYL2XP1 with x above its documented range computes log2(1+x).
//  * Tiny arguments use the leading term of the series (sin x = tan x = x with the correct
//    rounding direction, 2^x - 1 = x * ln 2 as one exact extended multiply), exact to the ulp.
import {
  classify, unpack, unExp, unSig, propagateNaN1, propagateNaN2, invalid, setResult, setZero, setInf,
  roundExt, isDenormal, signOf, resSe, resSig, CLS_ZERO, CLS_INF, CLS_UNSUPPORTED, isNaNCls, BIAS, INT_BIT,
} from "./f80";
import { fromF64 } from "./convert";
import { mul64, mulHi, mulLo, f80Mul } from "./arith";
import { signal, SW_DE, SW_ZE, SW_PE } from "./regs";

// ---- f80 <-> f64 helpers ----
// The operand's value rounded to double (only for finite, non-zero values within reach of the
// double range after scaling by the caller).
function toDouble(se: u32, sig: u64, extraScale: i32): f64 {
  unpack(se, sig);
  // The significand rounded to 53 bits by the u64 -> f64 conversion, then scaled exactly.
  const m = <f64>unSig;
  const v = NativeMath.scalbn(m, unExp - BIAS - 63 + extraScale);
  return signOf(se) != 0 ? -v : v;
}
// Deliver a double result as extended (exact), marking it inexact.
// (A double denormal becomes a normal extended value: the conversion is exact.)
// The double carries no information below its 53 bits: the result is rounded as inexact (a
// sticky bit below the significand), so PE, and UE for results in the denormal range, are set
// as for a computed extended result. `scale` multiplies by a power of two first.
function fromDouble(v: f64, inexact: bool, rcMode: i32): void { fromDoubleScaled(v, 0, rcMode); }
function fromDoubleScaled(v: f64, scale: i32, rcMode: i32): void {
  if (v == 0) { setZero(<u32>(reinterpret<u64>(v) >> 63)); return; }
  fromF64(reinterpret<u64>(v));
  if ((resSe & 0x7fff) == 0x7fff) return; // infinity from the special-operand tables
  unpack(resSe, resSig);
  roundExt(signOf(resSe), unExp + scale, unSig, 1, 64, rcMode);
}

// ---- argument reduction for the trigonometric functions ----
// x = k * (pi/2) + r, |r| <= pi/4, with pi/2 as a 128-bit fixed-point constant. Returns r as a
// double and the quadrant k & 3 in redQuadrant. Exact integer arithmetic on the 64-bit
// significand, so reduction error is far below a double's ulp for every |x| < 2^63.
// pi/2 = 1.921FB54442D18469898CC51701B839A2... (hex)
// The x87 reduces with a 66-bit pi (rounded to nearest: 0x3.243F6A8885A308D3 hex, i.e. pi/2 =
// 1.921FB54442D184698 hex); matching it keeps results near multiples of pi as (in)accurate as the
// hardware's. HI:LO are the bits of pi/2 below its leading 1.
const HALF_PI_HI: u64 = 0x921fb54442d18469;
const HALF_PI_LO: u64 = 0x8000000000000000;
export let redQuadrant: i32 = 0;
// |x| = q * (pi/2) + r: returns r (a double, |r| <= about pi/4) and q & 3 in redQuadrant.
function reduce(se: u32, sig: u64): f64 {
  unpack(se, sig);
  const e = unExp - BIAS; // |x| = unSig * 2^(e - 63), e <= 62
  redQuadrant = 0;
  const ax = Math.abs(toDouble(se, sig, 0));
  if (ax <= 0.7853981633974483) return ax;
  // |x| as fixed point with 64 fraction bits.
  unpack(se, sig);
  if (e >= 0) { xInt = unSig >> (<u64>(63 - e)); xFrac = e == 63 ? 0 : unSig << (<u64>(e + 1)); }
  else { xInt = 0; xFrac = e == -1 ? unSig : unSig >> (<u64>(-e - 1)); }
  // The double estimate of q can be off by a few units for large |x|: correct it from the exact
  // remainder until the remainder is within a quarter period.
  let q = <u64>Math.floor(ax * 0.6366197723675814 + 0.5);
  let r = remainderFor(q);
  for (let i = 0; i < 4; i++) {
    const dq = Math.floor(r * 0.6366197723675814 + 0.5);
    if (dq == 0) break;
    q = <u64>(<i64>q + <i64>dq);
    r = remainderFor(q);
  }
  redQuadrant = <i32>(q & 3);
  return r;
}
let xInt: u64 = 0;
let xFrac: u64 = 0;
// |x| - q * pi/2 in 128-bit fixed point, returned as a double.
function remainderFor(q: u64): f64 {
  // q * pi/2 = q + q * frac, frac = (HI:LO) / 2^128; in 64.64 fixed point:
  // q * frac * 2^64 = q*HI + (q*LO) / 2^64.
  mul64(q, HALF_PI_HI);
  const aHi = mulHi, aLo = mulLo;
  mul64(q, HALF_PI_LO);
  // The 66-bit constant reaches 2^-65 below the binary point: that last bit of q * pi/2 is
  // applied separately so that the remainder stays exact even under heavy cancellation.
  const lastBit = <f64>(mulLo >> 63) * 2.710505431213761e-20; // 2^-65
  const pFrac = aLo + mulHi;
  const pInt = q + aHi + (pFrac < aLo ? 1 : 0);
  let rFrac = xFrac - pFrac;
  let rInt = xInt - pInt - (xFrac < pFrac ? 1 : 0);
  let neg = false;
  if (<i64>rInt < 0) { neg = true; rFrac = 0 - rFrac; rInt = ~rInt + (rFrac == 0 ? 1 : 0); }
  const r = <f64>rInt + <f64>rFrac * 5.421010862427522e-20; // 2^-64
  return (neg ? -r : r) - lastBit;
}

// |x| >= 2^63: out of range for the trigonometric instructions (C2=1, operand unchanged).
// Unnormals are invalid operands first (checked against hardware).
export function trigOutOfRange(se: u32, sig: u64): bool {
  const e = <i32>(se & 0x7fff);
  return e >= BIAS + 63 && e != 0x7fff && (sig & INT_BIT) != 0;
}

// Pre-screening shared by the trigonometric functions. Returns true when the result is decided
// (NaN, invalid, zero).
function trigScreen(se: u32, sig: u64): bool {
  const c = classify(se, sig);
  if (c == CLS_UNSUPPORTED || c == CLS_INF) { invalid(); return true; }
  if (isNaNCls(c)) { propagateNaN1(se, sig); return true; }
  if (isDenormal(se, sig)) signal(SW_DE);
  return false;
}
// Tiny arguments: sin x = tan x = x to 64 bits (the cubic term is below half an ulp) but the
// result is inexact.
function isTinyArg(se: u32): bool { return <i32>(se & 0x7fff) < BIAS - 40; }

export function f80Sin(se: u32, sig: u64, rcMode: i32): void {
  if (trigScreen(se, sig)) return;
  if (classify(se, sig) == CLS_ZERO) { setResult(se, sig); return; }
  if (isTinyArg(se)) { tinyIdentity(se, sig, rcMode, false); return; }
  const r = reduce(se, sig);
  const v = quadrantSin(r, redQuadrant);
  fromDouble(signOf(se) != 0 ? -v : v, true, rcMode);
}
export function f80Cos(se: u32, sig: u64, rcMode: i32): void {
  if (trigScreen(se, sig)) return;
  if (classify(se, sig) == CLS_ZERO || isTinyArg(se)) {
    setResult(<u32>BIAS, INT_BIT); // cos 0 = 1 exactly; tiny x: 1 - x^2/2 rounds to 1 (or below)
    if (classify(se, sig) != CLS_ZERO) signal(SW_PE);
    return;
  }
  const r = reduce(se, sig);
  fromDouble(quadrantSin(r, redQuadrant + 1), true, rcMode);
}
export function f80Tan(se: u32, sig: u64, rcMode: i32): void {
  if (trigScreen(se, sig)) return;
  if (classify(se, sig) == CLS_ZERO) { setResult(se, sig); return; }
  if (isTinyArg(se)) { tinyIdentity(se, sig, rcMode, true); return; }
  const r = reduce(se, sig);
  const t = (redQuadrant & 1) != 0 ? -1.0 / Math.tan(r) : Math.tan(r);
  fromDouble(signOf(se) != 0 ? -t : t, true, rcMode);
}
function quadrantSin(r: f64, q: i32): f64 {
  switch (q & 3) {
    case 0: return Math.sin(r);
    case 1: return Math.cos(r);
    case 2: return -Math.sin(r);
    default: return -Math.cos(r);
  }
}
// sin x = x - x^3/6 lies just below |x|, tan x = x + x^3/3 just above: round accordingly, so
// that PE, UE (denormal results) and directed rounding behave as for an exact evaluation.
function tinyIdentity(se: u32, sig: u64, rcMode: i32, above: bool): void {
  unpack(se, sig);
  if (above) roundExt(signOf(se), unExp, unSig, 1, 64, rcMode);
  else roundExt(signOf(se), unExp, unSig - 1, 0xffffffffffffffff, 64, rcMode);
}

// ---- F2XM1: 2^x - 1 ----
export function f80F2xm1(se: u32, sig: u64, rcMode: i32): void {
  const c = classify(se, sig);
  if (c == CLS_UNSUPPORTED) { invalid(); return; }
  if (isNaNCls(c)) { propagateNaN1(se, sig); return; }
  if (c == CLS_ZERO) { setResult(se, sig); return; }
  if (c == CLS_INF) {
    if (signOf(se) == 0) setResult(se, sig); else setResult(0xbfff, INT_BIT); // -1
    return;
  }
  if (isDenormal(se, sig)) signal(SW_DE);
  if (<i32>(se & 0x7fff) > BIAS || (<i32>(se & 0x7fff) == BIAS && sig != INT_BIT)) {
    // |x| > 1 is outside the documented domain: the reference CPU returns the operand unchanged
    // and reports PE.
    setResult(se, sig);
    signal(SW_PE);
    return;
  }
  if (<i32>(se & 0x7fff) < BIAS - 60) {
    // 2^x - 1 = x ln 2 (1 + x ln 2 / 2 + ...) for tiny x: one exact extended multiply.
    f80Mul(se, sig, 0x3ffe, 0xb17217f7d1cf79ac, 64, rcMode);
    return;
  }
  const x = toDouble(se, sig, 0);
  fromDouble(Math.expm1(x * 0.6931471805599453), true, rcMode);
}

// log2 of a finite positive extended value, split as exponent + log2(significand) so that the
// whole extended range works. Near 1 (x in [0.5, 2)) the difference x - 1 is taken exactly from
// the significand and fed to log1p, which avoids the cancellation of exponent + log2(m).
function log2Ext(se: u32, sig: u64): f64 {
  unpack(se, sig);
  const e = unExp - BIAS;
  if (e == 0) return Math.log1p(<f64>(unSig - INT_BIT) * 1.0842021724855044e-19) * 1.4426950408889634;
  if (e == -1) return Math.log1p(-(<f64>(<u64>0 - unSig)) * 5.421010862427522e-20) * 1.4426950408889634;
  const m = <f64>unSig * 1.0842021724855044e-19; // 2^-63: m in [1, 2)
  return <f64>e + Math.log2(m);
}

// ---- FYL2X: ST(1) * log2(ST(0)) (special cases: SDM Vol. 2A FYL2X table) ----
// Invalid operands outrank DE (checked against hardware).
export function f80Yl2x(xSe: u32, xSig: u64, ySe: u32, ySig: u64, rcMode: i32): void {
  const xc = classify(xSe, xSig), yc = classify(ySe, ySig);
  if (xc == CLS_UNSUPPORTED || yc == CLS_UNSUPPORTED) { invalid(); return; }
  if (isNaNCls(xc) || isNaNCls(yc)) { propagateNaN2(xSe, xSig, xc, ySe, ySig, yc); return; }
  const ys = signOf(ySe);
  const isOne = xSe == <u32>BIAS && xSig == INT_BIT;
  if (xc != CLS_ZERO && signOf(xSe) != 0) { invalid(); return; }
  if (xc == CLS_ZERO && yc == CLS_ZERO) { invalid(); return; }
  if (xc == CLS_INF && yc == CLS_ZERO) { invalid(); return; }
  if (yc == CLS_INF && isOne) { invalid(); return; }
  if (xc == CLS_ZERO) {
    // Zero divide outranks a denormal y (checked against hardware).
    if (yc != CLS_INF) signal(SW_ZE);
    setInf(ys ^ 1);
    return;
  }
  if (isDenormal(xSe, xSig) || isDenormal(ySe, ySig)) signal(SW_DE);
  if (xc == CLS_INF) { setInf(ys); return; }
  if (yc == CLS_INF) { setInf(xSe >= <u32>BIAS ? ys : ys ^ 1); return; }
  if (isOne) { setZero(ys); return; }
  if (yc == CLS_ZERO) { setZero(xSe >= <u32>BIAS ? ys : ys ^ 1); return; }
  // y * log2(x): y's exponent can exceed the double range; scale it separately.
  unpack(ySe, ySig);
  const yExp = unExp - BIAS;
  const ym = (ys != 0 ? -1.0 : 1.0) * <f64>unSig * 1.0842021724855044e-19;
  const l = log2Ext(xSe, xSig);
  productScaled(ym * l, yExp, rcMode);
}
// Deliver v * 2^scale with the extended exponent range.
function productScaled(v: f64, scale: i32, rcMode: i32): void { fromDoubleScaled(v, scale, rcMode); }

// ---- FYL2XP1: ST(1) * log2(ST(0) + 1) ----
export function f80Yl2xp1(xSe: u32, xSig: u64, ySe: u32, ySig: u64, rcMode: i32): void {
  const xc = classify(xSe, xSig), yc = classify(ySe, ySig);
  if (xc == CLS_UNSUPPORTED || yc == CLS_UNSUPPORTED) { invalid(); return; }
  if (isNaNCls(xc) || isNaNCls(yc)) { propagateNaN2(xSe, xSig, xc, ySe, ySig, yc); return; }
  const xs = signOf(xSe), ys = signOf(ySe);
  // Invalid operands outrank DE (checked against hardware).
  if ((xc == CLS_ZERO && yc == CLS_INF) || (yc == CLS_ZERO && xc == CLS_INF) || (xc == CLS_INF && xs != 0)) {
    invalid();
    return;
  }
  if (isDenormal(xSe, xSig) || isDenormal(ySe, ySig)) signal(SW_DE);
  if (xc == CLS_ZERO) {
    setZero(xs ^ ys);
    return;
  }
  if (yc == CLS_ZERO) {
    if (xc == CLS_INF) { invalid(); return; }
    setZero(xs ^ ys);
    return;
  }
  if (xc == CLS_INF || yc == CLS_INF) {
    if (xc == CLS_INF && xs != 0) { invalid(); return; }
    setInf(xs ^ ys);
    return;
  }
  // x <= -1 is outside the documented domain: the reference CPU delivers x itself, with PE.
  if (xs != 0 && <i32>(xSe & 0x7fff) >= BIAS) { setResult(xSe, xSig); signal(SW_PE); return; }
  unpack(ySe, ySig);
  const yExp = unExp - BIAS;
  const ym = (ys != 0 ? -1.0 : 1.0) * <f64>unSig * 1.0842021724855044e-19;
  let l: f64;
  if (<i32>(xSe & 0x7fff) < BIAS - 60) {
    // log2(1 + x) = x / ln 2 for tiny x; keep x's exponent out of the double range.
    unpack(xSe, xSig);
    const xm = (xs != 0 ? -1.0 : 1.0) * <f64>unSig * 1.0842021724855044e-19;
    productScaled(ym * xm * 1.4426950408889634, yExp + unExp - BIAS, rcMode);
    return;
  }
  // Beyond 2^64, x + 1 rounds to x: log2(x) covers the whole extended range.
  if (<i32>(xSe & 0x7fff) > BIAS + 64) l = log2Ext(xSe, xSig);
  else l = Math.log1p(toDouble(xSe, xSig, 0)) * 1.4426950408889634;
  productScaled(ym * l, yExp, rcMode);
}

// ---- FPATAN: atan2(ST(1), ST(0)) ----
export function f80Patan(xSe: u32, xSig: u64, ySe: u32, ySig: u64, rcMode: i32): void {
  const xc = classify(xSe, xSig), yc = classify(ySe, ySig);
  if (xc == CLS_UNSUPPORTED || yc == CLS_UNSUPPORTED) { invalid(); return; }
  if (isNaNCls(xc) || isNaNCls(yc)) { propagateNaN2(xSe, xSig, xc, ySe, ySig, yc); return; }
  if (isDenormal(xSe, xSig) || isDenormal(ySe, ySig)) signal(SW_DE);
  const xs = signOf(xSe), ys = signOf(ySe);
  if (yc == CLS_ZERO && xc != CLS_ZERO && xs == 0) { setZero(ys); return; }
  if (xc == CLS_ZERO || xc == CLS_INF || yc == CLS_ZERO || yc == CLS_INF) {
    // Special operands: the IEEE atan2 table (+-0, +-pi/2, +-pi, +-pi/4, +-3pi/4).
    const xd = xc == CLS_ZERO ? (xs != 0 ? -0.0 : 0.0) : xc == CLS_INF ? (xs != 0 ? -Infinity : Infinity) : (xs != 0 ? -1.0 : 1.0);
    const yd = yc == CLS_ZERO ? (ys != 0 ? -0.0 : 0.0) : yc == CLS_INF ? (ys != 0 ? -Infinity : Infinity) : (ys != 0 ? -1.0 : 1.0);
    const v = Math.atan2(yd, xd);
    if (v == 0) { setZero(reinterpret<u64>(v) >> 63 != 0 ? 1 : 0); return; }
    fromDouble(v, true, rcMode);
    return;
  }
  // Both finite non-zero: scale to a common exponent so that huge or tiny ratios stay in range.
  unpack(ySe, ySig);
  const ye = unExp;
  const ym = <f64>unSig;
  unpack(xSe, xSig);
  const diff = ye - unExp;
  if (diff < -1000 && xs == 0) {
    // |y/x| below the double range: atan(y/x) = y/x
    productScaled((ys != 0 ? -1.0 : 1.0) * ym / <f64>unSig, diff, rcMode);
    return;
  }
  const yd = (ys != 0 ? -1.0 : 1.0) * NativeMath.scalbn(ym, diff < -1100 ? -1100 : diff > 1100 ? 1100 : diff);
  const xd = (xs != 0 ? -1.0 : 1.0) * <f64>unSig;
  fromDouble(Math.atan2(yd, xd), true, rcMode);
}

export { SW_PE, CLS_INF, INT_BIT };

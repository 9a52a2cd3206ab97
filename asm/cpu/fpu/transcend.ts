// Transcendental instructions: FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X, FYL2XP1.
//
// The functions are evaluated in double-double arithmetic (ddmath.ts, about 106 bits) and
// rounded once to the extended result, so results are correctly rounded except in the rare
// cases where the true value lies within about 2^-100 relative of a rounding boundary.
// WHERE RESULTS CAN DIFFER FROM HARDWARE:
//  * The P6 guarantees less than 1 ulp of error, not correct rounding: where its result is off
//    by one ulp, ours differs from it by that ulp, and C1 (round-up) differs with it.
//    test/cpu/fpu/transcend.test.ts compares with the host CPU to within 1 ulp.
//  * Every non-exact result is rounded as inexact, so PE (and UE for results in the denormal
//    range) are set as on hardware; exact special cases (sin(+-0), cos(0) = 1, log2(1) = 0,
//    2^0 - 1 = 0, the atan2 table of zeros and infinities) raise no PE.
//  * Argument reduction of FSIN/FCOS/FSINCOS/FPTAN uses the x87's 66-bit pi exactly (128-bit
//    fixed-point arithmetic on the 64-bit significand), so results near multiples of pi show
//    the same reduction error as hardware.
//  * The out-of-range rule is exact: |x| >= 2^63 sets C2 and leaves ST(0) unchanged.
//  * Outside the documented domains the SDM leaves results undefined; here they follow the host
//    CPU the tests compare with: F2XM1 with |x| > 1 returns x unchanged (PE set), FYL2XP1 with
//    x <= -1 returns x (PE set), FYL2XP1 with x above its documented range computes log2(1+x).
//  * Tiny arguments use the leading terms of the series (sin x = tan x = x with the correct
//    rounding direction, 2^x - 1 = x ln 2, log2(1 + x) = x / ln 2).
import {
  classify, unpack, unExp, unSig, propagateNaN1, propagateNaN2, invalid, setResult, setZero,
  setInf, roundExt, isDenormal, signOf, CLS_ZERO, CLS_INF, CLS_UNSUPPORTED, isNaNCls, BIAS,
  INT_BIT,
} from "./f80";
import { mul64, mulHi, mulLo } from "./arith";
import {
  ddHi, ddLo, ddAdd, ddMul, ddMulD, ddDiv, ddFromSig, ddSinCos, ddSinCosAny, ddExpm1, ddTwoAtanh,
  ddLog2, ddRound, sinH, sinL, cosH, cosL, PI_H, PI_L, HALF_PI_H, HALF_PI_L, LN2_H, LN2_L,
  LOG2E_H, LOG2E_L,
} from "./ddmath";
import { signal, SW_DE, SW_ZE, SW_PE } from "./regs";

// The operand's significand as an exact double-double in [1, 2), with its sign; unExp holds
// the biased exponent afterwards.
function ddOperand(se: u32, sig: u64): void {
  unpack(se, sig);
  ddFromSig(unSig);
  if (signOf(se) != 0) { ddHi = -ddHi; ddLo = -ddLo; }
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
// |x| = q * (pi66/2) + r: leaves r (|r| <= about pi/4) as a double-double in redH/redL and
// q & 3 in redQuadrant.
let redH: f64 = 0, redL: f64 = 0;
function reduce(se: u32, sig: u64): void {
  unpack(se, sig);
  const e = unExp - BIAS; // |x| = unSig * 2^(e - 63), e <= 62
  redQuadrant = 0;
  ddFromSig(unSig);
  const ax = NativeMath.scalbn(ddHi, e);
  if (ax <= 0.78) { redH = ax; redL = NativeMath.scalbn(ddLo, e); return; }
  // |x| as fixed point with 64 fraction bits.
  if (e >= 0) { xInt = unSig >> (<u64>(63 - e)); xFrac = e == 63 ? 0 : unSig << (<u64>(e + 1)); }
  else { xInt = 0; xFrac = e == -1 ? unSig : unSig >> (<u64>(-e - 1)); }
  // The double estimate of q can be off by a few units for large |x|: correct it from the exact
  // remainder until the remainder is within a quarter period.
  let q = <u64>Math.floor(ax * 0.6366197723675814 + 0.5);
  remainderFor(q);
  for (let i = 0; i < 4; i++) {
    const dq = Math.floor(redH * 0.6366197723675814 + 0.5);
    if (dq == 0) break;
    q = <u64>(<i64>q + <i64>dq);
    remainderFor(q);
  }
  redQuadrant = <i32>(q & 3);
}
let xInt: u64 = 0;
let xFrac: u64 = 0;
// |x| - q * pi66/2, exact (65 fraction bits), as a double-double in redH/redL.
function remainderFor(q: u64): void {
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
  if (<i64>rInt < 0) { neg = true; rFrac = <u64>0 - rFrac; rInt = ~rInt + (rFrac == 0 ? 1 : 0); }
  // rInt (0 or 1) + rFrac * 2^-64 in three exact pieces, then the last bit.
  const s: f64 = neg ? -1.0 : 1.0;
  ddAdd(s * <f64>rInt, 0, s * <f64>(rFrac & 0xfffffffffffff800) * 5.421010862427522e-20, 0);
  ddAdd(ddHi, ddLo, s * <f64>(rFrac & 0x7ff) * 5.421010862427522e-20, 0);
  ddAdd(ddHi, ddLo, -lastBit, 0);
  redH = ddHi; redL = ddLo;
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
  reduce(se, sig);
  ddSinCos(redH, redL);
  quadrant(redQuadrant, signOf(se) != 0);
  ddRound(ddHi, ddLo, 0, rcMode);
}
export function f80Cos(se: u32, sig: u64, rcMode: i32): void {
  if (trigScreen(se, sig)) return;
  if (classify(se, sig) == CLS_ZERO || isTinyArg(se)) {
    // cos 0 = 1 exactly; for tiny x, 1 - x^2/2 lies just below 1.
    if (classify(se, sig) == CLS_ZERO) { setResult(<u32>BIAS, INT_BIT); return; }
    roundExt(0, BIAS - 1, 0xffffffffffffffff, 0xffffffffffffffff, 64, rcMode);
    return;
  }
  reduce(se, sig);
  ddSinCos(redH, redL);
  quadrant(redQuadrant + 1, false);
  ddRound(ddHi, ddLo, 0, rcMode);
}
export function f80Tan(se: u32, sig: u64, rcMode: i32): void {
  if (trigScreen(se, sig)) return;
  if (classify(se, sig) == CLS_ZERO) { setResult(se, sig); return; }
  if (isTinyArg(se)) { tinyIdentity(se, sig, rcMode, true); return; }
  reduce(se, sig);
  ddSinCos(redH, redL);
  // tan = sin/cos, or -cos/sin in the odd quadrants
  if ((redQuadrant & 1) != 0) ddDiv(-cosH, -cosL, sinH, sinL);
  else ddDiv(sinH, sinL, cosH, cosL);
  if (signOf(se) != 0) { ddHi = -ddHi; ddLo = -ddLo; }
  ddRound(ddHi, ddLo, 0, rcMode);
}
// sin(q * pi/2 + r) from sin r and cos r, negated for a negative argument.
function quadrant(q: i32, negate: bool): void {
  let h: f64, l: f64;
  switch (q & 3) {
    case 0: h = sinH; l = sinL; break;
    case 1: h = cosH; l = cosL; break;
    case 2: h = -sinH; l = -sinL; break;
    default: h = -cosH; l = -cosL; break;
  }
  ddHi = negate ? -h : h;
  ddLo = negate ? -l : l;
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
  ddOperand(se, sig);
  const e = unExp - BIAS;
  if (e < -60) {
    // 2^x - 1 = x ln 2 (1 + x ln 2 / 2 + ...): the first term suffices, scaled separately
    // because x may lie far below the double range.
    ddMul(ddHi, ddLo, LN2_H, LN2_L);
    ddRound(ddHi, ddLo, e, rcMode);
    return;
  }
  // y = x ln 2, |y| <= 0.7: e^y - 1 by its series
  const xh = NativeMath.scalbn(ddHi, e), xl = NativeMath.scalbn(ddLo, e);
  ddMul(xh, xl, LN2_H, LN2_L);
  ddExpm1(ddHi, ddLo);
  ddRound(ddHi, ddLo, 0, rcMode);
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
  // log2(x) = e + log2(m) with m the significand, then times y; y's exponent can exceed the
  // double range and is applied at the final rounding.
  ddOperand(xSe, xSig);
  ddLog2(ddHi, ddLo, unExp - BIAS);
  const lh = ddHi, ll = ddLo;
  ddOperand(ySe, ySig);
  ddMul(ddHi, ddLo, lh, ll);
  ddRound(ddHi, ddLo, unExp - BIAS, rcMode);
}
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
  ddOperand(xSe, xSig);
  const xe = unExp - BIAS;
  let scale: i32 = 0;
  if (xe < -60) {
    // log2(1 + x) = x / ln 2 for tiny x; x's exponent is applied at the final rounding.
    ddMul(ddHi, ddLo, LOG2E_H, LOG2E_L);
    scale = xe;
  } else if (xe < -1) {
    // |x| < 1/4: ln(1 + x) = 2 atanh(x / (2 + x)), without forming 1 + x
    const xh = NativeMath.scalbn(ddHi, xe), xl = NativeMath.scalbn(ddLo, xe);
    ddAdd(2.0, 0, xh, xl);
    ddDiv(xh, xl, ddHi, ddLo);
    ddTwoAtanh(ddHi, ddLo);
    ddMul(ddHi, ddLo, LOG2E_H, LOG2E_L);
  } else if (xe < 64) {
    // Larger x (beyond the documented range): log2 of 1 + x formed in double-double.
    const xh = NativeMath.scalbn(ddHi, xe), xl = NativeMath.scalbn(ddLo, xe);
    ddAdd(1.0, 0, xh, xl);
    const wh = ddHi, wl = ddLo;
    const we = <i32>Math.floor(Math.log2(Math.abs(wh)));
    ddLog2(NativeMath.scalbn(wh, -we), NativeMath.scalbn(wl, -we), we);
  } else {
    // 1 + x rounds to x beyond 2^64
    ddLog2(ddHi, ddLo, xe);
  }
  const lh = ddHi, ll = ddLo;
  ddOperand(ySe, ySig);
  ddMul(ddHi, ddLo, lh, ll);
  ddRound(ddHi, ddLo, unExp - BIAS + scale, rcMode);
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
    // the table's values are multiples of pi/4: pi/4 * k with k = round(v / (pi/4))
    ddMulD(PI_H, PI_L, Math.round(v * 1.2732395447351628) * 0.25);
    ddRound(ddHi, ddLo, 0, rcMode);
    return;
  }
  // Both finite non-zero: y = ym * 2^ye, x = xm * 2^xe with ym, xm in [1, 2).
  ddOperand(ySe, ySig);
  const yh0 = ddHi, yl0 = ddLo, ye = unExp;
  ddOperand(xSe, xSig);
  const xh = ddHi, xl = ddLo;
  const d = ye - unExp;
  if (d > 600) {
    // |y/x| beyond 2^600: +-pi/2 (the correction x/y is far below the last place)
    ddRound(ys != 0 ? -HALF_PI_H : HALF_PI_H, ys != 0 ? -HALF_PI_L : HALF_PI_L, 0, rcMode);
    return;
  }
  if (d < -600) {
    if (xs == 0) {
      // atan(y/x) = y/x for |y/x| below 2^-600
      ddDiv(yh0, yl0, xh, xl);
      ddRound(ddHi, ddLo, d, rcMode);
    } else ddRound(ys != 0 ? -PI_H : PI_H, ys != 0 ? -PI_L : PI_L, 0, rcMode);
    return;
  }
  const yh = NativeMath.scalbn(yh0, d), yl = NativeMath.scalbn(yl0, d);
  // One Newton step on the double seed a: a' = a + (y cos a - x sin a) / (x cos a + y sin a).
  const a = Math.atan2(yh, xh);
  ddSinCosAny(a);
  const sh = sinH, sl = sinL, ch = cosH, cl = cosL;
  ddMul(yh, yl, ch, cl);
  const p1h = ddHi, p1l = ddLo;
  ddMul(xh, xl, sh, sl);
  ddAdd(p1h, p1l, -ddHi, -ddLo);
  const nh = ddHi, nl = ddLo;
  ddMul(xh, xl, ch, cl);
  const p2h = ddHi, p2l = ddLo;
  ddMul(yh, yl, sh, sl);
  ddAdd(p2h, p2l, ddHi, ddLo);
  ddDiv(nh, nl, ddHi, ddLo);
  ddAdd(a, 0, ddHi, ddLo);
  ddRound(ddHi, ddLo, 0, rcMode);
}

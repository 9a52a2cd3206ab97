// Double-double arithmetic (a value is hi + lo, |lo| <= ulp(hi)/2: about 106 significant bits)
// for the transcendental instructions, so that their 64-bit results come out correctly rounded
// in all but rare cases. The error-free transformations are Knuth's TwoSum and Dekker's split
// product (no fused multiply-add in WebAssembly). Results are returned in ddHi/ddLo.
import { normRoundExt, setZero, BIAS } from "./f80";

export let ddHi: f64 = 0;
export let ddLo: f64 = 0;

// @ts-ignore: decorator
@inline function twoSum(a: f64, b: f64): void {
  const s = a + b;
  const bb = s - a;
  ddLo = (a - (s - bb)) + (b - bb);
  ddHi = s;
}
// @ts-ignore: decorator
@inline function quickTwoSum(a: f64, b: f64): void {
  const s = a + b;
  ddLo = b - (s - a);
  ddHi = s;
}
function twoProd(a: f64, b: f64): void {
  const p = a * b;
  const ca = 134217729.0 * a; // 2^27 + 1
  const ah = ca - (ca - a), al = a - ah;
  const cb = 134217729.0 * b;
  const bh = cb - (cb - b), bl = b - bh;
  ddLo = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  ddHi = p;
}

export function ddAdd(ah: f64, al: f64, bh: f64, bl: f64): void {
  twoSum(ah, bh);
  const s = ddHi, e = ddLo;
  twoSum(al, bl);
  const t = ddHi, f = ddLo;
  quickTwoSum(s, e + t);
  quickTwoSum(ddHi, ddLo + f);
}
export function ddMul(ah: f64, al: f64, bh: f64, bl: f64): void {
  twoProd(ah, bh);
  const p = ddHi;
  quickTwoSum(p, ddLo + (ah * bl + al * bh));
}
export function ddMulD(ah: f64, al: f64, b: f64): void {
  twoProd(ah, b);
  const p = ddHi;
  quickTwoSum(p, ddLo + al * b);
}
export function ddDiv(ah: f64, al: f64, bh: f64, bl: f64): void {
  const q1 = ah / bh;
  ddMulD(bh, bl, q1);
  ddAdd(ah, al, -ddHi, -ddLo);
  const rh = ddHi, rl = ddLo;
  const q2 = rh / bh;
  ddMulD(bh, bl, q2);
  ddAdd(rh, rl, -ddHi, -ddLo);
  const q3 = ddHi / bh;
  quickTwoSum(q1, q2);
  ddAdd(ddHi, ddLo, q3, 0);
}

// Division by a double (the series coefficients): one exact product for the remainder.
export function ddDivD(ah: f64, al: f64, b: f64): void {
  const q1 = ah / b;
  twoProd(q1, b);
  const rem = ((ah - ddHi) - ddLo) + al;
  quickTwoSum(q1, rem / b);
}

// Constants as double-double pairs.
export const PI_H: f64 = 3.141592653589793, PI_L: f64 = 1.2246467991473532e-16;
export const HALF_PI_H: f64 = 1.5707963267948966, HALF_PI_L: f64 = 6.123233995736766e-17;
export const LN2_H: f64 = 0.6931471805599453, LN2_L: f64 = 2.3190468138462996e-17;
export const LOG2E_H: f64 = 1.4426950408889634, LOG2E_L: f64 = 2.0355273740931033e-17;
const EPS: f64 = 1.0e-35; // relative size at which a series term no longer matters (< 2^-115)

// An extended significand (64 bits) as an exact double-double in [1, 2).
export function ddFromSig(sig: u64): void {
  ddHi = <f64>(sig & 0xfffffffffffff800) * 1.0842021724855044e-19; // 2^-63
  ddLo = <f64>(sig & 0x7ff) * 1.0842021724855044e-19;
}

// ---- series ----
export let sinH: f64 = 0, sinL: f64 = 0, cosH: f64 = 0, cosL: f64 = 0;
// sin and cos of r (|r| <= about pi/4) by their Taylor series.
export function ddSinCos(rh: f64, rl: f64): void {
  ddMul(rh, rl, rh, rl);
  const r2h = ddHi, r2l = ddLo;
  // sin
  let th = rh, tl = rl, sh = rh, sl = rl;
  for (let k = 1; k < 40; k++) {
    ddMul(th, tl, r2h, r2l);
    ddDivD(ddHi, ddLo, -<f64>((2 * k) * (2 * k + 1)));
    th = ddHi; tl = ddLo;
    ddAdd(sh, sl, th, tl);
    sh = ddHi; sl = ddLo;
    if (Math.abs(th) <= EPS * Math.abs(sh)) break;
  }
  sinH = sh; sinL = sl;
  // cos
  th = 1.0; tl = 0; let ch: f64 = 1.0, cl: f64 = 0;
  for (let k = 1; k < 40; k++) {
    ddMul(th, tl, r2h, r2l);
    ddDivD(ddHi, ddLo, -<f64>((2 * k - 1) * (2 * k)));
    th = ddHi; tl = ddLo;
    ddAdd(ch, cl, th, tl);
    ch = ddHi; cl = ddLo;
    if (Math.abs(th) <= EPS) break;
  }
  cosH = ch; cosL = cl;
}
// e^y - 1 for |y| <= about 0.7.
export function ddExpm1(yh: f64, yl: f64): void {
  let th = yh, tl = yl, sh = yh, sl = yl;
  for (let n = 2; n < 60; n++) {
    ddMul(th, tl, yh, yl);
    ddDivD(ddHi, ddLo, <f64>n);
    th = ddHi; tl = ddLo;
    ddAdd(sh, sl, th, tl);
    sh = ddHi; sl = ddLo;
    if (Math.abs(th) <= EPS * Math.abs(sh)) break;
  }
  ddHi = sh; ddLo = sl;
}
// 2 atanh(z) = ln((1 + z) / (1 - z)), for |z| <= about 0.2.
export function ddTwoAtanh(zh: f64, zl: f64): void {
  ddMul(zh, zl, zh, zl);
  const z2h = ddHi, z2l = ddLo;
  let ph = zh, pl = zl, sh = zh, sl = zl;
  for (let k = 1; k < 80; k++) {
    ddMul(ph, pl, z2h, z2l);
    ph = ddHi; pl = ddLo;
    ddDivD(ph, pl, <f64>(2 * k + 1));
    const th = ddHi;
    ddAdd(sh, sl, ddHi, ddLo);
    sh = ddHi; sl = ddLo;
    if (Math.abs(th) <= EPS * Math.abs(sh)) break;
  }
  ddHi = 2 * sh; ddLo = 2 * sl;
}
// log2 of m * 2^e for a double-double m > 0 near [0.7, 1.42] after the caller's scaling.
export function ddLog2(mh: f64, ml: f64, e: i32): void {
  // Bring m into [sqrt(1/2), sqrt(2)) so that z = (m - 1) / (m + 1) stays below 0.172.
  if (mh > 1.4142135623730951) { mh *= 0.5; ml *= 0.5; e++; }
  else if (mh < 0.7071067811865476) { mh *= 2; ml *= 2; e--; }
  ddAdd(mh, ml, -1.0, 0);
  const nh = ddHi, nl = ddLo;
  ddAdd(mh, ml, 1.0, 0);
  ddDiv(nh, nl, ddHi, ddLo);
  ddTwoAtanh(ddHi, ddLo);
  ddMul(ddHi, ddLo, LOG2E_H, LOG2E_L);
  ddAdd(ddHi, ddLo, <f64>e, 0);
}

// ---- sin/cos of any double angle (for the FPATAN Newton step) ----
export function ddSinCosAny(a: f64): void {
  const k = Math.round(a * 0.6366197723675814);
  ddMulD(HALF_PI_H, HALF_PI_L, k);
  ddAdd(a, 0, -ddHi, -ddLo);
  ddSinCos(ddHi, ddLo);
  const q = <i32>k & 3;
  const s1 = sinH, s2 = sinL, c1 = cosH, c2 = cosL;
  if (q == 1) { sinH = c1; sinL = c2; cosH = -s1; cosL = -s2; }
  else if (q == 2) { sinH = -s1; sinL = -s2; cosH = -c1; cosL = -c2; }
  else if (q == 3) { sinH = -c1; sinL = -c2; cosH = s1; cosL = s2; }
}

// ---- delivering a double-double result, times 2^scale, as an inexact extended value ----
// The exact sum hi + lo is formed as a 128-bit integer and rounded once (normRoundExt), with a
// sticky bit below it: the true result is never exactly representable, so PE is always set and
// UE for results in the denormal range, as on hardware.
export function ddRound(h: f64, l: f64, scale: i32, rcMode: i32): void {
  if (h == 0) { setZero(<u32>(reinterpret<u64>(h) >> 63)); return; }
  const hb = reinterpret<u64>(h);
  const sign = <u32>(hb >> 63);
  let eh = <i32>((hb >> 52) & 0x7ff);
  let mh = hb & 0xfffffffffffff;
  if (eh == 0) eh = 1; else mh |= <u64>1 << 52;
  let hi = mh, lo: u64 = 0;
  if (l != 0) {
    const lb = reinterpret<u64>(l);
    let el = <i32>((lb >> 52) & 0x7ff);
    let ml = lb & 0xfffffffffffff;
    if (el == 0) el = 1; else ml |= <u64>1 << 52;
    // l = ml * 2^(el - 1075); the unit of lo is 2^(eh - 1139)
    const shift = el - eh + 64;
    let L: u64 = 0;
    if (shift >= 0 && shift <= 11) L = ml << (<u64>shift); // |lo| <= ulp(hi)/2 bounds shift by 11
    else if (shift < 0 && shift > -64) L = ml >> (<u64>(-shift));
    if (<u32>(lb >> 63) == sign) {
      lo = L;
    } else {
      lo = <u64>0 - L;
      if (L != 0) hi--;
    }
  }
  // value = (hi:lo) * 2^(eh - 1139): bit 127 weighs 2^(eh - 1012)
  normRoundExt(sign, eh - 1012 + BIAS + scale, hi, lo | 1, 64, rcMode);
}

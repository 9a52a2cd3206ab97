// The 80-bit extended format in software: classification, unpacking, NaN propagation and the one
// rounding routine every arithmetic result goes through.
//
// A value is (se, sig): se = sign << 15 | biased exponent (bias 16383), sig = the 64-bit
// significand with its explicit integer bit (SDM Vol. 1 4.2.2, 8.2). Results are returned in the
// module globals resSe/resSig, exceptions accumulate in regs.ts (excFlags, roundedUp).
import {
  SW_IE, SW_OE, SW_UE, SW_PE, INDEF_SE, INDEF_SIG, signal, setRoundedUp, isMasked, RC_NEAREST,
  RC_DOWN, RC_UP, RC_ZERO,
} from "./regs";

export const BIAS: i32 = 16383;
export const EXP_MAX: i32 = 0x7fff;
// Exponent bias adjust for unmasked overflow/underflow with a register destination
// (SDM Vol. 1 8.5.4, 8.5.5).
export const BIAS_ADJUST: i32 = 24576;

export const CLS_ZERO = 0;
export const CLS_NORMAL = 1; // normal, denormal or pseudo-denormal: a finite non-zero value
export const CLS_INF = 2;
export const CLS_QNAN = 3;
export const CLS_SNAN = 4;
export const CLS_UNSUPPORTED = 5; // pseudo-NaN, pseudo-infinity, unnormal (SDM Vol. 1 8.2.2)

export const QUIET_BIT: u64 = 0x4000000000000000;
export const INT_BIT: u64 = 0x8000000000000000;

export function classify(se: u32, sig: u64): i32 {
  const e = <i32>(se & 0x7fff);
  if (e == EXP_MAX) {
    if ((sig & INT_BIT) == 0) return CLS_UNSUPPORTED;
    if ((sig << 1) == 0) return CLS_INF;
    return (sig & QUIET_BIT) != 0 ? CLS_QNAN : CLS_SNAN;
  }
  if (e == 0) return sig == 0 ? CLS_ZERO : CLS_NORMAL;
  return (sig & INT_BIT) != 0 ? CLS_NORMAL : CLS_UNSUPPORTED;
}
// Denormal or pseudo-denormal: the operands that raise DE.
// @ts-ignore: decorator
@inline export function isDenormal(se: u32, sig: u64): bool { return (se & 0x7fff) == 0 && sig != 0; }
// @ts-ignore: decorator
@inline export function isNaNCls(c: i32): bool { return c == CLS_QNAN || c == CLS_SNAN; }
// @ts-ignore: decorator
@inline export function signOf(se: u32): u32 { return (se >> 15) & 1; }

// ---- results ----
export let resSe: u32 = 0;
export let resSig: u64 = 0;
export function setResult(se: u32, sig: u64): void { resSe = se; resSig = sig; }
export function setIndefinite(): void { resSe = INDEF_SE; resSig = INDEF_SIG; }
export function setZero(sign: u32): void { resSe = sign << 15; resSig = 0; }
export function setInf(sign: u32): void { resSe = (sign << 15) | 0x7fff; resSig = INT_BIT; }
// Invalid operation with the masked response: the real indefinite (SDM Vol. 1 4.8.3.7).
export function invalid(): void { signal(SW_IE); setIndefinite(); }

// ---- unpacking a finite non-zero operand into a normalized significand ----
// The exponent may drop below 1 for denormals; pseudo-denormals count as exponent 1.
export let unExp: i32 = 0;
export let unSig: u64 = 0;
export function unpack(se: u32, sig: u64): void {
  let e = <i32>(se & 0x7fff);
  if (e == 0) {
    e = 1;
    const sh = <i32>clz<u64>(sig);
    unSig = sig << sh;
    unExp = e - sh;
  } else {
    unExp = e;
    unSig = sig;
  }
}

// ---- NaN propagation (SDM Vol. 1 4.8.3.5, Table 4-7) ----
// One NaN operand: it is delivered quieted; an SNaN raises IE.
export function propagateNaN1(se: u32, sig: u64): void {
  if ((sig & QUIET_BIT) == 0) signal(SW_IE);
  resSe = se;
  resSig = sig | QUIET_BIT;
}
// Two operands, at least one a NaN: an SNaN raises IE; of two NaNs the QNaN wins over the SNaN,
// and between two of a kind the larger significand (equal significands: the positive one).
export function propagateNaN2(aSe: u32, aSig: u64, aCls: i32, bSe: u32, bSig: u64, bCls: i32): void {
  if (aCls == CLS_SNAN || bCls == CLS_SNAN) signal(SW_IE);
  const aNan = isNaNCls(aCls), bNan = isNaNCls(bCls);
  let pickA: bool;
  if (aNan && bNan) {
    if (aCls != bCls) pickA = aCls == CLS_QNAN;
    else if (aSig != bSig) pickA = aSig > bSig;
    else pickA = signOf(aSe) <= signOf(bSe);
  } else pickA = aNan;
  if (pickA) { resSe = aSe; resSig = aSig | QUIET_BIT; } else { resSe = bSe; resSig = bSig | QUIET_BIT; }
}

// ---- rounding ----
// Round sign * (sig + ext / 2^64) * 2^(exp - BIAS - 63), sig normalized (bit 63 set), to `prec`
// significand bits (64, 53 or 24) in a format whose biased exponent field is 1..expMax-1 for
// normals (extended: expMax = 0x7fff; double 0x7ff; single 0xff; the significand stays in the
// 64-bit explicit-integer-bit layout with exp rebiased by the caller).
//
// Tininess is detected after rounding (as if the exponent range were unbounded), and a masked
// underflow is reported only when the result is also inexact (SDM Vol. 1 4.9.1.5, 8.5.5).
// Denormal results are rounded at the same bit position of the significand field as normals,
// after denormalization: precision control narrows the field, it does not move the rounding point.
// `adjust`: on unmasked overflow/underflow, rebias the exponent by BIAS_ADJUST (register
// destinations); otherwise (memory destinations) the caller discards the result.
// Writes resSe/resSig (resSe's exponent in the target format's bias) and the flags.
// lastTiny: the result was tiny (whether or not underflow was signaled); lastOverflow likewise.
export let lastTiny: bool = false;
export let lastOverflow: bool = false;
export function roundPack(sign: u32, exp: i32, sig: u64, ext: u64, prec: i32, expMax: i32, rcMode: i32, adjust: bool): void {
  lastTiny = false;
  lastOverflow = false;
  const shift = 64 - prec; // discarded low bits of sig
  if (exp < 1) {
    const tiny = exp < 0 || !roundCarries(sign, sig, ext, shift, rcMode);
    lastTiny = tiny;
    if (tiny && adjust && !isMasked(SW_UE) && exp + BIAS_ADJUST >= 1) {
      // Unmasked underflow: deliver the significand rounded normally, exponent rebiased.
      signal(SW_UE);
      exp += BIAS_ADJUST;
    } else if (tiny && adjust && !isMasked(SW_UE)) {
      // Unmasked, but so tiny that even the rebiased exponent is out of range: a signed zero
      // whatever the rounding mode, with UE and PE (checked against hardware, e.g. FSCALE).
      signal(SW_UE | SW_PE);
      setRoundedUp(false);
      resSe = sign << 15;
      resSig = 0;
      return;
    } else {
      // Masked, not tiny after all (rounds up to the smallest normal), or a memory destination
      // (whose caller discards an unmasked result): denormalize, shifting right by 1 - exp with
      // a sticky bit.
      const n = 1 - exp;
      if (n >= 128) { ext = (sig | ext) != 0 ? 1 : 0; sig = 0; }
      else if (n >= 64) {
        const st: u64 = (ext != 0 || (n > 64 && (sig << (<u64>(128 - n))) != 0)) ? 1 : 0;
        ext = (n == 64 ? sig : sig >> (<u64>(n - 64))) | st;
        sig = 0;
      } else {
        const st: u64 = (ext << (<u64>(64 - n))) != 0 ? 1 : 0;
        ext = (ext >> (<u64>n)) | (sig << (<u64>(64 - n))) | st;
        sig = sig >> (<u64>n);
      }
      const inexact = roundAt(sign, sig, ext, shift, rcMode);
      let e: i32 = 0;
      if ((rSig & INT_BIT) != 0) e = 1; // rounded up into the smallest normal
      if (rCarry) { rSig = INT_BIT; e = 1; }
      if (inexact) {
        signal(SW_PE);
        if (tiny) signal(SW_UE);
      }
      resSe = (sign << 15) | <u32>e;
      resSig = rSig;
      return;
    }
  }
  const inexact = roundAt(sign, sig, ext, shift, rcMode);
  let s = rSig;
  if (rCarry) { s = INT_BIT; exp++; }
  if (inexact) signal(SW_PE);
  if (exp >= expMax) {
    lastOverflow = true;
    signal(SW_OE);
    if (!isMasked(SW_OE) && (!adjust || exp - BIAS_ADJUST < expMax)) {
      // Unmasked: a register destination gets the rebiased result; a memory destination gets
      // nothing (the caller discards it), and PE only reflects the rounding itself.
      exp -= BIAS_ADJUST;
    } else if (!isMasked(SW_OE)) {
      // Unmasked, but beyond even the rebiased range: a signed infinity whatever the rounding
      // mode, with PE and C1 (checked against hardware, e.g. FSCALE).
      signal(SW_PE);
      setRoundedUp(true);
      resSe = (sign << 15) | <u32>expMax;
      resSig = INT_BIT;
      return;
    } else {
      // Masked, or beyond even the rebiased range: infinity or the largest finite value.
      // (SDM Vol. 1 4.9.1.4, Table 4-10): by rounding mode and sign; always inexact.
      signal(SW_PE);
      const toInf = rcMode == RC_NEAREST || (rcMode == RC_UP && sign == 0) || (rcMode == RC_DOWN && sign != 0);
      if (toInf) { resSe = (sign << 15) | <u32>expMax; resSig = INT_BIT; setRoundedUp(true); }
      else {
        resSe = (sign << 15) | <u32>(expMax - 1);
        resSig = shift == 0 ? 0xffffffffffffffff : ~((<u64>1 << (<u64>shift)) - 1);
        setRoundedUp(false);
      }
      return;
    }
  }
  resSe = (sign << 15) | <u32>exp;
  resSig = s;
}

// Rounding of (sig, ext) at bit `shift` of sig: writes rSig (low bits cleared), rCarry (the
// significand overflowed to 2^64) and C1; returns inexactness.
let rSig: u64 = 0;
let rCarry: bool = false;
function roundAt(sign: u32, sig: u64, ext: u64, shift: i32, rcMode: i32): bool {
  let lo: u64, half: u64, sticky: bool, mask: u64;
  if (shift == 0) { lo = ext; half = INT_BIT; sticky = false; mask = 0; }
  else {
    mask = (<u64>1 << (<u64>shift)) - 1;
    lo = sig & mask; half = <u64>1 << (<u64>(shift - 1)); sticky = ext != 0;
  }
  rCarry = false;
  const kept = sig & ~mask;
  if (lo == 0 && !sticky) { rSig = kept; setRoundedUp(false); return false; }
  let inc: bool;
  if (rcMode == RC_NEAREST) {
    if (lo > half || (lo == half && sticky)) inc = true;
    else if (lo == half) inc = ((sig >> (<u64>shift)) & 1) != 0;
    else inc = false;
  } else if (rcMode == RC_ZERO) inc = false;
  else if (rcMode == RC_UP) inc = sign == 0;
  else inc = sign != 0;
  if (inc) {
    const r = kept + (<u64>1 << (<u64>shift));
    if (r < kept) rCarry = true;
    rSig = r;
  } else rSig = kept;
  setRoundedUp(inc);
  return true;
}
// Would rounding the normalized (sig, ext) carry out of the significand? (Tininess after
// rounding: a value just below the smallest normal that rounds up to it is not tiny.)
function roundCarries(sign: u32, sig: u64, ext: u64, shift: i32, rcMode: i32): bool {
  roundAt(sign, sig, ext, shift, rcMode);
  setRoundedUp(false);
  return rCarry;
}

// Round and pack an extended-precision arithmetic result for a register destination.
// @ts-ignore: decorator
@inline export function roundExt(sign: u32, exp: i32, sig: u64, ext: u64, prec: i32, rcMode: i32): void {
  roundPack(sign, exp, sig, ext, prec, EXP_MAX, rcMode, true);
}

// Normalize a 128-bit magnitude (hi:lo, not zero) and round it as extended precision.
export function normRoundExt(sign: u32, exp: i32, hi: u64, lo: u64, prec: i32, rcMode: i32): void {
  if (hi == 0) { hi = lo; lo = 0; exp -= 64; }
  const sh = <i32>clz<u64>(hi);
  if (sh != 0) {
    hi = (hi << (<u64>sh)) | (lo >> (<u64>(64 - sh)));
    lo = lo << (<u64>sh);
    exp -= sh;
  }
  roundPack(sign, exp, hi, lo, prec, EXP_MAX, rcMode, true);
}

// Shift a significand right by n with the lost bits folded into a sticky bit of `shrLo`.
export let shrHi: u64 = 0;
export let shrLo: u64 = 0;
export function shiftRight128(sig: u64, n: i32): void {
  if (n == 0) { shrHi = sig; shrLo = 0; }
  else if (n < 64) { shrHi = sig >> (<u64>n); shrLo = sig << (<u64>(64 - n)); }
  else if (n == 64) { shrHi = 0; shrLo = sig; }
  else if (n < 128) { shrHi = 0; shrLo = (sig >> (<u64>(n - 64))) | ((sig << (<u64>(128 - n))) != 0 ? 1 : 0); }
  else { shrHi = 0; shrLo = sig != 0 ? 1 : 0; }
}

// Exact-zero sign of x - x (SDM Vol. 1 4.8.3.2): +0, except -0 when rounding down.
// @ts-ignore: decorator
@inline export function exactZeroSign(rcMode: i32): u32 { return rcMode == RC_DOWN ? 1 : 0; }

// Comparisons, classification and the exact non-arithmetic operations: FCOM/FUCOM/FTST, FXAM,
// FPREM/FPREM1, FRNDINT, FSCALE and FXTRACT (SDM Vol. 2A, each instruction's page).
import {
  classify, unpack, unExp, unSig, propagateNaN1, propagateNaN2, invalid, setResult, setZero,
  setInf, roundExt, normRoundExt, isDenormal, signOf, resSe, resSig, CLS_ZERO, CLS_NORMAL,
  CLS_INF, CLS_QNAN, CLS_SNAN, CLS_UNSUPPORTED, isNaNCls, BIAS, INT_BIT,
} from "./f80";
import { memDenormal } from "./arith";
import { roundToInt, intMag, intHuge, intInexact, fromInt64 } from "./convert";
import { signal, setRoundedUp, SW_IE, SW_DE, SW_ZE, SW_PE, RC_ZERO } from "./regs";

// ---- comparison (FCOM, FUCOM, FCOMI, FICOM, FTST) ----
export const CMP_GT = 0;
export const CMP_LT = 1;
export const CMP_EQ = 2;
export const CMP_UNORDERED = 3;
// `unordered`: FUCOM-style, where only SNaNs (and unsupported formats) raise IE; FCOM raises IE
// for any NaN (SDM Vol. 2A FCOM, FUCOM).
export function f80Compare(aSe: u32, aSig: u64, bSe: u32, bSig: u64, unorderedOk: bool): i32 {
  const ac = classify(aSe, aSig), bc = classify(bSe, bSig);
  if (ac == CLS_UNSUPPORTED || bc == CLS_UNSUPPORTED) { signal(SW_IE); return CMP_UNORDERED; }
  if (isNaNCls(ac) || isNaNCls(bc)) {
    if (!unorderedOk || ac == CLS_SNAN || bc == CLS_SNAN) signal(SW_IE);
    return CMP_UNORDERED;
  }
  if (memDenormal || isDenormal(aSe, aSig) || isDenormal(bSe, bSig)) signal(SW_DE);
  if (ac == CLS_ZERO && bc == CLS_ZERO) return CMP_EQ;
  const as = ac == CLS_ZERO ? 0 : signOf(aSe);
  const bs = bc == CLS_ZERO ? 0 : signOf(bSe);
  if (as != bs) return as != 0 ? CMP_LT : CMP_GT;
  const m = magnitudeOrder(aSe, aSig, ac, bSe, bSig, bc);
  if (m == 0) return CMP_EQ;
  return (m > 0) != (as != 0) ? CMP_GT : CMP_LT;
}
function magnitudeOrder(aSe: u32, aSig: u64, ac: i32, bSe: u32, bSig: u64, bc: i32): i32 {
  if (ac == bc && ac != CLS_NORMAL) return 0; // both zero or both infinite
  if (ac == CLS_ZERO || bc == CLS_INF) return -1;
  if (bc == CLS_ZERO || ac == CLS_INF) return 1;
  unpack(aSe, aSig);
  const ae = unExp, as = unSig;
  unpack(bSe, bSig);
  if (ae != unExp) return ae > unExp ? 1 : -1;
  if (as != unSig) return as > unSig ? 1 : -1;
  return 0;
}

// ---- FXAM: C3 C2 C0 class code (SDM Vol. 2A FXAM), C1 = sign ----
export function fxamClass(se: u32, sig: u64, empty: bool): u32 {
  if (empty) return 0x4100; // C3=1 C0=1
  const c = classify(se, sig);
  if (c == CLS_UNSUPPORTED) return 0;
  if (c == CLS_QNAN || c == CLS_SNAN) return 0x0100;
  if (c == CLS_INF) return 0x0500;
  if (c == CLS_ZERO) return 0x4000;
  if ((se & 0x7fff) == 0) return 0x4400; // denormal (and pseudo-denormal)
  return 0x0400;
}

// ---- FPREM / FPREM1: exact partial remainder ----
// remQuotient: the low three quotient bits; remIncomplete: C2 (the exponent difference was 64
// or more and only a partial reduction by 2^(D-N) multiples was done).
export let remQuotient: u32 = 0;
export let remIncomplete: bool = false;
// remValid: a remainder was computed (false for NaN and invalid operands).
export let remValid: bool = false;
// For D >= 64 the SDM lets N be any value 32..63; this is the reduction the hardware performs
// per step (checked against the host CPU by test/cpu/fpu).
export const PARTIAL_REM_BITS: i32 = 32;
export function f80Rem(aSe: u32, aSig: u64, bSe: u32, bSig: u64, nearest: bool, rcMode: i32): void {
  remQuotient = 0;
  remIncomplete = false;
  remValid = false;
  const ac = classify(aSe, aSig), bc = classify(bSe, bSig);
  if (ac == CLS_UNSUPPORTED || bc == CLS_UNSUPPORTED) { invalid(); return; }
  if (isNaNCls(ac) || isNaNCls(bc)) { propagateNaN2(aSe, aSig, ac, bSe, bSig, bc); return; }
  if (ac == CLS_INF || bc == CLS_ZERO) { invalid(); return; }
  remValid = true;
  if (isDenormal(aSe, aSig) || isDenormal(bSe, bSig)) signal(SW_DE);
  if (ac == CLS_ZERO) { setResult(aSe, aSig); return; }
  if (bc == CLS_INF) { passThrough(aSe, aSig, rcMode); return; }
  const sign = signOf(aSe);
  unpack(aSe, aSig);
  const ae = unExp, as = unSig;
  unpack(bSe, bSig);
  let be = unExp;
  const bs = unSig;
  let d = ae - be;
  if (d < -1 || (d == -1 && !nearest)) { passThrough(aSe, aSig, rcMode); return; }
  if (d >= 64) {
    remIncomplete = true;
    const n = PARTIAL_REM_BITS + ((d - PARTIAL_REM_BITS) & 31);
    be += d - n;
    d = n;
  }
  let rem: u64, remExp: i32, q: u64 = 0, flip = false;
  if (d == -1) {
    // |a| in [b/2, b) scale: the nearest quotient is 1 when |a| > b/2.
    if (as > bs) { q = 1; rem = (bs << 1) - as; flip = true; } else rem = as;
    remExp = be - 1;
  } else {
    rem = as;
    let carry = false;
    for (let i = 0; i <= d; i++) {
      q <<= 1;
      if (carry || rem >= bs) { rem -= bs; q |= 1; }
      if (i < d) { carry = (rem >> 63) != 0; rem <<= 1; }
    }
    remExp = be;
    if (nearest && !remIncomplete) {
      // Round the quotient to nearest-even: compare 2*rem with b.
      const twiceOver = (rem >> 63) != 0 || (rem << 1) > bs;
      const tie = (rem >> 63) == 0 && (rem << 1) == bs;
      if (twiceOver || (tie && (q & 1) != 0)) { q++; rem = bs - rem; flip = true; }
    }
  }
  remQuotient = <u32>(q & 7);
  const rs = sign ^ (flip ? 1 : 0);
  if (rem == 0) { setZero(sign); return; }
  // The remainder is a multiple of b's last place, so the result is exact, even when denormal.
  normRoundExt(rs, remExp, rem, 0, 64, rcMode);
}

// ST(0) returned as the remainder: it is renormalized (a pseudo-denormal comes back with
// exponent 1, as on hardware); ordinary values and denormals are unchanged.
function passThrough(aSe: u32, aSig: u64, rcMode: i32): void {
  unpack(aSe, aSig);
  roundExt(signOf(aSe), unExp, unSig, 0, 64, rcMode);
}

// ---- FRNDINT ----
export function f80RoundInt(aSe: u32, aSig: u64, rcMode: i32): void {
  const c = classify(aSe, aSig);
  if (c == CLS_UNSUPPORTED) { invalid(); return; }
  if (isNaNCls(c)) { propagateNaN1(aSe, aSig); return; }
  if (isDenormal(aSe, aSig)) signal(SW_DE);
  if (c == CLS_ZERO || c == CLS_INF || <i32>(aSe & 0x7fff) >= BIAS + 63) { setResult(aSe, aSig); return; }
  roundToInt(aSe, aSig, rcMode);
  if (intInexact) signal(SW_PE);
  const sign = signOf(aSe);
  if (intMag == 0) { setZero(sign); return; }
  const sh = <i32>clz<u64>(intMag);
  setResult((sign << 15) | <u32>(BIAS + 63 - sh), intMag << (<u64>sh));
}

// ---- FSCALE: ST(0) * 2^trunc(ST(1)) (special cases: SDM Vol. 2A FSCALE, Table 3-xx) ----
export function f80Scale(aSe: u32, aSig: u64, bSe: u32, bSig: u64, rcMode: i32): void {
  const ac = classify(aSe, aSig), bc = classify(bSe, bSig);
  if (ac == CLS_UNSUPPORTED || bc == CLS_UNSUPPORTED) { invalid(); return; }
  if (isNaNCls(ac) || isNaNCls(bc)) { propagateNaN2(aSe, aSig, ac, bSe, bSig, bc); return; }
  if (isDenormal(aSe, aSig) || isDenormal(bSe, bSig)) signal(SW_DE);
  const sign = signOf(aSe);
  if (bc == CLS_INF) {
    if (signOf(bSe) == 0) {
      if (ac == CLS_ZERO) { invalid(); return; }
      setInf(sign);
    } else {
      if (ac == CLS_INF) { invalid(); return; }
      setZero(sign);
    }
    return;
  }
  if (ac == CLS_ZERO || ac == CLS_INF) { setResult(aSe, aSig); return; }
  roundToInt(bSe, bSig, RC_ZERO);
  setRoundedUp(false);
  // Scale factors beyond +-2^17 all overflow or underflow completely: clamp them.
  let n: i32 = intHuge || intMag > 0x20000 ? 0x20000 : <i32>intMag;
  if (signOf(bSe) != 0) n = -n;
  unpack(aSe, aSig);
  roundExt(sign, unExp + n, unSig, 0, 64, rcMode);
}

// ---- FXTRACT: exponent (true, unbiased) and significand (exponent BIAS) ----
// Writes the exponent to xtExpSe/xtExpSig and the significand to resSe/resSig.
export let xtExpSe: u32 = 0;
export let xtExpSig: u64 = 0;
export function f80Extract(aSe: u32, aSig: u64): void {
  const c = classify(aSe, aSig);
  if (c == CLS_UNSUPPORTED) { invalid(); xtExpSe = resSe; xtExpSig = resSig; return; }
  if (isNaNCls(c)) { propagateNaN1(aSe, aSig); xtExpSe = resSe; xtExpSig = resSig; return; }
  const sign = signOf(aSe);
  if (c == CLS_ZERO) {
    signal(SW_ZE);
    xtExpSe = 0xffff; xtExpSig = INT_BIT; // -infinity
    setZero(sign);
    return;
  }
  if (c == CLS_INF) { xtExpSe = 0x7fff; xtExpSig = INT_BIT; setResult(aSe, aSig); return; }
  if (isDenormal(aSe, aSig)) signal(SW_DE);
  unpack(aSe, aSig);
  const sig = unSig;
  fromInt64(<i64>(unExp - BIAS));
  xtExpSe = resSe; xtExpSig = resSig;
  setResult((sign << 15) | <u32>BIAS, sig);
}

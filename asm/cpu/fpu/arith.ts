// The basic operations on extended values, exact to the last bit: add/subtract, multiply,
// divide and square root (IEEE 754 as the x87 implements it: SDM Vol. 1 4.8, 8.5, and the special
// operand tables of FADD, FMUL, FDIV and FSQRT in Vol. 2A). Results go through roundPack with the
// precision control given by the caller; operands are (se, sig) pairs.
import {
  classify, unpack, unExp, unSig, propagateNaN1, propagateNaN2, invalid, setInf, setZero,
  setResult, roundExt, normRoundExt, shiftRight128, shrHi, shrLo, exactZeroSign, isDenormal,
  signOf, CLS_ZERO, CLS_INF, CLS_UNSUPPORTED, isNaNCls, BIAS, INT_BIT,
} from "./f80";
import { signal, SW_DE, SW_ZE } from "./regs";

// 64 x 64 -> 128-bit product in mulHi:mulLo.
export let mulHi: u64 = 0;
export let mulLo: u64 = 0;
export function mul64(a: u64, b: u64): void {
  const aL = a & 0xffffffff, aH = a >> 32, bL = b & 0xffffffff, bH = b >> 32;
  const ll = aL * bL, lh = aL * bH, hl = aH * bL, hh = aH * bH;
  const mid = (ll >> 32) + (lh & 0xffffffff) + (hl & 0xffffffff);
  mulLo = (ll & 0xffffffff) | (mid << 32);
  mulHi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

// Common special-operand screening for two-operand arithmetic: unsupported formats are invalid,
// NaNs propagate. Returns true when the result is already decided.
// A denormal memory operand (single or double) was converted to a normal extended value: the
// caller reports it here so that DE keeps its priority below invalid operands and NaNs.
export let memDenormal: bool = false;
export function setMemDenormal(v: bool): void { memDenormal = v; }
function screenNaN(aSe: u32, aSig: u64, ac: i32, bSe: u32, bSig: u64, bc: i32): bool {
  if (ac == CLS_UNSUPPORTED || bc == CLS_UNSUPPORTED) { invalid(); return true; }
  if (isNaNCls(ac) || isNaNCls(bc)) { propagateNaN2(aSe, aSig, ac, bSe, bSig, bc); return true; }
  return false;
}
// DE: a denormal operand (SDM Vol. 1 8.5.2), lower in priority than invalid and zero divide.
function denormalCheck(aSe: u32, aSig: u64, bSe: u32, bSig: u64): void {
  if (memDenormal || isDenormal(aSe, aSig) || isDenormal(bSe, bSig)) signal(SW_DE);
}

// a + b, or a - b when `negate` (the sign of b is flipped first).
export function f80Add(aSe: u32, aSig: u64, bSe: u32, bSig: u64, negate: bool, prec: i32, rcMode: i32): void {
  const ac = classify(aSe, aSig), bc = classify(bSe, bSig);
  if (screenNaN(aSe, aSig, ac, bSe, bSig, bc)) return;
  denormalCheck(aSe, aSig, bSe, bSig);
  const aSign = signOf(aSe);
  const bSign = signOf(bSe) ^ (negate ? 1 : 0);
  if (ac == CLS_INF || bc == CLS_INF) {
    if (ac == CLS_INF && bc == CLS_INF && aSign != bSign) { invalid(); return; }
    setInf(ac == CLS_INF ? aSign : bSign);
    return;
  }
  if (ac == CLS_ZERO && bc == CLS_ZERO) {
    setZero(aSign == bSign ? aSign : exactZeroSign(rcMode));
    return;
  }
  // A zero operand still goes through rounding: precision control applies to the other one.
  if (bc == CLS_ZERO) { unpack(aSe, aSig); roundExt(aSign, unExp, unSig, 0, prec, rcMode); return; }
  if (ac == CLS_ZERO) { unpack(bSe, bSig); roundExt(bSign, unExp, unSig, 0, prec, rcMode); return; }
  unpack(aSe, aSig);
  let ae = unExp, as = unSig;
  unpack(bSe, bSig);
  let be = unExp, bs = unSig;
  let sign = aSign;
  let otherSign = bSign;
  // Order by magnitude so that |a| >= |b|.
  if (be > ae || (be == ae && bs > as)) {
    let t = ae; ae = be; be = t;
    const ts = as; as = bs; bs = ts;
    sign = bSign; otherSign = aSign;
  }
  shiftRight128(bs, ae - be);
  const bh = shrHi, bl = shrLo;
  if (sign == otherSign) {
    const sum = as + bh;
    if (sum < as) {
      // Carry out: shift the 129-bit sum right by one, keeping a sticky bit.
      const lo = (bl >> 1) | (sum << 63) | (bl & 1);
      roundExt(sign, ae + 1, (sum >> 1) | INT_BIT, lo, prec, rcMode);
    } else roundExt(sign, ae, sum, bl, prec, rcMode);
    return;
  }
  // Subtraction of magnitudes: (as:0) - (bh:bl) >= 0.
  const lo: u64 = 0 - bl;
  const hi: u64 = as - bh - (bl != 0 ? 1 : 0);
  if (hi == 0 && lo == 0) { setZero(exactZeroSign(rcMode)); return; }
  normRoundExt(sign, ae, hi, lo, prec, rcMode);
}

export function f80Mul(aSe: u32, aSig: u64, bSe: u32, bSig: u64, prec: i32, rcMode: i32): void {
  const ac = classify(aSe, aSig), bc = classify(bSe, bSig);
  if (screenNaN(aSe, aSig, ac, bSe, bSig, bc)) return;
  denormalCheck(aSe, aSig, bSe, bSig);
  const sign = signOf(aSe) ^ signOf(bSe);
  if (ac == CLS_INF || bc == CLS_INF) {
    if (ac == CLS_ZERO || bc == CLS_ZERO) { invalid(); return; }
    setInf(sign);
    return;
  }
  if (ac == CLS_ZERO || bc == CLS_ZERO) { setZero(sign); return; }
  unpack(aSe, aSig);
  const ae = unExp, as = unSig;
  unpack(bSe, bSig);
  mul64(as, unSig);
  // The product of two [1,2) significands is in [1,4): bit 127 or 126 leads.
  normRoundExt(sign, ae + unExp - BIAS + 1, mulHi, mulLo, prec, rcMode);
}

export function f80Div(aSe: u32, aSig: u64, bSe: u32, bSig: u64, prec: i32, rcMode: i32): void {
  const ac = classify(aSe, aSig), bc = classify(bSe, bSig);
  if (screenNaN(aSe, aSig, ac, bSe, bSig, bc)) return;
  const sign = signOf(aSe) ^ signOf(bSe);
  if (ac == CLS_INF && bc == CLS_INF) { invalid(); return; }
  if (bc == CLS_ZERO) {
    // Zero divide outranks a denormal dividend (checked against hardware).
    if (ac == CLS_ZERO) { invalid(); return; }
    if (ac != CLS_INF) signal(SW_ZE);
    setInf(sign);
    return;
  }
  denormalCheck(aSe, aSig, bSe, bSig);
  if (ac == CLS_INF) { setInf(sign); return; }
  if (bc == CLS_INF) { setZero(sign); return; }
  if (ac == CLS_ZERO) { setZero(sign); return; }
  unpack(aSe, aSig);
  const ae = unExp, as = unSig;
  unpack(bSe, bSig);
  const be = unExp, bs = unSig;
  let exp = ae - be + BIAS;
  // Restoring division, one quotient bit per step; the partial remainder is kept as a 65-bit
  // value (carry:rem) so that it can be compared with bs after each doubling.
  let rem = as;
  let carry = false;
  if (as < bs) { exp--; carry = (rem >> 63) != 0; rem <<= 1; }
  let q: u64 = 0;
  for (let i = 0; i < 64; i++) {
    q <<= 1;
    if (carry || rem >= bs) { rem -= bs; q |= 1; }
    carry = (rem >> 63) != 0;
    rem <<= 1;
  }
  // One more quotient bit as the guard, then the sticky remainder.
  let lo: u64 = 0;
  if (carry || rem >= bs) { rem -= bs; lo = INT_BIT; }
  if (rem != 0 || carry) lo |= 1;
  roundExt(sign, exp, q, lo, prec, rcMode);
}

// sqrt (FSQRT): negative non-zero operands (including -infinity) are invalid; -0 gives -0.
export function f80Sqrt(aSe: u32, aSig: u64, prec: i32, rcMode: i32): void {
  const ac = classify(aSe, aSig);
  if (ac == CLS_UNSUPPORTED) { invalid(); return; }
  if (isNaNCls(ac)) { propagateNaN1(aSe, aSig); return; }
  if (ac == CLS_ZERO) { setResult(aSe, aSig); return; }
  if (signOf(aSe) != 0) { invalid(); return; } // a negative denormal is invalid, without DE
  if (isDenormal(aSe, aSig)) signal(SW_DE);
  if (ac == CLS_INF) { setResult(aSe, aSig); return; }
  unpack(aSe, aSig);
  const e = unExp - BIAS;
  // N = sig * 2^63 (even exponent) or sig * 2^64 (odd), so that sqrt(N) has exactly 64 bits.
  let nHi: u64, nLo: u64;
  if ((e & 1) == 0) { nHi = unSig >> 1; nLo = unSig << 63; } else { nHi = unSig; nLo = 0; }
  // floor(sqrt(N)) from a double estimate (about 53 bits), one correction step computed from
  // the exact remainder, and a final exact adjustment; N is in [2^126, 2^128).
  const est = Math.sqrt(<f64>nHi * 18446744073709551616.0 + <f64>nLo);
  let root: u64 = est >= 18446744073709551615.0 ? 0xffffffffffffffff : <u64>est;
  mul64(root, root);
  if (mulHi < nHi || (mulHi == nHi && mulLo <= nLo)) {
    const dLo = nLo - mulLo, dHi = nHi - mulHi - (nLo < mulLo ? 1 : 0);
    const step = <u64>((<f64>dHi * 18446744073709551616.0 + <f64>dLo) / (2.0 * <f64>root));
    root = root + step < root ? 0xffffffffffffffff : root + step;
  } else {
    const dLo = mulLo - nLo, dHi = mulHi - nHi - (mulLo < nLo ? 1 : 0);
    root -= <u64>Math.ceil((<f64>dHi * 18446744073709551616.0 + <f64>dLo) / (2.0 * <f64>root));
  }
  for (;;) { // too large?
    mul64(root, root);
    if (mulHi > nHi || (mulHi == nHi && mulLo > nLo)) root--; else break;
  }
  for (;;) { // too small?
    const r1 = root + 1;
    if (r1 == 0) break;
    mul64(r1, r1);
    if (mulHi < nHi || (mulHi == nHi && mulLo <= nLo)) root = r1; else break;
  }
  // Remainder N - root^2 (at most 2 * root): the root's next bit is 1 exactly when the remainder
  // exceeds root (sqrt(N) >= root + 1/2), and then the value can never be a tie.
  mul64(root, root);
  const remLo = nLo - mulLo, remHi = nHi - mulHi - (nLo < mulLo ? 1 : 0);
  const guard = remHi != 0 || remLo > root;
  const lo: u64 = guard ? INT_BIT | 1 : (remLo != 0 || remHi != 0 ? 1 : 0);
  roundExt(0, (e >> 1) + BIAS, root, lo, prec, rcMode);
}

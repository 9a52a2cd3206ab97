// Conversions between the extended format and the memory formats: single and double real,
// 16/32/64-bit integers and 18-digit packed BCD (SDM Vol. 1 4.2, 4.7, 8.2; FLD, FST, FILD,
// FIST, FBLD, FBSTP in Vol. 2A).
import {
  classify, unpack, unExp, unSig, roundPack, resSe, resSig, setResult, setZero, lastTiny,
  lastOverflow, CLS_ZERO, CLS_INF, CLS_QNAN, CLS_SNAN, CLS_UNSUPPORTED, BIAS, INT_BIT, QUIET_BIT,
  signOf,
} from "./f80";
import {
  signal, clearSignal, setRoundedUp, isMasked, SW_IE, SW_UE, SW_OE, RC_NEAREST, RC_UP, RC_DOWN,
} from "./regs";

// ---- loads: exact (the extended format holds every single, double and int64 value) ----
// srcDenormal: the memory operand was a denormal of its own format (DE for arithmetic and FLD).
// srcSNaN stays unquieted so that the consuming operation raises IE.
export let srcDenormal: bool = false;

function loadReal(sign: u32, e: i32, frac: u64, fracBits: i32, expAll: i32, bias: i32): void {
  srcDenormal = false;
  if (e == expAll) {
    // Infinity or NaN: the fraction moves under the explicit integer bit.
    setResult((sign << 15) | 0x7fff, INT_BIT | (frac << (<u64>(63 - fracBits))));
    return;
  }
  if (e == 0) {
    if (frac == 0) { setZero(sign); return; }
    srcDenormal = true;
    const sh = <i32>clz<u64>(frac);
    // value = frac * 2^(1 - bias - fracBits); normalized significand frac << sh
    setResult((sign << 15) | <u32>(1 - bias - fracBits + BIAS + 63 - sh), frac << (<u64>sh));
    return;
  }
  setResult((sign << 15) | <u32>(e - bias + BIAS), INT_BIT | (frac << (<u64>(63 - fracBits))));
}
export function fromF32(bits: u32): void {
  loadReal(bits >> 31, <i32>((bits >> 23) & 0xff), <u64>(bits & 0x7fffff), 23, 0xff, 127);
}
export function fromF64(bits: u64): void {
  loadReal(<u32>(bits >> 63), <i32>((bits >> 52) & 0x7ff), bits & 0xfffffffffffff, 52, 0x7ff, 1023);
}
export function fromInt64(v: i64): void {
  srcDenormal = false;
  if (v == 0) { setZero(0); return; }
  const sign: u32 = v < 0 ? 1 : 0;
  const mag: u64 = v < 0 ? <u64>(0 - v) : <u64>v;
  const sh = <i32>clz<u64>(mag);
  setResult((sign << 15) | <u32>(BIAS + 63 - sh), mag << (<u64>sh));
}

// ---- stores to single/double real ----
// storeOk is false when the store must not happen: an unmasked invalid, overflow or underflow
// leaves memory and the stack unchanged (SDM Vol. 1 8.5.4, 8.5.5).
export let storeOk: bool = true;
export let outBits: u64 = 0;

function toReal(se: u32, sig: u64, fracBits: i32, expAll: i32, bias: i32): void {
  storeOk = true;
  const sign = signOf(se);
  const c = classify(se, sig);
  const signBit: u64 = <u64>sign << (<u64>(fracBits + (fracBits == 23 ? 8 : 11)));
  const expField: u64 = <u64>expAll << (<u64>fracBits);
  const fracMask: u64 = (<u64>1 << (<u64>fracBits)) - 1;
  if (c == CLS_ZERO) { outBits = signBit; return; }
  if (c == CLS_INF) { outBits = signBit | expField; return; }
  if (c == CLS_UNSUPPORTED) {
    signal(SW_IE);
    if (!isMasked(SW_IE)) { storeOk = false; return; }
    // The indefinite of the destination format: sign 1, quiet bit only.
    outBits = (<u64>1 << (<u64>(fracBits + (fracBits == 23 ? 8 : 11)))) | expField | (<u64>1 << (<u64>(fracBits - 1)));
    return;
  }
  if (c == CLS_QNAN || c == CLS_SNAN) {
    // The NaN's significand is truncated; an SNaN is quieted and raises IE.
    if (c == CLS_SNAN) {
      signal(SW_IE);
      if (!isMasked(SW_IE)) { storeOk = false; return; }
    }
    outBits = signBit | expField | (((sig | QUIET_BIT) >> (<u64>(63 - fracBits))) & fracMask);
    return;
  }
  unpack(se, sig);
  roundPack(sign, unExp - BIAS + bias, unSig, 0, fracBits + 1, expAll, rcMode, false);
  if ((lastOverflow && !isMasked(SW_OE)) || (lastTiny && !isMasked(SW_UE))) {
    // Unmasked overflow/underflow to memory: nothing is stored, and only OE/UE are reported
    // (no PE, C1 = 0: checked against hardware).
    if (lastTiny) signal(SW_UE);
    clearSignal(SW_PE_BIT);
    setRoundedUp(false);
    storeOk = false;
    return;
  }
  outBits = signBit | (<u64>(resSe & 0x7fff) << (<u64>fracBits)) | ((resSig >> (<u64>(63 - fracBits))) & fracMask);
}
let rcMode: i32 = RC_NEAREST;
export function toF32(se: u32, sig: u64, rcm: i32): u32 { rcMode = rcm; toReal(se, sig, 23, 0xff, 127); return <u32>outBits; }
export function toF64(se: u32, sig: u64, rcm: i32): u64 { rcMode = rcm; toReal(se, sig, 52, 0x7ff, 1023); return outBits; }

// ---- rounding to an integer ----
// Rounds a finite value to an integer by the rounding mode: intMag (magnitude), intInexact, and
// C1 (rounded up). intHuge: |value| >= 2^64, no integer result.
export let intMag: u64 = 0;
export let intInexact: bool = false;
export let intHuge: bool = false;
export function roundToInt(se: u32, sig: u64, rcm: i32): void {
  intHuge = false;
  intInexact = false;
  setRoundedUp(false);
  const c = classify(se, sig);
  if (c == CLS_ZERO) { intMag = 0; return; }
  unpack(se, sig);
  const e = unExp - BIAS;
  if (e >= 64) { intHuge = true; return; }
  let ip: u64, frac: u64, sticky: bool;
  if (e >= 63) { ip = unSig; frac = 0; sticky = false; }
  else if (e >= 0) { ip = unSig >> (<u64>(63 - e)); frac = unSig << (<u64>(e + 1)); sticky = false; }
  else if (e >= -64) {
    ip = 0;
    frac = e == -1 ? unSig : unSig >> (<u64>(-e - 1));
    sticky = e != -1 && (unSig << (<u64>(64 + e + 1))) != 0;
  } else { ip = 0; frac = 0; sticky = true; }
  intMag = ip;
  if (frac == 0 && !sticky) return;
  intInexact = true;
  const sign = signOf(se);
  let inc: bool;
  if (rcm == RC_NEAREST) inc = frac > INT_BIT || (frac == INT_BIT && (sticky || (ip & 1) != 0));
  else if (rcm == RC_UP) inc = sign == 0;
  else if (rcm == RC_DOWN) inc = sign != 0;
  else inc = false;
  if (inc) {
    intMag = ip + 1;
    if (intMag == 0) intHuge = true;
  }
  setRoundedUp(inc);
}

// FIST/FISTP: `bits` is 16, 32 or 64. Out of range, NaN, infinity or unsupported: IE, and the
// integer indefinite (the most negative integer) when masked (SDM Vol. 1 4.8.3.7).
export function toInt(se: u32, sig: u64, bits: i32, rcm: i32): u64 {
  storeOk = true;
  const c = classify(se, sig);
  const indef: u64 = <u64>1 << (<u64>(bits - 1));
  if (c == CLS_INF || c == CLS_QNAN || c == CLS_SNAN || c == CLS_UNSUPPORTED) return intInvalid(indef);
  roundToInt(se, sig, rcm);
  const neg = signOf(se) != 0;
  if (intHuge || intMag > (neg ? indef : indef - 1)) { setRoundedUp(false); return intInvalid(indef); }
  if (intInexact) signal(SW_PE_BIT);
  const v: u64 = neg ? 0 - intMag : intMag;
  return bits == 64 ? v : v & ((<u64>1 << (<u64>bits)) - 1);
}
const SW_PE_BIT: u32 = 0x20;
function intInvalid(indef: u64): u64 {
  signal(SW_IE);
  if (!isMasked(SW_IE)) storeOk = false;
  return indef;
}

// ---- packed BCD (SDM Vol. 1 4.7): 9 bytes of two digits each, then the sign byte ----
export let bcdLo: u64 = 0; // bytes 0..7
export let bcdHi: u32 = 0; // bytes 8..9
export function toBcd(se: u32, sig: u64, rcm: i32): void {
  storeOk = true;
  const c = classify(se, sig);
  let bad = c == CLS_INF || c == CLS_QNAN || c == CLS_SNAN || c == CLS_UNSUPPORTED;
  if (!bad) {
    roundToInt(se, sig, rcm);
    bad = intHuge || intMag > 999999999999999999;
  }
  if (bad) {
    // The packed BCD indefinite: FFFF C000 0000 0000 0000.
    setRoundedUp(false);
    signal(SW_IE);
    if (!isMasked(SW_IE)) storeOk = false;
    bcdHi = 0xffff;
    bcdLo = 0xc000000000000000;
    return;
  }
  if (intInexact) signal(SW_PE_BIT);
  let m = intMag;
  let lo: u64 = 0;
  for (let i = 0; i < 16; i++) { lo |= (m % 10) << (<u64>(i * 4)); m /= 10; }
  bcdLo = lo;
  bcdHi = <u32>((m % 10) | ((m / 10) << 4)) | (signOf(se) << 15);
}
// FBLD: the digits are taken as they are (invalid digit encodings give undefined results in
// the SDM; here each nibble simply weighs its position). The sign of -0 is kept.
export function fromBcd(lo: u64, hi: u32): void {
  srcDenormal = false;
  let v: u64 = 0;
  v = ((<u64>(hi >> 4) & 0xf) * 10 + (<u64>hi & 0xf));
  for (let i = 15; i >= 0; i--) v = v * 10 + ((lo >> (<u64>(i * 4))) & 0xf);
  const sign: u32 = (hi >> 15) & 1;
  if (v == 0) { setZero(sign); return; }
  const sh = <i32>clz<u64>(v);
  setResult((sign << 15) | <u32>(BIAS + 63 - sh), v << (<u64>sh));
}

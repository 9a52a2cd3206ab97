// x87 operation groups: arithmetic, comparisons, loads and stores, and the register-stack
// instructions. Each follows the same order (SDM Vol. 1 8.5, 8.6): read memory operands (which may
// fault, leaving nothing changed), check the stack (#IS: IE|SF), compute into resSe/resSig, then
// either deliver the result or, for an unmasked pre-computation exception (IE, DE, ZE), deliver
// nothing; finally fold the flags into the status word.
import {
  readSeg16, readSeg32, readSeg64, writeSeg16, writeSeg32, writeSeg64, probeSegWrite,
} from "../segaccess";
import { addrsize32 } from "../decode";
import { faulted } from "../fault";
import {
  getEflags, setEflagsMasked, FLAG_CF, FLAG_PF, FLAG_ZF, FLAG_SF, FLAG_OF, FLAG_AF,
} from "../flags";
import {
  beginOp, signal, stackFault, commitFlags, unmaskedPending, isMasked, rc, precisionBits,
  stEmpty, stSe, stSig, writeSt, push, pop, freeSt, fpuSw, setFpuSw, fpuTop, setFpuTop, SW_IE,
  SW_DE, SW_ZE, SW_C0, SW_C2, SW_C3, SW_CC, INDEF_SE, INDEF_SIG,
} from "./regs";
import { resSe, resSig, propagateNaN1, classify, CLS_SNAN, INT_BIT } from "./f80";
import { f80Add, f80Mul, f80Div, setMemDenormal } from "./arith";
import {
  fromF32, fromF64, fromInt64, fromBcd, toF32, toF64, toInt, toBcd, srcDenormal, storeOk, bcdLo,
  bcdHi,
} from "./convert";
import { f80Compare, CMP_GT, CMP_LT, CMP_EQ } from "./misc";

export let rcm: i32 = 0;
export let prec: i32 = 64;
export function beginInsn(): void {
  beginOp();
  rcm = rc();
  prec = precisionBits();
}
function at(off: u32, delta: u32): u32 {
  const o = off + delta;
  return addrsize32 ? o : o & 0xffff;
}

// ---- arithmetic: dst = dst OP src, kinds by ModRM reg (0 ADD, 1 MUL, 4 SUB, 5 SUBR, 6 DIV, 7 DIVR) ----
function compute(kind: i32, dSe: u32, dSig: u64, sSe: u32, sSig: u64): void {
  switch (kind) {
    case 0: f80Add(dSe, dSig, sSe, sSig, false, prec, rcm); break;
    case 1: f80Mul(dSe, dSig, sSe, sSig, prec, rcm); break;
    case 4: f80Add(dSe, dSig, sSe, sSig, true, prec, rcm); break;
    case 5: f80Add(sSe, sSig, dSe, dSig, true, prec, rcm); break;
    case 6: f80Div(dSe, dSig, sSe, sSig, prec, rcm); break;
    default: f80Div(sSe, sSig, dSe, dSig, prec, rcm); break;
  }
}
// Deliver resSe/resSig to ST(dst) unless an unmasked IE/DE/ZE forbids it; then pop if asked.
export function deliver(dst: i32, popAfter: bool): void {
  if (!unmaskedPending(SW_IE | SW_DE | SW_ZE)) {
    writeSt(dst, resSe, resSig);
    if (popAfter) pop();
  }
  commitFlags(true);
}
// Stack underflow: IE|SF, C1=0; the masked response writes the indefinite to `dst`.
export function underflow(dst: i32, popAfter: bool): void {
  stackFault(false);
  if (isMasked(SW_IE)) {
    writeSt(dst, INDEF_SE, INDEF_SIG);
    if (popAfter) pop();
  }
  commitFlags(true);
}

export function arithReg(kind: i32, dst: i32, src: i32, popAfter: bool): void {
  if (stEmpty(dst) || stEmpty(src)) { underflow(dst, popAfter); return; }
  compute(kind, stSe(dst), stSig(dst), stSe(src), stSig(src));
  deliver(dst, popAfter);
}
// Memory source already converted to (se, sig); `den` = it was a denormal in its own format.
function arithMem(kind: i32, se: u32, sig: u64, den: bool): void {
  if (stEmpty(0)) { underflow(0, false); return; }
  setMemDenormal(den);
  compute(kind, stSe(0), stSig(0), se, sig);
  setMemDenormal(false);
  deliver(0, false);
}
export function arithMemF32(kind: i32, seg: i32, off: u32): void {
  const v = readSeg32(seg, off); if (faulted) return;
  fromF32(v);
  arithMem(kind, resSe, resSig, srcDenormal);
}
export function arithMemF64(kind: i32, seg: i32, off: u32): void {
  const v = readSeg64(seg, off); if (faulted) return;
  fromF64(v);
  arithMem(kind, resSe, resSig, srcDenormal);
}
function readInt(seg: i32, off: u32, bits: i32): i64 {
  if (bits == 16) return <i64><i16>readSeg16(seg, off);
  if (bits == 32) return <i64><i32>readSeg32(seg, off);
  return <i64>readSeg64(seg, off);
}
export function arithMemInt(kind: i32, seg: i32, off: u32, bits: i32): void {
  const v = readInt(seg, off, bits); if (faulted) return;
  fromInt64(v);
  arithMem(kind, resSe, resSig, false);
}

// ---- comparisons ----
// Condition codes C3 C2 C0 (SDM Vol. 2A FCOM Table 3-21): > 000, < 001, = 100, unordered 111.
function ccFor(r: i32): u32 {
  if (r == CMP_GT) return 0;
  if (r == CMP_LT) return SW_C0;
  if (r == CMP_EQ) return SW_C3;
  return SW_C0 | SW_C2 | SW_C3;
}
export function setCc(cc: u32): void { setFpuSw((fpuSw() & ~SW_CC) | cc); }
// Compare ST(0) with (se, sig), then pop `pops` times.
function compareWith(se: u32, sig: u64, unorderedOk: bool, pops: i32, den: bool): void {
  setMemDenormal(den);
  const r = f80Compare(stSe(0), stSig(0), se, sig, unorderedOk);
  setMemDenormal(false);
  // The condition codes are written even when the exception is unmasked; only the pops are
  // suppressed (checked against hardware).
  setCc(ccFor(r));
  if (!unmaskedPending(SW_IE | SW_DE)) for (let k = 0; k < pops; k++) pop();
  commitFlags(false);
}
// Stack underflow in a comparison: "unordered" whether IE is masked or not (checked against
// hardware); only the masked response pops.
function compareUnderflow(pops: i32): void {
  stackFault(false);
  setCc(SW_C0 | SW_C2 | SW_C3);
  if (isMasked(SW_IE)) for (let k = 0; k < pops; k++) pop();
  commitFlags(false);
}
export function compareReg(i: i32, unorderedOk: bool, pops: i32): void {
  if (stEmpty(0) || stEmpty(i)) { compareUnderflow(pops); return; }
  compareWith(stSe(i), stSig(i), unorderedOk, pops, false);
}
export function compareMemF32(seg: i32, off: u32, popAfter: bool): void {
  const v = readSeg32(seg, off); if (faulted) return;
  if (stEmpty(0)) { compareUnderflow(popAfter ? 1 : 0); return; }
  fromF32(v);
  compareWith(resSe, resSig, false, popAfter ? 1 : 0, srcDenormal);
}
export function compareMemF64(seg: i32, off: u32, popAfter: bool): void {
  const v = readSeg64(seg, off); if (faulted) return;
  if (stEmpty(0)) { compareUnderflow(popAfter ? 1 : 0); return; }
  fromF64(v);
  compareWith(resSe, resSig, false, popAfter ? 1 : 0, srcDenormal);
}
export function compareMemInt(seg: i32, off: u32, bits: i32, popAfter: bool): void {
  const v = readInt(seg, off, bits); if (faulted) return;
  if (stEmpty(0)) { compareUnderflow(popAfter ? 1 : 0); return; }
  fromInt64(v);
  compareWith(resSe, resSig, false, popAfter ? 1 : 0, false);
}
// FCOMI/FUCOMI(P): the result goes to ZF PF CF; OF SF AF are cleared (SDM Vol. 2A FCOMI).
export function comiReg(i: i32, unorderedOk: bool, popAfter: bool): void {
  const mask = FLAG_ZF | FLAG_PF | FLAG_CF | FLAG_OF | FLAG_SF | FLAG_AF;
  if (stEmpty(0) || stEmpty(i)) {
    stackFault(false);
    setEflagsMasked(FLAG_ZF | FLAG_PF | FLAG_CF, mask);
    if (popAfter && isMasked(SW_IE)) pop();
    commitFlags(true);
    return;
  }
  const r = f80Compare(stSe(0), stSig(0), stSe(i), stSig(i), unorderedOk);
  const f: u32 = r == CMP_GT ? 0 : r == CMP_LT ? FLAG_CF : r == CMP_EQ ? FLAG_ZF : FLAG_ZF | FLAG_PF | FLAG_CF;
  setEflagsMasked(f, mask);
  if (popAfter && !unmaskedPending(SW_IE | SW_DE)) pop();
  commitFlags(false); // C1 keeps its value (checked against hardware)
}

// ---- loads ----
// Push (se, sig) after the overflow check: the register below ST(0) must be empty, else IE|SF
// with C1=1 and, masked, the indefinite is pushed (SDM Vol. 1 8.5.1.1).
export function pushChecked(se: u32, sig: u64, den: bool): void {
  if (!stEmpty(-1)) {
    stackFault(true);
    if (isMasked(SW_IE)) push(INDEF_SE, INDEF_SIG);
    commitFlags(true);
    return;
  }
  // A denormal single/double operand raises DE; single and double SNaNs are quieted with IE
  // (extended-format loads pass them unchanged). Unmasked, either leaves TOP and the registers
  // unchanged: SDM Vol. 1 8.5.2 says so for loads of denormals explicitly. (The AMD host used by
  // test/cpu/fpu loads the denormal anyway; lab86 follows the Intel documentation here.)
  if (den) signal(SW_DE);
  if (classify(se, sig) == CLS_SNAN && convertedLoad) { propagateNaN1(se, sig); se = resSe; sig = resSig; }
  if (!unmaskedPending(SW_IE | SW_DE)) push(se, sig);
  commitFlags(true);
}
let convertedLoad = false;
export function fldF32(seg: i32, off: u32): void {
  const v = readSeg32(seg, off); if (faulted) return;
  fromF32(v);
  convertedLoad = true;
  pushChecked(resSe, resSig, srcDenormal);
}
export function fldF64(seg: i32, off: u32): void {
  const v = readSeg64(seg, off); if (faulted) return;
  fromF64(v);
  convertedLoad = true;
  pushChecked(resSe, resSig, srcDenormal);
}
export function fldF80(seg: i32, off: u32): void {
  const sig = readSeg64(seg, off); if (faulted) return;
  const se = readSeg16(seg, at(off, 8)); if (faulted) return;
  convertedLoad = false;
  pushChecked(se, sig, false);
}
export function fldInt(seg: i32, off: u32, bits: i32): void {
  const v = readInt(seg, off, bits); if (faulted) return;
  fromInt64(v);
  convertedLoad = false;
  pushChecked(resSe, resSig, false);
}
export function fldBcd(seg: i32, off: u32): void {
  const lo = readSeg64(seg, off); if (faulted) return;
  const hi = readSeg16(seg, at(off, 8)); if (faulted) return;
  fromBcd(lo, hi);
  convertedLoad = false;
  pushChecked(resSe, resSig, false);
}
export function fldReg(i: i32): void {
  convertedLoad = false;
  if (stEmpty(i)) {
    // The source is empty: underflow (it outranks an overflow of the destination; checked
    // against hardware), and the indefinite is pushed when masked.
    stackFault(false);
    if (isMasked(SW_IE)) push(INDEF_SE, INDEF_SIG);
    commitFlags(true);
    return;
  }
  pushChecked(stSe(i), stSig(i), false);
}

// Constants (SDM Vol. 1 8.3.8): rounded by the rounding control (not by precision control); PE
// is not raised and C1 is cleared. The SDM describes a 66-bit internal constant, but log10(2)
// rounds to nearest as the exact value does (its bits 65-66 alone would be a tie that stays
// down), so the constants carry 128 bits here: significand, then the next 64 bits.
export function fldConst(i: i32): void {
  let e: u32 = 0x3fff, hi: u64 = INT_BIT, lo: u64 = 0;
  switch (i) {
    case 0: break; // FLD1
    case 1: e = 0x4000; hi = 0xd49a784bcd1b8afe; lo = 0x492bf6ff4dafdb4c; break; // log2(10)
    case 2: e = 0x3fff; hi = 0xb8aa3b295c17f0bb; lo = 0xbe87fed0691d3e88; break; // log2(e)
    case 3: e = 0x4000; hi = 0xc90fdaa22168c234; lo = 0xc4c6628b80dc1cd1; break; // pi
    case 4: e = 0x3ffd; hi = 0x9a209a84fbcff798; lo = 0x8f8959ac0b7c9178; break; // log10(2)
    case 5: e = 0x3ffe; hi = 0xb17217f7d1cf79ab; lo = 0xc9e3b39803f2f6af; break; // ln(2)
    default: e = 0; hi = 0; break; // FLDZ (D9 EE)
  }
  // Round to nearest: up when the two extra bits exceed half or tie with an odd last bit;
  // up/down modes: up when inexact and the sign allows (all constants are positive).
  if (lo != 0) {
    let up = false;
    if (rcm == 0) up = lo > INT_BIT || (lo == INT_BIT && (hi & 1) != 0);
    else if (rcm == 2) up = true;
    if (up) hi++;
  }
  pushChecked(e, hi, false); // C1: 1 on stack overflow, else 0 (roundedUp stays false)
}

// ---- stores ----
// Empty ST(0): IE|SF, and the masked response stores the destination format's indefinite.
export function fstF32(seg: i32, off: u32, popAfter: bool): void {
  let v: u32;
  if (stEmpty(0)) {
    stackFault(false);
    if (!isMasked(SW_IE)) { commitFlags(true); return; }
    v = 0xffc00000;
  } else {
    v = toF32(stSe(0), stSig(0), rcm);
    if (!storeOk) { commitFlags(true); return; }
  }
  writeSeg32(seg, off, v); if (faulted) return;
  if (popAfter) pop();
  commitFlags(true);
}
export function fstF64(seg: i32, off: u32, popAfter: bool): void {
  let v: u64;
  if (stEmpty(0)) {
    stackFault(false);
    if (!isMasked(SW_IE)) { commitFlags(true); return; }
    v = 0xfff8000000000000;
  } else {
    v = toF64(stSe(0), stSig(0), rcm);
    if (!storeOk) { commitFlags(true); return; }
  }
  writeSeg64(seg, off, v); if (faulted) return;
  if (popAfter) pop();
  commitFlags(true);
}
function write80(seg: i32, off: u32, sig: u64, se: u32): bool {
  probeSegWrite(seg, off, 10); if (faulted) return false;
  writeSeg64(seg, off, sig);
  writeSeg16(seg, at(off, 8), se);
  return !faulted;
}
// FSTP m80: an exact copy, no exceptions but stack underflow.
export function fstF80(seg: i32, off: u32): void {
  let se: u32 = INDEF_SE, sig: u64 = INDEF_SIG;
  if (stEmpty(0)) {
    stackFault(false);
    if (!isMasked(SW_IE)) { commitFlags(true); return; }
  } else { se = stSe(0); sig = stSig(0); }
  if (!write80(seg, off, sig, se)) return;
  pop();
  commitFlags(true);
}
export function fistInt(seg: i32, off: u32, bits: i32, popAfter: bool): void {
  let v: u64;
  if (stEmpty(0)) {
    stackFault(false);
    if (!isMasked(SW_IE)) { commitFlags(true); return; }
    v = <u64>1 << (<u64>(bits - 1));
  } else {
    v = toInt(stSe(0), stSig(0), bits, rcm);
    if (!storeOk) { commitFlags(true); return; }
  }
  if (bits == 16) writeSeg16(seg, off, <u32>v);
  else if (bits == 32) writeSeg32(seg, off, <u32>v);
  else writeSeg64(seg, off, v);
  if (faulted) return;
  if (popAfter) pop();
  commitFlags(true);
}
export function fbstp(seg: i32, off: u32): void {
  let lo: u64, hi: u32;
  if (stEmpty(0)) {
    stackFault(false);
    if (!isMasked(SW_IE)) { commitFlags(true); return; }
    lo = 0xc000000000000000; hi = 0xffff;
  } else {
    toBcd(stSe(0), stSig(0), rcm);
    if (!storeOk) { commitFlags(true); return; }
    lo = bcdLo; hi = bcdHi;
  }
  if (!write80(seg, off, lo, hi)) return;
  pop();
  commitFlags(true);
}
// FST/FSTP ST(i): a copy of ST(0), no rounding.
export function fstReg(i: i32, popAfter: bool): void {
  if (stEmpty(0)) { underflow(i, popAfter); return; }
  writeSt(i, stSe(0), stSig(0));
  if (popAfter) pop();
  commitFlags(true);
}

// ---- register-stack instructions ----
export function fxch(i: i32): void {
  let aSe = stSe(0), aSig = stSig(0), bSe = stSe(i), bSig = stSig(i);
  if (stEmpty(0) || stEmpty(i)) {
    stackFault(false);
    if (!isMasked(SW_IE)) { commitFlags(true); return; }
    if (stEmpty(0)) { aSe = INDEF_SE; aSig = INDEF_SIG; }
    if (stEmpty(i)) { bSe = INDEF_SE; bSig = INDEF_SIG; }
  }
  writeSt(0, bSe, bSig);
  writeSt(i, aSe, aSig);
  commitFlags(true);
}
export function fincstp(): void { setFpuTop(fpuTop() + 1); commitFlags(true); }
export function fdecstp(): void { setFpuTop(fpuTop() - 1); commitFlags(true); }
// FFREE/FFREEP: the SDM leaves the condition codes undefined; hardware clears C1.
export function ffree(i: i32, popAfter: bool): void {
  freeSt(i);
  if (popAfter) pop();
  commitFlags(true);
}
// FCMOVcc (DA/DB C0..DF): B E BE U, negated by the DB forms (SDM Vol. 2A FCMOVcc).
export function fcmov(r: i32, i: i32, negate: bool): void {
  const fl = getEflags();
  let c: bool;
  switch (r & 3) {
    case 0: c = (fl & FLAG_CF) != 0; break;
    case 1: c = (fl & FLAG_ZF) != 0; break;
    case 2: c = (fl & (FLAG_CF | FLAG_ZF)) != 0; break;
    default: c = (fl & FLAG_PF) != 0; break;
  }
  if (negate) c = !c;
  if (stEmpty(0) || stEmpty(i)) { underflow(0, false); return; }
  if (c) writeSt(0, stSe(i), stSig(i));
  commitFlags(false); // C1 keeps its value (checked against hardware)
}

// Lazy arithmetic flags (SDM Vol. 1 3.4.3, Appendix A).
//
// FLAGS_BITS holds every EFLAGS bit, except that the bits named in FLAGS_LAZY (a subset of
// CF PF AF ZF SF OF) are stale and must be recomputed from the last arithmetic operation:
// LAZY_OP says how, LAZY_DST/SRC are its operands, LAZY_RES its result masked to LAZY_SIZE bits.
// An ALU instruction then costs a few stores; a Jcc/SETcc/CMOVcc computes only the flags it tests.
//
// The carry and overflow formulas work on the operands and the result alone, so ADC and SBB
// (whose carry-in is folded into the result) share the ADD and SUB kinds:
//   carry out of bit n-1  = majority(a, b, carry-in) = (a & b) | ((a | b) & ~r)
//   borrow out of bit n-1 = (~a & b) | ((~a | b) & r)
import { FLAGS_BITS, FLAGS_LAZY, LAZY_OP, LAZY_DST, LAZY_SRC, LAZY_RES, LAZY_SIZE } from "../layout";
import { FLAG_CF, FLAG_PF, FLAG_AF, FLAG_ZF, FLAG_SF, FLAG_OF, FLAGS_ARITH } from "./state";

export const LAZY_ADD = 0; // ADD ADC INC
export const LAZY_SUB = 1; // SUB SBB CMP DEC NEG
export const LAZY_LOGIC = 2; // AND OR XOR TEST: CF=OF=AF=0; also "result only" for other ops

export const FLAGS_SZP: u32 = FLAG_SF | FLAG_ZF | FLAG_PF;

// ---- recording an operation ----
// @ts-ignore: decorator
@inline export function setLazy(op: i32, dst: u32, src: u32, res: u32, size: i32): void {
  store<i32>(LAZY_OP, op);
  store<u32>(LAZY_DST, dst);
  store<u32>(LAZY_SRC, src);
  store<u32>(LAZY_RES, res);
  store<i32>(LAZY_SIZE, size);
  store<u32>(FLAGS_LAZY, FLAGS_ARITH);
}
// Result-only flags: SF ZF PF from `res`; CF OF AF taken from `cfofaf` (already positioned bits).
// Used by logic ops (cfofaf = 0), shifts, rotates-through-nothing and multiplies.
// @ts-ignore: decorator
@inline export function setLazyResult(res: u32, size: i32, cfofaf: u32): void {
  store<u32>(FLAGS_BITS, (load<u32>(FLAGS_BITS) & ~FLAGS_ARITH) | cfofaf);
  store<i32>(LAZY_OP, LAZY_LOGIC);
  store<u32>(LAZY_RES, res);
  store<i32>(LAZY_SIZE, size);
  store<u32>(FLAGS_LAZY, FLAGS_SZP);
}
// @ts-ignore: decorator
@inline export function setLazyLogic(res: u32, size: i32): void {
  store<i32>(LAZY_OP, LAZY_LOGIC);
  store<u32>(LAZY_RES, res);
  store<i32>(LAZY_SIZE, size);
  store<u32>(FLAGS_LAZY, FLAGS_ARITH);
}
// INC/DEC keep CF (SDM Vol. 2A INC): materialise the old CF, then record the rest lazily.
// @ts-ignore: decorator
@inline export function setLazyIncDec(op: i32, dst: u32, res: u32, size: i32): void {
  const cf = getCF() ? FLAG_CF : 0;
  store<u32>(FLAGS_BITS, (load<u32>(FLAGS_BITS) & ~FLAG_CF) | cf);
  store<i32>(LAZY_OP, op);
  store<u32>(LAZY_DST, dst);
  store<u32>(LAZY_SRC, 1);
  store<u32>(LAZY_RES, res);
  store<i32>(LAZY_SIZE, size);
  store<u32>(FLAGS_LAZY, FLAGS_ARITH & ~FLAG_CF);
}

// ---- computing single flags ----
// @ts-ignore: decorator
@inline function lazyCF(): bool {
  const op = load<i32>(LAZY_OP);
  if (op == LAZY_LOGIC) return false;
  const a = load<u32>(LAZY_DST), b = load<u32>(LAZY_SRC), r = load<u32>(LAZY_RES);
  const top = load<i32>(LAZY_SIZE) - 1;
  const c = op == LAZY_ADD ? (a & b) | ((a | b) & ~r) : (~a & b) | ((~a | b) & r);
  return ((c >>> top) & 1) != 0;
}
// @ts-ignore: decorator
@inline function lazyOF(): bool {
  const op = load<i32>(LAZY_OP);
  if (op == LAZY_LOGIC) return false;
  const a = load<u32>(LAZY_DST), b = load<u32>(LAZY_SRC), r = load<u32>(LAZY_RES);
  const top = load<i32>(LAZY_SIZE) - 1;
  const o = op == LAZY_ADD ? (a ^ r) & (b ^ r) : (a ^ b) & (a ^ r);
  return ((o >>> top) & 1) != 0;
}

// @ts-ignore: decorator
@inline export function getCF(): bool {
  if ((load<u32>(FLAGS_LAZY) & FLAG_CF) != 0) return lazyCF();
  return (load<u32>(FLAGS_BITS) & FLAG_CF) != 0;
}
// @ts-ignore: decorator
@inline export function getZF(): bool {
  if ((load<u32>(FLAGS_LAZY) & FLAG_ZF) != 0) return load<u32>(LAZY_RES) == 0;
  return (load<u32>(FLAGS_BITS) & FLAG_ZF) != 0;
}
// @ts-ignore: decorator
@inline export function getSF(): bool {
  if ((load<u32>(FLAGS_LAZY) & FLAG_SF) != 0) return ((load<u32>(LAZY_RES) >>> (load<i32>(LAZY_SIZE) - 1)) & 1) != 0;
  return (load<u32>(FLAGS_BITS) & FLAG_SF) != 0;
}
// @ts-ignore: decorator
@inline export function getOF(): bool {
  if ((load<u32>(FLAGS_LAZY) & FLAG_OF) != 0) return lazyOF();
  return (load<u32>(FLAGS_BITS) & FLAG_OF) != 0;
}
// PF: set when the low byte of the result has an even number of one bits.
// @ts-ignore: decorator
@inline export function getPF(): bool {
  if ((load<u32>(FLAGS_LAZY) & FLAG_PF) != 0) return (popcnt<u32>(load<u32>(LAZY_RES) & 0xff) & 1) == 0;
  return (load<u32>(FLAGS_BITS) & FLAG_PF) != 0;
}
export function getAF(): bool {
  if ((load<u32>(FLAGS_LAZY) & FLAG_AF) != 0) {
    if (load<i32>(LAZY_OP) == LAZY_LOGIC) return false;
    return ((load<u32>(LAZY_DST) ^ load<u32>(LAZY_SRC) ^ load<u32>(LAZY_RES)) & 0x10) != 0;
  }
  return (load<u32>(FLAGS_BITS) & FLAG_AF) != 0;
}

// Condition codes tttn (SDM Vol. 2, Appendix B.1.4.7): pairs of a test and its negation.
export function testCond(cc: u32): bool {
  let r: bool;
  switch (cc >> 1) {
    case 0: r = getOF(); break; // O / NO
    case 1: r = getCF(); break; // B / AE
    case 2: r = getZF(); break; // E / NE
    case 3: r = getCF() || getZF(); break; // BE / A
    case 4: r = getSF(); break; // S / NS
    case 5: r = getPF(); break; // P / NP
    case 6: r = getSF() != getOF(); break; // L / GE
    default: r = getZF() || (getSF() != getOF()); break; // LE / G
  }
  return r != ((cc & 1) != 0);
}

// Fold the lazy bits into FLAGS_BITS.
export function materializeFlags(): void {
  const lazy = load<u32>(FLAGS_LAZY);
  if (lazy == 0) return;
  let v: u32 = 0;
  if (getCF()) v |= FLAG_CF;
  if (getPF()) v |= FLAG_PF;
  if (getAF()) v |= FLAG_AF;
  if (getZF()) v |= FLAG_ZF;
  if (getSF()) v |= FLAG_SF;
  if (getOF()) v |= FLAG_OF;
  store<u32>(FLAGS_BITS, (load<u32>(FLAGS_BITS) & ~lazy) | (v & lazy));
  store<u32>(FLAGS_LAZY, 0);
}

// Set or clear one eagerly-known arithmetic flag (CMC, CLC, STC, BT, ...): the other lazy bits
// stay lazy.
export function setFlag(flag: u32, on: bool): void {
  store<u32>(FLAGS_LAZY, load<u32>(FLAGS_LAZY) & ~flag);
  const b = load<u32>(FLAGS_BITS);
  store<u32>(FLAGS_BITS, on ? b | flag : b & ~flag);
}

// EFLAGS with all lazy bits materialised. Bit 1 is always set.
export function getEflags(): u32 {
  materializeFlags();
  return load<u32>(FLAGS_BITS) | 2;
}
// Replace EFLAGS bits selected by `mask` with `v` (callers apply privilege rules first).
export function setEflagsMasked(v: u32, mask: u32): void {
  const cur = getEflags();
  store<u32>(FLAGS_BITS, ((cur & ~mask) | (v & mask)) | 2);
}
// The host's setter: bit 1 reads as one, bits 3, 5, 15 and 22..31 as zero (SDM Vol. 1 3.4.3).
export function setEflags(v: u32): void {
  store<u32>(FLAGS_LAZY, 0);
  store<u32>(FLAGS_BITS, (v & 0x3f7fd5) | 2);
}

export { FLAG_CF, FLAG_PF, FLAG_AF, FLAG_ZF, FLAG_SF, FLAG_OF };

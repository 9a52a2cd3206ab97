// ModRM operand access by size (8, 16 or 32 bits), after decode.fetchModrm().
//
// Read-modify-write instructions call readRmRmw() then writeRmRmw(): the segment check is done
// once for a write (SDM Vol. 3A 5.4: a read-only segment faults even on the read half), the read
// may fault before anything is committed, and the write is the instruction's first commit (the
// paging layer translates every page of a write before storing any byte).
import {
  reg8, setReg8, reg16, setReg16, reg32, setReg32, segAttrs, segLimit, segBase, ATTR_P, ATTR_CODE, ATTR_DC, ATTR_RW,
  ESP, ATTR_DB,
} from "../state";
import { SEG_SS } from "../../layout";
import { pushOp, popOp } from "../stack";
import { eaIsReg, eaSeg, eaOff, modrmRm, modrmReg, flatSegs } from "../decode";
import { faulted } from "../fault";
import { segLin } from "../segaccess";
import { readLin8, readLin16, readLin32, writeLin8, writeLin16, writeLin32, probeWrite, writeNeed } from "../memory";
import { TLB } from "../../layout";

// @ts-ignore: decorator
@inline export function getReg(r: i32, size: i32): u32 {
  if (size == 32) return reg32(r);
  if (size == 16) return reg16(r);
  return reg8(r);
}
// @ts-ignore: decorator
@inline export function setReg(r: i32, size: i32, v: u32): void {
  if (size == 32) setReg32(r, v);
  else if (size == 16) setReg16(r, v);
  else setReg8(r, v);
}
// @ts-ignore: decorator
@inline export function sizeMask(size: i32): u32 {
  return size == 32 ? 0xffffffff : size == 16 ? 0xffff : 0xff;
}

// @ts-ignore: decorator
@inline export function readLinSized(lin: u32, size: i32): u32 {
  if (size == 32) return readLin32(lin);
  if (size == 16) return readLin16(lin);
  return readLin8(lin);
}
// @ts-ignore: decorator
@inline export function writeLinSized(lin: u32, size: i32, v: u32): void {
  if (size == 32) writeLin32(lin, v);
  else if (size == 16) writeLin16(lin, v);
  else writeLin8(lin, v);
}

// Segment translation with a fast path for the common case, a present, writable, expand-up
// data segment with the whole operand inside the limit (what real mode and flat models use);
// everything else goes through segaccess.segLin, which raises the faults.
// @ts-ignore: decorator
@inline export function dataLin(seg: i32, off: u32, bytes: u32, write: bool): u32 {
  if (((flatSegs >> <u32>seg) & 1) != 0 && off <= 0xffffffff - (bytes - 1)) return segBase(seg) + off;
  const lim = segLimit(seg);
  if ((segAttrs(seg) & (ATTR_P | ATTR_CODE | ATTR_DC | ATTR_RW)) == (ATTR_P | ATTR_RW)
    && off <= lim - (bytes - 1) && lim >= bytes - 1) return segBase(seg) + off;
  return segLin(seg, off, bytes, write);
}

// Memory operand at seg:off of `size` bits.
export function readMem(seg: i32, off: u32, size: i32): u32 {
  const lin = dataLin(seg, off, <u32>(size >> 3), false);
  if (faulted) return 0;
  return readLinSized(lin, size);
}
export function writeMem(seg: i32, off: u32, size: i32, v: u32): void {
  const lin = dataLin(seg, off, <u32>(size >> 3), true);
  if (faulted) return;
  writeLinSized(lin, size, v);
}

export function readRm(size: i32): u32 {
  if (eaIsReg) return getReg(modrmRm, size);
  return readMem(eaSeg, eaOff, size);
}
export function writeRm(size: i32, v: u32): void {
  if (eaIsReg) { setReg(modrmRm, size, v); return; }
  writeMem(eaSeg, eaOff, size, v);
}

// A read-modify-write is a write for paging: a fault on its read half already reports W=1 in
// the #PF error code (as the processor does), so the pages are checked for writing first. The
// TLB hit test inline keeps the common case to one compare.
// @ts-ignore: decorator
@inline export function probeRmwLin(lin: u32, bytes: u32): void {
  const e = TLB + (((lin >>> 12) & 0xfff) << 3);
  if ((load<u32>(e) & (0xfffff000 | writeNeed)) != ((lin & 0xfffff000) | writeNeed)
    || (lin & 0xfff) > 0x1000 - bytes) probeWrite(lin, bytes);
}

let rmwLin: u32 = 0;
export function readRmRmw(size: i32): u32 {
  if (eaIsReg) return getReg(modrmRm, size);
  const bytes = <u32>(size >> 3);
  const lin = dataLin(eaSeg, eaOff, bytes, true);
  if (faulted) return 0;
  probeRmwLin(lin, bytes);
  if (faulted) return 0;
  rmwLin = lin;
  return readLinSized(lin, size);
}
export function writeRmRmw(size: i32, v: u32): void {
  if (eaIsReg) { setReg(modrmRm, size, v); return; }
  writeLinSized(rmwLin, size, v);
}

// @ts-ignore: decorator
@inline export function readRegOp(size: i32): u32 { return getReg(modrmReg, size); }
// @ts-ignore: decorator
@inline export function writeRegOp(size: i32, v: u32): void { setReg(modrmReg, size, v); }

// ---- Stack fast path ----
// PUSH/POP through an expand-up writable SS with the slot inside the limit, which is every
// real-mode and flat stack; anything else (expand-down stacks, limit faults) goes through
// stack.ts. Same results and faults as stack.ts, with the segment checks folded.

// Offset of the new top of stack after pushing `bytes`, or 0xffffffff for "use the slow path"
// (an offset that large can never be a valid 2- or 4-byte slot).
// @ts-ignore: decorator
@inline function fastPushOffset(sp: u32, bytes: u32): u32 {
  const a = segAttrs(SEG_SS);
  if ((a & (ATTR_P | ATTR_CODE | ATTR_DC | ATTR_RW)) != (ATTR_P | ATTR_RW)) return 0xffffffff;
  const off = (a & ATTR_DB) != 0 ? sp - bytes : (sp - bytes) & 0xffff;
  const lim = segLimit(SEG_SS);
  if (lim < bytes - 1 || off > lim - (bytes - 1)) return 0xffffffff;
  return off;
}
export function pushFast(v: u32, op32: bool): void {
  const sp = reg32(ESP);
  const bytes: u32 = op32 ? 4 : 2;
  const off = fastPushOffset(sp, bytes);
  if (off == 0xffffffff) { pushOp(v, op32); return; }
  const lin = segBase(SEG_SS) + off;
  if (op32) writeLin32(lin, v); else writeLin16(lin, v);
  if (faulted) return;
  setReg32(ESP, (segAttrs(SEG_SS) & ATTR_DB) != 0 ? off : (sp & 0xffff0000) | off);
}
// The value on top of the stack, without popping; stackTopOk is false if the fast path does not
// apply (the caller then uses stack.ts).
export let stackTopOk: bool = false;
export function peekFast(op32: bool): u32 {
  const a = segAttrs(SEG_SS);
  const bytes: u32 = op32 ? 4 : 2;
  stackTopOk = false;
  if ((a & (ATTR_P | ATTR_CODE | ATTR_DC | ATTR_RW)) != (ATTR_P | ATTR_RW)) return 0;
  const sp = reg32(ESP);
  const off = (a & ATTR_DB) != 0 ? sp : sp & 0xffff;
  const lim = segLimit(SEG_SS);
  if (lim < bytes - 1 || off > lim - (bytes - 1)) return 0;
  const lin = segBase(SEG_SS) + off;
  const v = op32 ? readLin32(lin) : readLin16(lin);
  if (faulted) return 0;
  stackTopOk = true;
  return v;
}
// ESP after popping `bytes` (wrapped to the stack size).
// @ts-ignore: decorator
@inline export function spAfterPop(bytes: u32): u32 {
  const sp = reg32(ESP);
  return (segAttrs(SEG_SS) & ATTR_DB) != 0 ? sp + bytes : (sp & 0xffff0000) | ((sp + bytes) & 0xffff);
}
export function popFast(op32: bool): u32 {
  const v = peekFast(op32);
  if (faulted) return 0;
  if (!stackTopOk) return popOp(op32);
  setReg32(ESP, spAfterPop(op32 ? 4 : 2));
  return v;
}

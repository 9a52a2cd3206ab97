// ModRM operand access by size (8, 16 or 32 bits), after decode.fetchModrm().
//
// Read-modify-write instructions call readRmRmw() then writeRmRmw(): the segment check is done
// once for a write (SDM Vol. 3A 5.4: a read-only segment faults even on the read half), the read
// may fault before anything is committed, and the write is the instruction's first commit (the
// paging layer translates every page of a write before storing any byte).
import {
  reg8, setReg8, reg16, setReg16, reg32, setReg32, segAttrs, segLimit, segBase, ATTR_P, ATTR_CODE, ATTR_DC, ATTR_RW,
} from "../state";
import { eaIsReg, eaSeg, eaOff, modrmRm, modrmReg } from "../decode";
import { faulted } from "../fault";
import { segLin } from "../segaccess";
import { readLin8, readLin16, readLin32, writeLin8, writeLin16, writeLin32 } from "../memory";

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

let rmwLin: u32 = 0;
export function readRmRmw(size: i32): u32 {
  if (eaIsReg) return getReg(modrmRm, size);
  const lin = dataLin(eaSeg, eaOff, <u32>(size >> 3), true);
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

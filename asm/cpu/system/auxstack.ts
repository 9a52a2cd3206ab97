// Building an interrupt, call-gate or far-call frame before anything is committed.
//
// Protected-mode transfers push several values, sometimes onto a stack that is not loaded yet
// (the inner stack from the TSS). The frame is written through this cursor, which checks each
// slot against the target stack's limit (including expand-down segments) and raises #SS with
// the caller's error code; SS and ESP are committed by the caller only once every push worked.
import { SEG_SS } from "../../layout";
import { reg32, segBase, segLimit, segAttrs, ESP, ATTR_DB, ATTR_DC, ATTR_CODE } from "../state";
import { raise, faulted, EXC_SS } from "../fault";
import { writeLin16, writeLin32, readLin16, readLin32, beginSupervisor, endSupervisor } from "../memory";

let base: u32 = 0;
let limit: u32 = 0;
let attrs: u32 = 0;
let sp: u32 = 0;
let errCode: i32 = 0;
let supervisor: bool = false;

// A frame on the stack described by a descriptor (base/limit/attrs), starting at `startSp`.
// `asSupervisor`: the pushes are made at an inner privilege level (CPL < 3).
export function frameOnStack(b: u32, l: u32, a: u32, startSp: u32, err: i32, asSupervisor: bool): void {
  base = b; limit = l; attrs = a; sp = startSp; errCode = err; supervisor = asSupervisor;
}
// A frame on the current stack (SS:ESP), at the current privilege.
export function frameOnCurrentStack(err: i32): void {
  base = segBase(SEG_SS); limit = segLimit(SEG_SS); attrs = segAttrs(SEG_SS); sp = reg32(ESP);
  errCode = err; supervisor = false;
}
// The stack pointer after the pushes so far (upper half preserved for 16-bit stacks).
export function frameSp(): u32 { return sp; }

// Is the `size`-byte slot at `off` inside the stack segment?
export function stackSlotOk(off: u32, size: u32, lim: u32, a: u32): bool {
  if ((a & (ATTR_CODE | ATTR_DC)) == ATTR_DC) {
    const upper: u32 = (a & ATTR_DB) != 0 ? 0xffffffff : 0xffff;
    return off > lim && off <= upper - (size - 1);
  }
  return lim >= size - 1 && off <= lim - (size - 1);
}

export function framePush(v: u32, size: u32): void {
  if (faulted) return;
  const big = (attrs & ATTR_DB) != 0;
  const nsp = big ? sp - size : (sp & 0xffff0000) | ((sp - size) & 0xffff);
  const off = big ? nsp : nsp & 0xffff;
  if (!stackSlotOk(off, size, limit, attrs)) { raise(EXC_SS, errCode); return; }
  if (supervisor) beginSupervisor();
  if (size == 4) writeLin32(base + off, v); else writeLin16(base + off, v);
  if (supervisor) endSupervisor();
  if (faulted) return;
  sp = nsp;
}

// Reads from the current stack at ESP + depth (with the current stack size), raising #SS(err)
// beyond the limit. Used for far returns, IRET and call-gate parameter copies.
export function stackRead(depth: u32, size: u32, err: i32): u32 {
  const a = segAttrs(SEG_SS);
  const big = (a & ATTR_DB) != 0;
  const off = big ? reg32(ESP) + depth : (reg32(ESP) + depth) & 0xffff;
  if (!stackSlotOk(off, size, segLimit(SEG_SS), a)) { raise(EXC_SS, err); return 0; }
  return size == 4 ? readLin32(segBase(SEG_SS) + off) : readLin16(segBase(SEG_SS) + off);
}

// String instructions MOVS CMPS STOS LODS SCAS INS OUTS with REP/REPE/REPNE (SDM Vol. 2B "REP").
//
// A repeated instruction runs at most REP_BATCH iterations per step. If it is not finished it
// leaves EIP at its own start, so the run loop can take an interrupt between steps and then
// re-execute it: (E)SI, (E)DI and (E)CX are updated after every completed iteration, which makes
// the instruction restartable, and a fault in iteration k leaves iterations 0..k-1 done
// (SDM Vol. 1 7.3.9.1: "interrupted and resumed").
import { INSN_START_EIP, EIP, FLAGS_BITS, SEG_DS, SEG_ES, TLB, DEBUG_TRAP } from "../../layout";
import {
  reg16, setReg16, reg32, setReg32, EAX, ECX, EDX, ESI, EDI, FLAG_DF, FLAG_TF, FLAG_RF,
  segAttrs, segLimit, segBase, ATTR_P, ATTR_CODE, ATTR_DC, ATTR_RW,
} from "../state";
import { faulted, raiseUD } from "../fault";
import { addrsize32, segOverride, repPrefix, lockPrefix } from "../decode";
import { segLin } from "../segaccess";
import { probeWrite, probeRead, readNeed, writeNeed } from "../memory";
import { setLazy, getZF, LAZY_SUB } from "../flags";
import { readMem, writeMem, getReg, setReg, sizeMask, readLinSized, writeLinSized } from "./operand";
import { ioAllowed } from "../system/api";
import { hostIoRead, hostIoWrite } from "../host";
import { budget } from "../run";
import { keepRfForNextInstruction } from "../system/debug";

const REP_BATCH: i32 = 1024;

export const STR_MOVS = 0;
export const STR_CMPS = 1;
export const STR_STOS = 2;
export const STR_LODS = 3;
export const STR_SCAS = 4;
export const STR_INS = 5;
export const STR_OUTS = 6;

// @ts-ignore: decorator
@inline function idx(r: i32): u32 { return addrsize32 ? reg32(r) : reg16(r); }
// @ts-ignore: decorator
@inline function bump(r: i32, delta: u32): void {
  if (addrsize32) setReg32(r, reg32(r) + delta);
  else setReg16(r, reg16(r) + delta);
}

// One iteration; returns false if it faulted.
function iterate(kind: i32, size: i32, delta: u32): void {
  const srcSeg = segOverride >= 0 ? segOverride : SEG_DS;
  switch (kind) {
    case STR_MOVS: {
      const v = readMem(srcSeg, idx(ESI), size);
      if (faulted) return;
      writeMem(SEG_ES, idx(EDI), size, v);
      if (faulted) return;
      bump(ESI, delta); bump(EDI, delta);
      return;
    }
    case STR_CMPS: {
      const a = readMem(srcSeg, idx(ESI), size);
      if (faulted) return;
      const b = readMem(SEG_ES, idx(EDI), size);
      if (faulted) return;
      setLazy(LAZY_SUB, a, b, (a - b) & sizeMask(size), size);
      bump(ESI, delta); bump(EDI, delta);
      return;
    }
    case STR_STOS: {
      writeMem(SEG_ES, idx(EDI), size, getReg(EAX, size));
      if (faulted) return;
      bump(EDI, delta);
      return;
    }
    case STR_LODS: {
      const v = readMem(srcSeg, idx(ESI), size);
      if (faulted) return;
      setReg(EAX, size, v);
      bump(ESI, delta);
      return;
    }
    case STR_SCAS: {
      const a = getReg(EAX, size);
      const b = readMem(SEG_ES, idx(EDI), size);
      if (faulted) return;
      setLazy(LAZY_SUB, a, b, (a - b) & sizeMask(size), size);
      bump(EDI, delta);
      return;
    }
    case STR_INS: {
      const port = reg16(EDX);
      if (!ioAllowed(port, <u32>(size >> 3)) || faulted) return;
      // Check the destination before the port read, whose side effects cannot be undone.
      const lin = segLin(SEG_ES, idx(EDI), <u32>(size >> 3), true);
      if (faulted) return;
      probeWrite(lin, <u32>(size >> 3));
      if (faulted) return;
      const v = <u32>hostIoRead(<i32>port, size >> 3) & sizeMask(size);
      writeLinSized(lin, size, v);
      if (faulted) return;
      bump(EDI, delta);
      return;
    }
    default: { // OUTS
      const port = reg16(EDX);
      if (!ioAllowed(port, <u32>(size >> 3)) || faulted) return;
      const v = readMem(srcSeg, idx(ESI), size);
      if (faulted) return;
      hostIoWrite(<i32>port, size >> 3, <i32>v);
      bump(ESI, delta);
      return;
    }
  }
}

// ---- Bulk fast path for REP MOVS and REP STOS going up (DF=0) ----
// Elements that lie in one page on each side, inside expand-up writable data segments, without
// 16-bit offset wrap, on pages the TLB maps directly, are moved with one memory.copy/fill. The
// result is the same as element by element: overlapping forward copies (where that differs from
// memmove) and anything unusual (MMIO, watched or code pages, limits) take the per-element path.

// Host address for `bytes` bytes at lin (within one page) if the TLB maps them for the access,
// else 0. A probe first fills the TLB (it may raise #PF, which the caller reports).
function hostSpan(lin: u32, bytes: u32, write: bool): usize {
  if (write) probeWrite(lin, bytes); else probeRead(lin, bytes);
  if (faulted) return 0;
  const e = TLB + (((lin >>> 12) & 0xfff) << 3);
  const need = write ? writeNeed : readNeed;
  if ((load<u32>(e) & (0xfffff000 | need)) != ((lin & 0xfffff000) | need)) return 0;
  return <usize>(lin + load<u32>(e, 4));
}
// @ts-ignore: decorator
@inline function plainSeg(seg: i32): bool {
  return (segAttrs(seg) & (ATTR_P | ATTR_CODE | ATTR_DC | ATTR_RW)) == (ATTR_P | ATTR_RW);
}
// How many whole elements starting at offset off fit before the segment limit, the 16-bit
// offset wrap and the end of the page of lin. 0 means "use the per-element path".
function elementsInSpan(seg: i32, off: u32, lin: u32, size: u32, count: u32): u32 {
  let n = count;
  const inPage = (<u32>0x1000 - (lin & 0xfff)) / size;
  if (n > inPage) n = inPage;
  const lim = segLimit(seg);
  if (off > lim) return 0;
  const inLimit = (lim - off) / size + 1;
  if (n > inLimit) n = inLimit;
  if (!addrsize32) {
    const inWrap = (<u32>0x10000 - off) / size;
    if (n > inWrap) n = inWrap;
  }
  return n;
}
// Returns the number of elements done (0: nothing, fall back).
function bulkStep(kind: i32, size: i32, count: u32): u32 {
  const bytes = <u32>(size >> 3);
  const dOff = idx(EDI);
  const dLin = segBase(SEG_ES) + dOff;
  if (!plainSeg(SEG_ES)) return 0;
  let n = elementsInSpan(SEG_ES, dOff, dLin, bytes, count);
  if (n < 2) return 0;
  if (kind == STR_STOS) {
    const dst = hostSpan(dLin, n * bytes, true);
    if (dst == 0) return 0;
    const v = getReg(EAX, size);
    if (size == 8) memory.fill(dst, <u8>v, n);
    else if (size == 16) { for (let i: u32 = 0; i < n; i++) store<u16>(dst + (i << 1), v); }
    else { for (let i: u32 = 0; i < n; i++) store<u32>(dst + (i << 2), v); }
    bump(EDI, n * bytes);
    return n;
  }
  const srcSeg = segOverride >= 0 ? segOverride : SEG_DS;
  if (!plainSeg(srcSeg)) return 0;
  const sOff = idx(ESI);
  const sLin = segBase(srcSeg) + sOff;
  const ns = elementsInSpan(srcSeg, sOff, sLin, bytes, n);
  if (ns < 2) return 0;
  n = ns;
  const len = n * bytes;
  const src = hostSpan(sLin, len, false);
  if (src == 0) return 0;
  const dst = hostSpan(dLin, len, true);
  if (dst == 0) return 0;
  // A forward element-by-element copy into an overlapping range above the source replicates
  // the source; memory.copy would not.
  if (dst > src && dst < src + len) return 0;
  memory.copy(dst, src, len);
  bump(ESI, len);
  bump(EDI, len);
  return n;
}

export function stringOp(kind: i32, size: i32): void {
  if (lockPrefix) { raiseUD(); return; }
  const flags = load<u32>(FLAGS_BITS);
  const delta: u32 = (flags & FLAG_DF) != 0 ? <u32>(-(size >> 3)) : <u32>(size >> 3);
  if (repPrefix == 0) {
    iterate(kind, size, delta);
    return;
  }
  // REPE/REPNE test ZF only for CMPS and SCAS; for the others F2 acts as REP.
  const cond = kind == STR_CMPS || kind == STR_SCAS;
  const wantZf = repPrefix == 0xf3;
  const batch = (flags & FLAG_TF) != 0 ? 1 : REP_BATCH;
  if ((kind == STR_MOVS || kind == STR_STOS) && (flags & (FLAG_DF | FLAG_TF)) == 0) {
    // Up to REP_BATCH elements in bulk, then the per-element loop finishes what is left.
    let left: u32 = <u32>REP_BATCH;
    while (left > 0) {
      const n = idx(ECX);
      if (n == 0) return;
      const done = bulkStep(kind, size, n < left ? n : left);
      // A probe fault comes before anything of the chunk is done, on the page of its first
      // element: the per-element path would raise the same fault with the same registers.
      if (faulted) return;
      if (done == 0) break;
      if (addrsize32) setReg32(ECX, n - done); else setReg16(ECX, n - done);
      left -= done;
    }
    if (idx(ECX) == 0) return;
    if (left == 0) { leaveUnfinished(); return; }
  }
  for (let i = 0; i < batch; i++) {
    const n = idx(ECX);
    if (n == 0) return;
    iterate(kind, size, delta);
    if (faulted) return;
    if (addrsize32) setReg32(ECX, n - 1); else setReg16(ECX, n - 1);
    if (n == 1) return;
    if (cond && getZF() != wantZf) return;
    if (budget <= 0) break; // the host asked to end the slice (e.g. from a port handler)
    // A data breakpoint hit by this iteration is reported after it, not after the whole
    // instruction (SDM Vol. 3A 17.3.1.2: repeated string instructions trap per iteration).
    if (load<u32>(DEBUG_TRAP) != 0) break;
  }
  leaveUnfinished();
}

// Not finished: execute this instruction again on the next step. RF is set while the instruction
// is suspended between iterations (SDM Vol. 3A 17.3.1.1), so an interrupt or #DB trap taken now
// pushes RF=1 and the resumed instruction does not fault again on an instruction breakpoint at
// its address; this also covers the restarts after each REP_BATCH chunk. debug.ts clears RF
// once an instruction completes (keepRfForNextInstruction carries it over this partial step).
function leaveUnfinished(): void {
  store<u32>(EIP, load<u32>(INSN_START_EIP));
  store<u32>(FLAGS_BITS, load<u32>(FLAGS_BITS) | FLAG_RF);
  keepRfForNextInstruction();
}

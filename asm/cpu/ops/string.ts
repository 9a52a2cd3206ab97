// String instructions MOVS CMPS STOS LODS SCAS INS OUTS with REP/REPE/REPNE (SDM Vol. 2B "REP").
//
// A repeated instruction runs at most REP_BATCH iterations per step. If it is not finished it
// leaves EIP at its own start, so the run loop can take an interrupt between steps and then
// re-execute it: (E)SI, (E)DI and (E)CX are updated after every completed iteration, which makes
// the instruction restartable, and a fault in iteration k leaves iterations 0..k-1 done
// (SDM Vol. 1 7.3.9.1: "interrupted and resumed").
import { INSN_START_EIP, EIP, FLAGS_BITS, SEG_DS, SEG_ES } from "../../layout";
import {
  reg16, setReg16, reg32, setReg32, EAX, ECX, EDX, ESI, EDI, FLAG_DF, FLAG_TF,
} from "../state";
import { faulted, raiseUD } from "../fault";
import { addrsize32, segOverride, repPrefix, lockPrefix } from "../decode";
import { segLin } from "../segaccess";
import { probeWrite } from "../memory";
import { setLazy, getZF, LAZY_SUB } from "../flags";
import { readMem, writeMem, getReg, setReg, sizeMask, readLinSized, writeLinSized } from "./operand";
import { ioAllowed } from "../system/api";
import { hostIoRead, hostIoWrite } from "../host";
import { budget } from "../run";

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
  for (let i = 0; i < batch; i++) {
    const n = idx(ECX);
    if (n == 0) return;
    iterate(kind, size, delta);
    if (faulted) return;
    if (addrsize32) setReg32(ECX, n - 1); else setReg16(ECX, n - 1);
    if (n == 1) return;
    if (cond && getZF() != wantZf) return;
    if (budget <= 0) break; // the host asked to end the slice (e.g. from a port handler)
  }
  // Not finished: execute this instruction again on the next step.
  store<u32>(EIP, load<u32>(INSN_START_EIP));
}

// Near control transfers (JMP CALL RET Jcc LOOPcc JCXZ), ENTER/LEAVE, and the stack forms of
// PUSH/POP that need care (PUSHA/POPA, POP r/m, segment registers).
// SDM Vol. 2A "CALL", "ENTER", "Jcc", "JMP", "LOOP/LOOPcc"; Vol. 2B "POP", "POPA", "PUSH", "RET".
import { SEG_CS, SEG_SS, INHIBIT_IRQ } from "../../layout";
import {
  reg16, setReg16, reg32, setReg32, eip, setEip, segLimit, segSel, ECX, ESP, EBP,
} from "../state";
import { faulted, raiseGP, raiseUD } from "../fault";
import {
  opsize32, addrsize32, lockPrefix, fetchModrm, eaIsReg, eaSeg, eaOff, modrmReg, eaOffPlus,
  fetch8, fetch16, fetchImmOp, fetchSimm8,
} from "../decode";
import { testCond, getZF } from "../flags";
import { spAdd, spOffset, stack32, pushOp, push16, peek16, peek32 } from "../stack";
import { readSeg16, readSeg32, writeSeg16, writeSeg32, segLin } from "../segaccess";
import { readRm, writeRm, readMem, getReg, setReg, pushFast, peekFast, stackTopOk } from "./operand";
import { loadSeg, farJump, farCall } from "../system/api";
import { probeWrite } from "../memory";

// A near branch: the target is truncated to 16 bits with a 16-bit operand size, and must lie
// within the CS limit, else #GP(0) with nothing changed.
// @ts-ignore: decorator
@inline export function branchOk(target: u32): bool {
  if (target > segLimit(SEG_CS)) { raiseGP(0); return false; }
  return true;
}
// @ts-ignore: decorator
@inline function wrapIp(t: u32): u32 { return opsize32 ? t : t & 0xffff; }

export function jccRel8(cc: u32): void {
  const d = fetchSimm8();
  if (faulted) return;
  // JZ/JNZ, the most frequent pair, test ZF without the general condition switch.
  if ((cc >> 1) == 2) { if (getZF() == ((cc & 1) != 0)) return; }
  else if (!testCond(cc)) return;
  const t = wrapIp(eip() + d);
  if (branchOk(t)) setEip(t);
}
export function jccRelOp(cc: u32): void {
  const d = fetchImmOp();
  if (faulted) return;
  if (!testCond(cc)) return;
  const t = wrapIp(eip() + (opsize32 ? d : <u32><i32><i16>d));
  if (branchOk(t)) setEip(t);
}
export function jmpRel8(): void {
  const d = fetchSimm8();
  if (faulted) return;
  const t = wrapIp(eip() + d);
  if (branchOk(t)) setEip(t);
}
export function jmpRelOp(): void {
  const d = fetchImmOp();
  if (faulted) return;
  const t = wrapIp(eip() + (opsize32 ? d : <u32><i32><i16>d));
  if (branchOk(t)) setEip(t);
}
export function callRelOp(): void {
  const d = fetchImmOp();
  if (faulted) return;
  const ret = eip();
  const t = wrapIp(ret + (opsize32 ? d : <u32><i32><i16>d));
  if (!branchOk(t)) return;
  pushFast(ret, opsize32);
  if (faulted) return;
  setEip(t);
}
// RET / RET imm16 (C3 / C2)
export function retNear(popBytes: u32): void {
  let t = peekFast(opsize32);
  if (faulted) return;
  if (!stackTopOk) {
    t = opsize32 ? peek32(0) : peek16(0);
    if (faulted) return;
  }
  if (!branchOk(t)) return;
  setReg32(ESP, spAdd(reg32(ESP), (opsize32 ? 4 : 2) + popBytes));
  setEip(t);
}
// LOOP (E2), LOOPE (E1), LOOPNE (E0), JCXZ/JECXZ (E3): the counter is CX or ECX by address size.
export function loopOp(opcode: u32): void {
  const d = fetchSimm8();
  if (faulted) return;
  const n = addrsize32 ? reg32(ECX) : reg16(ECX);
  let take: bool;
  let newN = n;
  if (opcode == 0xe3) take = n == 0;
  else {
    newN = n - 1;
    if (!addrsize32) newN &= 0xffff;
    take = newN != 0;
    if (opcode == 0xe1) take = take && getZF();
    else if (opcode == 0xe0) take = take && !getZF();
  }
  if (take) {
    const t = wrapIp(eip() + d);
    if (!branchOk(t)) return;
    setEip(t);
  }
  if (opcode != 0xe3) {
    if (addrsize32) setReg32(ECX, newN); else setReg16(ECX, newN);
  }
}

// FF /2 /3 /4 /5 /6 with the ModRM already fetched.
export function groupFFControl(op: i32): void {
  if (op == 2 || op == 4) { // CALL / JMP r/m (near, absolute)
    const size = opsize32 ? 32 : 16;
    const t = readRm(size);
    if (faulted) return;
    if (!branchOk(t)) return;
    if (op == 2) {
      pushFast(eip(), opsize32);
      if (faulted) return;
    }
    setEip(t);
    return;
  }
  if (op == 3 || op == 5) { // CALL / JMP m16:16 or m16:32
    if (eaIsReg) { raiseUD(); return; }
    const off = readMem(eaSeg, eaOff, opsize32 ? 32 : 16);
    if (faulted) return;
    const sel = readMem(eaSeg, eaOffPlus(opsize32 ? 4 : 2), 16);
    if (faulted) return;
    if (op == 3) farCall(sel, off, opsize32); else farJump(sel, off, opsize32);
    return;
  }
  // op 6: PUSH r/m
  const v = readRm(opsize32 ? 32 : 16);
  if (faulted) return;
  pushOp(v, opsize32);
}

// 9A / EA: far CALL / JMP ptr16:16 or ptr16:32
export function farDirect(call: bool): void {
  const off = fetchImmOp();
  const sel = fetch16();
  if (faulted) return;
  if (call) farCall(sel, off, opsize32); else farJump(sel, off, opsize32);
}

// 8F /0: POP r/m. The effective address is computed with ESP already incremented (SDM POP).
export function popRm(): void {
  const sp = reg32(ESP);
  const v = opsize32 ? peek32(0) : peek16(0);
  if (faulted) return;
  setReg32(ESP, spAdd(sp, opsize32 ? 4 : 2));
  fetchModrm();
  if (!faulted) {
    if (modrmReg != 0) raiseUD();
    else writeRm(opsize32 ? 32 : 16, v);
  }
  if (faulted) setReg32(ESP, sp);
}

// PUSH Sreg: with a 32-bit operand size P6 and later do a 16-bit store into the 4-byte slot,
// leaving its upper half unchanged (SDM PUSH, operation notes).
export function pushSeg(seg: i32): void {
  const sel = segSel(seg);
  if (!opsize32) { push16(sel); return; }
  const sp = spAdd(reg32(ESP), -4);
  // The whole 4-byte slot must be within the stack segment.
  segLin(SEG_SS, spOffset(sp), 4, true);
  if (faulted) return;
  writeSeg16(SEG_SS, spOffset(sp), sel);
  if (faulted) return;
  setReg32(ESP, sp);
}
export function popSeg(seg: i32): void {
  const v = opsize32 ? peek32(0) & 0xffff : peek16(0);
  if (faulted) return;
  loadSeg(seg, v);
  if (faulted) return;
  setReg32(ESP, spAdd(reg32(ESP), opsize32 ? 4 : 2));
  if (seg == SEG_SS) store<u32>(INHIBIT_IRQ, 1); // SDM POP: interrupts inhibited for one insn
}

// PUSHA/PUSHAD (60): EAX ECX EDX EBX (original ESP) EBP ESI EDI. ESP is committed last.
export function pusha(): void {
  const start = reg32(ESP);
  const size: u32 = opsize32 ? 4 : 2;
  let sp = start;
  for (let r = 0; r < 8; r++) {
    sp = spAdd(sp, -size);
    const v = r == ESP ? start : reg32(r);
    if (opsize32) writeSeg32(SEG_SS, spOffset(sp), v);
    else writeSeg16(SEG_SS, spOffset(sp), v);
    if (faulted) return;
  }
  setReg32(ESP, sp);
}
// POPA/POPAD (61): pops EDI ESI EBP (skipped ESP) EBX EDX ECX EAX. All eight slots are read
// before any register changes, so a fault leaves everything as it was.
function popaSlot(sp0: u32, k: u32): u32 {
  const off = spOffset(spAdd(sp0, k * (opsize32 ? 4 : 2)));
  return opsize32 ? readSeg32(SEG_SS, off) : readSeg16(SEG_SS, off);
}
export function popa(): void {
  const sp0 = reg32(ESP);
  const di = popaSlot(sp0, 0); if (faulted) return;
  const si = popaSlot(sp0, 1); if (faulted) return;
  const bp = popaSlot(sp0, 2); if (faulted) return;
  popaSlot(sp0, 3); if (faulted) return; // the saved ESP: read (it must be accessible), discarded
  const bx = popaSlot(sp0, 4); if (faulted) return;
  const dx = popaSlot(sp0, 5); if (faulted) return;
  const cx = popaSlot(sp0, 6); if (faulted) return;
  const ax = popaSlot(sp0, 7); if (faulted) return;
  const sz = opsize32 ? 32 : 16;
  setReg(7, sz, di); setReg(6, sz, si); setReg(5, sz, bp); setReg(3, sz, bx);
  setReg(2, sz, dx); setReg(1, sz, cx); setReg(0, sz, ax);
  setReg32(ESP, spAdd(sp0, 8 * (opsize32 ? 4 : 2)));
}

// ENTER imm16, imm8 (C8). Registers are committed at the end; the frame pointer copies are read
// through SS at (E)BP (SDM ENTER, operation).
export function enter(): void {
  const frame = fetch16();
  const level = fetch8() & 31;
  if (faulted) return;
  const size: u32 = opsize32 ? 4 : 2;
  const s32 = stack32();
  let sp = spAdd(reg32(ESP), -size);
  const bp0 = reg32(EBP);
  if (opsize32) writeSeg32(SEG_SS, spOffset(sp), bp0); else writeSeg16(SEG_SS, spOffset(sp), bp0);
  if (faulted) return;
  const frameTemp = sp;
  let bp = bp0;
  if (level > 0) {
    for (let i: u32 = 1; i < level; i++) {
      bp = s32 ? bp - size : (bp & 0xffff0000) | ((bp - size) & 0xffff);
      const off = s32 ? bp : bp & 0xffff;
      const v = opsize32 ? readSeg32(SEG_SS, off) : readSeg16(SEG_SS, off);
      if (faulted) return;
      sp = spAdd(sp, -size);
      if (opsize32) writeSeg32(SEG_SS, spOffset(sp), v); else writeSeg16(SEG_SS, spOffset(sp), v);
      if (faulted) return;
    }
    sp = spAdd(sp, -size);
    if (opsize32) writeSeg32(SEG_SS, spOffset(sp), frameTemp); else writeSeg16(SEG_SS, spOffset(sp), frameTemp);
    if (faulted) return;
  }
  sp = spAdd(sp, -frame);
  // The new top of stack must be writable: within the stack segment (SDM ENTER: #SS(0)) and on
  // a present, writable page (the processor write-checks it: a #PF there has W=1).
  if (frame != 0) {
    const lin = segLin(SEG_SS, spOffset(sp), size, true);
    if (faulted) return;
    probeWrite(lin, size);
    if (faulted) return;
  }
  // The operand size, not the stack size, decides between EBP and BP (as processors do; the
  // SDM's pseudo-code tests the stack size).
  if (opsize32) setReg32(EBP, frameTemp); else setReg16(EBP, frameTemp);
  setReg32(ESP, sp);
}
// LEAVE (C9): (E)SP <- (E)BP, then pop (E)BP.
export function leave(): void {
  const bp = reg32(EBP);
  const sp = stack32() ? bp : (reg32(ESP) & 0xffff0000) | (bp & 0xffff);
  const off = spOffset(sp);
  const v = opsize32 ? readSeg32(SEG_SS, off) : readSeg16(SEG_SS, off);
  if (faulted) return;
  setReg32(ESP, spAdd(sp, opsize32 ? 4 : 2));
  if (opsize32) setReg32(EBP, v); else setReg16(EBP, v);
}

// LDS LES LFS LGS LSS: load a far pointer m16:16/32 into seg:reg.
export function loadFarPointer(seg: i32): void {
  if (lockPrefix) { raiseUD(); return; }
  fetchModrm();
  if (faulted) return;
  if (eaIsReg) { raiseUD(); return; }
  const size = opsize32 ? 32 : 16;
  const off = readMem(eaSeg, eaOff, size);
  if (faulted) return;
  const sel = readMem(eaSeg, eaOffPlus(opsize32 ? 4 : 2), 16);
  if (faulted) return;
  loadSeg(seg, sel);
  if (faulted) return;
  // Unlike MOV SS and POP SS, LSS does not open an interrupt shadow (SDM Vol. 2A MOV, POP).
  setReg(modrmReg, size, off);
}

// MOV Sreg, r/m16 (8E): CS is not a valid destination (#UD), nor are encodings 6 and 7.
export function movToSeg(): void {
  if (lockPrefix) { raiseUD(); return; }
  fetchModrm();
  if (faulted) return;
  const seg = modrmReg;
  if (seg == SEG_CS || seg > 5) { raiseUD(); return; }
  const v = readRm(16);
  if (faulted) return;
  loadSeg(seg, v);
  if (faulted) return;
  if (seg == SEG_SS) store<u32>(INHIBIT_IRQ, 1);
}
// MOV r/m16, Sreg (8C): a register destination with a 32-bit operand size gets the selector
// zero-extended (Pentium Pro and later, SDM MOV); a memory destination is always 16 bits.
export function movFromSeg(): void {
  if (lockPrefix) { raiseUD(); return; }
  fetchModrm();
  if (faulted) return;
  if (modrmReg > 5) { raiseUD(); return; }
  const v = segSel(modrmReg);
  writeRm(eaIsReg && opsize32 ? 32 : 16, v);
}

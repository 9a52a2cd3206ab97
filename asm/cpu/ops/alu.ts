// The eight ALU operations, INC/DEC, and group 3 (TEST NOT NEG MUL IMUL DIV IDIV).
// SDM Vol. 2A/2B, the pages of each instruction.
import {
  reg8, setReg8, reg16, setReg16, reg32, setReg32, EAX, EDX, FLAG_CF, FLAG_OF,
} from "../state";
import { faulted, raise, raiseUD, EXC_DE, NO_ERRCODE } from "../fault";
import {
  setLazy, setLazyLogic, setLazyResult, setLazyIncDec, getCF, LAZY_ADD, LAZY_SUB,
} from "../flags";
import { fetchModrm, modrmReg, modrmRm, eaIsReg, lockPrefix, fetch8, fetchImmOp, fetchSimm8 } from "../decode";
import { readRm, readRmRmw, writeRmRmw, getReg, setReg, sizeMask, readRegOp, writeRegOp } from "./operand";

// ALU operation `op` (the reg field of group 1: ADD OR ADC SBB AND SUB XOR CMP) on a and b.
// Returns the result masked to size and records the flags.
// @ts-ignore: decorator
@inline export function alu(op: i32, a: u32, b: u32, size: i32): u32 {
  const m = sizeMask(size);
  let r: u32;
  switch (op) {
    case 0: r = (a + b) & m; setLazy(LAZY_ADD, a, b, r, size); break;
    case 1: r = a | b; setLazyLogic(r, size); break;
    case 2: r = (a + b + (getCF() ? 1 : 0)) & m; setLazy(LAZY_ADD, a, b, r, size); break;
    case 3: r = (a - b - (getCF() ? 1 : 0)) & m; setLazy(LAZY_SUB, a, b, r, size); break;
    case 4: r = a & b; setLazyLogic(r, size); break;
    case 6: r = a ^ b; setLazyLogic(r, size); break;
    default: r = (a - b) & m; setLazy(LAZY_SUB, a, b, r, size); break; // SUB, CMP
  }
  return r;
}

// Opcodes 00-3D of the form `op r/m, reg` (d=0), `op reg, r/m` (d=1), `op AL/eAX, imm`.
// LOCK is valid only with a memory destination and not for CMP (SDM Vol. 2A LOCK).
export function aluModrm(opcode: u32, size: i32): void {
  fetchModrm();
  if (faulted) return;
  aluModrmFetched(opcode, size);
}
// The same after the ModRM byte (and displacement) were fetched (exec.ts's inline fast path).
export function aluModrmFetched(opcode: u32, size: i32): void {
  const op = <i32>((opcode >> 3) & 7);
  if (eaIsReg && !lockPrefix) { // register-register: nothing can fault
    const rm = modrmRm, rg = modrmReg;
    if ((opcode & 2) == 0) {
      const r = alu(op, getReg(rm, size), getReg(rg, size), size);
      if (op != 7) setReg(rm, size, r);
    } else {
      const r = alu(op, getReg(rg, size), getReg(rm, size), size);
      if (op != 7) setReg(rg, size, r);
    }
    return;
  }
  if ((opcode & 2) == 0) {
    if (lockPrefix && (eaIsReg || op == 7)) { raiseUD(); return; }
    if (op == 7) { // CMP only reads its destination (it may be a code segment, say)
      const d = readRm(size);
      if (faulted) return;
      alu(7, d, readRegOp(size), size);
      return;
    }
    const a = readRmRmw(size);
    if (faulted) return;
    const b = readRegOp(size);
    const m = sizeMask(size);
    // Compute the result first, commit it, then the flags (the write may still fault).
    const r = aluPreview(op, a, b, m);
    writeRmRmw(size, r);
    if (faulted) return;
    alu(op, a, b, size);
  } else {
    if (lockPrefix) { raiseUD(); return; }
    const b = readRm(size);
    if (faulted) return;
    const r = alu(op, readRegOp(size), b, size);
    if (op != 7) writeRegOp(size, r);
  }
}
// The result of an ALU op without touching the flags' lazy state (CF is only read).
// @ts-ignore: decorator
@inline function aluPreview(op: i32, a: u32, b: u32, m: u32): u32 {
  switch (op) {
    case 0: return (a + b) & m;
    case 1: return a | b;
    case 2: return (a + b + (getCF() ? 1 : 0)) & m;
    case 3: return (a - b - (getCF() ? 1 : 0)) & m;
    case 4: return a & b;
    case 6: return a ^ b;
    default: return (a - b) & m;
  }
}

export function aluAccImm(opcode: u32, size: i32): void {
  if (lockPrefix) { raiseUD(); return; }
  const op = <i32>((opcode >> 3) & 7);
  const imm = size == 8 ? fetch8() : fetchImmOp();
  if (faulted) return;
  const r = alu(op, getReg(EAX, size), imm, size);
  if (op != 7) setReg(EAX, size, r);
}

// Group 1: 80 (r/m8, imm8), 81 (r/m, imm), 82 (alias of 80 outside 64-bit mode), 83 (r/m, simm8).
export function group1(opcode: u32, size: i32): void {
  fetchModrm();
  if (faulted) return;
  group1Fetched(opcode, size);
}
// The same after the ModRM byte (and displacement) were fetched (exec.ts's inline fast path).
export function group1Fetched(opcode: u32, size: i32): void {
  const op = modrmReg;
  if (lockPrefix && (eaIsReg || op == 7)) { raiseUD(); return; }
  let imm: u32;
  if (opcode == 0x83) imm = fetchSimm8() & sizeMask(size);
  else if (size == 8) imm = fetch8();
  else imm = fetchImmOp();
  if (faulted) return;
  if (eaIsReg) {
    const r = alu(op, getReg(modrmRm, size), imm, size);
    if (op != 7) setReg(modrmRm, size, r);
    return;
  }
  if (op == 7) {
    const a = readRm(size);
    if (faulted) return;
    alu(7, a, imm, size);
    return;
  }
  const a = readRmRmw(size);
  if (faulted) return;
  writeRmRmw(size, aluPreview(op, a, imm, sizeMask(size)));
  if (faulted) return;
  alu(op, a, imm, size);
}

// INC/DEC r/m (FE /0 /1, FF /0 /1): the ModRM is already fetched.
export function incDecRm(dec: bool, size: i32): void {
  if (lockPrefix && eaIsReg) { raiseUD(); return; }
  const a = readRmRmw(size);
  if (faulted) return;
  const r = (dec ? a - 1 : a + 1) & sizeMask(size);
  writeRmRmw(size, r);
  if (faulted) return;
  setLazyIncDec(dec ? LAZY_SUB : LAZY_ADD, a, r, size);
}
// INC/DEC r16/r32 (40-4F).
// (LOCK before 40-4F is rejected by exec.ts's central check, like every non-lockable opcode.)
export function incDecReg(r: i32, dec: bool, size: i32): void {
  const a = getReg(r, size);
  const res = (dec ? a - 1 : a + 1) & sizeMask(size);
  setReg(r, size, res);
  setLazyIncDec(dec ? LAZY_SUB : LAZY_ADD, a, res, size);
}

// Group 3 (F6 byte, F7 word/dword).
export function group3(size: i32): void {
  fetchModrm();
  if (faulted) return;
  const op = modrmReg;
  if (lockPrefix && (eaIsReg || (op != 2 && op != 3))) { raiseUD(); return; }
  switch (op) {
    case 0: case 1: { // TEST r/m, imm (/1 is an undocumented alias that P6 decodes as TEST)
      const imm = size == 8 ? fetch8() : fetchImmOp();
      if (faulted) return;
      const a = readRm(size);
      if (faulted) return;
      setLazyLogic(a & imm, size);
      return;
    }
    case 2: { // NOT: flags unaffected
      const a = readRmRmw(size);
      if (faulted) return;
      writeRmRmw(size, ~a & sizeMask(size));
      return;
    }
    case 3: { // NEG: CF = (operand != 0), others as 0 - operand
      const a = readRmRmw(size);
      if (faulted) return;
      const r = (0 - a) & sizeMask(size);
      writeRmRmw(size, r);
      if (faulted) return;
      setLazy(LAZY_SUB, 0, a, r, size);
      return;
    }
    default: {
      const src = readRm(size);
      if (faulted) return;
      if (op == 4) mul(src, size);
      else if (op == 5) imul1(src, size);
      else if (op == 6) div(src, size);
      else idiv(src, size);
    }
  }
}

// MUL: CF = OF = (upper half != 0). SF ZF PF AF are undefined; we derive SF ZF PF from the low
// half and clear AF, as P6-family processors do.
function mul(src: u32, size: i32): void {
  if (size == 8) {
    const r = reg8(EAX) * src;
    setReg16(EAX, r);
    setLazyResult(r & 0xff, 8, (r >> 8) != 0 ? FLAG_CF | FLAG_OF : 0);
  } else if (size == 16) {
    const r = reg16(EAX) * src;
    setReg16(EAX, r & 0xffff);
    setReg16(EDX, r >>> 16);
    setLazyResult(r & 0xffff, 16, (r >>> 16) != 0 ? FLAG_CF | FLAG_OF : 0);
  } else {
    const r = <u64>reg32(EAX) * <u64>src;
    const hi = <u32>(r >>> 32);
    setReg32(EAX, <u32>r);
    setReg32(EDX, hi);
    setLazyResult(<u32>r, 32, hi != 0 ? FLAG_CF | FLAG_OF : 0);
  }
}
// One-operand IMUL: CF = OF = (the full product differs from the sign-extended low half).
function imul1(src: u32, size: i32): void {
  if (size == 8) {
    const r = <i32><i8>reg8(EAX) * <i32><i8>src;
    setReg16(EAX, <u32>r & 0xffff);
    setLazyResult(<u32>r & 0xff, 8, r != <i32><i8>r ? FLAG_CF | FLAG_OF : 0);
  } else if (size == 16) {
    const r = <i32><i16>reg16(EAX) * <i32><i16>src;
    setReg16(EAX, <u32>r & 0xffff);
    setReg16(EDX, (<u32>r >>> 16) & 0xffff);
    setLazyResult(<u32>r & 0xffff, 16, r != <i32><i16>r ? FLAG_CF | FLAG_OF : 0);
  } else {
    const r = <i64><i32>reg32(EAX) * <i64><i32>src;
    setReg32(EAX, <u32>r);
    setReg32(EDX, <u32>(r >>> 32));
    setLazyResult(<u32>r, 32, r != <i64><i32>r ? FLAG_CF | FLAG_OF : 0);
  }
}
// Two- and three-operand IMUL (0F AF, 69, 6B): truncated product into the register.
export function imulTrunc(a: u32, b: u32, size: i32): u32 {
  if (size == 16) {
    const r = <i32><i16>a * <i32><i16>b;
    setLazyResult(<u32>r & 0xffff, 16, r != <i32><i16>r ? FLAG_CF | FLAG_OF : 0);
    return <u32>r & 0xffff;
  }
  const r = <i64><i32>a * <i64><i32>b;
  setLazyResult(<u32>r, 32, r != <i64><i32>r ? FLAG_CF | FLAG_OF : 0);
  return <u32>r;
}
// 69 /r iw/id and 6B /r ib
export function imulImm(opcode: u32, size: i32): void {
  if (lockPrefix) { raiseUD(); return; }
  fetchModrm();
  if (faulted) return;
  const imm = opcode == 0x6b ? fetchSimm8() : fetchImmOp();
  if (faulted) return;
  const a = readRm(size);
  if (faulted) return;
  writeRegOp(size, imulTrunc(a, imm, size));
}

// DIV/IDIV raise #DE for a zero divisor or a quotient that does not fit (SDM Vol. 2A DIV).
// The flags are undefined; they are left unchanged.
function div(src: u32, size: i32): void {
  if (src == 0) { raise(EXC_DE, NO_ERRCODE); return; }
  if (size == 8) {
    const n = reg16(EAX);
    const q = n / src;
    if (q > 0xff) { raise(EXC_DE, NO_ERRCODE); return; }
    setReg16(EAX, ((n % src) << 8) | q);
  } else if (size == 16) {
    const n = (reg16(EDX) << 16) | reg16(EAX);
    const q = n / src;
    if (q > 0xffff) { raise(EXC_DE, NO_ERRCODE); return; }
    setReg16(EAX, q);
    setReg16(EDX, n % src);
  } else {
    const n = (<u64>reg32(EDX) << 32) | <u64>reg32(EAX);
    const q = n / <u64>src;
    if (q > 0xffffffff) { raise(EXC_DE, NO_ERRCODE); return; }
    setReg32(EAX, <u32>q);
    setReg32(EDX, <u32>(n % <u64>src));
  }
}
function idiv(src: u32, size: i32): void {
  if (src == 0) { raise(EXC_DE, NO_ERRCODE); return; }
  if (size == 8) {
    const n = <i32><i16>reg16(EAX);
    const d = <i32><i8>src;
    const q = n / d;
    if (q != <i32><i8>q) { raise(EXC_DE, NO_ERRCODE); return; }
    setReg16(EAX, ((<u32>(n % d) & 0xff) << 8) | (<u32>q & 0xff));
  } else if (size == 16) {
    const n = <i32>((reg16(EDX) << 16) | reg16(EAX));
    const d = <i32><i16>src;
    // -2^31 / -1 overflows i32 division: its quotient 2^31 does not fit 16 bits either.
    if (n == i32.MIN_VALUE && d == -1) { raise(EXC_DE, NO_ERRCODE); return; }
    const q = n / d;
    if (q != <i32><i16>q) { raise(EXC_DE, NO_ERRCODE); return; }
    setReg16(EAX, <u32>q & 0xffff);
    setReg16(EDX, <u32>(n % d) & 0xffff);
  } else {
    const n = <i64>((<u64>reg32(EDX) << 32) | <u64>reg32(EAX));
    const d = <i64><i32>src;
    if (n == i64.MIN_VALUE && d == -1) { raise(EXC_DE, NO_ERRCODE); return; }
    const q = n / d;
    if (q != <i64><i32>q) { raise(EXC_DE, NO_ERRCODE); return; }
    setReg32(EAX, <u32>q);
    setReg32(EDX, <u32>(n % d));
  }
}

// TEST r/m, reg (84, 85)
export function testModrm(size: i32): void {
  if (lockPrefix) { raiseUD(); return; }
  fetchModrm();
  if (faulted) return;
  const a = readRm(size);
  if (faulted) return;
  setLazyLogic(a & readRegOp(size), size);
}

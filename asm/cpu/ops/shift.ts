// Group 2 shifts and rotates (C0 C1 D0-D3) and SHLD/SHRD (0F A4 A5 AC AD).
// SDM Vol. 2B "RCL/RCR/ROL/ROR" and "SAL/SAR/SHL/SHR", Vol. 2B "SHLD", "SHRD".
//
// The count is masked to 5 bits; a masked count of 0 changes neither the operand nor any flag.
// Flags the SDM leaves undefined get the values P6-family processors produce: OF uses the
// count-1 formula for every count, AF is cleared by shifts.
import { FLAGS_BITS } from "../../layout";
import { FLAG_CF, FLAG_OF } from "../state";
import { faulted, raiseUD } from "../fault";
import { getCF, setLazyResult, materializeFlags } from "../flags";
import { fetchModrm, modrmReg, modrmRm, eaIsReg, lockPrefix, fetch8 } from "../decode";
import { readRmRmw, writeRmRmw, sizeMask, readRegOp, getReg, setReg } from "./operand";
import { reg8, ECX } from "../state";

// Rotates touch only CF and OF (SDM: "the SF, ZF, AF and PF flags are not affected").
function setCfOf(cf: bool, ovf: bool): void {
  materializeFlags();
  let b = load<u32>(FLAGS_BITS) & ~(FLAG_CF | FLAG_OF);
  if (cf) b |= FLAG_CF;
  if (ovf) b |= FLAG_OF;
  store<u32>(FLAGS_BITS, b);
}

// Computes op (the ModRM reg field) on a with a masked count (1..31). Returns the result.
export function shiftOp(op: i32, a: u32, count: u32, size: i32): u32 {
  const m = sizeMask(size);
  const top = <u32>(size - 1);
  let r: u32 = 0;
  switch (op) {
    case 0: { // ROL
      const n = count & top;
      r = n == 0 ? a : ((a << n) | (a >> (<u32>size - n))) & m;
      const cf = (r & 1) != 0;
      setCfOf(cf, (((r >> top) & 1) != 0) != cf);
      break;
    }
    case 1: { // ROR
      const n = count & top;
      r = n == 0 ? a : ((a >> n) | (a << (<u32>size - n))) & m;
      const msb = (r >> top) & 1;
      setCfOf(msb != 0, (msb ^ ((r >> (top - 1)) & 1)) != 0);
      break;
    }
    case 2: { // RCL: rotate the size+1 bit quantity CF:a
      const n = <u64>(size == 32 ? count : count % (<u32>size + 1));
      if (n == 0) return a;
      const w = <u64>(size + 1);
      const x = (<u64>(getCF() ? 1 : 0) << <u64>size) | <u64>a;
      const wm: u64 = (<u64>1 << w) - 1;
      const y = ((x << n) | (x >> (w - n))) & wm;
      r = <u32>y & m;
      const cf = ((y >> <u64>size) & 1) != 0;
      setCfOf(cf, (((r >> top) & 1) != 0) != cf);
      break;
    }
    case 3: { // RCR
      const n = <u64>(size == 32 ? count : count % (<u32>size + 1));
      if (n == 0) return a;
      const w = <u64>(size + 1);
      const oldCf = getCF();
      const x = (<u64>(oldCf ? 1 : 0) << <u64>size) | <u64>a;
      const wm: u64 = (<u64>1 << w) - 1;
      const y = ((x >> n) | (x << (w - n))) & wm;
      r = <u32>y & m;
      const cf = ((y >> <u64>size) & 1) != 0;
      // OF = MSB(result) XOR the bit below it, which for count 1 equals MSB(dest) XOR old CF.
      setCfOf(cf, (((r >> top) ^ (r >> (top - 1))) & 1) != 0);
      break;
    }
    case 4: case 6: { // SHL/SAL (/6 is an alias P6 decodes as SHL)
      const wide = <u64>a << <u64>count;
      r = <u32>wide & m;
      const cf = ((wide >> <u64>size) & 1) != 0;
      const ovf = (((r >> top) & 1) != 0) != cf;
      setLazyResult(r, size, (cf ? FLAG_CF : 0) | (ovf ? FLAG_OF : 0));
      break;
    }
    case 5: { // SHR: OF = MSB of the original operand
      r = count >= <u32>size ? 0 : a >> count;
      const cf = count > <u32>size ? false : ((a >> (count - 1)) & 1) != 0;
      const ovf = ((a >> top) & 1) != 0;
      setLazyResult(r, size, (cf ? FLAG_CF : 0) | (ovf ? FLAG_OF : 0));
      break;
    }
    default: { // SAR: OF = 0
      const s = size == 32 ? <i32>a : size == 16 ? <i32><i16>a : <i32><i8>a;
      const c = count >= <u32>size ? top : count;
      r = <u32>(s >> c) & m;
      const cf = ((s >> (count >= <u32>size ? top : count - 1)) & 1) != 0;
      setLazyResult(r, size, cf ? FLAG_CF : 0);
      break;
    }
  }
  return r;
}

// kind: 0 = count 1 (D0/D1), 1 = CL (D2/D3), 2 = imm8 (C0/C1)
export function group2(kind: i32, size: i32): void {
  if (lockPrefix) { raiseUD(); return; }
  fetchModrm();
  if (faulted) return;
  let count: u32 = 1;
  if (kind == 1) count = reg8(ECX);
  else if (kind == 2) { count = fetch8(); if (faulted) return; }
  count &= 0x1f;
  const op = modrmReg;
  if (eaIsReg) { // nothing can fault: compute result and flags in one go
    if (count != 0) setReg(modrmRm, size, shiftOp(op, getReg(modrmRm, size), count, size));
    return;
  }
  const a = readRmRmw(size);
  if (faulted) return;
  if (count == 0) return;
  // Commit the write first (it may fault), then record the flags.
  writeRmRmw(size, shiftPreview(op, a, count, size));
  if (faulted) return;
  shiftOp(op, a, count, size);
}
// The result only (used before the write commits, so a faulting write leaves the flags alone).
function shiftPreview(op: i32, a: u32, count: u32, size: i32): u32 {
  const m = sizeMask(size);
  const top = <u32>(size - 1);
  switch (op) {
    case 0: { const n = count & top; return n == 0 ? a : ((a << n) | (a >> (<u32>size - n))) & m; }
    case 1: { const n = count & top; return n == 0 ? a : ((a >> n) | (a << (<u32>size - n))) & m; }
    case 2: case 3: {
      const n = <u64>(size == 32 ? count : count % (<u32>size + 1));
      if (n == 0) return a;
      const w = <u64>(size + 1);
      const x = (<u64>(getCF() ? 1 : 0) << <u64>size) | <u64>a;
      const wm: u64 = (<u64>1 << w) - 1;
      const y = op == 2 ? ((x << n) | (x >> (w - n))) & wm : ((x >> n) | (x << (w - n))) & wm;
      return <u32>y & m;
    }
    case 4: case 6: return <u32>(<u64>a << <u64>count) & m;
    case 5: return count >= <u32>size ? 0 : a >> count;
    default: {
      const s = size == 32 ? <i32>a : size == 16 ? <i32><i16>a : <i32><i8>a;
      return <u32>(s >> (count >= <u32>size ? top : count)) & m;
    }
  }
}

// SHLD/SHRD r/m, reg, imm8|CL. For a 16-bit operand and a count above 16 the result is
// undefined; we shift the 48-bit quantity dest:src:dest as P6 processors do.
export function shiftDouble(right: bool, useCl: bool, size: i32): void {
  if (lockPrefix) { raiseUD(); return; }
  fetchModrm();
  if (faulted) return;
  let count: u32;
  if (useCl) count = reg8(ECX);
  else { count = fetch8(); if (faulted) return; }
  count &= 0x1f;
  const a = readRmRmw(size);
  if (faulted) return;
  if (count == 0) return;
  const b = readRegOp(size);
  let r: u32;
  let cf: bool;
  const top = <u32>(size - 1);
  if (size == 32) {
    if (!right) {
      const x = (<u64>a << 32) | <u64>b;
      r = <u32>((x << <u64>count) >> 32);
      cf = ((a >> (32 - count)) & 1) != 0;
    } else {
      const x = (<u64>b << 32) | <u64>a;
      r = <u32>(x >> <u64>count);
      cf = ((a >> (count - 1)) & 1) != 0;
    }
  } else {
    // 48-bit pattern: left shift of dest:src:dest, right shift of dest:src:dest mirrored.
    if (!right) {
      const x = (<u64>a << 32) | (<u64>b << 16) | <u64>a;
      r = <u32>((x << <u64>count) >> 32) & 0xffff;
      cf = ((x >> <u64>(48 - count)) & 1) != 0;
    } else {
      const x = (<u64>a << 32) | (<u64>b << 16) | <u64>a;
      r = <u32>(x >> <u64>count) & 0xffff;
      cf = ((x >> <u64>(count - 1)) & 1) != 0;
    }
  }
  writeRmRmw(size, r);
  if (faulted) return;
  // OF: set when the sign changed (defined for count 1).
  const ovf = ((r ^ a) >> top) & 1;
  setLazyResult(r, size, (cf ? FLAG_CF : 0) | (ovf != 0 ? FLAG_OF : 0));
}

// Two-byte integer instructions on bits and atomics: BT BTS BTR BTC, BSF BSR, BSWAP, CMPXCHG,
// CMPXCHG8B, XADD, CMOVcc, SETcc, MOVZX, MOVSX. SDM Vol. 2A/2B, the page of each instruction.
import {
  reg32, setReg32, EAX, ECX, EDX, EBX, FLAG_CF, FLAG_ZF,
} from "../state";
import { faulted, raiseUD } from "../fault";
import { setLazy, setFlag, testCond, LAZY_ADD, LAZY_SUB } from "../flags";
import {
  fetchModrm, fetch8, eaIsReg, eaSeg, eaOff, modrmReg, modrmRm, opsize32, addrsize32, lockPrefix,
} from "../decode";
import { segLin } from "../segaccess";
import { readLin64, writeLin64 } from "../memory";
import {
  readRm, writeRm, readRmRmw, writeRmRmw, getReg, setReg, sizeMask, readLinSized, writeLinSized, probeRmwLin,
} from "./operand";

// BT/BTS/BTR/BTC. op: 0 BT, 1 BTS, 2 BTR, 3 BTC. With a register bit offset and a memory
// operand, the offset is signed and selects memory beyond the operand: the address moves by
// (offset >> 5) * 4 (or >> 4 * 2 for 16 bits), wrapped to the address size (SDM BT).
// CF receives the selected bit; ZF is unchanged; OF SF AF PF are undefined (left unchanged).
function bitOp(op: i32, bitOff: u32, fromReg: bool): void {
  const size = opsize32 ? 32 : 16;
  if (lockPrefix && (eaIsReg || op == 0)) { raiseUD(); return; }
  let bit: u32;
  let v: u32;
  if (eaIsReg) {
    bit = bitOff & <u32>(size - 1);
    v = getReg(modrmRm, size);
    if (op != 0) setReg(modrmRm, size, bitResult(op, v, bit));
    setFlag(FLAG_CF, ((v >> bit) & 1) != 0);
    return;
  }
  let off = eaOff;
  if (fromReg) {
    const disp = size == 32 ? (<u32>(<i32>bitOff >> 5)) << 2 : (<u32>(<i32><i16>bitOff >> 4)) << 1;
    off += disp;
    if (!addrsize32) off &= 0xffff;
  }
  bit = bitOff & <u32>(size - 1);
  const lin = segLin(eaSeg, off, <u32>(size >> 3), op != 0);
  if (faulted) return;
  if (op != 0) { probeRmwLin(lin, <u32>(size >> 3)); if (faulted) return; }
  v = readLinSized(lin, size);
  if (faulted) return;
  if (op != 0) {
    writeLinSized(lin, size, bitResult(op, v, bit));
    if (faulted) return;
  }
  setFlag(FLAG_CF, ((v >> bit) & 1) != 0);
}
// @ts-ignore: decorator
@inline function bitResult(op: i32, v: u32, bit: u32): u32 {
  const m: u32 = 1 << bit;
  return op == 1 ? v | m : op == 2 ? v & ~m : v ^ m;
}
// 0F A3 / AB / B3 / BB: BTx r/m, reg
export function btReg(op: i32): void {
  fetchModrm();
  if (faulted) return;
  bitOp(op, getReg(modrmReg, opsize32 ? 32 : 16), true);
}
// 0F BA /4../7: BTx r/m, imm8
export function btImm(): void {
  fetchModrm();
  if (faulted) return;
  if (modrmReg < 4) { raiseUD(); return; }
  const imm = fetch8();
  if (faulted) return;
  bitOp(modrmReg - 4, imm, false);
}

// BSF/BSR: a zero source sets ZF and leaves the destination unchanged (as Intel processors do;
// the SDM calls it undefined). CF OF SF AF PF are undefined and left unchanged.
export function bitScan(reverse: bool): void {
  if (lockPrefix) { raiseUD(); return; }
  fetchModrm();
  if (faulted) return;
  const size = opsize32 ? 32 : 16;
  const v = readRm(size);
  if (faulted) return;
  if (v == 0) { setFlag(FLAG_ZF, true); return; }
  setReg(modrmReg, size, reverse ? 31 - clz<u32>(v) : ctz<u32>(v));
  setFlag(FLAG_ZF, false);
}

// CMPXCHG r/m, reg (0F B0 / B1): flags of CMP accumulator, destination. The destination is
// written in both cases (the old value when the compare fails), as the processor does.
export function cmpxchg(size: i32): void {
  fetchModrm();
  if (faulted) return;
  if (lockPrefix && eaIsReg) { raiseUD(); return; }
  const d = readRmRmw(size);
  if (faulted) return;
  const acc = getReg(EAX, size);
  const equal = acc == d;
  writeRmRmw(size, equal ? getReg(modrmReg, size) : d);
  if (faulted) return;
  if (!equal) setReg(EAX, size, d);
  setLazy(LAZY_SUB, acc, d, (acc - d) & sizeMask(size), size);
}
// CMPXCHG8B m64 (0F C7 /1): only ZF is affected; a register operand is #UD.
export function cmpxchg8b(): void {
  if (eaIsReg) { raiseUD(); return; }
  const lin = segLin(eaSeg, eaOff, 8, true);
  if (faulted) return;
  probeRmwLin(lin, 8);
  if (faulted) return;
  const m = readLin64(lin);
  if (faulted) return;
  const cmp = (<u64>reg32(EDX) << 32) | <u64>reg32(EAX);
  const equal = m == cmp;
  writeLin64(lin, equal ? (<u64>reg32(ECX) << 32) | <u64>reg32(EBX) : m);
  if (faulted) return;
  if (!equal) { setReg32(EAX, <u32>m); setReg32(EDX, <u32>(m >>> 32)); }
  setFlag(FLAG_ZF, equal);
}
// XADD r/m, reg (0F C0 / C1): TEMP = SRC + DEST; SRC = DEST; DEST = TEMP.
export function xadd(size: i32): void {
  fetchModrm();
  if (faulted) return;
  if (lockPrefix && eaIsReg) { raiseUD(); return; }
  const d = readRmRmw(size);
  if (faulted) return;
  const s = getReg(modrmReg, size);
  const r = (d + s) & sizeMask(size);
  if (eaIsReg) {
    setReg(modrmReg, size, d);
    setReg(modrmRm, size, r);
  } else {
    writeRmRmw(size, r);
    if (faulted) return;
    setReg(modrmReg, size, d);
  }
  setLazy(LAZY_ADD, d, s, r, size);
}

// CMOVcc r, r/m (0F 40..4F): the source is read (and may fault) whatever the condition.
export function cmov(cc: u32): void {
  if (lockPrefix) { raiseUD(); return; }
  fetchModrm();
  if (faulted) return;
  const size = opsize32 ? 32 : 16;
  const v = readRm(size);
  if (faulted) return;
  if (testCond(cc)) setReg(modrmReg, size, v);
}
// SETcc r/m8 (0F 90..9F): the reg field is ignored.
export function setcc(cc: u32): void {
  if (lockPrefix) { raiseUD(); return; }
  fetchModrm();
  if (faulted) return;
  writeRm(8, testCond(cc) ? 1 : 0);
}
// MOVZX / MOVSX r, r/m8 or r/m16
export function movExtend(signed: bool, srcSize: i32): void {
  if (lockPrefix) { raiseUD(); return; }
  fetchModrm();
  if (faulted) return;
  let v = readRm(srcSize);
  if (faulted) return;
  if (signed) v = srcSize == 8 ? <u32><i32><i8>v : <u32><i32><i16>v;
  setReg(modrmReg, opsize32 ? 32 : 16, v);
}
// BSWAP r32 (0F C8+r). With a 16-bit operand size the result is undefined; P6 and later
// processors clear the low word, which is what we do.
export function bswapReg(r: i32): void {
  if (lockPrefix) { raiseUD(); return; }
  if (!opsize32) { setReg(r, 16, 0); return; }
  setReg32(r, bswap<u32>(reg32(r)));
}

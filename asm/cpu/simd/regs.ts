// SIMD register file, availability checks and operand fetch shared by the MMX, SSE and SSE2
// instruction groups.
//
// Every instruction first reads its source operand into the scratch buffer SRC (16 bytes) and,
// for two-operand forms, its destination register into DST; the lane operations then work on
// these buffers and the result is committed with one register write at the end. Memory reads
// happen before anything is committed, so a fault leaves no partial state (fault.ts).
import { XMM, MXCSR, FPU_SW } from "../../layout";
import { cr0, cr4, CR0_EM, CR0_TS, CR4_OSFXSR, CR4_OSXMMEXCPT } from "../state";
import { raise, raiseUD, raiseGP, faulted, EXC_NM, EXC_XM } from "../fault";
import { eaIsReg, eaSeg, eaOff, modrmRm, lockPrefix, eaOffPlus } from "../decode";
import { readSeg32, readSeg64, writeSeg32, writeSeg64, probeSegWrite, probeSegRead } from "../segaccess";
import { mmxEnter, mmxGet, mmxSet, fpuWait } from "../fpu_api";

// Scratch operands SRC, DST and TMP: 16 bytes each, 16-byte aligned.
export const SRC: usize = memory.data(16, 16);
export const DST: usize = memory.data(16, 16);
export const TMP: usize = memory.data(16, 16);

// ---- XMM registers ----
// @ts-ignore: decorator
@inline export function xmmPtr(i: i32): usize { return <usize>XMM + (<usize>i << 4); }
// @ts-ignore: decorator
@inline export function xmmLo(i: i32): u64 { return load<u64>(xmmPtr(i)); }
// @ts-ignore: decorator
@inline export function xmmHi(i: i32): u64 { return load<u64>(xmmPtr(i), 8); }
// @ts-ignore: decorator
@inline export function setXmmLo(i: i32, v: u64): void { store<u64>(xmmPtr(i), v); }
// @ts-ignore: decorator
@inline export function setXmmHi(i: i32, v: u64): void { store<u64>(xmmPtr(i), v, 8); }
// @ts-ignore: decorator
@inline export function copy16(dst: usize, src: usize): void {
  store<u64>(dst, load<u64>(src));
  store<u64>(dst, load<u64>(src, 8), 8);
}

// ---- MXCSR (SDM Vol. 1 10.2.3) ----
export const MX_IE: u32 = 0x01; export const MX_DE: u32 = 0x02; export const MX_ZE: u32 = 0x04;
export const MX_OE: u32 = 0x08; export const MX_UE: u32 = 0x10; export const MX_PE: u32 = 0x20;
export const MX_DAZ: u32 = 0x40; export const MX_FZ: u32 = 0x8000;
export const MX_OM: u32 = 0x400; export const MX_UM: u32 = 0x800; // overflow and underflow masks
export const MX_FLAGS: u32 = 0x3f;
// Bits that may be set: all of 0..15 (DAZ is supported, as on the Pentium 4), so FXSAVE reports
// MXCSR_MASK = 0xffff (SDM Vol. 1 11.6.6).
export const MXCSR_MASK: u32 = 0xffff;
// @ts-ignore: decorator
@inline export function mxcsr(): u32 { return load<u32>(MXCSR); }
// @ts-ignore: decorator
@inline export function setMxcsr(v: u32): void { store<u32>(MXCSR, v); }

// ---- Availability (SDM Vol. 3A 13.1, Vol. 2 "Exceptions" tables 22-x/23-x) ----
// MMX instructions and the SSE/SSE2 forms that operate on MMX registers only: #UD with CR0.EM,
// #NM with CR0.TS, then a pending unmasked x87 exception is delivered (as FWAIT would).
export function checkMmx(): bool {
  if (lockPrefix) { raiseUD(); return false; }
  const c0 = cr0();
  if ((c0 & CR0_EM) != 0) { raiseUD(); return false; }
  if ((c0 & CR0_TS) != 0) { raise(EXC_NM, -1); return false; }
  if ((load<u32>(FPU_SW) & 0x80) != 0) { fpuWait(); if (faulted) return false; }
  return true;
}
// SSE/SSE2 on XMM registers: #UD with CR0.EM or CR4.OSFXSR clear, then #NM with CR0.TS.
export function checkSse(): bool {
  if (lockPrefix) { raiseUD(); return false; }
  const c0 = cr0();
  if ((c0 & CR0_EM) != 0 || (cr4() & CR4_OSFXSR) == 0) { raiseUD(); return false; }
  if ((c0 & CR0_TS) != 0) { raise(EXC_NM, -1); return false; }
  return true;
}
// SSE forms that also touch MMX registers (CVTPI2PS mm, CVTPS2PI, MOVQ2DQ, MOVDQ2Q): both sets.
export function checkSseMmx(): bool {
  if (!checkSse()) return false;
  if ((load<u32>(FPU_SW) & 0x80) != 0) { fpuWait(); if (faulted) return false; }
  return true;
}
// An unmasked SIMD floating-point exception: #XM when CR4.OSXMMEXCPT, else #UD (SDM Vol. 1 11.5.1).
export function raiseSimdFp(): void {
  if ((cr4() & CR4_OSXMMEXCPT) != 0) raise(EXC_XM, -1);
  else raiseUD();
}

// ---- MMX registers ----
export function mmx(i: i32): u64 { return mmxGet(i & 7); }
// Every write to an MMX register enters MMX state first (TOP=0, all tags valid).
export function setMmx(i: i32, v: u64): void { mmxEnter(); mmxSet(i & 7, v); }
export { mmxEnter };

// ---- Memory operands ----
// A 16-byte memory operand of an aligned form must be 16-byte aligned, else #GP(0), whatever the
// segment (SDM Vol. 2 MOVAPS, "Protected Mode Exceptions").
export function checkAlign16(): bool {
  if ((eaOff & 15) != 0) { raiseGP(0); return false; }
  return true;
}
export function readMem128(dst: usize, aligned: bool): void {
  if (aligned && !checkAlign16()) return;
  probeSegRead(eaSeg, eaOff, 16);
  if (faulted) return;
  const lo = readSeg64(eaSeg, eaOff);
  if (faulted) return;
  const hi = readSeg64(eaSeg, eaOffPlus(8));
  if (faulted) return;
  store<u64>(dst, lo);
  store<u64>(dst, hi, 8);
}
export function writeMem128(src: usize, aligned: bool): void {
  if (aligned && !checkAlign16()) return;
  probeSegWrite(eaSeg, eaOff, 16);
  if (faulted) return;
  writeSeg64(eaSeg, eaOff, load<u64>(src));
  if (faulted) return;
  writeSeg64(eaSeg, eaOffPlus(8), load<u64>(src, 8));
}
export function readMem64(): u64 { return readSeg64(eaSeg, eaOff); }
export function readMem32(): u32 { return readSeg32(eaSeg, eaOff); }
export function writeMem64(v: u64): void { writeSeg64(eaSeg, eaOff, v); }
export function writeMem32(v: u32): void { writeSeg32(eaSeg, eaOff, v); }

// Source operand xmm/m128 into SRC.
export function fetchXmmSrc128(aligned: bool): void {
  if (eaIsReg) copy16(SRC, xmmPtr(modrmRm));
  else readMem128(SRC, aligned);
}
// Source operand xmm/m64 into the low half of SRC (high half: the register's, or zero).
export function fetchXmmSrc64(): void {
  if (eaIsReg) copy16(SRC, xmmPtr(modrmRm));
  else { const v = readMem64(); if (faulted) return; store<u64>(SRC, v); store<u64>(SRC, 0, 8); }
}
export function fetchXmmSrc32(): void {
  if (eaIsReg) copy16(SRC, xmmPtr(modrmRm));
  else { const v = readMem32(); if (faulted) return; store<u64>(SRC, <u64>v); store<u64>(SRC, 0, 8); }
}
// Source operand mm/m64 (an MMX register read needs no state change; the caller enters MMX state).
export function fetchMmxSrc(): u64 {
  if (eaIsReg) return mmx(modrmRm);
  return readMem64();
}

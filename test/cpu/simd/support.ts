// Test support for the MMX/SSE/SSE2 unit: nasm assembly at test time, and a bare CPU in flat
// 32-bit protected mode (GDT and IDT written directly, CR0.PE, CR4.OSFXSR and OSXMMEXCPT set)
// whose exception vectors each lead to a lone HLT, so a fault shows up as a halt at
// HANDLERS + vector. Without exception delivery in the system unit, the run ends in
// EXIT_TRIPLE_FAULT and the vector is read from EXC_VECTOR instead.
import { hostReferenceMissing } from "../../support/nasm";
import { assemble32, flatCpu32 } from "../../support/flat32";
import type { Cpu } from "../../../src/machine/cpu";
import * as L from "../../../asm/layout";

export const CODE = 0x10000;
export const DATA = 0x80000;
export const HANDLERS = 0x600;
export const STACK_TOP = 0x9000;
export const CR4_OSFXSR = 1 << 9;
export const CR4_OSXMMEXCPT = 1 << 10;

/** Which external tools are missing (nasm; with `needGcc`, gcc -m32 on an x86 host); under CI=true a missing tool is an error, not a skip. */
export function toolsMissing(needGcc: boolean): boolean {
  return hostReferenceMissing(needGcc, "SIMD reference tests");
}

/** Assemble 32-bit code with nasm at `org` (test/support/flat32.ts). */
export function assemble(src: string, org = CODE, defines: string[] = []): Uint8Array {
  return assemble32(src, org, defines);
}

/** A bare CPU in flat 32-bit protected mode at CPL 0 (test/support/flat32.ts). */
export function flatCpu(): Promise<Cpu> {
  return flatCpu32({ cr4: CR4_OSFXSR | CR4_OSXMMEXCPT });
}

export interface RunResult {
  /** Exception vector that stopped the run, or null if the code reached its HLT. */
  fault: number | null;
  eip: number;
}

/** Run from `eip` until a HLT (the code's own, or an exception handler's). */
export function runTo(cpu: Cpu, eip: number, budget = 100000): RunResult {
  cpu.eip = eip;
  cpu.set(L.HALTED, 0);
  // Tests edit registers, segments and control registers through the views: let the CPU
  // re-derive whatever it caches from them.
  (cpu.exports.afterStateLoad as () => void)();
  let exit = L.EXIT_BUDGET;
  let left = budget;
  while (left > 0) {
    exit = cpu.run(Math.min(left, 1000));
    left -= 1000;
    if (exit !== L.EXIT_BUDGET) break;
  }
  const at = cpu.eip;
  let fault: number | null = null;
  if (exit === L.EXIT_TRIPLE_FAULT) fault = cpu.get(L.EXC_VECTOR);
  else if (at > HANDLERS && at <= HANDLERS + 32) fault = at - HANDLERS - 1;
  else if (exit === L.EXIT_BUDGET) throw new Error(`code did not reach HLT (eip ${at.toString(16)})`);
  return { fault, eip: at };
}

/** Assemble `src` (followed by HLT) at CODE and run it on `cpu`. */
export function runAsm(cpu: Cpu, src: string, budget = 100000): RunResult {
  cpu.ram().set(assemble(src + "\nhlt"), CODE);
  return runTo(cpu, CODE, budget);
}

// ---- state views ----
export function xmmBytes(cpu: Cpu, i: number): Uint8Array {
  return cpu.u8.slice(L.XMM + 16 * i, L.XMM + 16 * i + 16);
}
export function setXmmBytes(cpu: Cpu, i: number, b: Uint8Array): void {
  cpu.u8.set(b, L.XMM + 16 * i);
}
export function mmBytes(cpu: Cpu, i: number): Uint8Array {
  return cpu.u8.slice(L.FPU_REGS + 16 * i, L.FPU_REGS + 16 * i + 8);
}
/** An MMX register as the x87 unit holds it: significand, exponent field all ones. */
export function setMmBytes(cpu: Cpu, i: number, b: Uint8Array): void {
  cpu.u8.set(b.subarray(0, 8), L.FPU_REGS + 16 * i);
  cpu.dv.setUint16(L.FPU_REGS + 16 * i + 8, 0xffff, true);
}
export function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}
export function ram32(cpu: Cpu, addr: number): number {
  return cpu.dv.getUint32(cpu.ramOffset + addr, true);
}
export function setRam32(cpu: Cpu, addr: number, v: number): void {
  cpu.dv.setUint32(cpu.ramOffset + addr, v >>> 0, true);
}

// Test support for the x87 unit: a bare CPU in flat 32-bit protected mode (GDT and IDT written
// directly, CR0.PE|NE) whose exception vectors each lead to a lone HLT at HANDLERS + vector, and
// nasm assembly at test time (nothing assembled is committed).
import { hostReferenceMissing } from "../../support/nasm";
import { assemble32, flatCpu32 } from "../../support/flat32";
import type { Cpu } from "../../../src/machine/cpu";
import * as L from "../../../asm/layout";

export const CODE = 0x10000;
export const DATA = 0x200000;
export const HANDLERS = 0x600;
export const STACK_TOP = 0x9000;

/** True when nasm (or, with `needGcc`, gcc -m32 on an x86 host) is missing: skip locally, fail under CI=true. */
export function toolsMissing(needGcc: boolean): boolean {
  return hostReferenceMissing(needGcc, "x87 tests");
}

/** Assemble 32-bit code with nasm at `org` (test/support/flat32.ts). */
export function assemble(src: string, org = CODE, defines: string[] = []): Uint8Array {
  return assemble32(src, org, defines);
}

/** A bare CPU in flat 32-bit protected mode at CPL 0 (test/support/flat32.ts). */
export function flatCpu(): Promise<Cpu> {
  return flatCpu32({ clearMp: true });
}

export function setFlags(cpu: Cpu, v: number): void {
  cpu.set(L.FLAGS_LAZY, 0);
  cpu.set(L.FLAGS_BITS, (v | 2) >>> 0);
}

/** Run from `eip` until HLT; returns the halt address (HANDLERS + vector for a fault). */
export function runTo(cpu: Cpu, eip: number, budget = 100000): number {
  cpu.set(L.HALTED, 0);
  cpu.eip = eip;
  const r = cpu.run(budget);
  if (r !== L.EXIT_HLT && r !== L.EXIT_HLT_NOIRQ) {
    throw new Error(`run ended with exit reason ${r} at eip ${cpu.eip.toString(16)} (vector ${cpu.get(L.EXC_VECTOR)})`);
  }
  return cpu.eip - 1;
}

/** The x87 physical register p as [sig (bigint), se]. */
export function physReg(cpu: Cpu, p: number): [bigint, number] {
  const off = L.FPU_REGS + p * 16;
  return [cpu.dv.getBigUint64(off, true), cpu.dv.getUint16(off + 8, true)];
}
export function st(cpu: Cpu, i: number): [bigint, number] {
  const top = (cpu.get(L.FPU_SW) >> 11) & 7;
  return physReg(cpu, (top + i) & 7);
}

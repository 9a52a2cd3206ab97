// Test support for the MMX/SSE/SSE2 unit: nasm assembly at test time, and a bare CPU in flat
// 32-bit protected mode (GDT and IDT written directly, CR0.PE, CR4.OSFXSR and OSXMMEXCPT set)
// whose exception vectors each lead to a lone HLT, so a fault shows up as a halt at
// HANDLERS + vector. Without exception delivery in the system unit, the run ends in
// EXIT_TRIPLE_FAULT and the vector is read from EXC_VECTOR instead.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bareCpu, romWith } from "../../support/cpu";
import type { Cpu } from "../../../src/machine/cpu";
import * as L from "../../../asm/layout";

export const CODE = 0x10000;
export const DATA = 0x80000;
export const HANDLERS = 0x600;
const IDT = 0x800;
const GDT = 0x900;
export const STACK_TOP = 0x9000;
export const CR4_OSFXSR = 1 << 9;
export const CR4_OSXMMEXCPT = 1 << 10;

/** Which external tools are missing; under CI=true a missing tool is an error, not a skip. */
export function toolsMissing(needGcc: boolean): boolean {
  const missing: string[] = [];
  const has = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { stdio: "ignore" });
    return !r.error && r.status === 0;
  };
  if (!has("nasm", ["-v"])) missing.push("nasm");
  if (needGcc && !has("gcc", ["--version"])) missing.push("gcc");
  if (needGcc && process.arch !== "x64" && process.arch !== "ia32") missing.push("an x86 host");
  if (missing.length === 0) return false;
  const msg = `missing ${missing.join(", ")}: install them with 'apt-get install nasm gcc-multilib'`;
  if (process.env.CI === "true") throw new Error(msg);
  console.warn(`skipping SIMD reference tests: ${msg}`);
  return true;
}

export function assemble(src: string, org = CODE): Uint8Array {
  mkdirSync("build/tmp", { recursive: true });
  const dir = mkdtempSync(join("build/tmp", "simd-"));
  try {
    writeFileSync(join(dir, "a.asm"), `bits 32\norg ${org}\n${src}\n`);
    const r = spawnSync("nasm", ["-f", "bin", "-o", join(dir, "a.bin"), join(dir, "a.asm")], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`nasm failed: ${r.stderr}`);
    return new Uint8Array(readFileSync(join(dir, "a.bin")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A bare CPU in flat 32-bit protected mode at CPL 0 with SSE enabled by CR4. */
export async function flatCpu(): Promise<Cpu> {
  const st = await bareCpu(romWith([]), 16);
  const cpu = st.cpu;
  const ram = cpu.ram();
  ram.fill(0xf4, HANDLERS, HANDLERS + 32);
  const dv = new DataView(ram.buffer, ram.byteOffset);
  dv.setUint32(GDT + 8, 0x0000ffff, true); dv.setUint32(GDT + 12, 0x00cf9b00, true);
  dv.setUint32(GDT + 16, 0x0000ffff, true); dv.setUint32(GDT + 20, 0x00cf9300, true);
  for (let v = 0; v < 32; v++) {
    const h = HANDLERS + v;
    dv.setUint32(IDT + v * 8, (0x08 << 16) | (h & 0xffff), true);
    dv.setUint32(IDT + v * 8 + 4, (h & 0xffff0000) | 0x8e00, true);
  }
  cpu.set(L.GDTR_BASE, GDT); cpu.set(L.GDTR_LIMIT, 23);
  cpu.set(L.IDTR_BASE, IDT); cpu.set(L.IDTR_LIMIT, 32 * 8 - 1);
  cpu.set(L.CR0, (cpu.get(L.CR0) | 1 | 0x20) & ~0x6000000c); // PE, NE; caches on; no EM/TS
  cpu.set(L.CR4, CR4_OSFXSR | CR4_OSXMMEXCPT);
  for (let s = 0; s < 6; s++) {
    if (s === L.SEG_CS) cpu.setSeg(s, 0x08, 0, 0xffffffff, 0x409b);
    else cpu.setSeg(s, 0x10, 0, 0xffffffff, 0x4093);
  }
  cpu.setReg(4, STACK_TOP);
  cpu.setEflags(0x2);
  // FNINIT state for the x87 part, which MMX aliases.
  cpu.set(L.FPU_CW, 0x37f); cpu.set(L.FPU_SW, 0); cpu.set(L.FPU_TW, 0xffff);
  (cpu.exports.afterStateLoad as () => void)();
  return cpu;
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

// Test support for the x87 unit: a bare CPU in flat 32-bit protected mode (GDT and IDT written
// directly, CR0.PE|NE) whose exception vectors each lead to a lone HLT at HANDLERS + vector, and
// nasm assembly at test time (nothing assembled is committed).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bareCpu, romWith } from "../../support/cpu";
import type { Cpu } from "../../../src/machine/cpu";
import * as L from "../../../asm/layout";

export const CODE = 0x10000;
export const DATA = 0x200000;
export const HANDLERS = 0x600;
const IDT = 0x800;
const GDT = 0x900;
export const STACK_TOP = 0x9000;

/** True when nasm or gcc -m32 is missing: skip locally, fail under CI=true. */
export function toolsMissing(needGcc: boolean): boolean {
  const missing: string[] = [];
  const has = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { stdio: "ignore" });
    return !r.error && r.status === 0;
  };
  if (!has("nasm", ["-v"])) missing.push("nasm");
  if (needGcc && !has("gcc", ["--version"])) missing.push("gcc");
  else if (needGcc) {
    // gcc without the 32-bit multilib cannot link the reference
    mkdirSync("build/tmp", { recursive: true });
    const r = spawnSync("gcc", ["-m32", "-x", "c", "-o", "build/tmp/m32-probe", "-"], { input: "int main(void){return 0;}\n" });
    if (r.error || r.status !== 0) missing.push("gcc-multilib (gcc -m32)");
  }
  if (needGcc && process.arch !== "x64" && process.arch !== "ia32") missing.push("an x86 host");
  if (missing.length === 0) return false;
  const msg = `missing ${missing.join(", ")}: install them with 'apt-get install nasm gcc-multilib'`;
  if (process.env.CI === "true") throw new Error(msg);
  console.warn(`skipping x87 tests: ${msg}`);
  return true;
}

/** Assemble 32-bit code with nasm -f bin at `org`. */
export function assemble(src: string, org = CODE, defines: string[] = []): Uint8Array {
  mkdirSync("build/tmp", { recursive: true });
  const dir = mkdtempSync(join("build/tmp", "fpu-"));
  try {
    writeFileSync(join(dir, "a.asm"), `bits 32\norg ${org}\n${src}\n`);
    const r = spawnSync("nasm", ["-f", "bin", ...defines.map((d) => `-D${d}`), "-o", join(dir, "a.bin"), join(dir, "a.asm")], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`nasm failed: ${r.stderr}`);
    return new Uint8Array(readFileSync(join(dir, "a.bin")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A bare CPU in flat 32-bit protected mode at CPL 0, x87 in the FNINIT state. */
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
  cpu.set(L.CR0, (cpu.get(L.CR0) | 1 | 0x20) & ~0x6000000e); // PE, NE; no MP/EM/TS
  for (let s = 0; s < 6; s++) {
    if (s === L.SEG_CS) cpu.setSeg(s, 0x08, 0, 0xffffffff, 0x409b);
    else cpu.setSeg(s, 0x10, 0, 0xffffffff, 0x4093);
  }
  cpu.setReg(4, STACK_TOP);
  setFlags(cpu, 0x2);
  cpu.set(L.FPU_CW, 0x37f); cpu.set(L.FPU_SW, 0); cpu.set(L.FPU_TW, 0xffff);
  (cpu.exports.afterStateLoad as () => void)();
  return cpu;
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

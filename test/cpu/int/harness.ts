// Test harness for the integer interpreter: assembles a snippet with nasm, places it at 0x1000 on
// the bare CPU of test/support/cpu.ts, in real mode or in flat 32-bit protected mode (segment
// caches, GDT and IDT set up directly through the Cpu views), runs it to its final HLT, and
// reports registers, EFLAGS, memory and the exception (if any) that ended it.
//
// Every exception vector 0..31 leads to a handler that is a lone HLT at HANDLERS + vector, so
// an exception shows up as the CPU halting there. If exception delivery is not available, the
// run ends in EXIT_TRIPLE_FAULT and the vector is read from EXC_VECTOR instead.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bareCpu, romWith } from "../../support/cpu";
import type { Cpu } from "../../../src/machine/cpu";
import * as L from "../../../asm/layout";

export const CODE = 0x1000;
export const DATA = 0x4000;
export const HANDLERS = 0x600;
const IDT = 0x800;
const GDT = 0x900;
export const STACK_TOP = 0x9000;

export type Mode = "real" | "pm32";

export const CF = 1, PF = 4, AF = 0x10, ZF = 0x40, SF = 0x80, TF = 0x100, IF = 0x200, DF = 0x400, OF = 0x800;
export const ARITH = CF | PF | AF | ZF | SF | OF;

export function assemble(src: string, bits: 16 | 32, org = CODE): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "lab86-int-"));
  try {
    writeFileSync(join(dir, "a.asm"), `bits ${bits}\norg ${org}\n${src}\n`);
    const r = spawnSync("nasm", ["-f", "bin", "-o", join(dir, "a.bin"), join(dir, "a.asm")], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`nasm failed: ${r.stderr}`);
    return new Uint8Array(readFileSync(join(dir, "a.bin")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Result {
  cpu: Cpu;
  exit: number;
  /** Exception vector that stopped the run, or null if the code reached its final HLT. */
  fault: number | null;
  eax: number; ecx: number; edx: number; ebx: number; esp: number; ebp: number; esi: number; edi: number;
  eip: number;
  flags: number;
  ports: { port: number; size: number; value: number }[];
  mem8(addr: number): number;
  mem16(addr: number): number;
  mem32(addr: number): number;
}

export interface RunOptions {
  /** Called after the machine is set up, before running: set registers, memory, flags. */
  init?: (cpu: Cpu) => void;
  /** Port -> value returned by IN. */
  portReads?: Record<number, number>;
  /** Instruction budget (each run() step is one instruction or one batch of a REP). */
  budget?: number;
  /** Raw code bytes instead of assembly source. */
  bytes?: number[];
  /** pm32 only: identity-map the first 4 MiB with 4 KiB pages, leaving these pages not present. */
  paging?: { absent?: number[]; readOnly?: number[] };
}

export const PAGE_DIR = 0x100000;
const PAGE_TABLE = 0x101000;

export async function runCode(mode: Mode, src: string, opts: RunOptions = {}): Promise<Result> {
  const bits = mode === "real" ? 16 : 32;
  const code = opts.bytes ? new Uint8Array([...opts.bytes, 0xf4]) : assemble(src + "\nhlt", bits);
  const st = await bareCpu(romWith([]), 16);
  const cpu = st.cpu;
  for (const [p, v] of Object.entries(opts.portReads ?? {})) st.portReads.set(Number(p), v);
  const ram = cpu.ram();
  ram.set(code, CODE);
  ram.fill(0xf4, HANDLERS, HANDLERS + 32); // one HLT per exception vector
  if (mode === "real") {
    for (let v = 0; v < 32; v++) {
      ram[v * 4] = (HANDLERS + v) & 0xff;
      ram[v * 4 + 1] = (HANDLERS + v) >> 8;
      ram[v * 4 + 2] = 0;
      ram[v * 4 + 3] = 0;
    }
    for (let s = 0; s < 6; s++) cpu.setSeg(s, 0, 0, 0xffff, 0x93);
    cpu.set(L.IDTR_BASE, 0);
    cpu.set(L.IDTR_LIMIT, 0x3ff);
  } else {
    const dv = new DataView(ram.buffer, ram.byteOffset);
    // GDT: null, 0x08 flat 32-bit code, 0x10 flat 32-bit data
    dv.setUint32(GDT + 8, 0x0000ffff, true); dv.setUint32(GDT + 12, 0x00cf9b00, true);
    dv.setUint32(GDT + 16, 0x0000ffff, true); dv.setUint32(GDT + 20, 0x00cf9300, true);
    for (let v = 0; v < 32; v++) { // 32-bit interrupt gates to the HLT handlers
      const h = HANDLERS + v;
      dv.setUint32(IDT + v * 8, (0x08 << 16) | (h & 0xffff), true);
      dv.setUint32(IDT + v * 8 + 4, (h & 0xffff0000) | 0x8e00, true);
    }
    cpu.set(L.GDTR_BASE, GDT); cpu.set(L.GDTR_LIMIT, 23);
    cpu.set(L.IDTR_BASE, IDT); cpu.set(L.IDTR_LIMIT, 32 * 8 - 1);
    cpu.set(L.CR0, cpu.get(L.CR0) | 1);
    if (opts.paging) {
      dv.setUint32(PAGE_DIR, PAGE_TABLE | 7, true);
      for (let i = 0; i < 1024; i++) {
        const page = i << 12;
        let pte = page | 7;
        if (opts.paging.absent?.includes(page)) pte = 0;
        if (opts.paging.readOnly?.includes(page)) pte &= ~2;
        dv.setUint32(PAGE_TABLE + i * 4, pte, true);
      }
      cpu.set(L.CR3, PAGE_DIR);
      cpu.set(L.CR0, cpu.get(L.CR0) | 0x80010000); // PG and WP
    }
    for (let s = 0; s < 6; s++) {
      if (s === L.SEG_CS) cpu.setSeg(s, 0x08, 0, 0xffffffff, 0x409b);
      else cpu.setSeg(s, 0x10, 0, 0xffffffff, 0x4093);
    }
  }
  cpu.eip = CODE;
  for (let r = 0; r < 8; r++) cpu.setReg(r, 0); // EDX holds the CPU signature after reset
  cpu.setReg(4, STACK_TOP);
  cpu.setEflags(0x2);
  opts.init?.(cpu);
  (cpu.exports.afterStateLoad as () => void)();
  let exit = L.EXIT_BUDGET;
  let left = opts.budget ?? 100000;
  while (left > 0) {
    exit = cpu.run(Math.min(left, 1000));
    left -= 1000;
    if (exit !== L.EXIT_BUDGET) break;
  }
  const eip = cpu.eip;
  let fault: number | null = null;
  if (exit === L.EXIT_TRIPLE_FAULT) fault = cpu.get(L.EXC_VECTOR);
  else if (eip > HANDLERS && eip <= HANDLERS + 32 && cpu.seg(L.SEG_CS).base === 0) fault = eip - HANDLERS - 1;
  const dv = new DataView(cpu.memory.buffer, cpu.ramOffset);
  return {
    cpu, exit, fault, eip,
    eax: cpu.reg(0), ecx: cpu.reg(1), edx: cpu.reg(2), ebx: cpu.reg(3),
    esp: cpu.reg(4), ebp: cpu.reg(5), esi: cpu.reg(6), edi: cpu.reg(7),
    flags: cpu.eflags(),
    ports: st.portWrites,
    mem8: (a) => dv.getUint8(a),
    mem16: (a) => dv.getUint16(a, true),
    mem32: (a) => dv.getUint32(a, true),
  };
}

/** Run the same snippet in both modes. */
export const MODES: Mode[] = ["real", "pm32"];

/** Write bytes into guest RAM from an init hook. */
export function poke(cpu: Cpu, addr: number, bytes: number[]): void {
  cpu.ram().set(bytes, addr);
}
export function poke32(cpu: Cpu, addr: number, v: number): void {
  new DataView(cpu.memory.buffer, cpu.ramOffset).setUint32(addr, v >>> 0, true);
}

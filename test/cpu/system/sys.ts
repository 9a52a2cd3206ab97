// Harness for the system tests: assemble a nasm program (org 0x1000, starting in real mode at
// 0000:1000) into the bare CPU's RAM, run it until it halts, and read results back.
import { bareCpu, romWith, type BareCpu } from "../../support/cpu";
import { assemble } from "../../support/nasm";
import * as L from "../../../asm/layout";

export const ORG = 0x1000;

export interface Sys extends BareCpu {
  exit: number;
  r32(addr: number): number;
  r16(addr: number): number;
  w32(addr: number, v: number): void;
  /** Run until the CPU halts (or the step budget runs out); returns the last exit reason. */
  run(maxSlices?: number): number;
  seg(i: number): { sel: number; base: number; limit: number; attrs: number };
  reg(i: number): number;
}

export const RES = 0x600;
export const OUT = 0x700;
/** The record pm.inc's exception handlers leave at RES (its RES_VEC ... RES_COUNT). */
export const VEC = RES, ERR = RES + 4, EIPR = RES + 8, CSR = RES + 12, FLR = RES + 16, COUNT = RES + 20;

export async function boot(src: string, opts: { ramMiB?: number } = {}): Promise<Sys> {
  const body = `bits 16\norg 0x${ORG.toString(16)}\n` + src;
  const code = assemble(body, { includeDir: "test/cpu/system/asm" });
  const st = await bareCpu(romWith([]), opts.ramMiB ?? 4);
  const cpu = st.cpu;
  cpu.ram().set(code, ORG);
  cpu.setSeg(L.SEG_CS, 0, 0, 0xffff, 0x93);
  cpu.eip = ORG;
  const sys = st as Sys;
  sys.exit = -1;
  const dv = () => new DataView(cpu.memory.buffer, cpu.ramOffset, cpu.ramBytes);
  sys.r32 = (a) => dv().getUint32(a, true);
  sys.r16 = (a) => dv().getUint16(a, true);
  sys.w32 = (a, v) => dv().setUint32(a, v >>> 0, true);
  sys.seg = (i) => cpu.seg(i);
  sys.reg = (i) => cpu.reg(i);
  sys.run = (maxSlices = 50) => {
    for (let i = 0; i < maxSlices; i++) {
      sys.exit = cpu.run(20000);
      if (sys.exit !== L.EXIT_BUDGET) break;
    }
    return sys.exit;
  };
  return sys;
}

/** Source of a pm.inc program: `extraGdt` (DESC/GATE lines) from selector 0x48, then `body` at test_main. */
export function pmSource(body: string, extraGdt = ""): string {
  return (extraGdt ? `%macro GDT_EXTRA 0\n${extraGdt}\n%endmacro\n` : "") + `%include "pm.inc"\ntest_main:\n${body}\n`;
}

export interface PmOptions {
  ramMiB?: number;
  /** run() slices of 20000 instructions before giving up on HLT. */
  slices?: number;
  /** Called after loading, before running (to set CPU state the program cannot). */
  setup?: (s: Sys) => void;
}

/** Run `body` in pm.inc's flat 32-bit protected mode at CPL 0 until it halts. */
export async function pm(body: string, extraGdt = "", opts: PmOptions = {}): Promise<Sys> {
  const s = await boot(pmSource(body, extraGdt), { ramMiB: opts.ramMiB });
  opts.setup?.(s);
  s.run(opts.slices);
  return s;
}

/** Real mode: DS = SS = 0, SP = 9000h, and IVT entry `vector` pointing at the program's `label` (segment 0). */
export const withHandler = (vector: string, label = "handler") => `
      xor ax, ax
      mov ds, ax
      mov ss, ax
      mov sp, 0x9000
      mov word [${vector}*4], ${label}
      mov word [${vector}*4+2], 0`;

/** From pm.inc's protected mode back to real mode at `real`: through the 16-bit code segment, clear CR0.PE, far jump with CS = 0. */
export const BACK_TO_REAL_MODE = `
      jmp SEL_CODE16:ABS(to_real16)
    bits 16
    to_real16:
      mov eax, cr0
      and eax, ~1
      mov cr0, eax
      jmp 0:ABS(real)
    real:`;

export const EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;
export { L };

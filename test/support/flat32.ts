// A bare CPU in flat 32-bit protected mode at CPL 0 (GDT with flat code and data, an IDT whose
// 32 exception vectors each halt at HANDLERS + vector), for unit tests of instruction groups,
// and nasm assembly of 32-bit snippets placed at CODE.
import { bareCpu, romWith } from "./cpu";
import { assemble } from "./nasm";
import type { Cpu } from "../../src/machine/cpu";
import * as L from "../../asm/layout";

export const CODE = 0x10000;
export const HANDLERS = 0x600;
export const STACK_TOP = 0x9000;
const IDT = 0x800;
const GDT = 0x900;

/** Assemble 32-bit code at `org`; `defines` are NAME or NAME=VALUE. */
export function assemble32(src: string, org = CODE, defines: string[] = []): Uint8Array {
  const d = Object.fromEntries(defines.map((x) => {
    const i = x.indexOf("=");
    return i < 0 ? [x, ""] : [x.slice(0, i), x.slice(i + 1)];
  }));
  return assemble(`bits 32\norg ${org}\n${src}\n`, { defines: d });
}

export interface Flat32Options {
  /** CR4 bits to set (e.g. OSFXSR for SSE). */
  cr4?: number;
  /** CR0 bits to clear besides CD/NW (EM and TS always; MP too unless kept). */
  clearMp?: boolean;
}

/** Flat 32-bit protected mode, CR0.NE set, the x87 in its FNINIT state. */
export async function flatCpu32(opts: Flat32Options = {}): Promise<Cpu> {
  const { cpu } = await bareCpu(romWith([]), 16);
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
  const clear = 0x6000000c | (opts.clearMp ? 2 : 0); // CD, NW, EM, TS (and MP)
  cpu.set(L.CR0, (cpu.get(L.CR0) | 1 | 0x20) & ~clear); // PE, NE
  if (opts.cr4) cpu.set(L.CR4, opts.cr4);
  for (let s = 0; s < 6; s++) {
    if (s === L.SEG_CS) cpu.setSeg(s, 0x08, 0, 0xffffffff, 0x409b);
    else cpu.setSeg(s, 0x10, 0, 0xffffffff, 0x4093);
  }
  cpu.setReg(4, STACK_TOP);
  cpu.set(L.FLAGS_LAZY, 0);
  cpu.set(L.FLAGS_BITS, 0x2);
  // FNINIT state for the x87 (which MMX aliases).
  cpu.set(L.FPU_CW, 0x37f); cpu.set(L.FPU_SW, 0); cpu.set(L.FPU_TW, 0xffff);
  (cpu.exports.afterStateLoad as () => void)();
  return cpu;
}

// INT 11h (equipment), INT 12h (conventional memory), INT 15h (system services), the timer tick
// (IRQ 0, INT 08h) and unclaimed hardware interrupts. References: IBM PC/AT Technical Reference;
// ACPI 6.x ch. 15 (E820); Ralf Brown's Interrupt List for the other INT 15h functions.
import * as L from "../asm/layout";
import { Service } from "./services";
import type { BiosFirmware } from "./firmware";
import type { ServiceContext } from "./context";
import { BDA_EQUIPMENT, BDA_MEMORY_KB, BDA_TIMER_TICKS, BDA_TIMER_ROLLOVER, TICKS_PER_DAY, EBDA_SEGMENT } from "./bda";
import { type E820Entry } from "../src/machine/boot/e820";

function r16(fw: BiosFirmware, a: number): number {
  const b = fw.host.mem.read(a, 2);
  return b[0] | (b[1] << 8);
}
function r32(fw: BiosFirmware, a: number): number {
  const b = fw.host.mem.read(a, 4);
  return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
}
function w32(fw: BiosFirmware, a: number, v: number): void {
  fw.host.mem.write(a, Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24));
}

/** The firmware's memory map: set by the table builders (ACPI reserves the top of RAM). */
export function memoryMap(fw: BiosFirmware): E820Entry[] {
  return fw.e820;
}

function eoi(fw: BiosFirmware, irq: number): void {
  if (irq >= 8) fw.host.io.write(0xa0, 1, 0x20);
  fw.host.io.write(0x20, 1, 0x20);
}

export function installSystemServices(fw: BiosFirmware): void {
  fw.on(Service.Int11Equipment, (ctx) => {
    ctx.ax = r16(fw, BDA_EQUIPMENT);
  });
  fw.on(Service.Int12Memory, (ctx) => {
    ctx.ax = r16(fw, BDA_MEMORY_KB);
  });

  // IRQ 0: count ticks since midnight in the BDA, set the rollover flag at 24 h, EOI.
  fw.on(Service.Int08Timer, () => {
    let ticks = r32(fw, BDA_TIMER_TICKS) + 1;
    if (ticks >= TICKS_PER_DAY) {
      ticks = 0;
      fw.host.mem.write(BDA_TIMER_ROLLOVER, Uint8Array.of(1));
    }
    w32(fw, BDA_TIMER_TICKS, ticks);
    eoi(fw, 0);
  });

  // A hardware interrupt nobody handles: find which controller has it in service and EOI it
  // (reading the ISR via OCW3), so a stray IRQ never wedges the PIC.
  fw.on(Service.SpuriousIrq, () => {
    fw.host.io.write(0xa0, 1, 0x0b);
    const slaveIsr = fw.host.io.read(0xa0, 1);
    if (slaveIsr) fw.host.io.write(0xa0, 1, 0x20);
    fw.host.io.write(0x20, 1, 0x0b);
    const masterIsr = fw.host.io.read(0x20, 1);
    if (masterIsr) fw.host.io.write(0x20, 1, 0x20);
  });

  fw.on(Service.Int15System, (ctx) => int15(ctx, fw));
}

function int15(ctx: ServiceContext, fw: BiosFirmware): void {
  const ah = ctx.ah;
  switch (ah) {
    case 0x24: // A20 gate: 2400 disable, 2401 enable, 2402 status, 2403 support
      switch (ctx.al) {
        case 0x00:
        case 0x01: {
          const v = fw.host.io.read(0x92, 1);
          fw.host.io.write(0x92, 1, ctx.al ? (v | 2) & ~1 : v & ~3);
          ctx.status(0);
          return;
        }
        case 0x02:
          ctx.al = (fw.host.io.read(0x92, 1) >> 1) & 1;
          ctx.status(0);
          return;
        case 0x03:
          ctx.bx = 0x0003; // supported via the keyboard controller and port 92h
          ctx.status(0);
          return;
      }
      ctx.status(0x86);
      return;
    case 0x4f: // keyboard intercept: not handled, CF set means "process the scancode"
      ctx.setCF(true);
      return;
    case 0x86: { // wait CX:DX microseconds; the virtual clock makes a busy-wait pointless
      ctx.status(0);
      return;
    }
    case 0x87: // block move in protected mode: ES:SI -> GDT with source at +0x10, destination at +0x18
      blockMove(ctx, fw);
      return;
    case 0x88: { // extended memory above 1 MiB in KiB, capped at 63 MiB (16-bit)
      const kb = Math.max(0, (fw.host.ramBytes - 0x100000) >> 10);
      ctx.ax = Math.min(kb, 0xfc00);
      ctx.setCF(false);
      return;
    }
    case 0xc0: // system configuration table at ES:BX
      ctx.setSeg(L.SEG_ES, 0xf000);
      ctx.bx = fw.configTableOffset;
      ctx.status(0);
      return;
    case 0xc1: // EBDA segment
      ctx.setSeg(L.SEG_ES, EBDA_SEGMENT);
      ctx.setCF(false);
      return;
    case 0xe8:
      if (ctx.al === 0x01) { // E801: memory 1-16 MiB in KiB (AX=CX), above 16 MiB in 64 KiB (BX=DX)
        const top = ramTopBelow4G(fw);
        const kb1to16 = Math.min(Math.max(0, top - 0x100000), 0xf00000) >> 10;
        const above16 = Math.max(0, top - 0x1000000) >> 16;
        ctx.ax = ctx.cx = kb1to16;
        ctx.bx = ctx.dx = Math.min(above16, 0xffff);
        ctx.setCF(false);
        return;
      }
      if (ctx.al === 0x20 && ctx.edx === 0x534d4150) { // E820 ("SMAP")
        e820(ctx, fw);
        return;
      }
      break;
    case 0x53: // APM: not present
      ctx.status(0x86);
      return;
  }
  ctx.status(0x86); // function not supported
}

function ramTopBelow4G(fw: BiosFirmware): number {
  return fw.e820.filter((e) => e.type === 1).reduce((t, e) => Math.max(t, e.base + e.length), 0);
}

/** E820: EBX continuation index; ES:DI buffer of ECX (>= 20) bytes; returns EAX = "SMAP". */
function e820(ctx: ServiceContext, fw: BiosFirmware): void {
  const map = fw.e820;
  const i = ctx.ebx;
  if (i >= map.length || ctx.ecx < 20) {
    ctx.ah = 0x86;
    ctx.setCF(true);
    return;
  }
  const e = map[i];
  const buf = new Uint8Array(ctx.ecx >= 24 ? 24 : 20);
  const dv = new DataView(buf.buffer);
  dv.setBigUint64(0, BigInt(e.base), true);
  dv.setBigUint64(8, BigInt(e.length), true);
  dv.setUint32(16, e.type, true);
  if (buf.length === 24) dv.setUint32(20, 1, true); // ACPI 3.0 extended attributes: enabled
  fw.host.mem.write(ctx.lin(L.SEG_ES, ctx.di), buf);
  ctx.eax = 0x534d4150;
  ctx.ecx = buf.length;
  ctx.ebx = i + 1 < map.length ? i + 1 : 0;
  ctx.setCF(false);
}

/**
 * INT 15h AH=87h: copy CX words between the 24-bit physical addresses in the caller's GDT at
 * ES:SI (source descriptor at +10h, destination at +18h). We copy physically; the CPU never
 * leaves real mode, which is invisible to the caller.
 */
function blockMove(ctx: ServiceContext, fw: BiosFirmware): void {
  const gdt = ctx.lin(L.SEG_ES, ctx.si);
  const d = fw.host.mem.read(gdt, 0x20);
  const base = (o: number) => (d[o + 2] | (d[o + 3] << 8) | (d[o + 4] << 16) | (d[o + 7] << 24)) >>> 0;
  const bytes = ctx.cx * 2;
  if (bytes > 0x10000) {
    ctx.status(0x01);
    return;
  }
  fw.host.mem.write(base(0x18), fw.host.mem.read(base(0x10), bytes));
  ctx.status(0);
}

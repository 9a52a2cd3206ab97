// Shared setup for the VGA tests: a device on real I/O and MMIO buses, driven like a guest.
import { Vga } from "../../../src/machine/vga/vga";
import { VirtualClock } from "../../../src/machine/clock";
import { IoBus, MmioBus } from "../../../src/machine/io";
import { programVgaMode, VGA_MODES } from "../../../src/machine/vga/mode-tables";

export interface Rig {
  vga: Vga;
  clock: VirtualClock;
  io: IoBus;
  mmio: MmioBus;
  out8(port: number, value: number): void;
  out16(port: number, value: number): void;
  in8(port: number): number;
  in16(port: number): number;
  poke(addr: number, value: number, size?: number): void;
  peek(addr: number, size?: number): number;
  /** RGBA of one pixel of the last rendered frame. */
  pixel(x: number, y: number): [number, number, number, number];
  setMode(key: string): void;
  gc(index: number, value: number): void;
  seq(index: number, value: number): void;
  crtc(index: number, value: number): void;
}

export function makeRig(vramBytes = 16 << 20): Rig {
  const clock = new VirtualClock();
  const vga = new Vga(new Uint8Array(vramBytes), clock);
  const io = new IoBus();
  const mmio = new MmioBus();
  vga.attachIo(io);
  mmio.register("vga", 0xa0000, 0x20000, vga.window);
  vga.reset();
  const rig: Rig = {
    vga,
    clock,
    io,
    mmio,
    out8: (p, v) => io.write(p, 1, v),
    out16: (p, v) => io.write(p, 2, v),
    in8: (p) => io.read(p, 1),
    in16: (p) => io.read(p, 2),
    poke: (a, v, size = 1) => mmio.write(a, size, v),
    peek: (a, size = 1) => mmio.read(a, size),
    pixel(x, y) {
      const f = vga.frame;
      if (x >= f.width || y >= f.height) throw new Error(`pixel ${x},${y} outside ${f.width}x${f.height}`);
      const i = (y * f.width + x) * 4;
      return [f.rgba[i], f.rgba[i + 1], f.rgba[i + 2], f.rgba[i + 3]];
    },
    setMode(key) {
      programVgaMode({ out8: rig.out8, in8: rig.in8 }, VGA_MODES[key]);
    },
    gc(i, v) {
      rig.out8(0x3ce, i);
      rig.out8(0x3cf, v);
    },
    seq(i, v) {
      rig.out8(0x3c4, i);
      rig.out8(0x3c5, v);
    },
    crtc(i, v) {
      rig.out8(0x3d4, i);
      rig.out8(0x3d5, v);
    },
  };
  return rig;
}

/**
 * Load a font into plane 2 with the sequence the BIOS uses (IBM VGA BIOS "load font"): planar
 * access to plane 2 at A0000, then restore the text-mode memory settings.
 */
export function loadFont(rig: Rig, glyphs: Map<number, number[]>, height: number, map = 0): void {
  rig.out8(0x3ce, 0x06);
  const gc6 = rig.in8(0x3cf);
  rig.seq(0x02, 0x04);
  rig.seq(0x04, 0x07);
  rig.gc(0x04, 0x02);
  rig.gc(0x05, 0x00);
  rig.gc(0x06, 0x04);
  const base = ((map & 3) << 14) | ((map >> 2) << 13);
  for (const [ch, rows] of glyphs) {
    for (let r = 0; r < 32; r++) rig.poke(0xa0000 + base + ch * 32 + r, r < height ? rows[r] ?? 0 : 0);
  }
  rig.seq(0x02, 0x03);
  rig.seq(0x04, 0x02);
  rig.gc(0x04, 0x00);
  rig.gc(0x05, 0x10);
  rig.gc(0x06, gc6);
}

export const rgb = (r: number, g: number, b: number): [number, number, number, number] => [r, g, b, 255];

// The VGA driven by real x86 code on the Wasm CPU: window accesses through the CPU's MMIO slow
// path, and the mode 13h window mapped straight onto VRAM with writes found through PAGE_DIRTY.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { Cpu } from "../../../src/machine/cpu";
import { VirtualClock } from "../../../src/machine/clock";
import { IoBus, MmioBus } from "../../../src/machine/io";
import { Vga } from "../../../src/machine/vga/vga";
import { programVgaMode, VGA_MODES } from "../../../src/machine/vga/mode-tables";
import { collectDirectWrites, DirectMapper } from "../../../src/machine/vga/direct-map";
import { DEBUG_WASM, romWith } from "../../support/cpu";
import * as L from "../../../asm/layout";

const RAM = 1 << 20;
const VRAM = 16 << 20;

async function machineWith(code: number[]) {
  const io = new IoBus();
  const mmio = new MmioBus();
  const cpu = await Cpu.create(readFileSync(DEBUG_WASM), RAM, VRAM, {
    ioRead: (p, s) => io.read(p, s),
    ioWrite: (p, s, v) => io.write(p, s, v),
    mmioRead: (a, s) => mmio.read(a, s),
    mmioWrite: (a, s, v) => mmio.write(a, s, v),
    intrAck: () => 0x08,
  });
  const vramOffset = cpu.ramOffset + RAM;
  const vga = new Vga(new Uint8Array(cpu.memory.buffer, vramOffset, VRAM), new VirtualClock());
  vga.attachIo(io);
  mmio.register("vga", 0xa0000, 0x20000, vga.window);
  vga.reset();
  cpu.mapPhys(0, 0xa0000, cpu.ramOffset, 0);
  const rom = romWith(code);
  cpu.u8.set(rom, L.ROM);
  cpu.mapPhys(0xf0000, 0x10000, L.ROM, L.PHYS_READONLY);
  cpu.mapPhys(0xffff0000, 0x10000, L.ROM, L.PHYS_READONLY);
  cpu.reset();
  const pixel = (x: number, y: number) => {
    const f = vga.frame;
    const i = (y * f.width + x) * 4;
    return [...f.rgba.subarray(i, i + 4)];
  };
  return { cpu, io, vga, vramOffset, pixel };
}

// mov ax,0xA000 / mov es,ax / xor di,di / mov al,0x20 / mov cx,320 / rep stosb / hlt
const FILL_ROW0 = [0xb8, 0x00, 0xa0, 0x8e, 0xc0, 0x31, 0xff, 0xb0, 0x20, 0xb9, 0x40, 0x01, 0xf3, 0xaa, 0xf4];

describe("VGA under the CPU", () => {
  it("mode 12h: OUT to the graphics controller and a latch read-modify-write through MMIO", async () => {
    const m = await machineWith([
      0xba, 0xce, 0x03, // mov dx, 0x3CE
      0xb8, 0x05, 0x02, // mov ax, 0x0205: write mode 2
      0xef, // out dx, ax
      0xb8, 0x08, 0x80, // mov ax, 0x8008: bit mask 0x80
      0xef,
      0xb8, 0x00, 0xa0, 0x8e, 0xc0, // es = A000
      0x31, 0xff, // xor di, di
      0x26, 0x8a, 0x05, // mov al, es:[di] (loads the latches)
      0xb0, 0x0c, // mov al, 12
      0x26, 0x88, 0x05, // mov es:[di], al
      0xf4,
    ]);
    programVgaMode({ out8: (p, v) => m.io.write(p, 1, v), in8: (p) => m.io.read(p, 1) }, VGA_MODES["12"]);
    expect(m.cpu.run(1000)).toBe(L.EXIT_HLT_NOIRQ);
    m.vga.render();
    expect(m.pixel(0, 0)).toEqual([255, 85, 85, 255]); // colour 12 -> AC0C = 0x3C
    expect(m.pixel(1, 0)).toEqual([0, 0, 0, 255]);
  });

  it("mode 13h through the MMIO path", async () => {
    const m = await machineWith(FILL_ROW0);
    programVgaMode({ out8: (p, v) => m.io.write(p, 1, v), in8: (p) => m.io.read(p, 1) }, VGA_MODES["13"]);
    expect(m.cpu.run(10_000)).toBe(L.EXIT_HLT_NOIRQ);
    expect(m.vga.render().changed).toEqual({ x: 0, y: 0, width: 320, height: 200 });
    expect(m.pixel(0, 0)).toEqual([0, 0, 255, 255]);
    expect(m.pixel(319, 0)).toEqual([0, 0, 255, 255]);
    expect(m.pixel(0, 1)).toEqual([0, 0, 0, 255]);
  });

  it("mode 13h with the window mapped straight onto VRAM; PAGE_DIRTY reports the writes", async () => {
    const m = await machineWith([...FILL_ROW0, 0xb0, 0x21, 0xb9, 0x40, 0x01, 0xbf, 0x80, 0x3e, 0xf3, 0xaa, 0xf4]);
    programVgaMode({ out8: (p, v) => m.io.write(p, 1, v), in8: (p) => m.io.read(p, 1) }, VGA_MODES["13"]);
    m.vga.render();
    const [win] = m.vga.directMappings();
    expect(win).toEqual({ phys: 0xa0000, bytes: 0x10000, vramOffset: 0 });
    m.cpu.mapPhys(win.phys, win.bytes, m.vramOffset + win.vramOffset, 0);
    const tracking = {
      pageFlags: new Uint8Array(m.cpu.memory.buffer, L.PAGE_FLAGS, L.PHYS_PAGES),
      invalidateWrites: () => m.cpu.exports.flushTlb(),
    };
    expect(m.cpu.run(10_000)).toBe(L.EXIT_HLT_NOIRQ);
    // The program wrote row 0 (page 0xA0) and, after the first HLT, rows 50 (DI = 0x3E80, page 0xA3).
    expect(collectDirectWrites(m.vga, [win], tracking)).toBe(1);
    expect(m.vga.render().changed).toEqual({ x: 0, y: 0, width: 320, height: 1 });
    expect(m.pixel(5, 0)).toEqual([0, 0, 255, 255]);
    // Resume after the HLT: the second fill reaches VRAM directly and is found again.
    m.cpu.set(L.HALTED, 0);
    expect(m.cpu.run(10_000)).toBe(L.EXIT_HLT_NOIRQ);
    expect(collectDirectWrites(m.vga, [win], tracking)).toBe(1);
    expect(m.vga.render().changed).toEqual({ x: 0, y: 50, width: 320, height: 1 });
    expect(m.pixel(0, 50)).toEqual([65, 0, 255, 255]); // DAC 33 = (0x10, 0, 0x3F)
  });

  it("DirectMapper follows mode changes: mode 13h direct, then mode 12h back through the device", async () => {
    const PLANAR_PIXEL = [
      0xba, 0xce, 0x03, 0xb8, 0x05, 0x02, 0xef, 0xb8, 0x08, 0x80, 0xef, // GC05 = 2, GC08 = 0x80
      0x31, 0xff, 0x26, 0x8a, 0x05, 0xb0, 0x0c, 0x26, 0x88, 0x05, 0xf4, // latch RMW of colour 12 at A000:0
    ];
    const m = await machineWith([...FILL_ROW0, ...PLANAR_PIXEL]);
    const mapper = new DirectMapper(m.cpu, m.vramOffset, () => m.vga.directMappings());
    m.vga.onMappingChange = () => mapper.update();
    const io = { out8: (p: number, v: number) => m.io.write(p, 1, v), in8: (p: number) => m.io.read(p, 1) };
    programVgaMode(io, VGA_MODES["13"]);
    expect(mapper.mappings).toEqual([{ phys: 0xa0000, bytes: 0x10000, vramOffset: 0 }]);
    m.vga.render();
    expect(m.cpu.run(10_000)).toBe(L.EXIT_HLT_NOIRQ);
    const tracking = { pageFlags: new Uint8Array(m.cpu.memory.buffer, L.PAGE_FLAGS, L.PHYS_PAGES), invalidateWrites: () => m.cpu.exports.flushTlb() };
    expect(mapper.collect(m.vga, tracking)).toBe(1);
    expect(m.vga.render().changed).toEqual({ x: 0, y: 0, width: 320, height: 1 });
    expect(m.vga.vram[319]).toBe(0x20);

    programVgaMode(io, VGA_MODES["12"]);
    expect(mapper.mappings).toEqual([]);
    m.vga.vram.fill(0, 0, 0x40000);
    m.cpu.set(L.HALTED, 0);
    expect(m.cpu.run(1000)).toBe(L.EXIT_HLT_NOIRQ);
    m.vga.render();
    // The write reached the graphics controller (write mode 2, bit mask): pixel 0 only, colour 12.
    expect(m.pixel(0, 0)).toEqual([255, 85, 85, 255]);
    expect(m.pixel(1, 0)).toEqual([0, 0, 0, 255]);
  });
});

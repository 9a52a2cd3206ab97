// The adapter under a real VGA BIOS: SeaVGABIOS's "stdvga" build (Debian's seabios package, read
// from the system, never committed) run by lab86's PC and BIOS. After POST, INT 10h calls from a
// stub at 0:7C00 set modes and print with the BIOS's own TTY output; the test checks what the
// device shows against VRAM contents decoded by hand.
import { describe, it, expect } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { Pc } from "../../../src/machine/pc";
import { planeIndex } from "../../../src/machine/vga/planes";
import * as L from "../../../asm/layout";
import { DEBUG_WASM } from "../../support/cpu";

const VGABIOS = "/usr/share/seabios/vgabios-stdvga.bin";

async function bootToInt10(stub: number[]): Promise<Pc> {
  const pc = await Pc.create({
    memoryBytes: 32 << 20, wasm: readFileSync(DEBUG_WASM), vgaBios: readFileSync(VGABIOS),
    bootOrder: [], acpi: true, apic: false, rtcBaseTime: 0, uuid: new Uint8Array(16),
  });
  pc.machine.tripleFault = "stop";
  pc.firmware!.onNoBootDevice = () => pc.machine.requestStop({ kind: "stopped", why: "no boot device" });
  expect(pc.machine.runFor(5e9)).toEqual({ kind: "stopped", why: "no boot device" });
  const cpu = pc.machine.cpu;
  cpu.ram().set([...stub, 0xfa, 0xf4], 0x7c00); // ...; cli; hlt
  for (const seg of [0, 2, 3]) cpu.setSeg(seg, 0, 0, 0xffff, 0x93);
  cpu.setSeg(1, 0, 0, 0xffff, 0x9b);
  cpu.eip = 0x7c00;
  cpu.setReg(4, 0x7000);
  cpu.set(L.HALTED, 0);
  cpu.setEflags(0x202);
  expect(pc.machine.runFor(2e9)).toEqual({ kind: "halted" });
  return pc;
}

const MOV_AX = (v: number) => [0xb8, v & 0xff, v >> 8];
const MOV_BX = (v: number) => [0xbb, v & 0xff, v >> 8];
const INT10 = [0xcd, 0x10];
const tty = (text: string, colour = 0x0f) => [...text].flatMap((c) => [...MOV_AX(0x0e00 | c.charCodeAt(0)), ...MOV_BX(colour), ...INT10]);

describe.runIf(existsSync(VGABIOS))("SeaVGABIOS (stdvga) on the adapter", () => {
  it("mode 03h: the BIOS's font and TTY output show as text and pixels", async () => {
    const pc = await bootToInt10([...MOV_AX(0x0003), ...INT10, ...tty("Hi!")]);
    const vga = pc.vga;
    const t = vga.textCells()!;
    expect([t.columns, t.rows]).toEqual([80, 25]);
    expect(t.rowText(0).slice(0, 4)).toBe("Hi! ");
    expect(t.attrs[0]).toBe(0x07);
    expect(t.cursor).toMatchObject({ row: 0, column: 3, visible: true });
    const up = vga.render();
    expect([up.kind, up.width, up.height]).toEqual(["text", 720, 400]);
    // Each pixel of cell 0 is light grey where the glyph the BIOS loaded into plane 2 (map 0)
    // has a 1 bit, black elsewhere; the ninth column is background for 'H'.
    let lit = 0;
    for (let row = 0; row < 16; row++) {
      const bits = vga.vram[planeIndex(0x48 * 32 + row, 2)];
      for (let b = 0; b < 9; b++) {
        const on = b < 8 && ((bits >> (7 - b)) & 1) === 1;
        lit += on ? 1 : 0;
        const i = (row * 720 + b) * 4;
        expect([...vga.frame.rgba.subarray(i, i + 3)]).toEqual(on ? [170, 170, 170] : [0, 0, 0]);
      }
    }
    expect(lit).toBeGreaterThan(20); // the font really is there
  });

  it("mode 13h and VBE modes set through INT 10h", async () => {
    const pc13 = await bootToInt10([...MOV_AX(0x0013), ...INT10, ...MOV_AX(0xa000), 0x8e, 0xc0, 0x26, 0xc6, 0x06, 0x41, 0x01, 0x2c]);
    expect(pc13.vga.render()).toMatchObject({ kind: "graphics", width: 320, height: 200 });
    expect([...pc13.vga.frame.rgba.subarray((320 + 1) * 4, (320 + 1) * 4 + 4)]).toEqual([255, 255, 0, 255]); // DAC 44

    // VBE mode 0x143 (800x600, 32 bpp) with the linear framebuffer, then TTY output drawn by the BIOS.
    const pc = await bootToInt10([...MOV_AX(0x4f02), ...MOV_BX(0x4143), ...INT10, ...tty("A")]);
    const vga = pc.vga;
    expect(vga.vbeMode()).toEqual({ width: 800, height: 600, bpp: 32, virtualWidth: 800 });
    expect(vga.render()).toMatchObject({ kind: "vbe", width: 800, height: 600 });
    let lit = 0;
    for (let y = 0; y < 16; y++) {
      for (let x = 0; x < 8; x++) {
        const v = (y * 800 + x) * 4;
        const [b, g, r] = vga.vram.subarray(v, v + 3);
        if (r | g | b) lit++;
        expect([...vga.frame.rgba.subarray(v, v + 4)]).toEqual([r, g, b, 255]);
      }
    }
    expect(lit).toBeGreaterThan(10);
  });
});

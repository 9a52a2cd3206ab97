import { describe, it, expect } from "vitest";
import { makeRig, rgb, type Rig } from "./helpers";

function dispi(rig: Rig, index: number, value: number): void {
  rig.out16(0x1ce, index);
  rig.out16(0x1cf, value);
}
function dispiRead(rig: Rig, index: number): number {
  rig.out16(0x1ce, index);
  return rig.in16(0x1cf);
}
function setVbeMode(rig: Rig, w: number, h: number, bpp: number, flags = 0x40): void {
  dispi(rig, 4, 0);
  dispi(rig, 1, w);
  dispi(rig, 2, h);
  dispi(rig, 3, bpp);
  dispi(rig, 4, 0x01 | flags);
}

describe("Bochs VBE (DISPI)", () => {
  it("identifies itself and reports 16 MiB of video memory and its capabilities", () => {
    const rig = makeRig();
    expect(dispiRead(rig, 0)).toBe(0xb0c5);
    dispi(rig, 0, 0xb0c0);
    expect(dispiRead(rig, 0)).toBe(0xb0c0);
    dispi(rig, 0, 0x1234); // not an interface id: ignored
    expect(dispiRead(rig, 0)).toBe(0xb0c0);
    expect(dispiRead(rig, 10)).toBe(256);
    dispi(rig, 4, 0x02); // GETCAPS: XRES/YRES/BPP read back their maxima
    expect([dispiRead(rig, 1), dispiRead(rig, 2), dispiRead(rig, 3)]).toEqual([2560, 1600, 32]);
    // 0x1D0 also reaches the data register.
    rig.out16(0x1ce, 0);
    expect(rig.in16(0x1d0)).toBe(0xb0c0);
  });

  it("800x600x32 through the linear framebuffer", () => {
    const rig = makeRig();
    setVbeMode(rig, 800, 600, 32);
    expect(rig.vga.vbeMode()).toEqual({ width: 800, height: 600, bpp: 32, virtualWidth: 800 });
    const lfb = rig.vga.lfb; // offsets into VRAM, as the PCI BAR passes them
    const at = (x: number, y: number) => (y * 800 + x) * 4;
    lfb.write(at(100, 200), 4, 0x00112233); // B=0x33 G=0x22 R=0x11
    lfb.write(at(799, 599), 4, 0x00ff8000);
    // A direct CPU write, reported the way direct-map.ts does.
    rig.vga.vram.set([0x01, 0x02, 0x03, 0x00], (300 * 800 + 400) * 4);
    rig.vga.markVramWritten((300 * 800 + 400) * 4, 4);
    const up = rig.vga.render();
    expect([up.kind, up.width, up.height]).toEqual(["vbe", 800, 600]);
    expect(up.aspect).toBeCloseTo(800 / 600);
    expect(rig.pixel(100, 200)).toEqual(rgb(0x11, 0x22, 0x33));
    expect(rig.pixel(799, 599)).toEqual(rgb(0xff, 0x80, 0x00));
    expect(rig.pixel(400, 300)).toEqual(rgb(0x03, 0x02, 0x01));
    expect(rig.pixel(101, 200)).toEqual(rgb(0, 0, 0));
    expect(lfb.read(at(100, 200), 4)).toBe(0x00112233);
    // A 40x30 block at (600, 400) in 0x00RRGGBB = 0x0080FF40, and nothing around it.
    for (let y = 400; y < 430; y++) for (let x = 600; x < 640; x++) lfb.write(at(x, y), 4, 0x0080ff40);
    expect(rig.vga.render().changed).toEqual({ x: 600, y: 400, width: 40, height: 30 });
    for (let y = 399; y <= 430; y++) {
      for (let x = 599; x <= 640; x++) {
        const inside = x >= 600 && x < 640 && y >= 400 && y < 430;
        expect(rig.pixel(x, y)).toEqual(inside ? rgb(0x80, 0xff, 0x40) : rgb(0, 0, 0));
      }
    }
  });

  it("1920x1080x32 fits twice in 16 MiB: Y_OFFSET flips between two buffers", () => {
    const rig = makeRig();
    setVbeMode(rig, 1920, 1080, 32);
    expect(dispiRead(rig, 7)).toBe(Math.floor((16 << 20) / (1920 * 4))); // 2184 lines
    const second = 1080 * 1920 * 4;
    rig.vga.lfb.write(second + (1079 * 1920 + 1919) * 4, 4, 0x00c0ffee);
    rig.vga.render();
    expect(rig.pixel(1919, 1079)).toEqual(rgb(0, 0, 0));
    dispi(rig, 9, 1080);
    const up = rig.vga.render();
    expect([up.width, up.height, up.changed]).toEqual([1920, 1080, { x: 1919, y: 1079, width: 1, height: 1 }]);
    expect(rig.pixel(1919, 1079)).toEqual(rgb(0xc0, 0xff, 0xee));
  });

  it("1024x768x16 decodes 5:6:5 pixels", () => {
    const rig = makeRig();
    setVbeMode(rig, 1024, 768, 16);
    const put = (x: number, y: number, v: number) => rig.vga.lfb.write((y * 1024 + x) * 2, 2, v);
    put(0, 0, 0xf800);
    put(1, 0, 0x07e0);
    put(2, 0, 0x001f);
    put(1023, 767, 0x8410); // r=16, g=32, b=16
    const up = rig.vga.render();
    expect([up.width, up.height]).toEqual([1024, 768]);
    expect(rig.pixel(0, 0)).toEqual(rgb(255, 0, 0));
    expect(rig.pixel(1, 0)).toEqual(rgb(0, 255, 0));
    expect(rig.pixel(2, 0)).toEqual(rgb(0, 0, 255));
    // 5 bits 16 -> 10000b -> 10000100b = 132; 6 bits 32 -> 100000b -> 10000010b = 130.
    expect(rig.pixel(1023, 767)).toEqual(rgb(132, 130, 132));
  });

  it("15 and 24 bits per pixel", () => {
    const rig = makeRig();
    setVbeMode(rig, 640, 480, 15);
    rig.vga.vram.set([0x1f, 0x7c], 0); // 0x7C1F: r=31, g=0, b=31
    rig.vga.markVramWritten(0, 2);
    rig.vga.render();
    expect(rig.pixel(0, 0)).toEqual(rgb(255, 0, 255));
    setVbeMode(rig, 640, 480, 24);
    rig.vga.vram.set([0x10, 0x20, 0x30], 3 * 641);
    rig.vga.markVramWritten(3 * 641, 3);
    rig.vga.render();
    expect(rig.pixel(1, 1)).toEqual(rgb(0x30, 0x20, 0x10));
  });

  it("640x480x8 through the banked window at A0000, colours from the DAC", () => {
    const rig = makeRig();
    setVbeMode(rig, 640, 480, 8, 0);
    rig.out8(0x3c8, 0x42);
    rig.out8(0x3c9, 0x3f);
    rig.out8(0x3c9, 0x00);
    rig.out8(0x3c9, 0x15);
    dispi(rig, 5, 4); // bank 4 = VRAM 0x40000
    expect(rig.vga.directMappings()).toEqual([{ phys: 0xa0000, bytes: 0x10000, vramOffset: 0x40000 }]);
    rig.poke(0xa0000 + 0x10, 0x42);
    expect(rig.peek(0xa0000 + 0x10)).toBe(0x42);
    expect(rig.vga.vram[0x40010]).toBe(0x42);
    rig.vga.render();
    // VRAM 0x40010 = 262160 = 409 * 640 + 400.
    expect(rig.pixel(400, 409)).toEqual(rgb(255, 0, 85));
    expect(rig.pixel(399, 409)).toEqual(rgb(0, 0, 0));
  });

  it("800x600x4: the planar VBE mode is written through the graphics controller", () => {
    const rig = makeRig();
    rig.setMode("12"); // AC palette 0..0x3F EGA layout, DAC EGA table
    setVbeMode(rig, 800, 600, 4, 0);
    expect(rig.vga.directMappings()).toEqual([]); // planar: every access goes through the device
    rig.gc(0x05, 0x02);
    rig.gc(0x08, 0x80);
    const at = 0xa0000 + 599 * 100 + 99; // last byte of the last line: pixels 792-799
    rig.peek(at);
    rig.poke(at, 0x0c);
    rig.gc(0x08, 0x01);
    rig.peek(at);
    rig.poke(at, 0x01);
    const up = rig.vga.render();
    expect([up.kind, up.width, up.height]).toEqual(["vbe", 800, 600]);
    expect(rig.pixel(792, 599)).toEqual(rgb(255, 85, 85)); // 12 -> AC0C = 0x3C
    expect(rig.pixel(793, 599)).toEqual(rgb(0, 0, 0));
    expect(rig.pixel(799, 599)).toEqual(rgb(0, 0, 170)); // 1 -> AC01 = 0x01
    rig.peek(0xa0000);
    rig.poke(0xa0000, 0x0f); // bit mask 0x01: pixel 7 only
    expect(rig.vga.render().changed).toEqual({ x: 7, y: 0, width: 1, height: 1 });
  });

  it("1024x768x4: planes larger than 64 KiB, reached through the bank register", () => {
    const rig = makeRig();
    rig.setMode("12");
    setVbeMode(rig, 1024, 768, 4, 0);
    expect(rig.vga.vbeMode()).toEqual({ width: 1024, height: 768, bpp: 4, virtualWidth: 1024 });
    rig.gc(0x05, 0x02);
    rig.gc(0x08, 0x80);
    dispi(rig, 5, 1); // plane offsets 0x10000-0x1FFFF: 128 bytes per line, so line 512 onwards
    rig.peek(0xa0000 + 128 * 255 + 127);
    rig.poke(0xa0000 + 128 * 255 + 127, 0x0e); // line 767, pixel 1016
    rig.peek(0xa0000);
    rig.poke(0xa0000, 0x0c); // line 512, pixel 0
    const up = rig.vga.render();
    expect([up.width, up.height]).toEqual([1024, 768]);
    expect(rig.pixel(0, 512)).toEqual(rgb(255, 85, 85));
    expect(rig.pixel(1016, 767)).toEqual(rgb(255, 255, 85));
    expect(rig.pixel(0, 0)).toEqual(rgb(0, 0, 0));
    rig.gc(0x04, 0x02); // read plane 2: colour 12 = 1100b has it set
    dispi(rig, 5, 0);
    expect(rig.peek(0xa0000)).toBe(0x00);
    dispi(rig, 5, 1);
    expect(rig.peek(0xa0000)).toBe(0x80);
  });

  it("8-bit DAC mode keeps full 8-bit components", () => {
    const rig = makeRig();
    setVbeMode(rig, 640, 480, 8, 0x20);
    rig.out8(0x3c8, 1);
    rig.out8(0x3c9, 0x80);
    rig.out8(0x3c9, 0xc1);
    rig.out8(0x3c9, 0x02);
    rig.out8(0x3c7, 1);
    expect([rig.in8(0x3c9), rig.in8(0x3c9), rig.in8(0x3c9)]).toEqual([0x80, 0xc1, 0x02]);
    rig.vga.vram[0] = 1;
    rig.vga.markVramWritten(0, 1);
    rig.vga.render();
    expect(rig.pixel(0, 0)).toEqual(rgb(0x80, 0xc1, 0x02));
  });

  it("virtual width and X/Y offsets scroll the display", () => {
    const rig = makeRig();
    setVbeMode(rig, 640, 480, 32);
    dispi(rig, 6, 1024);
    expect(dispiRead(rig, 6)).toBe(1024);
    expect(dispiRead(rig, 7)).toBe(Math.floor((16 << 20) / 4096));
    rig.vga.vram.set([0xff, 0, 0, 0], (500 * 1024 + 700) * 4);
    rig.vga.markVramWritten((500 * 1024 + 700) * 4, 4);
    dispi(rig, 8, 100);
    dispi(rig, 9, 400);
    rig.vga.render();
    expect(rig.pixel(600, 100)).toEqual(rgb(0, 0, 255));
    // Offsets that would run past the virtual screen are clamped.
    dispi(rig, 8, 1000);
    expect(dispiRead(rig, 8)).toBe(1024 - 640);
  });

  it("enabling clears video memory unless NOCLEARMEM; geometry is locked while enabled", () => {
    const rig = makeRig();
    rig.vga.vram[10] = 0x55;
    setVbeMode(rig, 640, 480, 8, 0x80);
    expect(rig.vga.vram[10]).toBe(0x55);
    dispi(rig, 1, 800); // ignored while enabled
    expect(dispiRead(rig, 1)).toBe(640);
    setVbeMode(rig, 640, 480, 8, 0);
    expect(rig.vga.vram[10]).toBe(0);
    dispi(rig, 4, 0);
    dispi(rig, 1, 804); // not a multiple of 8: refused
    expect(dispiRead(rig, 1)).toBe(640);
  });

  it("clearing the palette address source blanks a VBE display (bochs-drm DPMS)", () => {
    const rig = makeRig();
    rig.in8(0x3da);
    rig.out8(0x3c0, 0x20);
    setVbeMode(rig, 640, 480, 32);
    rig.vga.lfb.write(0, 4, 0x00ffffff);
    expect(rig.vga.render().kind).toBe("vbe");
    expect(rig.pixel(0, 0)).toEqual(rgb(255, 255, 255));
    rig.in8(0x3da);
    rig.out8(0x3c0, 0x00);
    expect(rig.vga.render()).toMatchObject({ kind: "blank", width: 640, height: 480 });
    expect(rig.pixel(0, 0)).toEqual(rgb(0, 0, 0));
    rig.out8(0x3c0, 0x00);
    rig.in8(0x3da);
    rig.out8(0x3c0, 0x20);
    expect(rig.vga.render().kind).toBe("vbe");
    expect(rig.pixel(0, 0)).toEqual(rgb(255, 255, 255));
  });

  it("disabling DISPI returns to the legacy VGA picture", () => {
    const rig = makeRig();
    rig.setMode("13");
    setVbeMode(rig, 800, 600, 32);
    expect(rig.vga.render().kind).toBe("vbe");
    dispi(rig, 4, 0);
    const up = rig.vga.render();
    expect([up.kind, up.width, up.height, up.resized]).toEqual(["graphics", 320, 200, true]);
  });
});

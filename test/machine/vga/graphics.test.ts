import { describe, it, expect } from "vitest";
import { makeRig, rgb } from "./helpers";

// Expected colours are derived by hand from the DAC tables the mode set loads (see palettes.ts):
// 6-bit 0x15 -> 85, 0x2A -> 170, 0x3F -> 255.

describe("CGA-compatible modes", () => {
  it("mode 04h: 2 bits per pixel, even rows at B8000 and odd rows at BA000", () => {
    const rig = makeRig();
    rig.setMode("04");
    rig.poke(0xb8000, 0b00_01_10_11); // pixels 0..3 = 0, 1, 2, 3
    rig.poke(0xb8001, 0b11_00_00_00); // pixel 4 = 3
    rig.poke(0xba000, 0b10_00_00_00); // row 1, pixel 0 = 2
    rig.poke(0xb8000 + 80, 0b01_00_00_00); // row 2, pixel 0 = 1
    const up = rig.vga.render();
    expect([up.width, up.height]).toEqual([320, 200]);
    // Palette 1, high intensity: AC01-03 = 0x13, 0x15, 0x17 in the CGA DAC table (IRGB, bit 4 = I).
    const CYAN = rgb(85, 255, 255);
    const MAGENTA = rgb(255, 85, 255);
    const WHITE = rgb(255, 255, 255);
    expect(rig.pixel(0, 0)).toEqual(rgb(0, 0, 0));
    expect(rig.pixel(1, 0)).toEqual(CYAN);
    expect(rig.pixel(2, 0)).toEqual(MAGENTA);
    expect(rig.pixel(3, 0)).toEqual(WHITE);
    expect(rig.pixel(4, 0)).toEqual(WHITE);
    expect(rig.pixel(5, 0)).toEqual(rgb(0, 0, 0));
    expect(rig.pixel(0, 1)).toEqual(MAGENTA);
    expect(rig.pixel(0, 2)).toEqual(CYAN);
    // The bytes read back through odd/even addressing.
    expect(rig.peek(0xb8001)).toBe(0xc0);
    expect(rig.peek(0xba000)).toBe(0x80);
  });

  it("mode 06h: 1 bit per pixel, 640x200, banks at B8000/BA000", () => {
    const rig = makeRig();
    rig.setMode("06");
    rig.poke(0xb8000, 0x81);
    rig.poke(0xba000 + 79, 0x01);
    const up = rig.vga.render();
    expect([up.width, up.height]).toEqual([640, 200]);
    const WHITE = rgb(255, 255, 255); // AC01 = 0x17 in the CGA table
    expect(rig.pixel(0, 0)).toEqual(WHITE);
    expect(rig.pixel(1, 0)).toEqual(rgb(0, 0, 0));
    expect(rig.pixel(7, 0)).toEqual(WHITE);
    expect(rig.pixel(639, 1)).toEqual(WHITE);
    expect(rig.pixel(639, 0)).toEqual(rgb(0, 0, 0));
  });
});

describe("planar 16-colour modes", () => {
  // EGA table through the mode 12h attribute palette.
  const BLACK = rgb(0, 0, 0);
  const BLUE = rgb(0, 0, 170); // 1 -> 0x01
  const RED = rgb(170, 0, 0); // 4 -> 0x04
  const LIGHT_RED = rgb(255, 85, 85); // 12 -> 0x3C
  const LIGHT_CYAN = rgb(85, 255, 255); // 11 -> 0x3B
  const YELLOW = rgb(255, 255, 85); // 14 -> 0x3E

  it("mode 12h: write modes 0-3, set/reset, bit mask, map mask, ALU and read modes", () => {
    const rig = makeRig();
    rig.setMode("12");
    const row = (y: number) => 0xa0000 + y * 80;
    // Write mode 2: the CPU byte is a colour; the bit mask picks pixel 0 only.
    rig.gc(0x05, 0x02);
    rig.gc(0x08, 0x80);
    rig.peek(row(0)); // load latches
    rig.poke(row(0), 0x0c);
    // Write mode 0 with set/reset enabled on all planes: colour 1 everywhere the mask allows.
    rig.gc(0x05, 0x00);
    rig.gc(0x08, 0xff);
    rig.gc(0x00, 0x01);
    rig.gc(0x01, 0x0f);
    rig.poke(row(1), 0x00);
    // Map mask: plane 2 (red) only, plain data, no set/reset.
    rig.gc(0x01, 0x00);
    rig.seq(0x02, 0x04);
    rig.poke(row(2), 0xf0);
    rig.seq(0x02, 0x0f);
    // Write mode 3: rotated data ANDed with the bit mask, colour from set/reset.
    rig.gc(0x05, 0x03);
    rig.gc(0x00, 0x0e);
    rig.poke(row(4), 0x3c);
    // Write mode 0, ALU XOR with set/reset 15 under bit mask F0: pixels 0-3 of row 2 become 4^15 = 11.
    rig.gc(0x05, 0x00);
    rig.gc(0x00, 0x0f);
    rig.gc(0x01, 0x0f);
    rig.gc(0x03, 0x18);
    rig.gc(0x08, 0xf0);
    rig.peek(row(2));
    rig.poke(row(2), 0x00);
    rig.gc(0x03, 0x00);
    rig.gc(0x01, 0x00);
    rig.gc(0x08, 0xff);
    // Data rotate: 0x01 rotated right by 1 is 0x80 -> pixel 0 of row 5 in all planes (colour 15).
    rig.gc(0x03, 0x01);
    rig.poke(row(5), 0x01);
    rig.gc(0x03, 0x00);
    // Write mode 1 copies the latches: row 2 duplicated into row 3.
    rig.peek(row(2));
    rig.gc(0x05, 0x01);
    rig.poke(row(3), 0x00);
    rig.gc(0x05, 0x00);

    const up = rig.vga.render();
    expect([up.width, up.height]).toEqual([640, 480]);
    expect(rig.pixel(0, 0)).toEqual(LIGHT_RED);
    expect(rig.pixel(1, 0)).toEqual(BLACK);
    for (let x = 0; x < 8; x++) expect(rig.pixel(x, 1)).toEqual(BLUE);
    expect(rig.pixel(8, 1)).toEqual(BLACK);
    for (let x = 0; x < 4; x++) expect(rig.pixel(x, 2)).toEqual(LIGHT_CYAN);
    for (let x = 4; x < 8; x++) expect(rig.pixel(x, 2)).toEqual(BLACK);
    for (let x = 0; x < 8; x++) expect(rig.pixel(x, 3)).toEqual(rig.pixel(x, 2));
    expect(rig.pixel(1, 4)).toEqual(BLACK);
    for (let x = 2; x < 6; x++) expect(rig.pixel(x, 4)).toEqual(YELLOW);
    expect(rig.pixel(6, 4)).toEqual(BLACK);
    expect(rig.pixel(0, 5)).toEqual(rgb(255, 255, 255));
    expect(rig.pixel(1, 5)).toEqual(BLACK);

    // Read mode 0 returns the plane chosen by Read Map Select.
    rig.gc(0x04, 0x00);
    expect(rig.peek(row(2))).toBe(0xf0); // colour 11 = planes 0, 1, 3
    rig.gc(0x04, 0x02);
    expect(rig.peek(row(2))).toBe(0x00);
    // Read mode 1: bits set where the pixel's colour equals Color Compare (planes in Don't Care).
    rig.gc(0x05, 0x08);
    rig.gc(0x02, 0x0b);
    rig.gc(0x07, 0x0f);
    expect(rig.peek(row(2))).toBe(0xf0);
    rig.gc(0x02, 0x00);
    expect(rig.peek(row(2))).toBe(0x0f);
    rig.gc(0x07, 0x04); // only plane 2 matters: every pixel of row 2 has plane 2 clear
    expect(rig.peek(row(2))).toBe(0xff);
  });

  it("modes 0Dh, 0Eh and 10h have the documented resolutions", () => {
    const rig = makeRig();
    for (const [mode, w, h] of [["0D", 320, 200], ["0E", 640, 200], ["10", 640, 350]] as const) {
      rig.setMode(mode);
      const up = rig.vga.render();
      expect([mode, up.width, up.height]).toEqual([mode, w, h]);
    }
  });

  it("mode 0Dh: 40 bytes per line, colours from the CGA table (AC08-0F = 0x10-0x17)", () => {
    const rig = makeRig();
    rig.setMode("0D");
    rig.gc(0x05, 0x02);
    rig.peek(0xa0000 + 40);
    rig.poke(0xa0000 + 40, 0x0e); // row 1, pixel 0..7 colour 14 -> AC0E = 0x16 -> yellow
    rig.vga.render();
    expect(rig.pixel(0, 1)).toEqual(rgb(255, 255, 85));
    expect(rig.pixel(0, 0)).toEqual(rgb(0, 0, 0));
  });

  it("mode 0Fh: monochrome graphics where value 4 blinks (graphics-mode blinking)", () => {
    const rig = makeRig();
    rig.setMode("0F");
    rig.gc(0x05, 0x02);
    rig.peek(0xa0000);
    rig.poke(0xa0000, 0x01); // pixels 0-7 = 1: video
    rig.gc(0x08, 0x0f);
    rig.peek(0xa0001);
    rig.poke(0xa0001, 0x04); // pixels 12-15 = 4: blinking
    rig.gc(0x08, 0xf0);
    rig.peek(0xa0001); // reload the latches, or pixels 12-15 would be rewritten from stale ones
    rig.poke(0xa0001, 0x05); // pixels 8-11 = 5: intensified
    // 640x350 timing: (CR00+5)*8 = 800 dots per line, 449 lines, 25.175 MHz.
    const frameNs = (800 * 449 * 1e9) / 25_175_000;
    rig.clock.advanceTo(3.5 * frameNs);
    const up = rig.vga.render();
    expect([up.width, up.height]).toEqual([640, 350]);
    // Mono DAC: 0x08 -> 0x2A grey, 0x18 -> 0x3F white.
    expect(rig.pixel(0, 0)).toEqual(rgb(170, 170, 170));
    expect(rig.pixel(8, 0)).toEqual(rgb(255, 255, 255));
    expect(rig.pixel(12, 0)).toEqual(rgb(255, 255, 255));
    rig.clock.advanceTo(20.5 * frameNs); // blink off phase (frames 16-31): value v shows as v ^ 8
    expect(rig.vga.render().changed).toEqual({ x: 12, y: 0, width: 4, height: 1 });
    expect(rig.pixel(12, 0)).toEqual(rgb(0, 0, 0)); // AC0C = 0x00
    expect(rig.pixel(8, 0)).toEqual(rgb(255, 255, 255)); // AC0D = 0x18
    expect(rig.pixel(0, 0)).toEqual(rgb(170, 170, 170)); // AC09 = 0x08
  });

  it("split screen, start address and pixel panning", () => {
    const rig = makeRig();
    rig.setMode("12");
    rig.gc(0x05, 0x02);
    rig.poke(0xa0000, 0x01); // row 0: 8 blue pixels
    rig.poke(0xa0000 + 10 * 80, 0x04); // row 10: 8 red pixels
    rig.gc(0x05, 0x00);
    // Byte mode: the start address counts bytes; row 10 starts at 800 = 0x0320.
    rig.crtc(0x0c, 0x03);
    rig.crtc(0x0d, 0x20);
    // Line compare = 99 (CR18, CR07 bit 4 and CR09 bit 6 clear): scanline 99 is the last one
    // above the split; the address counter restarts at 0 on scanline 100.
    rig.crtc(0x18, 99);
    rig.crtc(0x07, rig.vga.state.crtc[7] & ~0x10);
    rig.crtc(0x09, rig.vga.state.crtc[9] & ~0x40);
    rig.vga.render();
    expect(rig.pixel(0, 0)).toEqual(RED);
    expect(rig.pixel(0, 99)).toEqual(BLACK);
    expect(rig.pixel(0, 100)).toEqual(BLUE);
    // Pixel panning (AC13 = 3) shifts the picture left by 3 pixels above and below the split.
    rig.in8(0x3da);
    rig.out8(0x3c0, 0x33);
    rig.out8(0x3c0, 0x03);
    rig.vga.render();
    expect(rig.pixel(4, 0)).toEqual(RED);
    expect(rig.pixel(5, 0)).toEqual(BLACK);
    expect(rig.pixel(4, 100)).toEqual(BLUE);
    // AC10 bit 5: no panning below the split line.
    rig.in8(0x3da);
    rig.out8(0x3c0, 0x30);
    rig.out8(0x3c0, 0x21);
    rig.vga.render();
    expect(rig.pixel(7, 100)).toEqual(BLUE);
    expect(rig.pixel(5, 0)).toEqual(BLACK);
  });
});

describe("256-colour modes", () => {
  it("mode 13h: one byte per pixel at A0000, default DAC", () => {
    const rig = makeRig();
    rig.setMode("13");
    rig.poke(0xa0000 + 5 * 320 + 10, 0x20); // DAC 32: first wheel entry (0,0,0x3F)
    rig.poke(0xa0000 + 199 * 320 + 319, 0x1f); // DAC 31: top of the grey ramp 0x3F
    rig.poke(0xa0000 + 1, 0x06); // DAC 6: brown (0x2A,0x15,0)
    rig.poke(0xa0000 + 2, 0x5a); // DAC 90: wheel 3 (levels 2D..3F) entry 10 = (e,c,a) = (0x3F,0x36,0x2D)
    const up = rig.vga.render();
    expect([up.kind, up.width, up.height]).toEqual(["graphics", 320, 200]);
    expect(rig.pixel(10, 5)).toEqual(rgb(0, 0, 255));
    expect(rig.pixel(319, 199)).toEqual(rgb(255, 255, 255));
    expect(rig.pixel(1, 0)).toEqual(rgb(170, 85, 0));
    expect(rig.pixel(2, 0)).toEqual(rgb(255, 219, 182));
    // The overscan register (AC11) indexes the DAC directly: 0x28 -> (0x3F, 0, 0).
    expect(up.border).toBe(0xff000000);
    rig.in8(0x3da);
    rig.out8(0x3c0, 0x31);
    rig.out8(0x3c0, 0x28);
    expect(rig.vga.render()).toMatchObject({ border: 0xff0000ff, convertedLines: 0 });
    // A DAC entry programmed through 0x3C8/0x3C9 (6-bit: 0x20 -> 130).
    rig.out8(0x3c8, 0x20);
    rig.out8(0x3c9, 0x3f);
    rig.out8(0x3c9, 0x20);
    rig.out8(0x3c9, 0x00);
    rig.vga.render();
    expect(rig.pixel(10, 5)).toEqual(rgb(255, 130, 0));
    // Pel mask 0x0F: index 0x20 reads DAC entry 0 (black).
    rig.out8(0x3c6, 0x0f);
    rig.vga.render();
    expect(rig.pixel(10, 5)).toEqual(rgb(0, 0, 0));
  });

  it("mode 13h: chain-4 puts byte A in plane A&3 at offset A&~3, and the window is directly mappable", () => {
    const rig = makeRig();
    rig.setMode("13");
    rig.poke(0xa0000 + 5, 0x77);
    expect(rig.vga.directMappings()).toEqual([{ phys: 0xa0000, bytes: 0x10000, vramOffset: 0 }]);
    expect(rig.vga.vram[5]).toBe(0x77); // linear in VRAM: the CPU may map it
    // Unchain and read plane 1 at offset 4.
    rig.seq(0x04, 0x06);
    rig.gc(0x04, 0x01);
    rig.gc(0x05, 0x00);
    expect(rig.peek(0xa0000 + 4)).toBe(0x77);
    expect(rig.peek(0xa0000 + 5)).toBe(0x00);
    expect(rig.vga.directMappings()).toEqual([]);
  });

  it("mode 13h: the graphics controller still applies in chain-4 (bit mask with latches)", () => {
    const rig = makeRig();
    rig.setMode("13");
    rig.poke(0xa0000 + 1, 0xa5);
    rig.peek(0xa0000 + 1); // latches: plane 1 = 0xA5
    rig.gc(0x08, 0x0f);
    rig.poke(0xa0000 + 1, 0xff); // (0xFF & 0x0F) | (latch & 0xF0)
    rig.gc(0x08, 0xff);
    expect(rig.peek(0xa0000 + 1)).toBe(0xaf);
    // Set/reset in chain-4: enable set/reset on all planes with colour 0 -> the byte becomes 0.
    rig.gc(0x01, 0x0f);
    rig.poke(0xa0000 + 2, 0x77);
    rig.gc(0x01, 0x00);
    expect(rig.peek(0xa0000 + 2)).toBe(0x00);
    rig.poke(0xa0000 + 2, 0x77);
    expect(rig.peek(0xa0000 + 2)).toBe(0x77);
  });

  it("mode X: unchained 320x240, pixels written plane by plane through the map mask", () => {
    const rig = makeRig();
    rig.setMode("X");
    // Clear all four planes.
    rig.seq(0x02, 0x0f);
    for (let i = 0; i < 0x10000; i += 2) rig.poke(0xa0000 + i, 0, 2);
    // Pixel (5, 3): plane 5&3 = 1, offset 3*80 + 5/4.
    rig.seq(0x02, 1 << 1);
    rig.poke(0xa0000 + 3 * 80 + 1, 0x28); // DAC 40: wheel 1 entry 8 = (0x3F,0,0)
    // Pixels (8..11, 239) in one write with all planes enabled.
    rig.seq(0x02, 0x0f);
    rig.poke(0xa0000 + 239 * 80 + 2, 0x2c); // DAC 44: entry 12 = (0x3F,0x3F,0)
    const up = rig.vga.render();
    expect([up.width, up.height]).toEqual([320, 240]);
    expect(rig.pixel(5, 3)).toEqual(rgb(255, 0, 0));
    expect(rig.pixel(4, 3)).toEqual(rgb(0, 0, 0));
    expect(rig.pixel(6, 3)).toEqual(rgb(0, 0, 0));
    for (let x = 8; x < 12; x++) expect(rig.pixel(x, 239)).toEqual(rgb(255, 255, 0));
    expect(rig.pixel(12, 239)).toEqual(rgb(0, 0, 0));
    // Page flip: start address 80*240 shows the second page (all black).
    rig.crtc(0x0c, (80 * 240) >> 8);
    rig.crtc(0x0d, (80 * 240) & 0xff);
    const flip = rig.vga.render();
    expect(flip.changed).toEqual({ x: 5, y: 3, width: 7, height: 237 });
    expect(rig.pixel(5, 3)).toEqual(rgb(0, 0, 0));
  });

  it("mode X: write mode 1 copies four pixels per byte through the latches", () => {
    const rig = makeRig();
    rig.setMode("X");
    rig.seq(0x02, 0x0f);
    rig.gc(0x01, 0x00);
    for (let p = 0; p < 4; p++) {
      rig.seq(0x02, 1 << p);
      rig.poke(0xa0000, 0x20 + p);
    }
    rig.seq(0x02, 0x0f);
    rig.peek(0xa0000);
    rig.gc(0x05, 0x41);
    rig.poke(0xa0000 + 80, 0);
    rig.gc(0x05, 0x40);
    rig.vga.render();
    for (let x = 0; x < 4; x++) expect(rig.pixel(x, 1)).toEqual(rig.pixel(x, 0));
    expect(rig.pixel(0, 1)).toEqual(rgb(0, 0, 255)); // DAC 32
    expect(rig.pixel(1, 1)).toEqual(rgb(65, 0, 255)); // DAC 33 = (0x10,0,0x3F): 0x10 -> 65
  });
});

// CRTC and attribute controller details beyond the standard mode tables: panning, preset row
// scan, cursor skew, count-by-two, bank substitution and colour select.
import { describe, it, expect } from "vitest";
import { makeRig, loadFont, rgb } from "./helpers";

const BLUE = rgb(0, 0, 170);
const YELLOW = rgb(255, 255, 85);
const WHITE = rgb(255, 255, 255);
const BLACK = rgb(0, 0, 0);

function attr(rig: ReturnType<typeof makeRig>, index: number, value: number): void {
  rig.in8(0x3da);
  rig.out8(0x3c0, 0x20 | index);
  rig.out8(0x3c0, value);
}

describe("CRTC and attribute details", () => {
  it("text pixel panning in 9-dot cells: AC13 = 8 is no shift, 0-7 shift by 1-8", () => {
    const rig = makeRig();
    rig.setMode("03");
    loadFont(rig, new Map([[0x41, [0x80]], [0x42, [0x01]]]), 16);
    rig.poke(0xb8000, 0x41 | (0x1e << 8), 2);
    rig.poke(0xb8002, 0x42 | (0x1e << 8), 2);
    attr(rig, 0x13, 0x08);
    rig.vga.render();
    expect(rig.pixel(0, 0)).toEqual(YELLOW);
    expect(rig.pixel(9 + 7, 0)).toEqual(YELLOW);
    attr(rig, 0x13, 0x00); // one pixel left
    rig.vga.render();
    expect(rig.pixel(0, 0)).toEqual(BLUE);
    expect(rig.pixel(9 + 6, 0)).toEqual(YELLOW);
    attr(rig, 0x13, 0x07); // eight pixels: cell 1 starts at x = 1, cell 2 (blank, black) at x = 10
    rig.vga.render();
    expect(rig.pixel(1 + 7, 0)).toEqual(YELLOW);
    expect(rig.pixel(0, 0)).toEqual(BLUE); // the ninth dot of cell 0
    expect(rig.pixel(10, 0)).toEqual(BLACK);
  });

  it("byte panning (CR08 bits 5-6) starts the display one character later", () => {
    const rig = makeRig();
    rig.setMode("03");
    for (const [i, ch] of [..."XYZ"].entries()) rig.poke(0xb8000 + 2 * i, ch.charCodeAt(0) | (0x07 << 8), 2);
    rig.crtc(0x08, 0x20);
    expect(rig.vga.textCells()!.rowText(0).slice(0, 2)).toBe("YZ");
  });

  it("preset row scan (CR08 bits 0-4) starts the first character row at a later scanline", () => {
    const rig = makeRig();
    rig.setMode("03");
    // Glyph row r lights pixel r (rows 0-7), so each scanline shows which row it came from.
    loadFont(rig, new Map([[0x41, [0x80, 0x40, 0x20, 0x10, 0x08, 0x04, 0x02, 0x01]]]), 16);
    rig.poke(0xb8000, 0x41 | (0x07 << 8), 2);
    rig.poke(0xb8000 + 160, 0x41 | (0x07 << 8), 2);
    rig.crtc(0x08, 0x03);
    rig.vga.render();
    const grey = rgb(170, 170, 170);
    expect(rig.pixel(3, 0)).toEqual(grey); // scanline 0 shows glyph row 3
    expect(rig.pixel(4, 1)).toEqual(grey);
    expect(rig.pixel(0, 13)).toEqual(grey); // row 0 of the second character row: 16 - 3 = 13
    expect(rig.pixel(0, 0)).toEqual(BLACK);
  });

  it("cursor skew (CR0B bits 5-6) shows the cursor characters to the right", () => {
    const rig = makeRig();
    rig.setMode("03");
    rig.crtc(0x0e, 0);
    rig.crtc(0x0f, 0);
    rig.crtc(0x0b, 0x0e | (2 << 5));
    rig.poke(0xb8000, 0x20 | (0x07 << 8), 2);
    rig.poke(0xb8004, 0x20 | (0x07 << 8), 2);
    rig.vga.render();
    expect(rig.pixel(0, 13)).toEqual(BLACK);
    expect(rig.pixel(18, 13)).toEqual(rgb(170, 170, 170));
    expect(rig.vga.textCells()!.cursor.column).toBe(0); // the location register is unchanged
  });

  it("count by two (CR17 bit 3) repeats each address for two character clocks", () => {
    const rig = makeRig();
    rig.setMode("12");
    rig.gc(0x05, 0x02);
    rig.gc(0x08, 0x80);
    rig.peek(0xa0000);
    rig.poke(0xa0000, 0x0f);
    rig.crtc(0x17, rig.vga.state.crtc[0x17] | 0x08);
    rig.vga.render();
    expect(rig.pixel(0, 0)).toEqual(WHITE);
    expect(rig.pixel(8, 0)).toEqual(WHITE);
    expect(rig.pixel(16, 0)).toEqual(BLACK);
  });

  it("row scan bits replace address bits 13 and 14 when CR17 bits 0-1 are clear", () => {
    const rig = makeRig();
    rig.setMode("12");
    rig.crtc(0x09, 0x43); // 4 scanlines per row
    rig.crtc(0x17, 0xe0); // byte mode, both substitutions
    rig.gc(0x05, 0x02);
    rig.gc(0x08, 0x80);
    for (const [offset, colour] of [[0x0000, 1], [0x2000, 4], [0x4000, 14], [0x6000, 15]]) {
      rig.peek(0xa0000 + offset);
      rig.poke(0xa0000 + offset, colour);
    }
    const up = rig.vga.render();
    expect(up.height).toBe(480); // every scanline is distinct: no collapsing
    expect(rig.pixel(0, 0)).toEqual(BLUE); // row scan 0: offset 0
    expect(rig.pixel(0, 1)).toEqual(rgb(170, 0, 0)); // row scan 1: bit 13
    expect(rig.pixel(0, 2)).toEqual(YELLOW); // row scan 2: bit 14
    expect(rig.pixel(0, 3)).toEqual(WHITE); // row scan 3: both
  });

  it("colour select (AC14) supplies DAC index bits 7-6, and bits 5-4 when AC10 bit 7 is set", () => {
    const rig = makeRig();
    rig.setMode("12");
    rig.gc(0x05, 0x02);
    rig.gc(0x08, 0x80);
    rig.peek(0xa0000);
    rig.poke(0xa0000, 0x01); // pixel 0 = 1 -> AC01 = 0x01
    const dac = (i: number, r: number, g: number, b: number) => {
      rig.out8(0x3c8, i);
      rig.out8(0x3c9, r);
      rig.out8(0x3c9, g);
      rig.out8(0x3c9, b);
    };
    dac(0x41, 0x3f, 0x00, 0x3f); // 0x01 | (AC14 bits 3-2 = 01) << 6
    dac(0x51, 0x3f, 0x20, 0x10); // ... | (AC14 bits 1-0 = 01) << 4
    attr(rig, 0x14, 0x05);
    rig.vga.render();
    expect(rig.pixel(0, 0)).toEqual(rgb(255, 0, 255));
    attr(rig, 0x10, 0x81);
    rig.vga.render();
    expect(rig.pixel(0, 0)).toEqual(rgb(255, 130, 65));
  });
});

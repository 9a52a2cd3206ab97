import { describe, it, expect } from "vitest";
import { makeRig } from "./helpers";
import { VGA_MODES, encodeParameterTableEntry } from "../../../src/machine/vga/mode-tables";

describe("BIOS mode tables", () => {
  // Frame sizes by hand: text modes are columns x 9 dots wide and 400 (350) scanlines high;
  // graphics modes are the documented resolutions.
  const expected: Record<string, [string, number, number]> = {
    "00": ["text", 360, 400], "01": ["text", 360, 400], "02": ["text", 720, 400], "03": ["text", 720, 400],
    "04": ["graphics", 320, 200], "05": ["graphics", 320, 200], "06": ["graphics", 640, 200],
    "07": ["text", 720, 400], "0D": ["graphics", 320, 200], "0E": ["graphics", 640, 200],
    "0F": ["graphics", 640, 350], "10": ["graphics", 640, 350], "12": ["graphics", 640, 480],
    "13": ["graphics", 320, 200], "X": ["graphics", 320, 240],
    "03/8x8": ["text", 720, 400], "03/350/8x8": ["text", 720, 350], "01/8x8": ["text", 360, 400],
    // 8-dot cells; the 200-line modes show each scanline twice, so 200 distinct lines.
    "03/350": ["text", 640, 350], "01/350": ["text", 320, 350], "03/200": ["text", 640, 200], "01/200": ["text", 320, 200],
  };
  for (const key of Object.keys(VGA_MODES)) {
    it(`mode ${key} (${VGA_MODES[key].name}) produces the documented picture`, () => {
      const rig = makeRig();
      rig.setMode(key);
      const up = rig.vga.render();
      expect([up.kind, up.width, up.height]).toEqual(expected[key]);
      expect(up.aspect).toBeCloseTo(4 / 3);
      const m = VGA_MODES[key];
      if (m.text) {
        const t = rig.vga.textCells()!;
        expect([t.columns, t.rows, t.charHeight]).toEqual([m.textColumns, m.textRows, m.charHeight]);
      } else {
        expect(rig.vga.textCells()).toBeNull();
      }
      // The window the mode decodes is where the table says the BIOS finds it.
      rig.out8(0x3ce, 0x06);
      const map = (rig.in8(0x3cf) >> 2) & 3;
      expect([0xa0000, 0xa0000, 0xb0000, 0xb8000][map]).toBe(m.memoryBase);
    });
  }

  it("200-line text: 8x8 cells double scanned, in CGA colours", () => {
    const rig = makeRig();
    rig.setMode("03/200");
    // Load a glyph whose rows alternate, then check each font row covers two physical scanlines
    // (one output line) and that attribute 6 is CGA brown (0x2A, 0x15, 0).
    rig.seq(0x02, 0x04);
    rig.seq(0x04, 0x07);
    rig.gc(0x04, 0x02);
    rig.gc(0x05, 0x00);
    rig.gc(0x06, 0x04);
    for (let r = 0; r < 8; r++) rig.poke(0xa0000 + 0x41 * 32 + r, r & 1 ? 0x00 : 0xff);
    rig.seq(0x02, 0x03);
    rig.seq(0x04, 0x02);
    rig.gc(0x05, 0x10);
    rig.gc(0x06, 0x0e);
    rig.poke(0xb8000 + 160, 0x41 | (0x06 << 8), 2); // row 1, column 0
    rig.vga.render();
    const f = rig.vga.frame;
    const px = (x: number, y: number) => [...f.rgba.subarray((y * f.width + x) * 4, (y * f.width + x) * 4 + 3)];
    expect(px(0, 8)).toEqual([170, 85, 0]);
    expect(px(0, 9)).toEqual([0, 0, 0]);
    expect(px(7, 10)).toEqual([170, 85, 0]);
  });

  it("encodes IBM Video Parameter Table entries", () => {
    const e = encodeParameterTableEntry(VGA_MODES["03"]);
    expect([...e.subarray(0, 10)]).toEqual([80, 24, 16, 0x00, 0x10, 0x00, 0x03, 0x00, 0x02, 0x67]);
    expect([...e.subarray(10, 14)]).toEqual([0x5f, 0x4f, 0x50, 0x82]);
    expect(e[34]).toBe(0xff); // CR18
    expect(e[35 + 6]).toBe(0x14); // AC06: brown
    expect([...e.subarray(55, 64)]).toEqual([0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0e, 0x00, 0xff]);
  });
});

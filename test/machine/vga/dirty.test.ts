import { describe, it, expect } from "vitest";
import { makeRig } from "./helpers";
import { copyRect } from "../../../src/machine/vga/render";

describe("incremental rendering", () => {
  it("mode 13h: one write after a render changes exactly that pixel; no writes, no change", () => {
    const rig = makeRig();
    rig.setMode("13");
    const first = rig.vga.render();
    expect(first.resized).toBe(true);
    expect(first.changed).toEqual({ x: 0, y: 0, width: 320, height: 200 });
    expect(first.convertedLines).toBe(200);
    const idle = rig.vga.render();
    expect([idle.changed, idle.convertedLines]).toEqual([null, 0]);
    rig.poke(0xa0000 + 77 * 320 + 123, 9);
    const one = rig.vga.render();
    expect(one.changed).toEqual({ x: 123, y: 77, width: 1, height: 1 });
    // Block granularity: only the lines sharing the written 512-byte block are converted again.
    expect(one.convertedLines).toBeLessThanOrEqual(3);
    expect(rig.vga.render().convertedLines).toBe(0);
    // Writing the value already there changes nothing visible.
    rig.poke(0xa0000 + 77 * 320 + 123, 9);
    expect(rig.vga.render().changed).toBeNull();
  });

  it("register writes that only steer CPU accesses do not force a redraw", () => {
    const rig = makeRig();
    rig.setMode("X");
    rig.vga.render();
    rig.seq(0x02, 0x04); // map mask: plane 2 -> pixel x = 4k + 2
    rig.gc(0x08, 0xff);
    rig.gc(0x05, 0x40);
    rig.crtc(0x11, rig.vga.state.crtc[0x11] & 0x7f); // retrace end / protect: timing only
    expect(rig.vga.render().convertedLines).toBe(0);
    rig.poke(0xa0000 + 100 * 80 + 10, 0x28);
    const up = rig.vga.render();
    expect(up.changed).toEqual({ x: 42, y: 100, width: 1, height: 1 });
    expect(up.convertedLines).toBeLessThanOrEqual(8); // the lines sharing the written block
  });

  it("copyRect extracts the changed pixels for the page", () => {
    const rig = makeRig();
    rig.setMode("13");
    rig.vga.render();
    rig.poke(0xa0000 + 10 * 320 + 5, 0x20); // DAC 32: (0, 0, 0x3F)
    rig.poke(0xa0000 + 11 * 320 + 6, 0x28); // DAC 40: (0x3F, 0, 0)
    const up = rig.vga.render();
    expect(up.changed).toEqual({ x: 5, y: 10, width: 2, height: 2 });
    expect([...copyRect(rig.vga.frame, up.changed!)]).toEqual([
      0, 0, 255, 255, 0, 0, 0, 255,
      0, 0, 0, 255, 255, 0, 0, 255,
    ]);
  });

  it("a DAC change redraws, reporting the pixels that use the entry", () => {
    const rig = makeRig();
    rig.setMode("13");
    rig.poke(0xa0000 + 10 * 320 + 20, 0x80);
    rig.poke(0xa0000 + 30 * 320 + 5, 0x80);
    rig.vga.render();
    rig.out8(0x3c8, 0x80);
    rig.out8(0x3c9, 1);
    rig.out8(0x3c9, 2);
    rig.out8(0x3c9, 3);
    expect(rig.vga.render().changed).toEqual({ x: 5, y: 10, width: 16, height: 21 });
  });

  it("text: a character write changes only its cell", () => {
    const rig = makeRig();
    rig.setMode("03");
    rig.vga.render();
    rig.poke(0xb8000 + (3 * 80 + 7) * 2, 0x20 | (0x10 << 8), 2); // blue background space
    const up = rig.vga.render();
    expect(up.changed).toEqual({ x: 63, y: 48, width: 9, height: 16 });
    expect(up.convertedLines).toBeLessThanOrEqual(4 * 16); // the character rows sharing its block
    expect(rig.vga.render()).toMatchObject({ changed: null, convertedLines: 0 });
  });

  it("VBE: a framebuffer write reported by the machine changes one pixel", () => {
    const rig = makeRig();
    rig.out16(0x1ce, 1); rig.out16(0x1cf, 1024);
    rig.out16(0x1ce, 2); rig.out16(0x1cf, 768);
    rig.out16(0x1ce, 3); rig.out16(0x1cf, 32);
    rig.out16(0x1ce, 4); rig.out16(0x1cf, 0x41);
    rig.vga.render();
    expect(rig.vga.render().changed).toBeNull();
    const i = (700 * 1024 + 1000) * 4;
    rig.vga.vram[i] = 0xff;
    rig.vga.markVramWritten(i, 4);
    expect(rig.vga.render().changed).toEqual({ x: 1000, y: 700, width: 1, height: 1 });
  });

  it("a start address change redraws what moved", () => {
    const rig = makeRig();
    rig.setMode("12");
    rig.gc(0x05, 0x02);
    rig.poke(0xa0000 + 80 * 5, 0x0f);
    rig.vga.render();
    rig.crtc(0x0d, 80); // scroll by one row
    expect(rig.vga.render().changed).toEqual({ x: 0, y: 4, width: 8, height: 2 });
  });
});

import { describe, it, expect } from "vitest";
import { makeRig, loadFont, rgb } from "./helpers";
import { frameToPpm, textScreenToString } from "../../../src/machine/vga/screenshot";

// Colours of the EGA-compatible DAC table the BIOS loads for text modes (6-bit values 0x2A/0x15
// scaled to 8 bits: 0x2A -> 170, 0x15 -> 85, 0x3F -> 255), through the mode 03h attribute palette:
// attribute 1 -> AC01 = 0x01 -> (0,0,0x2A); attribute 14 -> AC0E = 0x3E -> (0x3F,0x3F,0x15).
const BLUE = rgb(0, 0, 170);
const YELLOW = rgb(255, 255, 85);
const BLACK = rgb(0, 0, 0);
const LIGHT_GREY = rgb(170, 170, 170); // attribute 7 -> AC07 = 0x07
const WHITE = rgb(255, 255, 255); // attribute 15 -> AC0F = 0x3F

function writeText(rig: ReturnType<typeof makeRig>, offset: number, text: string, attr: number): void {
  for (let i = 0; i < text.length; i++) rig.poke(0xb8000 + offset + 2 * i, text.charCodeAt(i) | (attr << 8), 2);
}

describe("VGA text modes", () => {
  it("mode 03h: characters written at B8000 read back as 80x25 cells", () => {
    const rig = makeRig();
    rig.setMode("03");
    writeText(rig, 0, "Hello", 0x1e);
    writeText(rig, (24 * 80 + 75) * 2, "World", 0x07);
    const t = rig.vga.textCells()!;
    expect(t.columns).toBe(80);
    expect(t.rows).toBe(25);
    expect(t.charHeight).toBe(16);
    expect(t.charWidth).toBe(9);
    expect(t.rowText(0).slice(0, 6)).toBe("Hello.");
    expect(t.rowText(24).slice(75)).toBe("World");
    expect(t.attrs[0]).toBe(0x1e);
    expect(t.attrs[24 * 80 + 79]).toBe(0x07);
    writeText(rig, 160, "\xc9\xcd\xbb\x01\x82\xe1", 0x07);
    expect(rig.vga.textCells()!.rowUnicode(1).slice(0, 6)).toBe("╔═╗☺éß");
    const dump = textScreenToString(rig.vga.textCells()!).split("\n");
    expect(dump.length).toBe(25);
    expect(dump[0]).toBe("Hello");
    expect(dump[1]).toBe("╔═╗☺éß");
    expect(dump[24]).toBe(" ".repeat(75) + "World");
    // Odd/even: characters land in plane 0 and attributes in plane 1, at even plane offsets.
    rig.seq(0x04, 0x06);
    rig.gc(0x05, 0x00);
    rig.gc(0x06, 0x05);
    rig.gc(0x04, 0x00);
    expect(rig.peek(0xa0000 + 2)).toBe("e".charCodeAt(0));
    rig.gc(0x04, 0x01);
    expect(rig.peek(0xa0000 + 2)).toBe(0x1e);
  });

  it("mode 03h: cursor location and shape come from CR0A/CR0B/CR0E/CR0F", () => {
    const rig = makeRig();
    rig.setMode("03");
    rig.crtc(0x0e, (12 * 80 + 40) >> 8);
    rig.crtc(0x0f, (12 * 80 + 40) & 0xff);
    let t = rig.vga.textCells()!;
    expect(t.cursor).toMatchObject({ row: 12, column: 40, visible: true, startLine: 0x0d, endLine: 0x0e });
    rig.crtc(0x0a, 0x20); // cursor disable bit
    t = rig.vga.textCells()!;
    expect(t.cursor.visible).toBe(false);
  });

  it("mode 03h: the frame is 720x400 and uses the guest's font from plane 2", () => {
    const rig = makeRig();
    rig.setMode("03");
    // Glyph 'A': row 0 = 10000001b, row 1 = 01111110b, the rest empty.
    loadFont(rig, new Map([[0x41, [0x81, 0x7e]]]), 16);
    writeText(rig, 0, "A", 0x1e);
    const up = rig.vga.render();
    expect(up.kind).toBe("text");
    expect([up.width, up.height]).toEqual([720, 400]);
    expect(rig.pixel(0, 0)).toEqual(YELLOW);
    expect(rig.pixel(1, 0)).toEqual(BLUE);
    expect(rig.pixel(7, 0)).toEqual(YELLOW);
    expect(rig.pixel(8, 0)).toEqual(BLUE); // ninth dot: background for non line-drawing characters
    expect(rig.pixel(0, 1)).toEqual(BLUE);
    expect(rig.pixel(3, 1)).toEqual(YELLOW);
    expect(rig.pixel(3, 2)).toEqual(BLUE);
    expect(rig.pixel(9, 0)).toEqual(BLACK); // next cell: character 0, attribute 0
    const ppm = frameToPpm(rig.vga.frame);
    const header = "P6\n720 400\n255\n";
    expect(new TextDecoder().decode(ppm.subarray(0, header.length))).toBe(header);
    expect([...ppm.subarray(header.length, header.length + 6)]).toEqual([255, 255, 85, 0, 0, 170]);
    expect(ppm.length).toBe(header.length + 720 * 400 * 3);
  });

  it("9-dot cells repeat the eighth column for line-drawing characters C0-DF only", () => {
    const rig = makeRig();
    rig.setMode("03");
    loadFont(rig, new Map([[0xc4, [0xff]], [0xb3, [0xff]]]), 16);
    writeText(rig, 0, "\xc4\xb3", 0x07);
    rig.vga.render();
    expect(rig.pixel(8, 0)).toEqual(LIGHT_GREY);
    expect(rig.pixel(9 + 8, 0)).toEqual(BLACK);
    // Line graphics disabled (AC10 bit 2 clear): the ninth column is background.
    rig.in8(0x3da);
    rig.out8(0x3c0, 0x30);
    rig.out8(0x3c0, 0x08);
    rig.vga.render();
    expect(rig.pixel(8, 0)).toEqual(BLACK);
  });

  it("mode 01h: 40x25 with 360x400 frame", () => {
    const rig = makeRig();
    rig.setMode("01");
    writeText(rig, 39 * 2, "Z", 0x0f);
    writeText(rig, 40 * 2, "Q", 0x0f);
    const t = rig.vga.textCells()!;
    expect([t.columns, t.rows]).toEqual([40, 25]);
    expect(t.rowText(0)[39]).toBe("Z");
    expect(t.rowText(1)[0]).toBe("Q");
    const up = rig.vga.render();
    expect([up.width, up.height]).toEqual([360, 400]);
  });

  it("80x50 with an 8x8 font loaded into plane 2", () => {
    const rig = makeRig();
    rig.setMode("03/8x8");
    const glyph = [0x18, 0x3c, 0x66, 0x66, 0x7e, 0x66, 0x66, 0x00];
    loadFont(rig, new Map([[0x41, glyph]]), 8);
    writeText(rig, (49 * 80 + 79) * 2, "A", 0x0f);
    const t = rig.vga.textCells()!;
    expect([t.columns, t.rows, t.charHeight]).toEqual([80, 50, 8]);
    expect(t.rowText(49)[79]).toBe("A");
    expect(t.cursor).toMatchObject({ startLine: 6, endLine: 7 });
    rig.vga.render();
    const x0 = 79 * 9;
    const y0 = 49 * 8;
    for (let r = 0; r < 8; r++) {
      for (let b = 0; b < 8; b++) {
        expect(rig.pixel(x0 + b, y0 + r)).toEqual((glyph[r] >> (7 - b)) & 1 ? WHITE : BLACK);
      }
    }
  });

  it("80x43 in the 350-line timing with an 8x8 font", () => {
    const rig = makeRig();
    rig.setMode("03/350/8x8");
    writeText(rig, 42 * 160, "Last", 0x07);
    const t = rig.vga.textCells()!;
    expect([t.columns, t.rows]).toEqual([80, 43]);
    expect(t.rowText(42).slice(0, 4)).toBe("Last");
    expect([rig.vga.render().width, rig.vga.render().height]).toEqual([720, 350]);
  });

  it("512-character fonts: attribute bit 3 selects character map A (SR03)", () => {
    const rig = makeRig();
    rig.setMode("03");
    loadFont(rig, new Map([[0x41, [0xf0]]]), 16, 0);
    loadFont(rig, new Map([[0x41, [0x0f]]]), 16, 1);
    rig.seq(0x03, 0x04); // map A (attribute bit 3 set) = 1, map B = 0
    writeText(rig, 0, "A", 0x07);
    writeText(rig, 2, "A", 0x0f);
    rig.vga.render();
    expect(rig.pixel(0, 0)).toEqual(LIGHT_GREY);
    expect(rig.pixel(4, 0)).toEqual(BLACK);
    expect(rig.pixel(9, 0)).toEqual(BLACK);
    expect(rig.pixel(9 + 4, 0)).toEqual(WHITE);
  });

  it("cursor and blinking attributes follow virtual time", () => {
    const rig = makeRig();
    rig.setMode("03");
    loadFont(rig, new Map([[0x41, new Array(16).fill(0xff)]]), 16);
    writeText(rig, 0, "A", 0x8f); // blinking white on black
    writeText(rig, 2, " ", 0x07);
    rig.crtc(0x0e, 0);
    rig.crtc(0x0f, 1); // cursor on cell 1, scanlines 13-14
    // One frame of the 720x400 timing: (CR00+5)*9 = 900 dots per line, CR06/CR07 total 0x1BF+2
    // = 449 lines, at 28.322 MHz.
    const frameNs = (900 * 449 * 1e9) / 28_322_000;
    rig.clock.advanceTo(2.5 * frameNs); // frame 2: cursor on, characters on
    rig.vga.render();
    expect(rig.pixel(0, 0)).toEqual(WHITE);
    expect(rig.pixel(9, 13)).toEqual(LIGHT_GREY);
    expect(rig.pixel(9, 12)).toEqual(BLACK);
    rig.clock.advanceTo(10.5 * frameNs); // frame 10: cursor off (frames 8-15), characters on
    // The cursor covers all nine dots of the cell.
    expect(rig.vga.render().changed).toEqual({ x: 9, y: 13, width: 9, height: 2 });
    expect(rig.pixel(9, 13)).toEqual(BLACK);
    rig.clock.advanceTo(20.5 * frameNs); // frame 20: characters off (frames 16-31), cursor on
    const blinked = rig.vga.render();
    // Only the lines of the blinking character's row and the cursor's are converted again.
    expect(blinked.convertedLines).toBe(16);
    expect(blinked.changed).toEqual({ x: 0, y: 0, width: 18, height: 16 }); // the solid glyph goes, the cursor comes back
    expect(rig.pixel(0, 0)).toEqual(BLACK);
    expect(rig.pixel(9, 13)).toEqual(LIGHT_GREY);
    // With blink disabled (AC10 bit 3 clear) bit 7 is a bright background instead.
    rig.in8(0x3da);
    rig.out8(0x3c0, 0x30);
    rig.out8(0x3c0, 0x04);
    rig.vga.render();
    expect(rig.pixel(0, 0)).toEqual(WHITE);
    writeText(rig, 4, " ", 0x8f);
    rig.vga.render();
    expect(rig.pixel(18, 0)).toEqual(rgb(85, 85, 85)); // background 8 -> AC08 = 0x38 -> (0x15,0x15,0x15)
  });
});

describe("VGA text modes: monochrome and display control", () => {
  it("mode 07h: text at B0000, CRTC at 0x3B4, grey attributes and underline", () => {
    const rig = makeRig();
    rig.setMode("07");
    // Mono DAC: AC01-07 = 0x08 -> 0x2A grey; AC08-0F = 0x10/0x18 -> bright 0x3F.
    loadFont(rig, new Map([[0x41, [0xff]]]), 16);
    rig.poke(0xb0000, 0x41 | (0x07 << 8), 2);
    rig.poke(0xb0002, 0x20 | (0x01 << 8), 2); // underlined blank
    rig.poke(0xb0004, 0x20 | (0x70 << 8), 2); // reverse video
    expect(rig.peek(0xb8000)).toBe(0xff); // the colour window is not decoded
    rig.out8(0x3b4, 0x0f);
    rig.out8(0x3b5, 0x05);
    expect(rig.vga.textCells()!.cursor.column).toBe(5);
    const up = rig.vga.render();
    expect([up.kind, up.width, up.height]).toEqual(["text", 720, 400]);
    const GREY = rgb(170, 170, 170);
    expect(rig.pixel(0, 0)).toEqual(GREY);
    expect(rig.pixel(0, 1)).toEqual(rgb(0, 0, 0));
    // Underline on scanline CR14 = 0x0F across all nine dots of the cell.
    for (let x = 9; x < 18; x++) expect(rig.pixel(x, 15)).toEqual(GREY);
    expect(rig.pixel(9, 14)).toEqual(rgb(0, 0, 0));
    expect(rig.pixel(18, 5)).toEqual(GREY);
  });

  it("screen off (SR01 bit 5) and palette address source clear show no picture", () => {
    const rig = makeRig();
    rig.setMode("03");
    writeText(rig, 0, "\xdb", 0x0f);
    loadFont(rig, new Map([[0xdb, new Array(16).fill(0xff)]]), 16);
    rig.vga.render();
    expect(rig.pixel(0, 0)).toEqual(WHITE);
    rig.seq(0x01, 0x20);
    expect(rig.vga.render().kind).toBe("blank");
    expect(rig.pixel(0, 0)).toEqual(BLACK);
    rig.seq(0x01, 0x00);
    rig.vga.render();
    expect(rig.pixel(0, 0)).toEqual(WHITE);
    rig.in8(0x3da);
    rig.out8(0x3c0, 0x00); // PAS clear
    expect(rig.vga.render().kind).toBe("blank");
    rig.out8(0x3c0, 0x0f);
    rig.out8(0x3c0, 0x20);
    expect(rig.vga.render().kind).toBe("text");
  });

  it("moving the cursor redraws only the old and new cursor cells", () => {
    const rig = makeRig();
    rig.setMode("03");
    writeText(rig, 0, " ", 0x07);
    writeText(rig, 2 * (5 * 80 + 10), " ", 0x07);
    rig.vga.render(); // frame 0: cursor on at location 0, scanlines 13-14
    expect(rig.pixel(0, 13)).toEqual(LIGHT_GREY);
    rig.crtc(0x0f, 5 * 80 + 10 - 256);
    rig.crtc(0x0e, 1);
    const up = rig.vga.render();
    expect(up.changed).toEqual({ x: 0, y: 13, width: 99, height: 5 * 16 + 2 });
    expect(rig.pixel(0, 13)).toEqual(BLACK);
    expect(rig.pixel(90, 5 * 16 + 13)).toEqual(LIGHT_GREY);
  });

  it("switching 9-dot to 8-dot cells resizes the frame", () => {
    const rig = makeRig();
    rig.setMode("03");
    rig.vga.render();
    rig.seq(0x01, 0x01);
    const up = rig.vga.render();
    expect([up.resized, up.width, up.height]).toEqual([true, 640, 400]);
    expect(rig.vga.textCells()!.charWidth).toBe(8);
  });
});

import { describe, it, expect } from "vitest";
import { nasmMissing } from "../../support/nasm";
import { runVideoProgram } from "./harness";

/** RGBA of a frame pixel. */
function px(frame: { width: number; rgba: Uint8ClampedArray }, x: number, y: number): number[] {
  const i = (y * frame.width + x) * 4;
  return [...frame.rgba.subarray(i, i + 3)];
}
/** A 6-bit DAC value as the renderer shows it (8 bits, top bits replicated). */
const c8 = (v: number) => (v << 2) | (v >> 4);

describe.skipIf(nasmMissing())("INT 10h graphics services", () => {
  it("mode 13h: AH=0Ch pixels read back with AH=0Dh and render through the default DAC", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x0013
  int 0x10
  mov ax, 0x0c04          ; colour 4 (red) at (10,20)
  xor bh, bh
  mov cx, 10
  mov dx, 20
  int 0x10
  mov ax, 0x0c28          ; colour 28h at (319,199)
  mov cx, 319
  mov dx, 199
  int 0x10
  mov ah, 0x0d
  mov cx, 10
  mov dx, 20
  int 0x10
  call printb
  mov ah, 0x0d
  mov cx, 319
  mov dx, 199
  int 0x10
  call printb
  mov ah, 0x0f
  int 0x10
  call printw
  jmp exit
`);
    expect(r.out.trim()).toBe("04 28 2813");
    expect(r.read(0xa0000 + 20 * 320 + 10, 1)[0]).toBe(4);
    r.pc.vga.render();
    const f = r.pc.vga.frame;
    expect(f.width).toBe(320);
    expect(f.height).toBe(200);
    // Colour 4 is CGA red: (2Ah, 00h, 00h). Colour 28h is entry 8 of the first hue wheel
    // (levels 00h..3Fh): [e, a, a] = red at full intensity (3Fh, 00h, 00h).
    expect(px(f, 10, 20)).toEqual([c8(0x2a), 0, 0]);
    expect(px(f, 319, 199)).toEqual([c8(0x3f), 0, 0]);
    expect(px(f, 11, 20)).toEqual([0, 0, 0]);
  });

  it("mode 12h: planar pixels, XOR writes, teletype text drawn with the 8x16 font", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x0012
  int 0x10
  mov ax, 0x0c0e          ; yellow at (100,50)
  xor bh, bh
  mov cx, 100
  mov dx, 50
  int 0x10
  mov ax, 0x0c09          ; light blue at (101,50)
  mov cx, 101
  int 0x10
  mov ax, 0x0c83          ; XOR 3 at (101,50): 9 ^ 3 = 10
  int 0x10
  mov ah, 0x0d
  mov cx, 100
  int 0x10
  call printb
  mov ah, 0x0d
  mov cx, 101
  int 0x10
  call printb
  mov ax, 0x0edb          ; full block in colour 0Ch at row 0, column 0
  mov bl, 0x0c
  int 0x10
  PRINT_CURSOR
  jmp exit
`);
    expect(r.out.trim()).toBe("0E 0A 0001");
    r.pc.vga.render();
    const f = r.pc.vga.frame;
    expect(f.width).toBe(640);
    expect(f.height).toBe(480);
    // Mode 12h uses the EGA DAC through the text-style attribute palette: 0Eh -> AC 3Eh
    // (yellow 3Fh,3Fh,15h), 0Ah -> 3Ah (light green 15h,3Fh,15h), 0Ch -> 3Ch (light red 3Fh,15h,15h).
    expect(px(f, 100, 50)).toEqual([c8(0x3f), c8(0x3f), c8(0x15)]);
    expect(px(f, 101, 50)).toEqual([c8(0x15), c8(0x3f), c8(0x15)]);
    for (const [x, y] of [[0, 0], [7, 15], [3, 8]]) expect(px(f, x, y)).toEqual([c8(0x3f), c8(0x15), c8(0x15)]);
    expect(px(f, 8, 0)).toEqual([0, 0, 0]);
  });

  it("mode 12h: the BIOS draws correctly whatever state a program left the graphics controller in", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x0012
  int 0x10
  mov dx, 0x3ce
  mov ax, 0x0305          ; write mode 3
  out dx, ax
  mov ax, 0x0f01          ; set/reset enabled on all planes
  out dx, ax
  mov ax, 0x1003          ; function OR
  out dx, ax
  mov ax, 0x0f08          ; bit mask 0Fh
  out dx, ax
  mov dx, 0x3c4
  mov ax, 0x0102          ; map mask: plane 0 only
  out dx, ax
  mov ax, 0x0c0e          ; yellow at (100,50)
  xor bh, bh
  mov cx, 100
  mov dx, 50
  int 0x10
  mov ah, 0x0d
  int 0x10
  call printb
  mov ax, 0x0edb          ; full block in colour 05h at (0,0)
  mov bl, 0x05
  int 0x10
  jmp exit
`);
    expect(r.out.trim()).toBe("0E");
    r.pc.vga.render();
    const f = r.pc.vga.frame;
    expect(px(f, 100, 50)).toEqual([c8(0x3f), c8(0x3f), c8(0x15)]);
    // Colour 05h (AC 05h): EGA magenta 2Ah, 00h, 2Ah over the whole 8x16 cell.
    for (const [x, y] of [[0, 0], [7, 15]]) expect(px(f, x, y)).toEqual([c8(0x2a), 0, c8(0x2a)]);
  });

  it("mode 04h: CGA pixels in the interleaved layout, palette 1 colours", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x0004
  int 0x10
  mov ax, 0x0c03          ; colour 3 at (1,1): odd line
  xor bh, bh
  mov cx, 1
  mov dx, 1
  int 0x10
  mov ax, 0x0c02          ; colour 2 at (4,2)
  mov cx, 4
  mov dx, 2
  int 0x10
  mov ah, 0x0d
  mov cx, 1
  mov dx, 1
  int 0x10
  call printb
  jmp exit
`);
    expect(r.out.trim()).toBe("03");
    // Odd lines at B8000+2000h: (1,1) is bits 5-4 of byte 2000h; (4,2) bits 7-6 of byte 80 + 1.
    expect(r.read(0xba000, 1)[0]).toBe(0x30);
    expect(r.read(0xb8000 + 81, 1)[0]).toBe(0x80);
    r.pc.vga.render();
    const f = r.pc.vga.frame;
    // Palette 1 with intensity (AC 13h/15h/17h -> CGA DAC): 3 = white (3Fh x3), 2 = light magenta.
    const sx = f.width / 320, sy = f.height / 200;
    expect(px(f, 1 * sx, 1 * sy)).toEqual([c8(0x3f), c8(0x3f), c8(0x3f)]);
    expect(px(f, 4 * sx, 2 * sy)).toEqual([c8(0x3f), c8(0x15), c8(0x3f)]);
  });

  it("graphics scrolling (AH=06h) in mode 13h moves cell rows and fills with the colour", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x0013
  int 0x10
  mov ax, 0x0c05
  xor bh, bh
  mov cx, 3
  mov dx, 9               ; character row 1, scanline 1
  int 0x10
  mov ax, 0x0601          ; scroll rows 0-24 up one
  mov bh, 0x02
  xor cx, cx
  mov dx, 0x1827
  int 0x10
  jmp exit
`);
    expect(r.read(0xa0000 + 1 * 320 + 3, 1)[0]).toBe(5);
    expect(r.read(0xa0000 + 9 * 320 + 3, 1)[0]).toBe(0);
    expect(r.read(0xa0000 + 199 * 320 + 100, 1)[0]).toBe(2);
  });
});

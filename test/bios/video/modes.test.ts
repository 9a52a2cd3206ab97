import { describe, it, expect } from "vitest";
import { nasmMissing } from "../../support/nasm";
import { runVideoProgram } from "./harness";

const words = (out: string) => out.trim().split(/\s+/);

describe.skipIf(nasmMissing())("INT 10h modes, pages and strings", () => {
  it("AH=13h writes strings with and without attributes, moving the cursor or not", async () => {
    const r = await runVideoProgram(`
  push cs
  pop es
  mov ax, 0x1303          ; attributes in the string, move the cursor
  xor bh, bh
  mov cx, 2
  mov dx, 0x050a
  mov bp, s1
  int 0x10
  mov ax, 0x1300          ; one attribute in BL, cursor stays
  mov bx, 0x004e
  mov cx, 4
  mov dx, 0x0600
  mov bp, s2
  int 0x10
  PRINT_CURSOR
  jmp exit
s1: db 'H', 0x1f, 'i', 0x2e
s2: db 'ok', 13, 10
`);
    expect(r.out.trim()).toBe("050C");
    const t = r.pc.vga.textCells()!;
    expect(t.rowText(5).slice(10, 12)).toBe("Hi");
    expect(t.attrs[5 * 80 + 10]).toBe(0x1f);
    expect(t.attrs[5 * 80 + 11]).toBe(0x2e);
    expect(t.rowText(6).slice(0, 2)).toBe("ok");
    expect(t.attrs[6 * 80]).toBe(0x4e);
  });

  it("AH=05h shows page 1; its cursor and text are its own; AH=0Ah keeps attributes", async () => {
    const r = await runVideoProgram(`
  mov ah, 0x02
  mov bh, 1
  mov dx, 0x0203
  int 0x10
  mov ax, 0x0a50          ; 'P' on page 1 at (2,3), attribute untouched (07h from the clear)
  mov bh, 1
  mov cx, 2
  int 0x10
  mov ax, 0x0501
  int 0x10
  mov ax, 0x0e51          ; teletype goes to the active page: 'Q' at (2,3)
  int 0x10
  mov ah, 0x0f
  int 0x10
  mov al, bh
  call printb
  mov ax, [0x44e]
  call printw
  jmp exit
`);
    expect(words(r.out)).toEqual(["01", "1000"]);
    expect(r.read(0xb8000 + 0x1000 + (2 * 80 + 3) * 2, 4)).toEqual(Uint8Array.of(0x51, 0x07, 0x50, 0x07));
    const t = r.pc.vga.textCells()!;
    expect(t.rowText(2).slice(3, 5)).toBe("QP");
    expect(t.cursor.row).toBe(2);
    expect(t.cursor.column).toBe(4);
    expect(t.rowText(0).trim()).toBe("");
  });

  it("mode 07h: monochrome text at B0000, CRTC at 3B4h", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x0007
  int 0x10
  mov ax, 0x0e4d
  int 0x10
  mov ah, 0x0f
  int 0x10
  call printw
  mov ax, [0x463]
  call printw
  mov ax, [0x410]
  and ax, 0x30
  call printw
  jmp exit
`);
    expect(words(r.out)).toEqual(["5007", "03B4", "0030"]);
    expect(r.read(0xb0000, 2)).toEqual(Uint8Array.of(0x4d, 0x07));
    const t = r.pc.vga.textCells()!;
    expect(t.columns).toBe(80);
    expect(t.rowText(0)[0]).toBe("M");
  });

  it("mode 01h: 40x25 text, the screen wraps at column 40", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x0001
  int 0x10
  mov cx, 41
.l:
  mov ax, 0x0e2a
  int 0x10
  loop .l
  PRINT_CURSOR
  jmp exit
`);
    expect(r.out.trim()).toBe("0101");
    const t = r.pc.vga.textCells()!;
    expect(t.columns).toBe(40);
    expect(t.rowText(0)).toBe("*".repeat(40));
    expect(t.rowText(1)[0]).toBe("*");
  });

  it("modes 0Dh, 0Eh, 10h, 11h: pixels read back; AH=0Fh reports columns", async () => {
    const r = await runVideoProgram(`
  %macro PIX 4
  mov ax, %1
  int 0x10
  mov ah, 0x0c
  mov al, %4
  xor bh, bh
  mov cx, %2
  mov dx, %3
  int 0x10
  mov ah, 0x0d
  int 0x10
  call printb
  mov ah, 0x0f
  int 0x10
  call printw
  %endmacro
  PIX 0x000d, 319, 199, 0x0f
  PIX 0x000e, 639, 199, 0x06
  PIX 0x0010, 639, 349, 0x0b
  PIX 0x0011, 639, 479, 0x01
  jmp exit
`);
    expect(words(r.out)).toEqual(["0F", "280D", "06", "500E", "0B", "5010", "01", "5011"]);
  });

  it("mode 6Ah: 800x600 in 16 colours through the DISPI planar mode, with BIOS pixels and text", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x006a
  int 0x10
  mov ah, 0x0f
  int 0x10
  call printw
  mov ax, 0x0c0e          ; yellow at the bottom-right pixel
  xor bh, bh
  mov cx, 799
  mov dx, 599
  int 0x10
  mov ah, 0x0d
  int 0x10
  call printb
  mov ax, 0x0edb          ; a full block in colour 0Ch at (0,0)
  mov bl, 0x0c
  int 0x10
  mov al, [0x484]
  call printb
  jmp exit
`);
    expect(r.out.trim().split(/\s+/)).toEqual(["646A", "0E", "24"]);
    r.pc.vga.render();
    const f = r.pc.vga.frame;
    expect([f.width, f.height]).toEqual([800, 600]);
    const at = (x: number, y: number) => [...f.rgba.subarray((y * 800 + x) * 4, (y * 800 + x) * 4 + 3)];
    const c8 = (v: number) => (v << 2) | (v >> 4);
    expect(at(799, 599)).toEqual([c8(0x3f), c8(0x3f), c8(0x15)]);
    expect(at(7, 15)).toEqual([c8(0x3f), c8(0x15), c8(0x15)]);
    expect(at(8, 0)).toEqual([0, 0, 0]);
  });

  it("graphics teletype and AH=08h: characters drawn in modes 13h, 12h, 04h and 06h are read back", async () => {
    for (const mode of [0x13, 0x12, 0x04, 0x06]) {
      const r = await runVideoProgram(`
  mov ax, 0x00${mode.toString(16).padStart(2, "0")}
  int 0x10
  mov ax, 0x0e51          ; 'Q'
  mov bl, 0x01
  int 0x10
  mov ax, 0x0e52          ; 'R'
  int 0x10
  mov ah, 0x02
  xor bh, bh
  mov dx, 0x0001
  int 0x10
  mov ah, 0x08
  int 0x10
  call printb
  mov ah, 0x02
  mov dx, 0x0000
  int 0x10
  mov ah, 0x08
  int 0x10
  call printb
  mov ah, 0x02
  mov dx, 0x0005
  int 0x10
  mov ah, 0x08
  int 0x10
  call printb
  jmp exit
`);
      // An empty cell matches the first all-blank pattern, character 00h.
      expect(words(r.out), `mode ${mode.toString(16)}`).toEqual(["52", "51", "00"]);
    }
  });

  it("teletype in mode 13h scrolls the bitmap at the bottom", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x0013
  int 0x10
  mov ah, 0x02
  xor bh, bh
  mov dx, 0x1800          ; last row
  int 0x10
  mov ax, 0x0edb          ; full block, colour 9
  mov bl, 9
  int 0x10
  mov ax, 0x0e0d
  int 0x10
  mov ax, 0x0e0a          ; scroll
  int 0x10
  jmp exit
`);
    // The block moved from row 24 (lines 192-199) to row 23 (184-191); row 24 is clear.
    expect(r.read(0xa0000 + 184 * 320, 8)).toEqual(new Uint8Array(8).fill(9));
    expect(r.read(0xa0000 + 191 * 320 + 7, 1)[0]).toBe(9);
    expect(r.read(0xa0000 + 192 * 320, 8)).toEqual(new Uint8Array(8));
  });
});

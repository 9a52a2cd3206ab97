import { describe, it, expect } from "vitest";
import { nasmMissing } from "../../support/nasm";
import { runVideoProgram } from "./harness";
import { planeBase } from "../../../src/machine/vga/planes";

const words = (out: string) => out.trim().split(/\s+/);

describe.skipIf(nasmMissing())("INT 10h palette, state and configuration services", () => {
  it("AH=10h: palette registers, DAC entries and blocks, PEL mask, colour paging, grey summing", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x1000
  mov bx, 0x3f01          ; AC01 = 3Fh
  int 0x10
  mov ax, 0x1007
  mov bl, 1
  int 0x10
  mov al, bh
  call printb
  mov ax, 0x1001          ; overscan 05h
  mov bh, 0x05
  int 0x10
  mov ax, 0x1008
  int 0x10
  mov al, bh
  call printb
  mov ax, 0x1010          ; DAC 5 = 11h, 22h, 33h
  mov bx, 5
  mov dh, 0x11
  mov ch, 0x22
  mov cl, 0x33
  int 0x10
  mov ax, 0x1015
  mov bx, 5
  int 0x10
  mov al, dh
  call printb
  mov al, ch
  call printb
  mov al, cl
  call printb
  mov ax, 0x1012          ; DAC 10h-11h from the table
  mov bx, 0x10
  mov cx, 2
  mov dx, dactab
  int 0x10
  mov ax, 0x1017
  mov bx, 0x10
  mov cx, 2
  mov dx, 0x1100
  int 0x10
  mov ax, 0x1018
  mov bl, 0x0f
  int 0x10
  mov ax, 0x1019
  xor bl, bl
  int 0x10
  mov al, bl
  call printb
  mov ax, 0x1013          ; 16 pages of 16 colours, page 5
  mov bx, 0x0100
  int 0x10
  mov ax, 0x1013
  mov bx, 0x0501
  int 0x10
  mov ax, 0x101a
  int 0x10
  mov ax, bx
  call printw
  mov ax, 0x1003          ; attribute bit 7: intensity, not blink
  xor bl, bl
  int 0x10
  mov ax, 0x101b          ; grey-sum DAC 5
  mov bx, 5
  mov cx, 1
  int 0x10
  mov ax, 0x1002          ; all 16 palette registers and overscan
  mov dx, acs
  int 0x10
  mov ax, 0x1009
  mov dx, 0x1200
  int 0x10
  jmp exit
dactab: db 1, 2, 3, 4, 5, 6
acs: db 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x09
`);
    expect(words(r.out)).toEqual(["3F", "05", "11", "22", "33", "0F", "0501"]);
    expect([...r.read(0x1100, 6)]).toEqual([1, 2, 3, 4, 5, 6]);
    const s = r.pc.vga.state;
    expect(s.ac[0x10] & 0x88).toBe(0x80);
    expect(s.ac[0x14]).toBe(5);
    // (77 * 11h + 151 * 22h + 28 * 33h + 80h) >> 8 = 1Fh.
    expect(s.dac.slice(15, 18)).toEqual([0x1f, 0x1f, 0x1f]);
    expect([...r.read(0x1200, 17)]).toEqual([0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x09]);
  });

  it("a dynamic save area in a RAM copy of the Video Save Pointer Table receives the palette", async () => {
    const r = await runVideoProgram(`
  push ds
  lds si, [0x4a8]         ; copy the table to 0000:1000 and point 40:A8 at it
  mov di, 0x1000
  mov cx, 28
  rep movsb
  pop ds
  mov word [0x1004], 0x1100   ; dynamic save area at 0000:1100
  mov word [0x1006], 0
  mov word [0x4a8], 0x1000
  mov word [0x4aa], 0
  mov ax, 0x1000          ; AC03 = 21h
  mov bx, 0x2103
  int 0x10
  jmp exit
`);
    // Mode 03h's palette (IBM text attribute table) with entry 3 changed, then overscan 00h.
    expect([...r.read(0x1100, 17)]).toEqual([0x00, 0x01, 0x02, 0x21, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x00]);
  });

  it("a User Palette Profile behind a RAM Secondary Save Pointer Table overrides the palette on mode sets", async () => {
    const r = await runVideoProgram(`
  push ds
  lds si, [0x4a8]         ; Save Pointer Table -> 0000:1000
  mov di, 0x1000
  mov cx, 28
  rep movsb
  pop ds
  push ds
  lds si, [0x1010]        ; Secondary Save Pointer Table -> 0000:1040
  mov di, 0x1040
  mov cx, 26
  rep movsb
  pop ds
  mov word [0x1010], 0x1040
  mov word [0x1012], 0
  mov word [0x104a], 0x1100   ; User Palette Profile at 0000:1100
  mov word [0x104c], 0
  mov byte [0x1100], 0x01     ; underline in every text mode
  mov word [0x1104], 2        ; AC 01h-02h from 0000:1180
  mov word [0x1106], 1
  mov word [0x1108], 0x1180
  mov word [0x110a], 0
  mov word [0x110c], 1        ; DAC 05h from 0000:1190
  mov word [0x110e], 5
  mov word [0x1110], 0x1190
  mov word [0x1112], 0
  mov byte [0x1114], 0x03
  mov byte [0x1115], 0xff
  mov word [0x1180], 0x3e3f
  mov byte [0x1190], 10
  mov byte [0x1191], 20
  mov byte [0x1192], 30
  mov word [0x4a8], 0x1000
  mov word [0x4aa], 0
  mov ax, 0x0003
  int 0x10
  jmp exit
`);
    const s = r.pc.vga.state;
    expect(s.ac.slice(1, 3)).toEqual([0x3f, 0x3e]);
    expect(s.dac.slice(15, 18)).toEqual([10, 20, 30]);
    expect(s.crtc[0x14] & 0x1f).toBe(0x0f);
  });

  it("AH=0Bh: CGA palettes and background in mode 04h", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x0004
  int 0x10
  mov ah, 0x0b
  mov bx, 0x0100          ; palette 0 (green, red, brown), still bright
  int 0x10
  mov ax, [0x466]
  call printb
  jmp exit
`);
    expect(r.out.trim()).toBe("10");
    expect(r.pc.vga.state.ac.slice(1, 4)).toEqual([0x12, 0x14, 0x16]);
    const r2 = await runVideoProgram(`
  mov ax, 0x0004
  int 0x10
  mov ah, 0x0b
  mov bx, 0x0001          ; background blue, intensity off
  int 0x10
  jmp exit
`);
    expect(r2.pc.vga.state.ac[0]).toBe(0x01);
    expect(r2.pc.vga.state.ac.slice(1, 4)).toEqual([0x03, 0x05, 0x07]);
  });

  it("AH=1Ch saves and restores registers, BDA and DAC across a mode change", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x1010
  mov bx, 1
  mov dh, 1
  mov cx, 0x0203
  int 0x10
  mov ah, 0x02
  xor bh, bh
  mov dx, 0x0a14
  int 0x10
  mov ax, 0x1c00
  mov cx, 7
  int 0x10
  call printw
  mov ax, bx
  call printw
  mov ax, 0x1c01
  mov cx, 7
  mov bx, 0x2000
  int 0x10
  call printw
  mov ax, 0x0013
  int 0x10
  mov ax, 0x1c02
  mov cx, 7
  mov bx, 0x2000
  int 0x10
  call printw
  mov ah, 0x0f
  int 0x10
  call printw
  PRINT_CURSOR
  jmp exit
`);
    const w = words(r.out);
    expect(w[0]).toBe("1C1C");
    // Registers, BDA fields and 768 DAC bytes: at least 13 blocks of 64.
    expect(parseInt(w[1], 16)).toBeGreaterThanOrEqual(13);
    expect(w.slice(2)).toEqual(["1C1C", "1C1C", "5003", "0A14"]);
    const t = r.pc.vga.textCells()!;
    expect(t.columns).toBe(80);
    expect(t.rows).toBe(25);
    expect(r.pc.vga.state.dac.slice(3, 6)).toEqual([1, 2, 3]);
    expect(r.pc.vga.state.crtc[0x0f]).toBe((10 * 80 + 20) & 0xff);
  });

  it("AH=12h: scan lines, palette loading, grey summing, cursor emulation, addressing and refresh", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x1201          ; 350 lines
  mov bl, 0x30
  int 0x10
  call printb
  mov ax, 0x0003
  int 0x10
  mov ax, [0x484]
  call printw
  mov ax, 0x1234          ; invalid AL: nothing happens
  mov bl, 0x30
  int 0x10
  call printw
  mov ax, 0x1201          ; no default palette loading
  mov bl, 0x31
  int 0x10
  mov ax, 0x1010
  mov bx, 7
  mov dh, 9
  mov cx, 0x0909
  int 0x10
  mov ax, 0x0003
  int 0x10
  mov ax, 0x1015
  mov bx, 7
  int 0x10
  mov al, dh
  call printb
  mov ax, 0x1200          ; palette loading again, with grey summing
  mov bl, 0x31
  int 0x10
  mov ax, 0x1200
  mov bl, 0x33
  int 0x10
  mov ax, 0x1202          ; 400 lines
  mov bl, 0x30
  int 0x10
  mov ax, 0x0003
  int 0x10
  mov ax, 0x1015          ; DAC 1 (EGA blue 0, 0, 2Ah) summed: (28 * 2Ah + 80h) >> 8 = 5
  mov bx, 1
  int 0x10
  mov al, dh
  call printb
  mov ax, cx
  call printw
  mov ax, 0x1010          ; summing applies to DAC loads too: 30h, 00h, 00h -> (77 * 30h + 80h) >> 8 = 0Eh
  mov bx, 2
  mov dh, 0x30
  xor cx, cx
  int 0x10
  mov ax, 0x1015
  mov bx, 2
  int 0x10
  mov al, ch
  call printb
  mov ax, 0x1201          ; cursor emulation off: 06h/07h reach the CRTC as they are
  mov bl, 0x34
  int 0x10
  mov ah, 0x01
  mov cx, 0x0607
  int 0x10
  mov al, [0x487]
  call printb
  mov ax, 0x1201          ; video addressing off
  mov bl, 0x32
  int 0x10
  call printb
  mov ax, 0x1201          ; refresh off
  mov bl, 0x36
  int 0x10
  call printb
  jmp exit
`);
    expect(words(r.out)).toEqual(["12", "0E18", "1234", "09", "05", "0505", "0E", "61", "12", "12"]);
    const s = r.pc.vga.state;
    expect(s.crtc[0x0a]).toBe(0x06);
    expect(s.crtc[0x0b]).toBe(0x07);
    expect(s.misc & 0x02).toBe(0);
    expect(s.seq[1] & 0x20).toBe(0x20);
  });

  it("AH=01h cursor emulation maps 06h/07h to the 16-line cell; AH=12h BL=30h AL=00h gives 8-line 200-line text", async () => {
    const r = await runVideoProgram(`
  mov ah, 0x01
  mov cx, 0x0607
  int 0x10
  mov ax, 0x1200
  mov bl, 0x30
  int 0x10
  mov ax, 0x0003
  int 0x10
  mov ax, [0x485]
  call printw
  jmp exit
`);
    expect(r.out.trim()).toBe("0008");
    const t = r.pc.vga.textCells()!;
    expect(t.rows).toBe(25);
    expect(t.charHeight).toBe(8);
    const r2 = await runVideoProgram(`
  mov ah, 0x01
  mov cx, 0x0007          ; full block
  int 0x10
  jmp exit
`);
    expect(r2.pc.vga.state.crtc[0x0a]).toBe(0x00);
    expect(r2.pc.vga.state.crtc[0x0b]).toBe(0x0e);
    const r3 = await runVideoProgram(`
  mov ah, 0x01
  mov cx, 0x2607          ; bit 5: no cursor
  int 0x10
  jmp exit
`);
    expect(r3.pc.vga.textCells()!.cursor.visible).toBe(false);
    expect(r3.read(0x460, 2)).toEqual(Uint8Array.of(0x07, 0x26));
  });

  it("AH=1Ah: VGA colour display; set changes what get returns", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x1a00
  int 0x10
  call printw
  mov ax, bx
  call printw
  mov ax, 0x1a01
  mov bx, 0x0708          ; active VGA colour, alternate VGA mono
  int 0x10
  call printw
  mov ax, 0x1a00
  int 0x10
  mov ax, bx
  call printw
  jmp exit
`);
    expect(words(r.out)).toEqual(["1A1A", "0008", "1A1A", "0708"]);
  });

  it("AH=1Bh: the dynamic state table and the static functionality table it points to", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x1103          ; map B = block 6 (bits 4,1,0 = 1,10b), map A = block 0
  mov bl, 0x12
  int 0x10
  mov ax, 0x1b00
  xor bx, bx
  mov di, 0x1000
  int 0x10
  call printw
  jmp exit
`);
    expect(r.out.trim()).toBe("1B1B");
    const t = r.read(0x1000, 64);
    expect(t[0x04]).toBe(0x03); // mode
    expect(t[0x05] | (t[0x06] << 8)).toBe(80); // columns
    expect(t[0x07] | (t[0x08] << 8)).toBe(0x1000); // page size
    expect(t[0x22]).toBe(25); // rows
    expect(t[0x23] | (t[0x24] << 8)).toBe(16); // character height
    expect([t[0x25], t[0x26]]).toEqual([0x08, 0x00]); // VGA colour, no alternate
    expect(t[0x27] | (t[0x28] << 8)).toBe(16); // colours
    expect(t[0x29]).toBe(8); // pages
    expect(t[0x2a]).toBe(2); // 400 scan lines
    expect([t[0x2b], t[0x2c]]).toEqual([6, 0]);
    expect(t[0x2d] & 0x31).toBe(0x31); // VGA active, cursor emulation, blink
    expect(t[0x31]).toBe(3); // 256 KiB
    expect(t[0x32]).toBe(0x01); // two font blocks in use, no save pointer overrides
    const st = ((t[2] | (t[3] << 8)) << 4) + (t[0] | (t[1] << 8));
    // Modes 00h-07h, 0Dh-0Fh, 10h-13h; 200/350/400-line text.
    expect([...r.read(st, 3)]).toEqual([0xff, 0xe0, 0x0f]);
    expect(r.read(st + 7, 1)[0]).toBe(0x07);
  });

  it("unsupported functions and modes change nothing", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x0008          ; mode 08h (PCjr) does not exist on the VGA
  int 0x10
  call printw
  mov ah, 0x0f
  int 0x10
  call printw
  mov ax, 0x7712
  int 0x10
  call printw
  mov ax, 0x1055
  int 0x10
  call printw
  mov ax, 0x4f0b
  int 0x10
  call printw
  mov ax, 0x1b00
  mov bx, 1               ; implementation type 1: not supported
  mov di, 0x1000
  int 0x10
  call printw
  jmp exit
`);
    expect(words(r.out)).toEqual(["0008", "5003", "7712", "1055", "4F0B", "1B00"]);
  });
});

describe.skipIf(nasmMissing())("INT 10h character generator", () => {
  it("AH=11h AL=00h loads user patterns into plane 2; AL=03h selects blocks; AL=30h returns the ROM fonts", async () => {
    const r = await runVideoProgram(`
  push cs
  pop es
  mov ax, 0x1100
  mov bp, glyph
  mov cx, 1
  mov dx, 0x41
  mov bx, 0x1001          ; BH = 16 bytes, block 1
  int 0x10
  mov ax, 0x1103
  mov bl, 0x05
  int 0x10
  mov ax, 0x1130
  mov bh, 6               ; ROM 8x16
  int 0x10
  mov [0x1000], bp
  mov [0x1002], es
  mov ax, cx
  call printw
  mov al, dl
  call printb
  mov ax, 0x1130
  mov bh, 3               ; ROM 8x8
  int 0x10
  mov [0x1004], bp
  mov [0x1006], es
  mov ax, 0x1130
  mov bh, 4               ; ROM 8x8, characters 80h-FFh
  int 0x10
  mov [0x1008], bp
  mov [0x100a], es
  mov ax, 0x1130
  mov bh, 1               ; INT 43h
  int 0x10
  mov [0x100c], bp
  mov [0x100e], es
  push cs
  pop es
  mov ax, 0x1123          ; graphics font: ROM 8x8, 25 rows
  mov bl, 2
  int 0x10
  mov ax, [0x484]
  call printw
  mov ax, 0x1122          ; ROM 8x14, DL = 30 rows
  xor bl, bl
  mov dl, 30
  int 0x10
  mov ax, [0x484]
  call printw
  jmp exit
glyph: times 16 db 0x81
`);
    expect(words(r.out)).toEqual(["0010", "18", "0818", "0E1D"]);
    // Block 1 of plane 2 starts at 16 KiB; character 41h at 41h * 32.
    const plane2 = (off: number) => r.pc.vga.vram[planeBase(off) + 2];
    for (let i = 0; i < 16; i++) expect(plane2(0x4000 + 0x41 * 32 + i)).toBe(0x81);
    expect(r.pc.vga.state.seq[3]).toBe(0x05);
    const far = (o: number) => { const b = r.read(0x1000 + o, 4); return ((b[2] | (b[3] << 8)) << 4) + (b[0] | (b[1] << 8)); };
    const f16 = far(0), f8 = far(4), f8hi = far(8), i43 = far(12);
    // Full block DBh: every line lit; space: none; underscore: only the bottom line of the 16.
    expect([...r.read(f16 + 0xdb * 16, 16)]).toEqual(new Array(16).fill(0xff));
    expect([...r.read(f16 + 0x20 * 16, 16)]).toEqual(new Array(16).fill(0));
    const us = r.read(f16 + 0x5f * 16, 16);
    expect([...us.subarray(0, 15)]).toEqual(new Array(15).fill(0));
    expect(us[15]).not.toBe(0);
    expect([...r.read(f8 + 0xdb * 8, 8)]).toEqual(new Array(8).fill(0xff));
    // Lower half block DCh in 8x8: four dark lines then four lit ones.
    expect([...r.read(f8 + 0xdc * 8, 8)]).toEqual([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    expect(f8hi).toBe(f8 + 0x400);
    // In mode 03h INT 43h points at the 8x8 font.
    expect(i43).toBe(f8);
  });

  it("AH=11h AL=20h/21h/24h set the graphics fonts and rows; AH=12h BL=20h answers 12h", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x0012
  int 0x10
  push cs
  pop es
  mov ax, 0x1120          ; INT 1Fh = ES:BP
  mov bp, 0x1234
  int 0x10
  mov ax, 0x1121          ; INT 43h = ES:BP, 10 bytes per character, DL = 33 rows
  mov bp, 0x2000
  mov cx, 10
  xor bl, bl
  mov dl, 33
  int 0x10
  mov ax, [0x1f * 4]
  call printw
  mov ax, [0x43 * 4]
  call printw
  mov al, [0x484]
  call printb
  mov al, [0x485]
  call printb
  mov ax, 0x1124          ; ROM 8x16, BL = 3: 43 rows
  mov bl, 3
  int 0x10
  mov al, [0x484]
  call printb
  mov al, [0x485]
  call printb
  mov ax, 0x1200
  mov bl, 0x20
  int 0x10
  call printb
  jmp exit
`);
    expect(r.out.trim().split(/\s+/)).toEqual(["1234", "2000", "20", "0A", "2A", "10", "12"]);
  });

  it("each mode gets the font of its cell height: 8x14 in plane 2 at 350 lines, INT 43h 8x14 in mode 10h, 8x8 in mode 13h", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x1201          ; 350-line text
  mov bl, 0x30
  int 0x10
  mov ax, 0x0003
  int 0x10
  mov ax, [0x43 * 4]      ; copy INT 43h for the text mode (8x8)
  mov [0x600], ax
  mov ax, [0x43 * 4 + 2]
  mov [0x602], ax
  mov ax, 0x0010
  int 0x10
  mov ax, [0x43 * 4]
  mov [0x604], ax
  mov ax, [0x43 * 4 + 2]
  mov [0x606], ax
  mov ax, 0x0003          ; back to 350-line text for the plane 2 check
  int 0x10
  jmp exit
`);
    const plane2 = (off: number) => r.pc.vga.vram[planeBase(off) + 2];
    // Full block DBh: 14 lit lines, then the slot's unused lines clear.
    for (let i = 0; i < 14; i++) expect(plane2(0xdb * 32 + i)).toBe(0xff);
    for (let i = 14; i < 32; i++) expect(plane2(0xdb * 32 + i)).toBe(0);
    expect(r.pc.vga.textCells()!.charHeight).toBe(14);
    const far = (o: number) => { const b = r.read(o, 4); return ((b[2] | (b[3] << 8)) << 4) + (b[0] | (b[1] << 8)); };
    const font10 = far(0x604);
    expect([...r.read(font10 + 0xdb * 14, 14)]).toEqual(new Array(14).fill(0xff));
    // DCh, the lower half block, starts dark: the table really holds 14-line glyphs.
    expect(r.read(font10 + 0xdc * 14, 1)[0]).toBe(0);
    expect(far(0x600)).not.toBe(font10);
  });

  it("font overrides in a RAM copy of the Video Save Pointer Table apply to the modes they list", async () => {
    const r = await runVideoProgram(`
  push ds
  lds si, [0x4a8]
  mov di, 0x1000
  mov cx, 28
  rep movsb
  pop ds
  mov word [0x4a8], 0x1000
  mov word [0x4aa], 0
  ; alphanumeric override at 0000:1100: 8-line patterns, block 0, 256 from 00h, the ROM 8x8
  ; font, rows as calculated, for mode 03h
  mov byte [0x1100], 8
  mov byte [0x1101], 0
  mov word [0x1102], 256
  mov word [0x1104], 0
  mov ax, 0x1130
  mov bh, 3
  int 0x10
  mov [0x1106], bp
  mov [0x1108], es
  push cs
  pop es
  mov byte [0x110a], 0xff
  mov byte [0x110b], 0x03
  mov byte [0x110c], 0xff
  ; graphics override at 0000:1200: 20 rows, 16 bytes per character, font at 0000:3000, mode 12h
  mov byte [0x1200], 20
  mov word [0x1201], 16
  mov word [0x1203], 0x3000
  mov word [0x1205], 0
  mov byte [0x1207], 0x12
  mov byte [0x1208], 0xff
  mov word [0x1008], 0x1100
  mov word [0x100a], 0
  mov word [0x100c], 0x1200
  mov word [0x100e], 0
  mov ax, 0x0003
  int 0x10
  mov al, [0x484]
  call printb
  mov ax, 0x0012
  int 0x10
  mov ax, [0x43 * 4]
  call printw
  mov ax, [0x43 * 4 + 2]
  call printw
  mov al, [0x484]
  call printb
  mov ax, 0x0013          ; not listed: the ROM 8x8 font
  int 0x10
  mov ax, [0x43 * 4 + 2]
  call printw
  jmp exit
`);
    expect(r.out.trim().split(/\s+/)).toEqual(["31", "3000", "0000", "13", "F000"]);
  });

  it("text drawn in mode 03h uses the loaded font: a full block lights the whole 9x16 cell", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x0edb
  mov bl, 0x07
  int 0x10
  mov ax, 0x0e20
  int 0x10
  jmp exit
`);
    // Clear the blink phase question: the cursor is at column 2 now.
    r.pc.vga.render();
    const f = r.pc.vga.frame;
    expect(f.width).toBe(720);
    expect(f.height).toBe(400);
    const at = (x: number, y: number) => [...f.rgba.subarray((y * f.width + x) * 4, (y * f.width + x) * 4 + 3)];
    const grey = [0xaa, 0xaa, 0xaa]; // attribute 07h: EGA colour 7 = 2Ah x3
    for (const [x, y] of [[0, 0], [7, 0], [8, 15], [4, 8]]) expect(at(x, y)).toEqual(grey);
    for (const [x, y] of [[9, 0], [13, 8]]) expect(at(x, y)).toEqual([0, 0, 0]);
  });
});

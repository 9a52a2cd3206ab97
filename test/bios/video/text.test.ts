import { describe, it, expect } from "vitest";
import { nasmMissing } from "../../support/nasm";
import { runVideoProgram } from "./harness";

describe.skipIf(nasmMissing())("INT 10h text services", () => {
  it("POST leaves mode 03h, 80x25, and the BDA describes it", async () => {
    const r = await runVideoProgram(`
  mov ah, 0x0f
  int 0x10
  call printw
  mov al, bh
  call printb
  jmp exit
`);
    expect(r.exited).toBe(true);
    expect(r.out.trim()).toBe("5003 00");
    const bda = r.read(0x449, 0x1e);
    expect(bda[0]).toBe(0x03);
    expect(bda[1] | (bda[2] << 8)).toBe(80);
    expect(bda[3] | (bda[4] << 8)).toBe(0x1000);
    expect(r.read(0x463, 2)).toEqual(Uint8Array.of(0xd4, 0x03));
    expect(r.read(0x484, 1)[0]).toBe(24);
    expect(r.read(0x485, 1)[0]).toBe(16);
    const t = r.pc.vga.textCells()!;
    expect(t.columns).toBe(80);
    expect(t.rows).toBe(25);
    expect(t.charHeight).toBe(16);
    expect(t.charWidth).toBe(9);
    expect(t.rowText(0).trim()).toBe("");
    expect(t.attrs[0]).toBe(0x07);
    // 40:65 CGA mode select for mode 03h (29h), 40:66 palette 30h, 40:87 256 KiB + cursor
    // emulation on (60h), 40:88 switches F9h, 40:89 VGA active, 400 lines, display switching (51h).
    expect([...r.read(0x465, 2)]).toEqual([0x29, 0x30]);
    expect([...r.read(0x487, 3)]).toEqual([0x60, 0xf9, 0x51]);
    expect([...r.read(0x460, 2)]).toEqual([0x07, 0x06]);
    const vec = (n: number) => { const b = r.read(n * 4, 4); return ((b[2] | (b[3] << 8)) << 4) + (b[0] | (b[1] << 8)); };
    // INT 1Dh: the IBM PC 6845 table, starting with the 40x25 set 38h 28h 2Dh 0Ah.
    expect([...r.read(vec(0x1d), 4)]).toEqual([0x38, 0x28, 0x2d, 0x0a]);
    expect(vec(0x1d) >>> 16).toBe(0xf);
    // INT 43h: the 8x8 font (full block DBh is eight lit lines); INT 1Fh: its characters 80h-FFh.
    expect([...r.read(vec(0x43) + 0xdb * 8, 8)]).toEqual(new Array(8).fill(0xff));
    expect(vec(0x1f)).toBe(vec(0x43) + 0x400);
    // 40:A8: the Video Save Pointer Table, whose first pointer is the parameter table; its entry
    // for mode 03h at 400 lines (index 18h) starts with 80 columns, 24 rows - 1, 16 lines.
    const spt = r.read(0x4a8, 4);
    const sptAddr = ((spt[2] | (spt[3] << 8)) << 4) + (spt[0] | (spt[1] << 8));
    const pt = r.read(sptAddr, 4);
    const ptAddr = ((pt[2] | (pt[3] << 8)) << 4) + (pt[0] | (pt[1] << 8));
    expect([...r.read(ptAddr + 0x18 * 64, 5)]).toEqual([80, 24, 16, 0x00, 0x10]);
  });

  it("teletype output lands at the cursor, handles CR/LF/BS and scrolls at the bottom", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x0003
  int 0x10
  mov si, msg
.l:
  lodsb
  test al, al
  jz .d
  mov ah, 0x0e
  mov bx, 0x0007
  int 0x10
  jmp .l
.d:
  PRINT_CURSOR
  jmp exit
msg:
  db "first", 13, 10, "abX", 8, "c", 7, 13, 10
  %rep 23
  db "line", 13, 10
  %endrep
  db "last", 0
`);
    expect(r.exited).toBe(true);
    const t = r.pc.vga.textCells()!;
    // 2 + 23 + 1 lines were written on 25 rows: the screen scrolled up once.
    expect(t.rowText(0).trimEnd()).toBe("abc");
    expect(t.rowText(1).trimEnd()).toBe("line");
    expect(t.rowText(23).trimEnd()).toBe("line");
    expect(t.rowText(24).trimEnd()).toBe("last");
    // Cursor after "last": row 24, column 4; the hardware cursor agrees.
    expect(r.out.trim()).toBe("1804");
    expect(t.cursor.row).toBe(24);
    expect(t.cursor.column).toBe(4);
    expect(t.attrs[24 * 80]).toBe(0x07);
  });

  it("BEL beeps through the speaker and returns with it off, writing nothing", async () => {
    const r = await runVideoProgram(`
  sti
  mov ax, 0x0e41
  int 0x10
  mov ax, 0x0e07
  int 0x10
  in al, 0x61
  and al, 3
  call printb
  mov ax, 0x0e42
  int 0x10
  jmp exit
`, { watchPorts: [0x42, 0x43, 0x61] });
    expect(r.out.trim()).toBe("00");
    expect(r.pc.vga.textCells()!.rowText(0).trimEnd()).toBe("AB");
    // Counter 2 in mode 3 with count 0533h (896 Hz), speaker gate and data on, then off.
    const w = r.portWrites.slice(r.portWrites.findIndex(([p, v]) => p === 0x43 && (v & 0xc0) === 0x80));
    expect(w.slice(0, 3)).toEqual([[0x43, 0xb6], [0x42, 0x33], [0x42, 0x05]]);
    expect(w[3][0]).toBe(0x61);
    expect(w[3][1] & 3).toBe(3);
    expect(w[4][0]).toBe(0x61);
    expect(w[4][1] & 3).toBe(0);
  });

  it("AH=09h writes characters with attributes, AH=08h reads them back, AH=06h scrolls a window", async () => {
    const r = await runVideoProgram(`
  mov ah, 0x02
  xor bh, bh
  mov dx, 0x0205          ; row 2, column 5
  int 0x10
  mov ax, 0x0941          ; 'A'
  mov bx, 0x001e          ; yellow on blue
  mov cx, 3
  int 0x10
  mov ah, 0x08
  xor bh, bh
  int 0x10
  call printw
  ; scroll rows 1-3, columns 0-79 up by one, blank attribute 0x70
  mov ax, 0x0601
  mov bh, 0x70
  mov cx, 0x0100
  mov dx, 0x034f
  int 0x10
  jmp exit
`);
    expect(r.out.trim()).toBe("1E41");
    const t = r.pc.vga.textCells()!;
    expect(t.rowText(1).slice(5, 8)).toBe("AAA");
    expect(t.attrs[1 * 80 + 5]).toBe(0x1e);
    expect(t.rowText(3).trim()).toBe("");
    expect(t.attrs[3 * 80]).toBe(0x70);
  });

  it("AH=07h scrolls a window down, AL=00h blanks it; columns and rows beyond the screen are clipped", async () => {
    const r = await runVideoProgram(`
  mov cx, 5
  mov al, '0'
.l:
  mov ah, 0x0e
  int 0x10
  push ax
  mov ax, 0x0e0d
  int 0x10
  mov ax, 0x0e0a
  int 0x10
  pop ax
  inc al
  loop .l
  mov ax, 0x0702          ; rows 1-3 down by two, blanks 1Fh
  mov bh, 0x1f
  mov cx, 0x0100
  mov dx, 0x03ff          ; column FFh: clipped to 79
  int 0x10
  mov ax, 0x0600          ; blank row 0, attribute 20h
  mov bh, 0x20
  xor cx, cx
  mov dx, 0x004f
  int 0x10
  jmp exit
`);
    const t = r.pc.vga.textCells()!;
    expect(t.rowText(0).trim()).toBe("");
    expect(t.attrs[0]).toBe(0x20);
    expect(t.attrs[79]).toBe(0x20);
    expect(t.rowText(1).trim()).toBe("");
    expect(t.rowText(2).trim()).toBe("");
    expect(t.attrs[2 * 80 + 79]).toBe(0x1f);
    expect(t.rowText(3).trim()).toBe("1");
    expect(t.rowText(4).trim()).toBe("4");
  });

  it("AH=11h AL=12h loads the 8x8 font: 80x50", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x1112
  xor bl, bl
  int 0x10
  mov ax, 0x1130
  mov bh, 0
  int 0x10
  mov ax, cx
  call printw
  mov al, dl
  call printb
  mov ah, 0x02
  xor bh, bh
  mov dx, 0x3100           ; row 49
  int 0x10
  mov ax, 0x0e5a
  int 0x10
  jmp exit
`);
    expect(r.out.trim()).toBe("0008 31");
    const t = r.pc.vga.textCells()!;
    expect(t.rows).toBe(50);
    expect(t.charHeight).toBe(8);
    expect(t.rowText(49)[0]).toBe("Z");
    expect(r.read(0x484, 1)[0]).toBe(49);
  });
});

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
  mov ah, 0x03
  xor bh, bh
  int 0x10
  mov ax, dx
  call printw
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

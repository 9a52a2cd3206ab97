// Conventions no standard pins down exactly (return values of old functions, BDA bookkeeping,
// dynamic state layout) checked against Debian's SeaVGABIOS running the same program on
// SeaBIOS. Each line of output is one probe; lines where the two BIOSes knowingly differ are
// not printed by the program.
import { describe, it, expect } from "vitest";
import { nasmMissing } from "../../support/nasm";
import { runVideoProgram, haveSeaBios } from "./harness";

const PROGRAM = `
  mov ax, 0x0003
  int 0x10
  call printw             ; AL after a mode set
  mov ah, 0x0f
  int 0x10
  call printw
  mov ax, bx
  call printw
  mov ah, 0x03
  xor bh, bh
  int 0x10
  mov ax, cx
  call printw
  mov ax, dx
  call printw
  call newline
  mov ah, 0x12
  mov bl, 0x10
  int 0x10
  call printw
  mov ax, bx
  call printw
  mov ax, cx
  call printw
  call newline
  mov ax, 0x1a00
  int 0x10
  call printw
  mov ax, bx
  call printw
  mov ax, 0x1130
  mov bh, 2
  int 0x10
  mov ax, cx
  call printw
  mov ax, dx
  call printw
  push cs
  pop es
  call newline
  ; AH=1Bh: the return code and the BDA mirror (04h-1Fh) and character height (23h-24h),
  ; DCC (25h-26h), colours and pages (27h-29h), scan lines (2Ah), memory (31h). Not 20h-22h:
  ; SeaVGABIOS leaves the 3x8/3x9 copies at zero and gives rows - 1 at 22h; we mirror 40:65/66
  ; and give the row count, as the IBM reference describes the table.
  mov ax, 0x1b00
  xor bx, bx
  mov di, 0x1000
  int 0x10
  call printw
  mov si, 0x1004
  mov cx, 0x1c
.d: lodsb
  call printb
  loop .d
  mov si, 0x1023
  mov cx, 8
.e: lodsb
  call printb
  loop .e
  mov al, [0x1031]
  call printb
  call newline
  mov ax, 0x0013
  int 0x10
  call printw
  mov ah, 0x0f
  int 0x10
  call printw
  mov ax, [0x44c]
  call printw
  mov ax, [0x484]
  call printw
  call newline
  mov ax, 0x0012
  int 0x10
  mov ax, [0x44a]
  call printw
  mov ax, [0x44c]
  call printw
  mov ax, [0x484]
  call printw
  mov ax, [0x485]
  call printw
  mov ax, 0x1130
  mov bh, 1
  int 0x10
  mov ax, cx
  call printw
  mov ax, dx
  call printw
  call newline
  mov ax, 0x0001
  int 0x10
  mov ax, [0x44a]
  call printw
  mov ax, [0x44c]
  call printw
  mov ax, [0x460]
  call printw
  call newline
  mov ax, 0x0003
  int 0x10
  mov ax, 0x1111          ; 8x14 font: 28 rows of 400 lines
  mov bl, 0
  int 0x10
  mov ax, [0x484]
  call printw
  mov ax, [0x44c]
  call printw
  mov ax, [0x460]
  call printw
  mov ax, 0x0003
  int 0x10
  mov ax, 0x1112          ; 8x8 font: 50 rows
  mov bl, 0
  int 0x10
  mov ax, [0x484]
  call printw
  mov ax, [0x485]
  call printw
  mov ax, [0x44c]
  call printw
  call newline
  ; palette: AC registers and DAC read back
  mov ax, 0x1007
  mov bl, 0x0e
  int 0x10
  mov al, bh
  call printb
  mov ax, 0x1015
  mov bx, 0x0e
  int 0x10
  mov ax, dx
  call printw
  mov ax, cx
  call printw
  mov ax, 0x1008
  int 0x10
  mov al, bh
  call printb
  mov ax, 0x101a
  int 0x10
  mov ax, bx
  call printw
  call newline
  jmp exit
`;

describe.skipIf(nasmMissing() || !haveSeaBios())("INT 10h conventions against SeaVGABIOS", () => {
  it("gives the same answers for the probes", async () => {
    const ours = await runVideoProgram(PROGRAM);
    const sea = await runVideoProgram(PROGRAM, { seabios: true, maxVirtualSeconds: 10 });
    expect(ours.exited).toBe(true);
    expect(sea.exited).toBe(true);
    const a = ours.out.trim().split("\n");
    const b = sea.out.trim().split("\n");
    expect(a.length).toBe(b.length);
    for (let i = 0; i < a.length; i++) {
      const mine = a[i];
      const theirs = b[i];
      expect(mine, `probe line ${i}`).toBe(theirs);
    }
  });
});

const VBE_PROGRAM = `
  mov di, 0x1000
  mov dword [di], 'VBE2'
  mov ax, 0x4f00
  int 0x10
  call printw
  mov ax, [0x1012]        ; total memory
  call printw
  mov ax, [0x100a]        ; capabilities
  call printw
  call newline
  %macro MODEINFO 1
  mov di, 0x2000
  mov ax, 0x4f01
  mov cx, %1
  int 0x10
  call printw
  mov si, 0x2000          ; attributes, windows, granularity, size, segments
  mov cx, 0x0c
%%a: lodsb
  call printb
  loop %%a
  mov si, 0x2010          ; pitch .. bank size (not 1Dh: image pages), masks (not 27h)
  mov cx, 0x0d
%%b: lodsb
  call printb
  loop %%b
  mov si, 0x201e
  mov cx, 9
%%c: lodsb
  call printb
  loop %%c
  call newline
  %endmacro
  MODEINFO 0x100
  MODEINFO 0x101
  MODEINFO 0x102
  MODEINFO 0x104
  MODEINFO 0x105
  MODEINFO 0x10e
  MODEINFO 0x111
  MODEINFO 0x112
  MODEINFO 0x115
  MODEINFO 0x118
  MODEINFO 0x11b
  MODEINFO 0x142
  MODEINFO 0x143
  MODEINFO 0x144
  MODEINFO 0x18f
  MODEINFO 0x192
  mov ax, 0x4f02
  mov bx, 0x4114
  int 0x10
  call printw
  mov ax, 0x4f03
  int 0x10
  call printw
  mov ax, bx
  call printw
  mov ah, 0x0f
  int 0x10
  call printw
  mov ax, 0x4f06
  mov bl, 1
  int 0x10
  call printw
  mov ax, bx
  call printw
  mov ax, cx
  call printw
  mov ax, 0x4f05           ; banks are invalid with the LFB on: status AH=03h
  mov bx, 0x0100
  int 0x10
  mov al, ah              ; (SeaVGABIOS leaves AL=05h rather than 4Fh: compare AH only)
  call printb
  call newline
  mov ax, 0x4f02
  mov bx, 0x0003
  int 0x10
  call printw
  mov ax, 0x4f03
  int 0x10
  call printw
  mov ax, bx
  call printw
  call newline
  jmp exit
`;

describe.skipIf(nasmMissing() || !haveSeaBios())("VBE against SeaVGABIOS", () => {
  it("reports the same memory, mode information and mode set results", async () => {
    const ours = await runVideoProgram(VBE_PROGRAM);
    const sea = await runVideoProgram(VBE_PROGRAM, { seabios: true, maxVirtualSeconds: 10 });
    expect(ours.exited).toBe(true);
    expect(sea.exited).toBe(true);
    const a = ours.out.trim().split("\n");
    const b = sea.out.trim().split("\n");
    expect(a.length).toBe(b.length);
    for (let i = 0; i < a.length; i++) expect(a[i], `probe line ${i}`).toBe(b[i]);
  });
});

/** Pixels and scrolling in a graphics mode: the same pixels must come back from both BIOSes. */
const graphicsProgram = (mode: number, w: number, h: number) => `
  mov ax, 0x00${mode.toString(16).padStart(2, "0")}
  int 0x10
  ; a diagonal of colours on the sampling grid, then XOR over one of them
  xor si, si
.p:
  mov ax, si
  and al, 0x0f
  or al, 1
  mov ah, 0x0c
  xor bh, bh
  mov cx, si
  imul cx, cx, ${Math.max(1, Math.floor(w / 80))}
  mov dx, si
  imul dx, dx, ${Math.max(1, Math.floor(h / 50))}
  int 0x10
  inc si
  cmp si, 48
  jb .p
  mov ax, 0x0c83
  xor bh, bh
  mov cx, ${Math.max(1, Math.floor(w / 80)) * 5}
  mov dx, ${Math.max(1, Math.floor(h / 50)) * 5}
  int 0x10
  ; scroll a window up by 2 rows (fill 2) and another down by 1 (fill 1)
  mov ax, 0x0602
  mov bh, 0x02
  mov cx, 0x0102
  mov dx, 0x0a0c
  int 0x10
  mov ax, 0x0701
  mov bh, 0x01
  mov cx, 0x0c04
  mov dx, 0x1410
  int 0x10
  ; read a grid of pixels
  xor di, di
.y:
  xor si, si
.x:
  mov ah, 0x0d
  xor bh, bh
  mov cx, si
  mov dx, di
  int 0x10
  add al, 'A'
  out 0xe9, al
  add si, ${Math.max(1, Math.floor(w / 80))}
  cmp si, ${w}
  jb .x
  mov al, 10
  out 0xe9, al
  add di, ${Math.max(1, Math.floor(h / 50))}
  cmp di, ${h}
  jb .y
  jmp exit
`;

describe.skipIf(nasmMissing() || !haveSeaBios())("graphics pixels and scrolling against SeaVGABIOS", () => {
  for (const [mode, w, h] of [[0x04, 320, 200], [0x06, 640, 200], [0x0d, 320, 200], [0x12, 640, 480], [0x13, 320, 200]]) {
    it(`mode ${mode.toString(16).padStart(2, "0")}h`, async () => {
      const prog = graphicsProgram(mode, w, h);
      const ours = await runVideoProgram(prog, { maxVirtualSeconds: 20 });
      const sea = await runVideoProgram(prog, { seabios: true, maxVirtualSeconds: 20 });
      expect(ours.exited).toBe(true);
      expect(sea.exited).toBe(true);
      const a = ours.out.split("\n"), b = sea.out.split("\n");
      expect(a.length).toBe(b.length);
      for (let i = 0; i < a.length; i++) expect(a[i], `grid row ${i}`).toBe(b[i]);
    });
  }
});

import { describe, it, expect } from "vitest";
import { nasmMissing } from "../../support/nasm";
import { runVideoProgram } from "./harness";
import { VBE_XRES, VBE_YRES, VBE_BPP, VBE_ENABLE, VBE_VIRT_WIDTH, VBE_X_OFFSET, VBE_Y_OFFSET } from "../../../src/machine/vga/vbe";
import { VRAM_BYTES } from "../../../src/machine/pc";

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number) => (u16(b, o) | (u16(b, o + 2) << 16)) >>> 0;

/** BAR0 of 00:02.0 (the VGA), read through configuration mechanism #1 as a guest would. */
function lfbBar(r: { pc: { machine: { io: { write(p: number, s: number, v: number): void; read(p: number, s: number): number } } } }): number {
  const io = r.pc.machine.io;
  io.write(0xcf8, 4, 0x80000000 | (2 << 11) | 0x10);
  return (io.read(0xcfc, 4) & 0xfffffff0) >>> 0;
}

/** AX=4F00h with the VbeInfoBlock at 0000:1000, after `setup` prepared it; prints the status. */
const vbeInfo = (setup: string) => runVideoProgram(`${setup}
  mov di, 0x1000
  mov ax, 0x4f00
  int 0x10
  call printw
  jmp exit
`);

describe.skipIf(nasmMissing())("VBE 2.0", () => {
  it("4F00h: VbeInfoBlock with VBE2 signature, version 2.0, mode list and memory size", async () => {
    const r = await vbeInfo(`
  mov dword [0x1000], 'VBE2'`);
    expect(r.out.trim()).toBe("004F");
    const b = r.read(0x1000, 512);
    expect(String.fromCharCode(...b.subarray(0, 4))).toBe("VESA");
    expect(u16(b, 4)).toBe(0x0200);
    expect(u16(b, 0x12)).toBe(VRAM_BYTES >> 16);
    // The OEM string is in OemData (VBE2 request): the pointer is into the caller's block.
    const oem = u32(b, 6);
    expect(oem >>> 16).toBe(0);
    const oemText = r.read(oem & 0xffff, 40);
    expect(String.fromCharCode(...oemText.subarray(0, oemText.indexOf(0)))).toMatch(/lab86/);
    const list = u32(b, 0x0e);
    const modes: number[] = [];
    for (let a = ((list >>> 16) << 4) + (list & 0xffff); ; a += 2) {
      const m = u16(r.read(a, 2), 0);
      if (m === 0xffff) break;
      modes.push(m);
      if (modes.length > 200) throw new Error("mode list not terminated");
    }
    for (const m of [0x101, 0x103, 0x111, 0x112, 0x115, 0x118, 0x143, 0x192]) expect(modes).toContain(m);
  });

  it("4F00h without the VBE2 signature: a 256-byte block, OEM string in ROM, no VBE 2.0 fields", async () => {
    const r = await vbeInfo(`
  mov di, 0x1000
  mov cx, 512
  mov al, 0xee            ; fill 512 bytes so untouched bytes show
  rep stosb`);
    expect(r.out.trim()).toBe("004F");
    const b = r.read(0x1000, 512);
    expect(String.fromCharCode(...b.subarray(0, 4))).toBe("VESA");
    expect(u16(b, 4)).toBe(0x0200);
    const oem = u32(b, 6);
    expect(oem >>> 16).toBe(0xf000);
    const text = r.read(0xf0000 + (oem & 0xffff), 64);
    expect(String.fromCharCode(...text.subarray(0, text.indexOf(0)))).toMatch(/lab86/);
    // The block is 256 bytes for a VBE 1.x caller: nothing written beyond it.
    expect([...b.subarray(256, 512)]).toEqual(new Array(256).fill(0xee));
    expect([...b.subarray(0x14, 0x22)]).toEqual(new Array(14).fill(0)); // VBE 2.0 fields only for VBE2 requests
  });

  it("4F01h for 800x600x32 (143h): PhysBasePtr is the LFB BAR, 3200-byte pitch, direct colour masks", async () => {
    const r = await runVideoProgram(`
  mov di, 0x1000
  mov ax, 0x4f01
  mov cx, 0x4143          ; bit 14 set, as callers often pass it
  int 0x10
  call printw
  mov di, 0x1200
  mov ax, 0x4f01
  mov cx, 0x0999          ; no such mode
  int 0x10
  call printw
  jmp exit
`);
    expect(r.out.trim()).toBe("004F 014F");
    const b = r.read(0x1000, 256);
    const bar = lfbBar(r);
    expect(bar).not.toBe(0);
    expect(u32(b, 0x28)).toBe(bar);
    expect(u16(b, 0x10)).toBe(3200);
    expect(u16(b, 0x12)).toBe(800);
    expect(u16(b, 0x14)).toBe(600);
    expect(b[0x19]).toBe(32);
    expect(b[0x1b]).toBe(6); // direct colour
    expect(u16(b, 0)).toBe(0xbb); // supported, info, colour, graphics, not VGA, LFB
    expect([...b.subarray(0x1f, 0x27)]).toEqual([8, 16, 8, 8, 8, 0, 8, 24]);
    expect(u16(b, 8)).toBe(0xa000);
    expect(u16(b, 4)).toBe(64);
  });

  it("4F02h sets 1024x768x16 with the LFB; 4F03h reports it; 4F06h/4F07h move the view; AH=00h leaves it", async () => {
    const r = await runVideoProgram(`
  SET_AND_PRINT_VBE_MODE 0x4117
  mov ax, 0x4f06          ; logical line of 1200 pixels
  xor bl, bl
  mov cx, 1200
  int 0x10
  PRINT_AX_BX_CX
  mov ax, 0x4f06          ; shorter than the screen: the screen width
  xor bl, bl
  mov cx, 100
  int 0x10
  push cx
  mov ax, 0x4f06          ; far more than 16 MiB holds at 768 lines: 02h
  xor bl, bl
  mov cx, 0xfff0
  int 0x10
  call printw
  mov ax, 0x4f06          ; 1200 pixels again
  xor bl, bl
  mov cx, 1200
  int 0x10
  pop ax
  call printw
  mov ax, 0x4f07
  xor bl, bl
  mov cx, 16
  mov dx, 40
  int 0x10
  call printw
  PRINT_DISPLAY_START
  call newline
  ; draw through the LFB: a 16-bit white pixel at (0,0) of the virtual screen
  jmp exit
`);
    const words = r.out.trim().split(/\s+/);
    expect(words).toEqual(["004F", "004F", "4117", "004F", "0960", "04B0", "024F", "0400", "004F", "0010", "0028"]);
    const v = r.pc.vga.state.vbe;
    expect(v[VBE_XRES]).toBe(1024);
    expect(v[VBE_YRES]).toBe(768);
    expect(v[VBE_BPP]).toBe(16);
    expect(v[VBE_ENABLE] & 0x41).toBe(0x41);
    expect(v[VBE_VIRT_WIDTH]).toBe(1200);
    expect(v[VBE_X_OFFSET]).toBe(16);
    expect(v[VBE_Y_OFFSET]).toBe(40);
    r.pc.vga.render();
    expect(r.pc.vga.frame.width).toBe(1024);
    expect(r.pc.vga.frame.height).toBe(768);
    expect(r.pc.vga.textCells()).toBeNull();
  });

  it("a VBE mode, then AH=00h 03h: back to text", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x4f02
  mov bx, 0x0101
  int 0x10
  mov ax, 0x0003
  int 0x10
  mov ax, 0x0e4b
  int 0x10
  PRINT_VBE_MODE
  jmp exit
`);
    expect(r.out.trim()).toBe("0003");
    expect(r.pc.vga.state.vbe[VBE_ENABLE] & 1).toBe(0);
    const t = r.pc.vga.textCells()!;
    expect(t.rowText(0)[0]).toBe("K");
  });

  it("4F05h banks, 4F08h DAC width, 4F09h palette, 4F04h size, 4F0Ah and bad modes fail", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x4f02
  mov bx, 0x0105          ; 1024x768x8, windowed
  int 0x10
  mov ax, 0x4f05
  xor bx, bx
  mov dx, 3
  int 0x10
  call printw
  mov byte [es:0], 0      ; (segment 0 scratch, keeps ES = 0)
  POKE_A000 0x10, 0x77   ; bank 3: VRAM offset 3*64K + 10h
  mov ax, 0x4f05
  mov bx, 0x0100
  int 0x10
  mov ax, dx
  call printw
  mov ax, 0x4f08
  mov bx, 0x0001
  int 0x10
  mov al, bh
  call printb
  ; palette entry 200: blue 11h, green 22h, red 33h
  mov di, pal
  mov ax, 0x4f09
  xor bl, bl
  mov cx, 1
  mov dx, 200
  int 0x10
  call printw
  mov di, 0x1300
  mov ax, 0x4f09
  mov bl, 1
  mov cx, 1
  mov dx, 200
  int 0x10
  mov eax, [0x1300]
  call printw
  shr eax, 16
  call printw
  mov ax, 0x4f04
  xor dl, dl
  mov cx, 0x000f
  int 0x10
  call printw
  mov ax, bx
  call printw
  mov ax, 0x4f0a          ; BL = 01h: not a 4F0Ah subfunction
  mov bx, 0x0001
  int 0x10
  call printw
  mov ax, 0x4f02
  mov bx, 0x4102          ; planar 800x600x4 has no linear framebuffer
  int 0x10
  call printw
  mov ax, 0x4f02
  mov bx, 0x0123          ; no such mode
  int 0x10
  call printw
  jmp exit
pal: db 0x11, 0x22, 0x33, 0
`);
    const w = r.out.trim().split(/\s+/);
    expect(w.slice(0, 7)).toEqual(["004F", "0003", "06", "004F", "2211", "0033", "004F"]);
    // The buffer holds at least the 768 DAC bytes and the DISPI and VGA registers: 13 blocks or more.
    expect(parseInt(w[7], 16)).toBeGreaterThanOrEqual(13);
    // 4F0Ah BL=01h fails; 102h with D14: no LFB in the planar modes (02h); 123h: no such mode.
    expect(w.slice(8)).toEqual(["014F", "024F", "014F"]);
    expect(r.pc.vga.vram[3 * 0x10000 + 0x10]).toBe(0x77);
    expect(r.pc.vga.state.dac.slice(600, 603)).toEqual([0x33, 0x22, 0x11]);
  });
});

describe.skipIf(nasmMissing())("VBE 2.0 mode details", () => {
  it("4F02h bit 15 keeps video memory; without it the mode set clears it", async () => {
    // POST's mode 03h left blanks (20h, 07h) in the planes, which start at VRAM offset 0 where
    // the 8-bit mode's pixels are.
    const run = (bx: number) => runVideoProgram(`
  mov ax, 0x4f02
  mov bx, 0x${bx.toString(16)}
  int 0x10
  jmp exit
`);
    const keep = await run(0x8101);
    const clear = await run(0x0101);
    expect(keep.pc.vga.state.vbe[VBE_ENABLE] & 1).toBe(1);
    expect(keep.pc.vga.vram[0]).toBe(0x20);
    expect(clear.pc.vga.state.vbe[VBE_ENABLE] & 1).toBe(1);
    expect(clear.pc.vga.vram[0]).toBe(0);
  });

  it("4F02h: standard modes with D7 fail, with D14 are not supported; D15 comes back from 4F03h; 4F07h refuses a start past the logical screen", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x4f02
  mov bx, 0x0083
  int 0x10
  call printw
  mov ax, 0x4f02
  mov bx, 0x4003
  int 0x10
  call printw
  mov ax, 0x4f02
  mov bx, 0x8013          ; mode 13h through VBE, memory kept
  int 0x10
  call printw
  PRINT_VBE_MODE
  mov ax, 0x4f02
  mov bx, 0xc111          ; 640x480x16, LFB, memory kept
  int 0x10
  PRINT_VBE_MODE
  mov ax, 0x4f07          ; y = 20000: no 480 lines left below it
  xor bx, bx
  xor cx, cx
  mov dx, 20000
  int 0x10
  call printw
  mov ax, 0x4f07
  mov bl, 1
  int 0x10
  mov ax, dx
  call printw
  mov ax, 0x4f02
  mov bx, 0x4111          ; again, clearing
  int 0x10
  PRINT_VBE_MODE
  jmp exit
`);
    expect(r.out.trim().split(/\s+/)).toEqual(["014F", "024F", "004F", "8013", "C111", "014F", "0000", "4111"]);
  });

  it("4F0Ah: the protected-mode functions pan, load the palette and move the window when called from 32-bit code", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x4f02
  mov bx, 0x4111          ; 640x480x16 with the LFB
  int 0x10
  mov ax, 0x4f06          ; logical lines of 1024 pixels: 2048 bytes
  xor bl, bl
  mov cx, 1024
  int 0x10
  mov ax, 0x4f0a
  xor bx, bx
  int 0x10
  mov [0x600], ax
  mov [0x602], cx
  movzx eax, di
  mov bx, es
  movzx ebx, bx
  shl ebx, 4
  add eax, ebx
  mov [tlin], eax
  cli
  lgdt [gdtr]
  mov eax, cr0
  or al, 1
  mov cr0, eax
  jmp 0x08:pm
bits 32
pm:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov esp, 0x7000
  mov esi, [tlin]
  movzx eax, word [esi+2] ; Set Display Start: pixel 16 of line 10, in 4-byte units
  add eax, esi
  mov [fn], eax
  mov ecx, (10 * 2048 + 16 * 2) / 4
  mov edx, ecx
  shr edx, 16
  mov eax, 0x4f07
  xor ebx, ebx
  call [fn]
  mov [0x604], ax
  movzx eax, word [esi+4] ; Set Primary Palette: entries 40 and 41
  add eax, esi
  mov [fn], eax
  mov eax, 0x4f09
  xor ebx, ebx
  mov ecx, 2
  mov edx, 40
  mov edi, pal
  call [fn]
  mov [0x606], ax
  movzx eax, word [esi]   ; Set Window: bank 3
  add eax, esi
  mov [fn], eax
  mov eax, 0x4f05
  xor ebx, ebx
  mov edx, 3
  call [fn]
  mov [0x608], ax
  mov [0x60c], esi
  mov al, 0
  out 0xf4, al
  hlt
bits 16
align 8
gdt: dq 0
  dq 0x00cf9a000000ffff
  dq 0x00cf92000000ffff
gdtr: dw 23
  dd gdt
pal: db 1, 2, 3, 0, 4, 5, 6, 0
align 4
tlin: dd 0
fn: dd 0
`);
    expect(r.exited).toBe(true);
    const w = (a: number) => u16(r.read(a, 2), 0);
    // 4F0Ah, then each protected-mode call, answered 004Fh; the table length covers the code.
    expect([w(0x600), w(0x604), w(0x606), w(0x608)]).toEqual([0x004f, 0x004f, 0x004f, 0x004f]);
    expect(w(0x602)).toBeGreaterThan(8);
    // ESI comes back unchanged (VBE 2.0, 4.13): still the table's linear address in F0000-FFFFF.
    expect(u32(r.read(0x60c, 4), 0) >>> 16).toBe(0xf);
    const v = r.pc.vga.state.vbe;
    expect(v[VBE_X_OFFSET]).toBe(16);
    expect(v[VBE_Y_OFFSET]).toBe(10);
    expect(v[5]).toBe(3); // BANK
    // Entries are blue, green, red, alignment: entry 40 = (R 3, G 2, B 1), 41 = (6, 5, 4).
    expect(r.pc.vga.state.dac.slice(120, 126)).toEqual([3, 2, 1, 6, 5, 4]);
  });

  it("4F06h/4F07h in standard VGA modes work on the CRTC offset, start address, preset row scan and panning", async () => {
    const r = await runVideoProgram(`
  %macro GET6 0
  PRINT_LOGICAL_LINE
  mov ax, dx              ; and the maximum lines
  call printw
  %endmacro
  GET6                    ; mode 03h: 160 bytes, 720 pixels (80 cells of 9), 204 rows of 16 lines
  mov ax, 0x4f07          ; pixel 18 (cell 2) of scan line 20 (row 1, line 4)
  xor bx, bx
  mov cx, 18
  mov dx, 20
  int 0x10
  PRINT_DISPLAY_START
  mov ax, 0x4f07          ; x = 5 is inside a cell: refused
  xor bx, bx
  mov cx, 5
  int 0x10
  call printw
  call newline
  mov ax, 0x0012
  int 0x10
  mov ax, 0x4f06          ; 1024-pixel lines: 128 bytes
  xor bl, bl
  mov cx, 1024
  int 0x10
  mov ax, bx
  call printw
  mov ax, cx
  call printw
  mov ax, dx
  call printw
  mov ax, 0x4f07
  xor bx, bx
  mov cx, 3
  mov dx, 10
  int 0x10
  PRINT_DISPLAY_START
  call newline
  mov ax, 0x0013
  int 0x10
  GET6
  mov ax, 0x4f07
  xor bx, bx
  mov cx, 2
  mov dx, 1
  int 0x10
  PRINT_DISPLAY_START
  jmp exit
`);
    const lines = r.out.trim().split("\n").map((l) => l.trim().split(/\s+/));
    expect(lines[0]).toEqual(["004F", "00A0", "02D0", "0CC0", "0012", "0014", "014F"]);
    expect(lines[1]).toEqual(["0080", "0400", "0200", "0003", "000A"]);
    expect(lines[2]).toEqual(["004F", "0140", "0140", "00CC", "0002", "0001"]);
    // Mode 13h (x 2, y 1): byte 322 = CRTC address 80 (4 pixels each) and a 2-pixel pan (AC13 = 4).
    const s = r.pc.vga.state;
    expect((s.crtc[0x0c] << 8) | s.crtc[0x0d]).toBe(80);
    expect(s.ac[0x13] & 0x0f).toBe(4);
  });

  it("4F08h switches to an 8-bit DAC that 4F09h loads and the picture shows; a mode set goes back to 6 bits", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x4f02
  mov bx, 0x4101          ; 640x480x8
  int 0x10
  mov ax, 0x4f08
  mov bx, 0x0800
  int 0x10
  mov al, bh
  call printb
  mov ax, 0x4f09          ; entry 1 = (R C8h, G 64h, B 0Ah)
  xor bl, bl
  mov cx, 1
  mov dx, 1
  mov di, pal
  int 0x10
  POKE_A000 0, 1      ; pixel (0,0) in colour 1 through the A000 window (bank 0)
  jmp exit
pal: db 0x0a, 0x64, 0xc8, 0
`);
    expect(r.out.trim()).toBe("08");
    r.pc.vga.render();
    expect([...r.pc.vga.frame.rgba.subarray(0, 3)]).toEqual([0xc8, 0x64, 0x0a]);
    const r2 = await runVideoProgram(`
  mov ax, 0x4f08
  mov bx, 0x0800
  int 0x10
  mov ax, 0x4f02
  mov bx, 0x4101
  int 0x10
  mov ax, 0x4f08
  mov bx, 0x0001
  int 0x10
  mov al, bh
  call printb
  jmp exit
`);
    expect(r2.out.trim()).toBe("06");
  });

  it("the ModeInfoBlock's window function, called far, switches banks like 4F05h", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x4f02
  mov bx, 0x0111          ; 640x480x16, windowed
  int 0x10
  mov di, 0x1000
  mov ax, 0x4f01
  mov cx, 0x0111
  int 0x10
  xor bx, bx              ; window A, set
  mov dx, 2
  call far [0x100c]
  call printw
  jmp exit
`);
    expect(r.out.trim()).toBe("004F");
    expect(r.pc.vga.state.vbe[5]).toBe(2);
  });

  it("a reset from a VBE mode comes back to POST's 80x25 text", async () => {
    // CMOS byte 34h tells the second boot from the first.
    const r = await runVideoProgram(`
  mov al, 0x34
  out 0x70, al
  in al, 0x71
  test al, al
  jnz .second
  mov al, 0x34
  out 0x70, al
  mov al, 1
  out 0x71, al
  mov ax, 0x4f02
  mov bx, 0x4112
  int 0x10
  mov ax, 0x1201          ; 350 lines for the next text mode set: forgotten by the reset
  mov bl, 0x30
  int 0x10
  mov al, 0xfe
  out 0x64, al            ; reset through the keyboard controller
  cli
  hlt
.second:
  mov ah, 0x0f
  int 0x10
  call printw
  PRINT_VBE_MODE
  mov al, [0x485]
  call printb
  jmp exit
`, { maxVirtualSeconds: 20 });
    expect(r.out.trim().split(/\s+/)).toEqual(["5003", "0003", "10"]);
    expect(r.pc.vga.vbeMode()).toBeNull();
    expect(r.pc.vga.textCells()!.rows).toBe(25);
  });

  it("4F02h 102h: planar 800x600x16 through the A000 window; 4F01h says 4 planes, memory model 3", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x4f02
  mov bx, 0x0102
  int 0x10
  call printw
  mov di, 0x1000
  mov ax, 0x4f01
  mov cx, 0x0102
  int 0x10
  ; set/reset on all planes: write colour 0Ch to the first 8 pixels
  mov dx, 0x3ce
  mov ax, 0x0c00          ; GR00 set/reset = 0Ch
  out dx, ax
  mov ax, 0x0f01          ; GR01 enable set/reset on all planes
  out dx, ax
  POKE_A000 0, 0xff
  jmp exit
`);
    expect(r.out.trim()).toBe("004F");
    const b = r.read(0x1000, 256);
    expect(b[0x18]).toBe(4);
    expect(b[0x19]).toBe(4);
    expect(b[0x1b]).toBe(3);
    expect(u16(b, 0x10)).toBe(100);
    expect(u16(b, 0) & 0x80).toBe(0); // no linear framebuffer
    r.pc.vga.render();
    const f = r.pc.vga.frame;
    expect(f.width).toBe(800);
    expect(f.height).toBe(600);
    // Colour 0Ch through mode 12h's attribute palette (3Ch) and the EGA DAC: 3Fh, 15h, 15h.
    const i = 3 * 4;
    expect([...f.rgba.subarray(i, i + 3)]).toEqual([0xff, 0x55, 0x55]);
  });

  it("4F04h saves and restores the DISPI mode; 4F08h is invalid in direct-colour modes", async () => {
    const r = await runVideoProgram(`
  mov ax, 0x4f02
  mov bx, 0x4112          ; 640x480x24
  int 0x10
  mov ax, 0x4f08
  mov bx, 0x0800
  int 0x10
  call printw
  mov ax, 0x4f04
  mov dl, 1
  mov cx, 0x000f
  mov bx, 0x2000
  int 0x10
  call printw
  mov ax, 0x0003
  int 0x10
  mov ax, 0x4f04
  mov dl, 2
  mov cx, 0x000f
  mov bx, 0x2000
  int 0x10
  call printw
  PRINT_VBE_MODE
  jmp exit
`);
    expect(r.out.trim().split(/\s+/)).toEqual(["034F", "004F", "004F", "4112"]);
    const v = r.pc.vga.state.vbe;
    expect([v[VBE_XRES], v[VBE_YRES], v[VBE_BPP]]).toEqual([640, 480, 24]);
  });
});

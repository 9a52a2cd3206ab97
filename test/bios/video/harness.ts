// Run a small real-mode test program as the boot code of a PC and hand back the machine for
// inspection. The program is nasm source; the prologue here loads the rest of it (it may be
// longer than one sector) and gives it `print*` helpers on the debug console (port E9h) and an
// exit through isa-debug-exit (port F4h).
import { readFileSync } from "node:fs";
import { Pc } from "../../../src/machine/pc";
import { MemoryBackend } from "../../../src/machine/block";
import { DEBUG_WASM } from "../../support/cpu";
import { assemble } from "../../support/nasm";
import { requireFixture } from "../../support/fixtures";

export const SEABIOS = "fixtures/out/seabios.bin";
export const SEAVGABIOS = "fixtures/out/vgabios-stdvga.bin";

/** The oracle runs need SeaBIOS and SeaVGABIOS: skip locally (fail under CI) without them. */
export function requireSeaBios(ctx: { skip: (note?: string) => void }): void {
  requireFixture(ctx, "seabios.bin", "seabios");
  requireFixture(ctx, "vgabios-stdvga.bin", "seabios");
}

const PROLOGUE = `
bits 16
org 0x7c00
start:
  cli
  xor ax, ax
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov sp, 0x7000
  sti
  cld
  ; INT 13h AH=02h: sectors 2-64 of the boot drive to 0000:7E00.
  mov ax, 0x023f
  mov cx, 0x0002
  xor dh, dh
  mov bx, 0x7e00
  int 0x13
  jmp main

; print the string at DS:SI (NUL-terminated) on port E9h
prints:
  push ax
  push si
.l: lodsb
  test al, al
  jz .d
  out 0xe9, al
  jmp .l
.d: pop si
  pop ax
  ret
; print AX as four hex digits and a space
printw:
  push ax
  push cx
  push dx
  mov dx, ax
  mov cx, 4
  jmp printdigits
; print AL as two hex digits and a space
printb:
  push ax
  push cx
  push dx
  mov dh, al
  mov cx, 2
; (printw, printb) print the top CX hex digits of DX and a space, restore DX, CX, AX and return
printdigits:
.n: rol dx, 4
  mov al, dl
  and al, 0x0f
  add al, '0'
  cmp al, '9'
  jbe .o
  add al, 7
.o: out 0xe9, al
  loop .n
  mov al, ' '
  out 0xe9, al
  pop dx
  pop cx
  pop ax
  ret
; print the carry flag as 'C' or 'c' (flags preserved)
printcf:
  pushf
  push ax
  mov al, 'c'
  jnc .n
  mov al, 'C'
.n: out 0xe9, al
  mov al, ' '
  out 0xe9, al
  pop ax
  popf
  ret
newline:
  push ax
  mov al, 10
  out 0xe9, al
  pop ax
  ret
exit:
  mov al, 0
  out 0xf4, al
  cli
  hlt
  jmp exit
  times 510-($-$$) db 0
  dw 0xaa55

; ---- macros for the test bodies (they emit code only where used) ----
; print AX, BX and CX (what a service returned)
%macro PRINT_AX_BX_CX 0
  call printw
  mov ax, bx
  call printw
  mov ax, cx
  call printw
%endmacro
; print the cursor position of page 0 (AH=03h: DH row, DL column)
%macro PRINT_CURSOR 0
  mov ah, 0x03
  xor bh, bh
  int 0x10
  mov ax, dx
  call printw
%endmacro
; print the current VBE mode (AX=4F03h: BX)
%macro PRINT_VBE_MODE 0
  mov ax, 0x4f03
  int 0x10
  mov ax, bx
  call printw
%endmacro
; set VBE mode %1 (AX=4F02h BX=%1) and print the status, then 4F03h's status and mode (BX)
%macro SET_AND_PRINT_VBE_MODE 1
  mov ax, 0x4f02
  mov bx, %1
  int 0x10
  call printw
  mov ax, 0x4f03
  int 0x10
  call printw
  mov ax, bx
  call printw
%endmacro
; print the status, bytes per logical line (BX) and pixels per line (CX) (AX=4F06h BL=01h)
%macro PRINT_LOGICAL_LINE 0
  mov ax, 0x4f06
  mov bl, 1
  int 0x10
  PRINT_AX_BX_CX
%endmacro
; print the display start (AX=4F07h BL=01h: CX first pixel, DX first line)
%macro PRINT_DISPLAY_START 0
  mov ax, 0x4f07
  mov bl, 1
  int 0x10
  mov ax, cx
  call printw
  mov ax, dx
  call printw
%endmacro
; store byte %2 at A000:%1 (ES is kept; AX is not)
%macro POKE_A000 2
  push es
  mov ax, 0xa000
  mov es, ax
  mov byte [es:%1], %2
  pop es
%endmacro

main:
`;

export interface VideoRun {
  pc: Pc;
  /** Writes to the ports in `watchPorts`, in order: [port, value]. */
  portWrites: [number, number][];
  out: string;
  exited: boolean;
  read(addr: number, length: number): Uint8Array;
}

export async function runVideoProgram(body: string, opts: { seabios?: boolean; maxVirtualSeconds?: number; watchPorts?: number[] } = {}): Promise<VideoRun> {
  const code = assemble(PROLOGUE + body + "\n  times 64*512-($-$$) db 0\n");
  const image = new Uint8Array(1 << 20);
  image.set(code);
  let out = "";
  let exited = false;
  const pc = await Pc.create({
    memoryBytes: 32 << 20, wasm: readFileSync(DEBUG_WASM), hda: new MemoryBackend(image), bootOrder: ["hd"], acpi: false, apic: false,
    rtcBaseTime: Date.UTC(2026, 0, 1), uuid: new Uint8Array(16),
    ...(opts.seabios ? { bios: new Uint8Array(readFileSync(SEABIOS)), vgaBios: new Uint8Array(readFileSync(SEAVGABIOS)) } : {}),
    debugcon: [{ port: 0xe9, onByte: (b) => (out += String.fromCharCode(b)) }],
    onDebugExit: () => {
      exited = true;
      pc.machine.requestStop({ kind: "stopped", why: "debug exit" });
    },
  });
  pc.machine.tripleFault = "stop";
  const portWrites: [number, number][] = [];
  if (opts.watchPorts) {
    const io = pc.machine.io;
    const write = io.write.bind(io);
    io.write = (port: number, size: number, value: number) => {
      if (opts.watchPorts!.includes(port)) portWrites.push([port, value]);
      write(port, size, value);
    };
  }
  const end = pc.machine.clock.now + (opts.maxVirtualSeconds ?? 5) * 1e9;
  while (!exited && pc.machine.clock.now < end) {
    const r = pc.machine.runSlice(end, 200_000);
    if (r && r.kind !== "budget") break;
  }
  return { pc, portWrites, out, exited, read: (addr, length) => pc.machine.phys.read(addr, length) };
}

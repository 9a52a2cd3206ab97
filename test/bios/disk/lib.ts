// nasm source pieces for the INT 13h test programs: real-mode boot code that reports through the
// debug console (port E9h) and ends at the isa-debug-exit port (F4h), so the same program runs on
// lab86 and, as the oracle for BIOS conventions, on QEMU with SeaBIOS.

/** Output helpers, included by program(). */
export const PRINT_LIB = `
; AL -> two hex digits
hex8:
  push ax
  push ax
  shr al, 4
  call .nib
  pop ax
  call .nib
  pop ax
  ret
.nib:
  and al, 0x0f
  add al, '0'
  cmp al, '9'
  jbe .out
  add al, 'a' - '9' - 1
.out:
  out 0xe9, al
  ret
; AX -> four hex digits
hex16:
  xchg al, ah
  call hex8
  xchg al, ah
  jmp hex8
; EAX -> eight hex digits
hex32:
  ror eax, 16
  call hex16
  ror eax, 16
  jmp hex16
; character in AL
putc:
  out 0xe9, al
  ret
; zero-terminated string at CS:SI
puts:
  push ax
.l:
  cs lodsb
  test al, al
  jz .e
  out 0xe9, al
  jmp .l
.e:
  pop ax
  ret
; " " then AX
sp16:
  push ax
  mov al, ' '
  out 0xe9, al
  pop ax
  jmp hex16
nl:
  push ax
  mov al, 10
  out 0xe9, al
  pop ax
  ret
; report CF and AX after an INT 13h: "c=<0|1> <ax>"
result:
  pushf
  push ax
  mov al, 'c'
  out 0xe9, al
  mov al, '='
  out 0xe9, al
  mov al, '0'
  jnc .nc
  inc al
.nc:
  out 0xe9, al
  mov al, ' '
  out 0xe9, al
  pop ax
  call hex16
  popf
  ret
exit:
  mov al, 0x10
  out 0xf4, al
  cli
  hlt
  jmp exit
; "c=<cf> <ax> <bx> <cx> <dx>" and a newline, after an INT 13h
regs:
  call result
  push ax
  mov ax, bx
  call sp16
  mov ax, cx
  call sp16
  mov ax, dx
  call sp16
  call nl
  pop ax
  ret
; CX bytes at DS:SI in hex, then a newline
dump:
  push ax
.d:
  lodsb
  call hex8
  loop .d
  call nl
  pop ax
  ret
`;

/** Macros the programs use: SAY "text" prints a label. */
export const MACROS = `
%macro SAY 1
  push si
  mov si, %%s
  call puts
  pop si
  jmp %%e
%%s: db %1, 0
%%e:
%endmacro
`;

// Pieces of program bodies. Each prints a line "<label> <value>" that byLabel() reads back.

type Reg = "ax" | "ah" | "al" | "bx" | "cx" | "ch" | "cl" | "dx" | "dh" | "dl" | "si" | "di";

/**
 * SAY "<label> ", load the registers (in the order given; the others keep what they hold), INT
 * `vector`, then report CF and AX, BX, CX, DX (`regs`) or CF and AX only (`result`).
 */
export function callInt(label: string, set: Partial<Record<Reg, string | number>>, report: "regs" | "result" = "regs", vector = "0x13"): string {
  const moves = Object.entries(set).map(([r, v]) => `  mov ${r}, ${v}\n`).join("");
  const tail = report === "regs" ? "  call regs\n" : "  call result\n  call nl\n";
  return `  SAY "${label} "\n${moves}  int ${vector}\n${tail}`;
}

/** "<label> " and the byte at `source` (an operand such as [bootdrive]) in hex. */
export const sayByte = (label: string, source: string) => `
  SAY "${label} "
  mov al, ${source}
  call hex8
  call nl
`;

/** "<label> " and the word at `source` in hex. */
export const sayWord = (label: string, source: string) => `
  SAY "${label} "
  mov ax, ${source}
  call hex16
  call nl
`;

/** "<label> " and the equipment word of INT 11h in hex. */
export const sayEquipment = (label: string) => `
  SAY "${label} "
  int 0x11
  call hex16
  call nl
`;

/** "<label> " and `count` bytes at DS:`address` in hex. */
export const sayBytes = (label: string, address: string, count: number | string) => `
  SAY "${label} "
  mov si, ${address}
  mov cx, ${count}
  call dump
`;

/** "<label> " and `count` bytes at the far pointer stored at `pointer` (an operand such as [buf + 0x1a]). */
export const sayFarBytes = (label: string, pointer: string, count: number) => `
  SAY "${label} "
  push ds
  lds si, ${pointer}
  mov cx, ${count}
  call dump
  pop ds
`;

/** "<label> " and the `count` bytes at ES:DI (the table AH=08h returns for a diskette); ES = 0 after. */
export const sayEsDiBytes = (label: string, count: number) => `
  SAY "${label} "
  push ds
  push es
  pop ds
  mov si, di
  mov cx, ${count}
  call dump
  pop ds
  xor ax, ax
  mov es, ax
`;

/** "int1e " and the diskette parameter table vector as segment and offset. */
export const SAY_INT1E = `
  SAY "int1e "
  mov ax, [0x1e * 4 + 2]
  call hex16
  mov ax, [0x1e * 4]
  call hex16
  call nl
`;

/** Fill the 512 bytes at `address` with `byte`. */
export const fillSector = (address: string, byte: string) => `
  mov di, ${address}
  mov cx, 512
  mov al, ${byte}
  rep stosb
`;

/** The disk address packet of AH=42h/43h/47h (EDD 3.0): a program that uses `dap` ends with this. */
export const DAP = "dap: times 0x18 db 0\n";

/** Store fields of the disk address packet `dap` (EDD 3.0 table 1): only those given change. */
type DapField = "size" | "count" | "offset" | "segment" | "lba" | "lbaHigh" | "flat" | "flatHigh";
export function setDap(f: Partial<Record<DapField, number | string>>): string {
  const fields: [DapField, string][] = [["size", "byte [dap]"], ["count", "word [dap + 2]"], ["offset", "word [dap + 4]"], ["segment", "word [dap + 6]"],
    ["lba", "dword [dap + 8]"], ["lbaHigh", "dword [dap + 12]"], ["flat", "dword [dap + 0x10]"], ["flatHigh", "dword [dap + 0x14]"]];
  return fields.filter(([k]) => f[k] !== undefined).map(([k, at]) => `  mov ${at}, ${f[k]}\n`).join("");
}

/**
 * AH=48h (EDD 3.0 get drive parameters) into buf with the buffer size set to 42h, reported as
 * "edd48", "edd48data" (the result buffer) and "dpte" (16 bytes at its DPTE pointer).
 */
export const edd48 = (drive: string) => `  mov word [buf], 0x42
${callInt("edd48", { si: "buf", ah: "0x48", dl: drive })}${sayBytes("edd48data", "buf", "0x42")}${sayFarBytes("dpte", "[buf + 0x1a]", 16)}`;

/**
 * Wrap a test program: sector 0 is a loader that, unless it was booted from the CD without
 * emulation (DL = E0h, where the BIOS already loaded all 8 virtual sectors), reads sectors 2-8 to
 * 0000:7E00 with INT 13h AH=02h, then runs \`body\` with DS = ES = SS = 0 and the boot drive at
 * [bootdrive]. Scratch buffers: \`buf\` at 1000h, \`buf2\` at 3000h (4 KiB each). Bytes 1BEh-1FDh stay zero for a partition table. The result is 4 KiB.
 */
export function program(body: string): string {
  return `
bits 16
org 0x7c00
buf equ 0x1000
buf2 equ 0x3000
${MACROS}
  jmp 0:start
start:
  cli
  xor ax, ax
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov sp, 0x7c00
  sti
  cld
  mov [bootdrive], dl
  cmp dl, 0xe0
  je main
  mov ax, 0x0207
  mov cx, 0x0002
  mov dh, 0
  mov bx, 0x7e00
  int 0x13
  jnc main
  mov al, '!'
  out 0xe9, al
  mov al, 0x10
  out 0xf4, al
  cli
  hlt
bootdrive: db 0
times 0x1be-($-$$) db 0
times 0x40 db 0
dw 0xaa55
main:
${body}
  jmp exit
${PRINT_LIB}
times 4096-($-$$) db 0
`;
}

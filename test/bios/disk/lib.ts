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

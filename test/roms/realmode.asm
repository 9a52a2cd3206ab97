; Real-address mode (SDM Vol. 3A chapter 20.1, Vol. 2 "Real-Address Mode Exceptions"): the IVT,
; exceptions without error codes, segment limit checks in real mode (a 32-bit offset past 0xFFFF
; and a word at offset 0xFFFF raise #GP), "unreal mode" (limits loaded in protected mode survive
; the return to real mode and real-mode segment loads, SDM Vol. 3A 9.9.2), and A20 masking
; through port 0x92.
;
; Reference: Bochs. QEMU 7.2's TCG checks no segment limits in real mode, so it neither faults
; on the offsets past 0xFFFF nor tells unreal mode from plain real mode.
%define REAL_MODE_TESTS
%include "lib/rom.inc"

%define R_RESUME 0x600              ; word: IP to resume at after an expected fault (then 0)
%define RV(x) ((x) - ROM_BASE)

BITS 16
real_main:
  cli
  xor ax, ax
  mov ds, ax
  mov es, ax
  mov word [R_RESUME], 0
  ; IVT: vectors 0, 6, 12, 13 and 0x60 to handlers in segment F000.
  mov word [0 * 4], RV(rexc0)
  mov word [6 * 4], RV(rexc6)
  mov word [12 * 4], RV(rexc12)
  mov word [13 * 4], RV(rexc13)
  mov word [0x60 * 4], RV(rint60)
  mov word [0 * 4 + 2], 0xf000
  mov word [6 * 4 + 2], 0xf000
  mov word [12 * 4 + 2], 0xf000
  mov word [13 * 4 + 2], 0xf000
  mov word [0x60 * 4 + 2], 0xf000
  mov si, RV(m_start)
  call rputs

  ; ---- INT n through the IVT ----
  mov ax, 0x1234
  int 0x60
  ; ---- #DE: a fault, IP of the DIV, no error code ----
  xor cx, cx
  mov word [R_RESUME], RV(.a1)
  div cx
.a1:
  ; ---- #UD ----
  mov word [R_RESUME], RV(.a2)
  ud2
.a2:
  ; ---- limits: 32-bit offset past 0xFFFF, a word at offset 0xFFFF ----
  mov ebx, 0x10000
  mov word [R_RESUME], RV(.a3)
  mov eax, [ebx]                    ; #GP
.a3:
  mov word [R_RESUME], RV(.a4)
  mov ax, [0xffff]                  ; #GP: the word crosses the limit
.a4:
  mov word [R_RESUME], RV(.a5)
  mov al, [0xffff]                  ; the last byte: fine
  mov word [R_RESUME], 0
.a5:
  mov bp, 0xffff
  mov word [R_RESUME], RV(.a6)
  mov ax, [bp]                      ; SS-relative: #SS
.a6:

  ; ---- unreal mode: 4 GiB limit for DS, back to real mode ----
  mov eax, cr0
  or al, 1
  mov cr0, eax
  jmp .pm16
.pm16:
  mov bx, KDATA
  mov ds, bx
  and al, 0xfe
  mov cr0, eax
  jmp .rm16
.rm16:
  xor ax, ax
  mov ds, ax                        ; a real-mode load: base 0, the 4 GiB limit stays
  mov dword [dword 0x00200000], 0xfeedf00d
  mov eax, [dword 0x00200000]
  call rhex
  mov ax, 0x1000
  mov ds, ax
  mov eax, [dword 0x00200000 - 0x10000] ; base 0x10000 + offset: the same linear address
  call rhex
  call rnl

  ; ---- A20 masking through port 0x92 ----
  xor ax, ax
  mov ds, ax
  mov dword [dword 0x00000700], 0x11111111
  mov dword [dword 0x00100700], 0x22222222
  in al, 0x92
  and al, 0xfd
  out 0x92, al                      ; A20 off: 0x100700 aliases 0x700
  mov eax, [dword 0x00100700]
  call rhex
  in al, 0x92
  or al, 2
  out 0x92, al                      ; A20 on
  mov eax, [dword 0x00100700]
  call rhex
  mov eax, [dword 0x00000700]
  call rhex
  call rnl
  mov si, RV(m_done)
  call rputs
  ret

rint60:
  push bp
  mov bp, sp
  mov si, RV(m_int60)
  call rputs
  mov ax, [bp + 2]                  ; IP
  call rhex16
  mov ax, [bp + 4]                  ; CS
  call rhex16
  mov ax, [bp + 6]                  ; FLAGS
  and ax, 0x0200
  call rhex16
  call rnl
  pop bp
  iret

%macro REXC 1
rexc%1:
  push ax
  mov al, %1
  jmp rexc_common
%endmacro
REXC 0
REXC 6
REXC 12
REXC 13

; Real-mode exceptions push FLAGS, CS, IP (no error code).
rexc_common:
  push bp
  mov bp, sp                        ; bp+2: saved ax, bp+4: IP, bp+6: CS
  push si
  push ds
  push ax
  xor si, si
  mov ds, si
  mov si, RV(m_exc)
  call rputs
  pop ax
  push ax
  movzx eax, al
  call rhex16
  mov ax, [bp + 4]
  call rhex16
  call rnl
  mov ax, [R_RESUME]
  test ax, ax
  jz .fatal
  mov [bp + 4], ax
  mov word [R_RESUME], 0
  pop ax
  pop ds
  pop si
  pop bp
  pop ax
  iret
.fatal:
  mov si, RV(m_fatal)
  call rputs
  cli
  hlt

%include "lib/rputs.inc"
; rhex: eax as 8 hex digits and a space; rhex16: ax as 4 digits and a space
rhex:
  push cx
  mov cx, 8
  jmp rhex_common
rhex16:
  push cx
  shl eax, 16
  mov cx, 4
rhex_common:
  push eax
  push dx
  mov dx, 0xe9
.l:
  rol eax, 4
  push eax
  and al, 0xf
  add al, '0'
  cmp al, '9'
  jbe .o
  add al, 'a' - '0' - 10
.o:
  out dx, al
  pop eax
  loop .l
  mov al, ' '
  out dx, al
  pop dx
  pop eax
  pop cx
  ret
rnl:
  push ax
  push dx
  mov dx, 0xe9
  mov al, 10
  out dx, al
  pop dx
  pop ax
  ret

m_start: db "real mode", 10, 0
m_int60: db "int60: ip cs if= ", 0
m_exc: db "REXC ", 0
m_fatal: db "FATAL: unexpected real-mode exception", 10, 0
m_done: db "real mode done", 10, 0
BITS 32

test_main:
  ret

callgate0_body:
callgate2_body:
  retf

%include "lib/tail.inc"

; Virtual-8086 mode (SDM Vol. 3A 20.2-20.3): entering it with IRET, real-mode addressing, the
; interrupt frame from V86 (segment registers pushed, data segments nulled in the handler),
; IOPL-sensitive instructions at IOPL 3 and at IOPL 0 (#GP(0) to the monitor), and I/O checked
; against the TSS permission bitmap whatever the IOPL.
%include "lib/rom.inc"

%define TSSV      0x00004000        ; a TSS with an I/O permission bitmap
%define TSSV_SEL  TSS2_SEL
%define V86_DS    0x2000
%define V86_SS    0x3000
%define V(x)      ((x) - ROM_BASE)  ; a ROM label as an offset in segment F000
%include "lib/v86.inc"

test_main:
  ; TSSV: ring-0 stack, I/O bitmap at 0x68 allowing port 0xE9 only.
  V86_TSS 0x68
  ; vector 0x42: DPL 3 interrupt gate for INT 0x42 from V86 at IOPL 3
  mov ecx, 0x42
  mov eax, v86_int_handler
  mov edx, KCODE
  mov ebx, 0xee00
  call set_gate
  mov dword [0x20000], 0x11223344   ; V86 data at 2000:0000

  PUTS "v86 at IOPL 3", 10
  mov eax, V(v86_iopl3)
  mov ebx, 0x00023002               ; VM, IOPL 3
  call run_v86
  PUTS "v86 at IOPL 0", 10
  mov dword [exc_hook], v86_monitor
  mov eax, V(v86_iopl0)
  mov ebx, 0x00020002               ; VM, IOPL 0
  call run_v86
  mov dword [exc_hook], 0
  SHOW "v86 wrote", [0x20010]
  NL
  ret

; A minimal V86 monitor for #GP from V86 code: INT 0x81 ends the V86 run; other faulting
; instructions are skipped (one byte, or two for INT n / IN / OUT with an immediate port).
v86_monitor:
  V86_GP_OPCODE
  cmp bl, 0xcd
  jne .notInt
  cmp byte [eax + 1], 0x81
  je user_return
  jmp .two
.notInt:
  cmp bl, 0xe4
  je .two
  cmp bl, 0xe6
  je .two
  SHOW "monitor: skip opcode", ebx
  NL
  inc dword [ebp + F_EIP]
  mov eax, 1
  ret
.two:
  SHOW "monitor: skip opcode", ebx
  NL
  add dword [ebp + F_EIP], 2
  mov eax, 1
  ret
.no:
  xor eax, eax
  ret

v86_int_handler:
  push ebp
  mov ebp, esp                      ; ebp + 4: IP CS EFLAGS SP SS ES DS FS GS
  mov eax, ds
  push eax
  mov ax, KDATA
  mov ds, ax
  mov es, ax
  pop eax
  SHOW "int42: ds in handler", eax
  SHOW "ip", [ebp + 4]
  SHOW "cs", [ebp + 8]
  mov eax, [ebp + 12]
  and eax, 0x23200                  ; VM IOPL IF
  SHOW "eflags", eax
  SHOW "sp", [ebp + 16]
  SHOW "ss", [ebp + 20]
  SHOW "es", [ebp + 24]
  SHOW "ds", [ebp + 28]
  SHOW "fs", [ebp + 32]
  SHOW "gs", [ebp + 36]
  NL
  pop ebp
  iretd

BITS 16
v86_iopl3:
  mov ax, [0]                       ; DS = 2000: linear 0x20000
  mov [4], ax
  cli
  sti
  cli
  pushf
  pop bx
  int 0x42
  mov si, V(msg_v86)
  call rputs                        ; port 0xE9 is allowed by the bitmap
  int 0x81

v86_iopl0:
  mov word [0x10], 0x7777
  mov si, V(msg_v86)
  call rputs                        ; the bitmap allows 0xE9 even at IOPL 0
  in al, 0x80                       ; #GP(0): port 0x80 denied by the bitmap
  cli                               ; #GP(0): IOPL 0
  pushf                             ; #GP(0)
  int 0x42                          ; #GP(0): INT n at IOPL < 3
  mov ax, ss
  mov [0x12], ax
  int 0x81                          ; #GP(0): the monitor ends the run

%include "lib/rputs.inc"

msg_v86: db "v86: hello through port 0xE9", 10, 0
BITS 32

callgate0_body:
callgate2_body:
  retf

%include "lib/tail.inc"

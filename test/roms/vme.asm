; Virtual-8086 mode extensions (CR4.VME, SDM Vol. 3A 20.3): at IOPL 0, CLI/STI/PUSHF/POPF work on
; VIF instead of faulting; INT n is redirected to the V86 IVT when its bit in the TSS redirection
; bitmap is clear, and raises #GP(0) to the monitor when it is set; IRET in V86 restores VIF;
; STI with VIP set raises #GP(0).
;
; Reference: Bochs. QEMU 7.2's default i386 model runs this ROM as if CR4.VME had no effect
; (every CLI/STI/PUSHF/INT faults to the monitor).
%include "lib/rom.inc"

%define TSSV      0x00004000        ; TSS: redirection bitmap at 0x68, I/O bitmap at 0x88
%define TSSV_SEL  TSS2_SEL
%define V86_DS    0x2000            ; results at 2000:0000 = 0x20000
%define V86_SS    0x3000
%define V(x)      ((x) - ROM_BASE)
%include "lib/v86.inc"

test_main:
  V86_TSS 0x88                                             ; I/O bitmap: port 0xE9 allowed
  mov edi, TSSV + 0x68                                     ; redirection bitmap: all set...
  mov eax, 0xffffffff
  mov ecx, 32 / 4
  rep stosd
  and byte [TSSV + 0x68 + 0x30 / 8], ~(1 << (0x30 & 7))    ; ...except INT 0x30: redirected
  ; V86 IVT entry for INT 0x30 -> F000:v86_int30
  mov word [0x30 * 4], V(v86_int30)
  mov word [0x30 * 4 + 2], 0xf000
  mov edi, 0x20000
  xor eax, eax
  mov ecx, 16
  rep stosd
  mov eax, cr4
  or eax, 1                         ; VME
  mov cr4, eax
  mov dword [exc_hook], v86_monitor
  mov eax, V(v86_main)
  mov ebx, 0x00020202               ; VM, IF (VIF starts clear), IOPL 0
  call run_v86
  mov dword [exc_hook], 0
  ; Results stored by the V86 code.
  movzx eax, word [0x20000]
  SHOW "pushf after cli", eax
  movzx eax, word [0x20002]
  SHOW "pushf after sti", eax
  movzx eax, word [0x20004]
  SHOW "pushf in int30 handler", eax
  movzx eax, word [0x20006]
  SHOW "pushf after popf", eax
  movzx eax, word [0x20008]
  SHOW "int30 ran", eax
  NL
  mov eax, cr4
  and eax, ~1
  mov cr4, eax
  ret

; #GP from V86: INT 0x81 ends the run; other instructions are logged and skipped (2 bytes for
; INT n, 1 otherwise). Also shows the EFLAGS image's VIF/VIP.
v86_monitor:
  V86_GP_OPCODE
  mov ecx, [ebp + F_EFL]
  and ecx, 0x180200                 ; VIP VIF IF
  SHOW "monitor: opcode", ebx
  SHOW "vip/vif/if", ecx
  NL
  cmp bl, 0xcd
  jne .one
  cmp byte [eax + 1], 0x81
  je user_return
  add dword [ebp + F_EIP], 2
  mov eax, 1
  ret
.one:
  inc dword [ebp + F_EIP]
  and dword [ebp + F_EFL], ~0x100000  ; clear VIP so the skipped STI can be retried cleanly
  mov eax, 1
  ret
.no:
  xor eax, eax
  ret

BITS 16
v86_main:
  cli                               ; VIF = 0, no fault
  pushf
  pop word [0]
  sti                               ; VIF = 1
  pushf
  pop word [2]
  int 0x30                          ; redirected through the V86 IVT
  int 0x31                          ; bit set: #GP(0) to the monitor
  push word 0x0000                  ; IF = 0 in the popped image
  popf                              ; VIF = 0
  pushf
  pop word [6]
  sti
  int 0x81                          ; #GP(0): the monitor ends the run

v86_int30:
  pushf
  pop word [4]                      ; VIF cleared on entry, like IF through the IVT
  mov word [8], 1
  iret

BITS 32
callgate0_body:
callgate2_body:
  retf

%include "lib/tail.inc"

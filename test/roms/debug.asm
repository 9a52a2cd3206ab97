; Debug exceptions (SDM Vol. 3A chapter 17): single-step traps (TF) including the POPF that
; clears TF and the MOV SS shadow, ICEBP, instruction breakpoints (faults, resumed with RF),
; data write and read/write breakpoints (traps, after the access), general detect (DR7.GD),
; and the DR6 bits each one reports.
;
; Reference: Bochs. QEMU 7.2 (qemu32 model) raises #UD for ICEBP (F1) instead of a #DB trap.
%include "lib/rom.inc"

%define step_count scratch + 0
%define DATA1 0x00200000

test_main:
  mov dword [exc_hook], db_hook
  ; ---- single-step ----
  pushfd
  or dword [esp], 0x100
  popfd                             ; TF takes effect after this instruction
  mov eax, 1                        ; #DB after
  mov ebx, 2                        ; #DB after
  pushfd
  and dword [esp], ~0x100
  popfd                             ; clears TF: still traps after itself
  mov ecx, 3                        ; no trap
  ; MOV SS blocks debug traps for one instruction (SDM Vol. 3A 6.8.3)
  pushfd
  or dword [esp], 0x100
  popfd
  mov ax, ss
  mov ss, ax                        ; no trap after MOV SS...
  mov edx, 4                        ; ...the trap comes after this one
  pushfd
  and dword [esp], ~0x100
  popfd
  NL
  ; ---- ICEBP ----
  db 0xf1
  ; ---- instruction breakpoint: DR0 on bp_insn, a fault; the handler sets RF to resume ----
  mov eax, bp_insn
  mov dr0, eax
  mov eax, 0x00000001 | 0x00000000  ; L0, R/W0 = 00 (execute), LEN0 = 00
  mov dr7, eax
  call bp_target
  ; ---- data write breakpoint: DR1 on DATA1, 4 bytes, write only: a trap ----
  mov eax, DATA1
  mov dr1, eax
  mov eax, 0x00000004 | (0x1 << 20) | (0x3 << 22)   ; L1, R/W1 = 01, LEN1 = 11
  mov dr7, eax
  mov ebx, [DATA1]                  ; a read: no break
  mov dword [DATA1 + 2], 5          ; overlaps the range: break after the write
  mov ecx, 6
  ; ---- data read/write breakpoint: DR2 on DATA1 + 8, 1 byte ----
  mov eax, DATA1 + 8
  mov dr2, eax
  mov eax, 0x00000010 | (0x3 << 24) | (0x0 << 26)   ; L2, R/W2 = 11, LEN2 = 00
  mov dr7, eax
  mov al, [DATA1 + 8]               ; break after the read
  mov al, [DATA1 + 9]               ; outside: no break
  ; ---- general detect: a MOV to a debug register with DR7.GD set faults ----
  mov eax, 0x00002000               ; GD
  mov dr7, eax
  mov eax, 0
  mov dr7, eax                      ; #DB fault (GD is cleared on entry; the retry succeeds)
  mov eax, dr7
  SHOW "dr7 after gd", eax
  NL
  mov dword [exc_hook], 0
  ret

bp_target:
  nop
bp_insn:
  mov esi, 0x77                     ; the breakpoint fires before this executes
  ret

; #DB: print DR6 (B0-B3, BD, BS), clear it; for instruction breakpoints set RF to resume.
db_hook:
  cmp dword [ebp + F_VEC], 1
  jne .no
  mov eax, dr6
  and eax, 0x600f
  SHOW "dr6", eax
  SHOW "eax", [ebp + 28]
  NL
  mov eax, dr6
  test eax, 0xf
  jz .clear
  or dword [ebp + F_EFL], 0x10000   ; RF: the faulting instruction can complete (SDM 17.3.1.1)
.clear:
  xor eax, eax
  mov dr6, eax
  mov eax, 1
  ret
.no:
  xor eax, eax
  ret

callgate0_body:
callgate2_body:
  retf

%include "lib/tail.inc"

; SYSENTER/SYSEXIT (SDM Vol. 2B): the flat selectors derived from IA32_SYSENTER_CS (CS, CS+8,
; CS+16|3, CS+24|3), ESP/EIP from the MSRs, IF and VM cleared on entry, EDX/ECX giving the
; return EIP/ESP on exit, #GP(0) for SYSENTER with IA32_SYSENTER_CS = 0 and for SYSEXIT outside
; ring 0 (from ring 3).
%include "lib/rom.inc"

%define SYSENTER_STACK 0x00090000

test_main:
  xor edx, edx
  mov ecx, 0x174
  mov eax, KCODE
  wrmsr
  mov ecx, 0x175
  mov eax, SYSENTER_STACK
  wrmsr
  mov ecx, 0x176
  mov eax, sysenter_entry
  wrmsr
  mov eax, user_main
  call run_user
  ; IA32_SYSENTER_CS = 0: #GP(0) from ring 3
  xor edx, edx
  mov ecx, 0x174
  xor eax, eax
  wrmsr
  USER_FAULT sysenter
  USER_FAULT sysexit
  ret

sysenter_entry:
  mov eax, cs
  SHOW "sysenter: cs", eax
  mov eax, ss
  SHOW "ss", eax
  mov eax, esp
  SHOW "esp", eax
  pushfd
  pop eax
  and eax, 0x20200
  SHOW "IF|VM", eax
  SHOW "user ecx", ecx
  SHOW "edx", edx
  NL
  ; return to the address and stack the user passed in EDX and ECX (IF stays 0: no PIC setup)
  sysexit

user_main:
  mov ecx, esp
  mov edx, .back
  sysenter
.back:
  mov eax, cs
  USHOW "user: cs", eax
  mov eax, ss
  USHOW "ss", eax
  mov eax, esp
  USHOW "esp", eax
  pushfd
  pop eax
  and eax, 0x200
  USHOW "IF", eax
  UPUTS 10
  int 0x81

callgate0_body:
callgate2_body:
  retf

%include "lib/tail.inc"

; Exception and interrupt delivery in protected mode (SDM Vol. 3A chapter 6): interrupt vs trap
; gates and IF, fault vs trap EIPs (#DE #BR #UD fault, #BP #OF trap), IDT entries that are not
; present or not gates (#NP/#GP with the IDT bit), gates to a not-present code segment (#NP with
; the EXT bit when a hardware exception is being delivered), #DF from a contributory exception
; during delivery, #NM for CR0.TS/EM, #MF for an unmasked x87 exception, #XM for an unmasked SSE
; exception, and #AC in ring 3.
;
; Reference: Bochs. QEMU 7.2's TCG departs from the SDM four times here: it leaves the EXT bit
; clear in #NP raised while delivering #UD (Vol. 3A 6.13), pops the x87 stack on an unmasked
; zero divide (Vol. 1 8.5.3: TOP and the operands stay unchanged), raises no #XM for an unmasked
; SSE exception (Vol. 3A 6.15, vector 19), and performs no alignment check (#AC).
%include "lib/rom.inc"

%define CODE_NP   0x98              ; code segment, not present (added below)

test_main:
  ; Mask every PIC input, so IF=1 is safe without a PIC setup (OCW1 on both chips).
  mov al, 0xff
  out 0x21, al
  out 0xa1, al
  ; GDT: add a not-present code segment and reload the GDTR with the larger limit.
  mov dword [GDT_BASE + CODE_NP], 0x0000ffff
  mov dword [GDT_BASE + CODE_NP + 4], 0x00cf1a00
  mov word [scratch], CODE_NP + 7
  mov dword [scratch + 2], GDT_BASE
  lgdt [scratch]

  ; ---- interrupt gate clears IF, trap gate keeps it ----
  mov ecx, 0x50
  mov eax, show_if
  mov edx, KCODE
  mov ebx, 0x8e00                   ; interrupt gate
  call set_gate
  mov ecx, 0x51
  mov ebx, 0x8f00                   ; trap gate
  call set_gate
  sti
  int 0x50
  int 0x51
  cli
  int 0x51
  NL

  ; ---- faults and traps ----
  xor ecx, ecx
  mov eax, 5
  EXPECT_FAULT .e1
  div ecx                           ; #DE: EIP of the DIV
.e1:
  mov eax, 0x80000000
  mov ecx, -1
  cdq
  EXPECT_FAULT .e2
  idiv ecx                          ; #DE: quotient overflow
.e2:
  mov dword [scratch + 16], 10
  mov dword [scratch + 20], 20
  mov eax, 30
  EXPECT_FAULT .e3
  bound eax, [scratch + 16]         ; #BR: fault
.e3:
  mov dword [resume_eip], 0
  mov dword [exc_hook], trap_hook
  int3                              ; #BP: trap, EIP after
  mov al, 0x7f
  add al, 1                         ; OF=1
  into                              ; #OF: trap, EIP after
  mov dword [exc_hook], 0

  ; ---- IDT entries: not present, wrong type, gate to a not-present segment ----
  EXPECT_FAULT .i1
  int 0x60                          ; zero entry: type 0 is no gate -> #GP(0x60*8+2)
.i1:
  mov dword [IDT_BASE + 0x61 * 8], 0x00080000
  mov dword [IDT_BASE + 0x61 * 8 + 4], 0x00009200   ; present, type 2 (LDT): not a gate
  EXPECT_FAULT .i2
  int 0x61                          ; #GP(0x61*8+2)
.i2:
  mov ecx, 0x62
  mov eax, show_if
  mov edx, CODE_NP
  mov ebx, 0x8e00
  call set_gate
  EXPECT_FAULT .i3
  int 0x62                          ; #NP(CODE_NP): software interrupt, EXT=0
.i3:
  mov ecx, 6                        ; #UD delivered through a gate to CODE_NP: #NP(CODE_NP|EXT)
  mov eax, [exc_stub_table + 6 * 4]
  mov edx, CODE_NP
  mov ebx, 0x8e00
  call set_gate
  EXPECT_FAULT .i4
  ud2
.i4:
  call build_idt

  ; ---- #DF: #GP while the #GP gate itself is not present (contributory + contributory) ----
  mov dword [exc_hook], df_hook
  and byte [IDT_BASE + 13 * 8 + 5], 0x7f
  mov ax, 0x1234
  mov ds, ax                        ; #GP(0x1230) -> #NP(13*8+2|EXT) -> #DF(0)
df_resume:
  mov ax, KDATA
  mov ds, ax
  mov dword [exc_hook], 0
  call build_idt

  ; ---- #NM ----
  mov eax, cr0
  or eax, 8                         ; TS
  mov cr0, eax
  EXPECT_FAULT .n1
  fld1                              ; #NM
.n1:
  clts
  mov eax, cr0
  or eax, 4                         ; EM
  mov cr0, eax
  EXPECT_FAULT .n2
  fld1                              ; #NM
.n2:
  and eax, ~4
  or eax, 0x22                      ; MP NE
  mov cr0, eax
  fninit
  ; ---- #MF: unmasked zero divide, reported at the next waiting x87 instruction ----
  mov word [scratch + 24], 0x037b   ; ZM unmasked
  fldcw [scratch + 24]
  fld1
  fldz
  fdivp st1, st0                    ; sets ZE and ES: no exception yet
  fnstsw ax
  movzx eax, ax
  SHOW "fsw", eax
  NL
  EXPECT_FAULT .m1
  fwait                             ; #MF
.m1:
  fnstsw ax
  movzx eax, ax
  SHOW "fsw after #MF", eax
  NL
  fninit
  ; ---- #XM: unmasked SSE divide by zero with CR4.OSXMMEXCPT ----
  mov eax, cr4
  or eax, 0x600
  mov cr4, eax
  mov dword [scratch + 32], 0x1d80  ; MXCSR: ZM unmasked
  ldmxcsr [scratch + 32]
  mov dword [scratch + 36], 0x3f800000
  mov dword [scratch + 40], 0
  movss xmm0, [scratch + 36]
  EXPECT_FAULT .x1
  divss xmm0, [scratch + 40]        ; #XM
.x1:
  stmxcsr [scratch + 32]
  SHOW "mxcsr", [scratch + 32]
  NL
  mov dword [scratch + 32], 0x1f80
  ldmxcsr [scratch + 32]

  ; ---- #AC in ring 3 (CR0.AM=1, EFLAGS.AC=1) ----
  mov eax, cr0
  or eax, 0x40000
  mov cr0, eax
  pushfd
  or dword [esp], 0x40000
  popfd
  EXPECT_FAULT user_ac.done
  mov eax, user_ac
  call run_user
  pushfd
  and dword [esp], ~0x40000
  popfd
  ret

show_if:
  mov eax, [esp + 8]
  and eax, 0x200
  SHOW "pushed IF", eax
  pushfd
  pop eax
  and eax, 0x200
  SHOW "IF in handler", eax
  iretd

; #BP and #OF are traps: log, then return to the instruction after.
trap_hook:
  mov eax, 1
  ret

df_hook:
  cmp dword [ebp + F_VEC], 8
  jne .no
  HOOK_RESUME_AT df_resume
.no:
  xor eax, eax
  ret

user_ac:
  mov eax, [USTACK_TOP - 0x101]     ; misaligned: #AC(0)
.done:
  int 0x81

callgate0_body:
callgate2_body:
  retf

%include "lib/tail.inc"

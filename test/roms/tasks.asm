; Hardware task switching (SDM Vol. 3A 7.3): JMP and CALL to a TSS, IRET with NT back to the
; caller, a task gate in the IDT (INT n) and an exception (#UD) handled by a task, busy bits and
; the back link, the state saved in the outgoing TSS, CR0.TS, the LDT loaded from the TSS, and
; #GP for a switch to a busy task.
%include "lib/rom.inc"

%define TSS_LINK 0x00
%define TSS_EIP 0x20
%define TSS_EFL 0x24
%define TSS_EAX 0x28
%define TSS_ESP 0x38
%define TSS_LDT 0x60

test_main:
  mov edi, TSS1
  mov eax, task1_entry
  mov ebx, 0x00070000
  call init_tss
  mov word [TSS1 + TSS_LDT], LDT_SEL
  mov edi, TSS2
  mov eax, task2_entry
  mov ebx, 0x00068000
  call init_tss
  ; An LDT with one data descriptor (selector 0x04 | TI): base 0x30000, limit 0xfff.
  mov dword [LDT_BASE], 0x0000_0fff
  mov dword [LDT_BASE + 4], 0x0040_9203

  ; ---- JMP to a TSS: no link, NT clear, the old task not busy ----
  mov eax, 0x11111111
  mov ecx, 0x22222222
  clts
  jmp TSS1_SEL:0
back_from_jmp:
  PUTS "kernel: back after jmp", 10
  call show_busy
  SHOW "saved eip", [TSS0 + TSS_EIP]
  SHOW "saved eax", [TSS0 + TSS_EAX]
  mov eax, cr0
  and eax, 8
  SHOW "cr0.ts", eax
  NL

  ; ---- CALL to a TSS: link = TSS0, NT set; IRET returns ----
  clts
  call TSS1_SEL:0
  PUTS "kernel: back after call", 10
  call show_busy
  SHOW "tss1 link", [TSS1 + TSS_LINK]
  pushfd
  pop eax
  and eax, 0x4000
  SHOW "NT", eax
  NL

  ; ---- switching to a busy task: #GP(selector) ----
  EXPECT_FAULT .b1
  jmp TSS0_SEL:0
.b1:
  EXPECT_FAULT .b2
  call TSS0_SEL:0
.b2:

  ; ---- task gate in the GDT ----
  call TASKGATE1:0
  PUTS "kernel: back from the task gate", 10

  ; ---- IDT task gate for #UD: task 2 skips the UD2 by editing TSS0.EIP ----
  mov dword [IDT_BASE + 6 * 8], TSS2_SEL << 16
  mov dword [IDT_BASE + 6 * 8 + 4], 0x8500
  ud2
  PUTS "kernel: resumed after #UD handled by task 2", 10
  ud2
  PUTS "kernel: and again", 10
  call show_busy
  NL
  call build_idt
  clts
  ret

show_busy:
  mov eax, [GDT_BASE + TSS0_SEL + 4]
  shr eax, 8
  and eax, 0xf
  SHOW "tss0 type", eax
  mov eax, [GDT_BASE + TSS1_SEL + 4]
  shr eax, 8
  and eax, 0xf
  SHOW "tss1 type", eax
  mov eax, [GDT_BASE + TSS2_SEL + 4]
  shr eax, 8
  and eax, 0xf
  SHOW "tss2 type", eax
  ret

; init_tss: edi = TSS, eax = EIP, ebx = ESP; flat ring-0 segments, EFLAGS = 2
init_tss:
  push eax
  push ecx
  push edi
  xor eax, eax
  mov ecx, 0x68 / 4
  rep stosd
  pop edi
  pop ecx
  pop eax
  mov [edi + TSS_EIP], eax
  mov [edi + TSS_ESP], ebx
  mov dword [edi + TSS_EFL], 2
  mov dword [edi + 0x48], KDATA
  mov dword [edi + 0x4c], KCODE
  mov dword [edi + 0x50], KDATA
  mov dword [edi + 0x54], KDATA
  mov dword [edi + 0x58], KDATA
  mov dword [edi + 0x5c], KDATA
  mov word [edi + 0x66], 0x68
  ret

; ---- task 1: entered by JMP (first), by CALL (second), through the task gate (third) ----
task1_entry:
  PUTS "task1: first entry "
  call task_report
  jmp TSS0_SEL:0                    ; back to the kernel (resumes at back_from_jmp)
  PUTS "task1: second entry "
  call task_report
  iretd                             ; NT=1: return to the caller task
  PUTS "task1: third entry "
  call task_report
  iretd
  PUTS "task1: unexpected entry", 10
  jmp finish

task_report:
  str eax
  SHOW "tr", eax
  sldt eax
  SHOW "ldtr", eax
  pushfd
  pop eax
  and eax, 0x4000
  SHOW "NT", eax
  mov eax, cr0
  and eax, 8
  SHOW "ts", eax
  SHOW "link", [TSS1 + TSS_LINK]
  mov ax, 0x04
  mov es, ax                        ; the LDT's data segment
  mov dword [es:0], 0x5a5a5a5a
  SHOW "ldt seg", [0x30000]
  mov ax, KDATA
  mov es, ax
  NL
  call show_busy
  NL
  ret

; ---- task 2: the #UD handler task ----
task2_entry:
  SHOW "task2: #UD at", [TSS0 + TSS_EIP]
  SHOW "link", [TSS2 + TSS_LINK]
  NL
  add dword [TSS0 + TSS_EIP], 2     ; skip the UD2 in the interrupted task
  iretd
  jmp task2_entry

callgate0_body:
callgate2_body:
  retf

%include "lib/tail.inc"

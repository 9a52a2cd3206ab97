; End-to-end acceptance ROM: protected mode, paging on, a ring-3 program that makes system calls
; through an INT 0x80 trap gate and a call gate, takes a page fault on a page that is not
; mapped yet (the kernel maps it and the instruction is restarted), has a write to a read-only
; page refused, and returns to the kernel through an exit system call; then the same as a
; hardware task: a ring-3 task (its own TSS, entered by a task switch) makes system calls, takes
; and survives a demand-paging fault on its own ring-0 stack, and switches back to the kernel
; task. Run by test/cpu/system-diff/roms.test.ts under QEMU and `lab86 run --bios`.
%include "lib/rom.inc"
%include "lib/paging.inc"

%define USER_HEAP    0x00400000   ; first page of page table 1: not present until touched
%define HEAP_FRAME   0x00300000   ; physical page the kernel gives it
%define saved_esp    scratch + 0
%define pf_count     scratch + 4
%define programs_done scratch + 8
%define TASK_STACK0   0x00094000    ; TSS1.ESP0: the task's ring-0 stack
%define TASK_STACK3   0x0007f800    ; the task's ring-3 stack (a user page)

test_main:
  mov [saved_esp], esp
  call setup_paging
  mov eax, cr0
  SHOW "cr0", eax
  NL
  ; INT 0x80: 32-bit trap gate, DPL 3 (SDM Vol. 3A 6.11), so ring 3 may invoke it.
  mov ecx, 0x80
  mov eax, syscall_entry
  mov edx, KCODE
  mov ebx, 0xef00
  call set_gate
  mov dword [exc_hook], page_fault_hook
  PUTS "kernel: entering ring 3", 10
  ENTER_RING3 user_main

; Back from ring 3 (exit system call or a killed program), on the kernel stack.
kernel_resume:
  mov esp, [saved_esp]
  mov ax, KDATA
  mov ds, ax
  mov es, ax
  inc dword [programs_done]
  cmp dword [programs_done], 1
  jne .second_done
  mov eax, [PAGE_TAB1]
  SHOW "kernel: heap pte flags", eax
  NL
  SHOW "page faults", [pf_count]
  NL
  mov eax, [HEAP_FRAME]
  SHOW "heap word 0", eax
  NL
  PUTS "kernel: starting a second program", 10
  ENTER_RING3 user_bad
.second_done:
  SHOW "programs", [programs_done]
  NL
  ; ---- a ring-3 hardware task ----
  mov edi, TSS1
  xor eax, eax
  mov ecx, 0x68 / 4
  rep stosd
  mov dword [TSS1 + 0x04], TASK_STACK0
  mov dword [TSS1 + 0x08], KDATA
  mov eax, cr3
  mov [TSS1 + 0x1c], eax
  mov [TSS0 + 0x1c], eax            ; CR3 is loaded (not saved) by a switch back to TSS0
  mov dword [TSS1 + 0x20], user_task
  mov dword [TSS1 + 0x24], 0x2      ; EFLAGS: IF=0, IOPL 0
  mov dword [TSS1 + 0x38], TASK_STACK3
  mov dword [TSS1 + 0x48], UDATA    ; ES
  mov dword [TSS1 + 0x4c], UCODE    ; CS: the task starts at CPL 3
  mov dword [TSS1 + 0x50], UDATA    ; SS
  mov dword [TSS1 + 0x54], UDATA    ; DS
  mov dword [TSS1 + 0x58], UDATA
  mov dword [TSS1 + 0x5c], UDATA
  mov word [TSS1 + 0x66], 0x68
  PUTS "kernel: switching to the ring-3 task", 10
  jmp TSS1_SEL:0
  ; The task's exit system call switches back here.
  mov ax, KDATA
  mov ds, ax
  mov es, ax
  str eax
  SHOW "kernel: back in task", eax
  mov eax, [GDT_BASE + TSS1_SEL + 4]
  shr eax, 8
  and eax, 0xf
  SHOW "task tss type", eax
  SHOW "task saved cs", [TSS1 + 0x4c]
  NL
  SHOW "page faults", [pf_count]
  NL
  mov dword [exc_hook], 0
  ret

; ---- the system call handler: eax = 1 print string at ebx, 2 print ebx in hex, 3 exit ----
syscall_entry:
  pushad
  mov ebp, esp                      ; ebp + 32: EIP CS EFLAGS ESP SS of ring 3
  mov ax, KDATA
  mov ds, ax
  mov es, ax
  mov eax, [ebp + 28]
  cmp eax, 1
  jne .n1
  mov esi, [ebp + 16]
  call puts
  jmp .ret
.n1:
  cmp eax, 2
  jne .n2
  mov eax, [ebp + 16]
  call puthex
  NL
  jmp .ret
.n2:
  cmp eax, 4
  jne .n4
  ; exit for the task: switch back to the kernel task (its saved state resumes after its JMP)
  str eax
  SHOW "kernel: task exit from tr", eax
  SHOW "cs", [ebp + 36]
  SHOW "esp0 frame at", ebp
  NL
  jmp TSS0_SEL:0
.n4:
  cmp eax, 3
  jne .bad
  ; The trap frame shows where we came from: CS and SS of ring 3.
  SHOW "kernel: exit from cs", [ebp + 36]
  SHOW "ss", [ebp + 48]
  SHOW "esp", [ebp + 44]
  NL
  jmp kernel_resume
.bad:
  PUTS "kernel: bad system call", 10
.ret:
  mov ax, UDATA
  mov ds, ax
  mov es, ax
  popad
  iretd

; ---- call gate 0: returns eax * 2 + 1 and reports the caller's CS from the far-call frame ----
callgate0_body:
  push ebp
  mov ebp, esp
  SHOW "kernel: call gate from cs", [ebp + 8]
  SHOW "user esp", [ebp + 12]
  NL
  lea eax, [eax * 2 + 1]
  pop ebp
  retf
callgate2_body:
  retf 8

; ---- page faults: map the user heap on demand; refuse writes to read-only pages ----
page_fault_hook:
  cmp dword [ebp + F_VEC], 14
  jne .no
  mov eax, cr2
  and eax, 0xfffff000
  sub eax, USER_HEAP
  cmp eax, 0x2000                   ; the first two heap pages are mapped on demand
  jae .protection
  test dword [ebp + F_ERR], 1
  jnz .protection
  inc dword [pf_count]
  shr eax, 12
  mov ecx, eax
  shl eax, 12
  add eax, HEAP_FRAME | PTE_P | PTE_W | PTE_U
  mov [PAGE_TAB1 + ecx * 4], eax
  mov eax, cr2
  invlpg [eax]
  PUTS "kernel: mapped the heap page", 10
  mov eax, 1                        ; resume: the faulting instruction runs again
  ret
.protection:
  PUTS "kernel: protection fault, program killed", 10
  HOOK_RESUME_AT kernel_resume
.no:
  xor eax, eax
  ret

; ======================================================================================
; Ring 3
; ======================================================================================
user_main:
  mov eax, 1
  mov ebx, msg_hello
  int 0x80
  mov ax, cs
  movzx ebx, ax
  mov eax, 2
  int 0x80                          ; prints CS (RPL 3)
  mov eax, 20
  call CGATE0:0                     ; call gate: eax = 41
  mov ebx, eax
  mov eax, 2
  int 0x80
  ; First touch of the heap: #PF (user write, not present), mapped, restarted.
  mov dword [USER_HEAP], 0x12345678
  add dword [USER_HEAP], 0x11111111
  mov ebx, [USER_HEAP]
  mov eax, 2
  int 0x80
  pushfd
  pop ebx
  and ebx, 0x3000                   ; IOPL as seen in ring 3
  mov eax, 2
  int 0x80
  mov eax, 1
  mov ebx, msg_exit
  int 0x80
  mov eax, 3
  int 0x80
  PUTS "unreachable", 10

; The ring-3 task: system calls, a call gate, and a demand-paged heap page of its own.
user_task:
  mov eax, 1
  mov ebx, msg_task
  int 0x80
  mov eax, 5
  call CGATE0:0
  mov ebx, eax
  mov eax, 2
  int 0x80
  mov dword [USER_HEAP + 0x1000], 0xabcdef01   ; page 2 of the heap: not present yet
  mov ebx, [USER_HEAP + 0x1000]
  mov eax, 2
  int 0x80
  mov eax, 4
  int 0x80
  PUTS "unreachable", 10

msg_task: db "task: hello from a ring-3 task", 10, 0

; The second program writes to its own code page (user read-only): #PF with P=1 W=1 U=1.
user_bad:
  mov eax, 1
  mov ebx, msg_bad
  int 0x80
  mov dword [user_bad], 0
  PUTS "unreachable", 10

msg_bad: db "user: writing to a read-only page", 10, 0
msg_hello: db "user: hello from ring 3", 10, 0
msg_exit: db "user: exit", 10, 0

%include "lib/tail.inc"

; Accepting a hardware interrupt (SDM Vol. 3A 6.8.3, 6.6): the interrupt shadow after STI (the
; IRQ is taken after the following instruction), STI; HLT waking on the pending IRQ, no shadow
; after POPF or IRET that set IF, and IF cleared through the interrupt gate. The IRQ comes from
; the 8254 timer through the 8259 PIC; each test waits (IF=0) until the PIC holds IRQ 0 pending,
; so what is logged does not depend on timing.
;
; Reference: Bochs. QEMU 7.2 (TCG, no icount) takes the pending IRQ right at the STI, with no
; shadow, and then does not get through the STI; HLT test.
%include "lib/rom.inc"

%define seen_eax scratch + 0
%define seen_ebx scratch + 4
%define seen_eip scratch + 8
%define seen_if  scratch + 12
%define irq_count scratch + 16

test_main:
  ; 8259 pair: vectors 0x20-0x2f, everything masked except IRQ 0.
  call init_pics
  mov al, 0xfe
  out 0x21, al
  mov ecx, 0x20
  mov eax, irq0_handler
  mov edx, KCODE
  mov ebx, 0x8e00
  call set_gate

  ; ---- STI shadow: the IRQ is taken after the instruction that follows STI ----
  call arm_and_wait
  xor eax, eax
  xor ebx, ebx
  sti
  mov eax, 1
  mov ebx, 2
  cli
  call report
  ; ---- STI; HLT: the CPU halts, the pending IRQ wakes it, IRET returns after the HLT ----
  call arm_and_wait
  sti
  hlt
.after_hlt:
  cli
  SHOW "hlt resumed at label", [seen_eip]
  mov eax, .after_hlt
  SHOW "expected", eax
  NL
  ; ---- POPF setting IF: no shadow ----
  call arm_and_wait
  xor eax, eax
  xor ebx, ebx
  pushfd
  or dword [esp], 0x200
  popfd
  mov eax, 3
  mov ebx, 4
  cli
  call report
  ; ---- IRET setting IF: no shadow ----
  call arm_and_wait
  xor eax, eax
  xor ebx, ebx
  pushfd
  or dword [esp], 0x200
  push dword KCODE
  push dword .after_iret
  iretd
.after_iret:
  mov eax, 5
  mov ebx, 6
  cli
  call report
  SHOW "irqs", [irq_count]
  NL
  ret

; Program 8254 channel 0 for a one-shot count (mode 0), then wait with IF=0 until the PIC's IRR
; shows IRQ 0 (OCW3: read IRR).
arm_and_wait:
  mov al, 0x30
  out 0x43, al
  mov al, 0x40
  out 0x40, al
  mov al, 0x00
  out 0x40, al
.wait:
  mov al, 0x0a
  out 0x20, al
  in al, 0x20
  test al, 1
  jz .wait
  ret

report:
  SHOW "irq saw eax", [seen_eax]
  SHOW "ebx", [seen_ebx]
  SHOW "IF in handler", [seen_if]
  NL
  ret

irq0_handler:
  mov [seen_eax], eax
  mov [seen_ebx], ebx
  push eax
  mov eax, [esp + 4]
  mov [seen_eip], eax
  pushfd
  pop eax
  and eax, 0x200
  mov [seen_if], eax
  inc dword [irq_count]
  mov al, 0x20
  out 0x20, al                      ; EOI
  pop eax
  iretd

callgate0_body:
callgate2_body:
  retf

%include "lib/pic.inc"
%include "lib/tail.inc"

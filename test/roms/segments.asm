; Segment register loads in protected mode (SDM Vol. 3A 5.4-5.6, Vol. 2 MOV/POP/LDS): every GDT
; and LDT selector loaded into DS and SS, with the exception and error code each one raises
; (#GP(sel) for system and execute-only descriptors or the wrong privilege, #NP(sel) / #SS(sel)
; for not-present ones, #GP(0) for a null SS), null loads into data registers, and LAR/LSL of
; every selector.
%include "lib/rom.inc"

%define LAST_SEL 0xb8

test_main:
  ; Two more GDT entries: execute-only code (0xa0) and a 16-bit data segment, DPL 0 (0xa8).
  mov dword [GDT_BASE + 0xa0], 0x0000ffff
  mov dword [GDT_BASE + 0xa4], 0x00cf9800
  mov dword [GDT_BASE + 0xa8], 0x0000ffff
  mov dword [GDT_BASE + 0xac], 0x00009200
  mov dword [GDT_BASE + 0xb0], 0        ; a zero descriptor
  mov dword [GDT_BASE + 0xb4], 0
  mov word [scratch], LAST_SEL - 1
  mov dword [scratch + 2], GDT_BASE
  lgdt [scratch]
  ; LDT (LDT_SEL): entry 0 data DPL 0, entry 1 code DPL 0, entry 2 not present data.
  mov dword [LDT_BASE], 0x0000ffff
  mov dword [LDT_BASE + 4], 0x00cf9200
  mov dword [LDT_BASE + 8], 0x0000ffff
  mov dword [LDT_BASE + 12], 0x00cf9a00
  mov dword [LDT_BASE + 16], 0x0000ffff
  mov dword [LDT_BASE + 20], 0x00cf1200
  mov ax, LDT_SEL
  lldt ax

  ; ---- DS loads: every GDT selector with RPL 0 and 3, then LDT selectors ----
  PUTS "ds loads", 10
  xor ebx, ebx
.ds:
  call try_ds
  or ebx, 3
  call try_ds
  and ebx, ~3
  add ebx, 8
  cmp ebx, LAST_SEL + 8
  jb .ds
  mov ebx, 0x04
  call try_ds
  mov ebx, 0x0c
  call try_ds
  mov ebx, 0x14
  call try_ds
  mov ebx, 0x1c                     ; past the LDT limit? (limit 0x3f: index 3 is inside, zero)
  call try_ds
  mov ebx, 0x44                     ; past the LDT limit
  call try_ds
  ; ---- SS loads ----
  PUTS "ss loads", 10
  xor ebx, ebx
.ss:
  call try_ss
  add ebx, 8
  cmp ebx, LAST_SEL + 8
  jb .ss
  mov ebx, KDATA | 3
  call try_ss
  mov ebx, 0x04
  call try_ss
  mov ebx, 0x14
  call try_ss
  ; ---- LAR / LSL of every selector ----
  PUTS "lar lsl", 10
  xor ebx, ebx
.lar:
  SHOW "sel", ebx
  xor eax, eax
  lar eax, ebx
  setz cl
  and eax, 0x00f0ff00               ; bits 19:16 undefined (SDM Vol. 2A LAR)
  SHOW "lar", eax
  movzx ecx, cl
  SHOW "zf", ecx
  xor eax, eax
  lsl eax, ebx
  setz cl
  SHOW "lsl", eax
  movzx ecx, cl
  SHOW "zf", ecx
  NL
  add ebx, 8
  cmp ebx, LAST_SEL + 8
  jb .lar
  ret

; Load DS with bx; log the selector and whether it faulted (the handler logs the exception).
try_ds:
  SHOW "sel", ebx
  NL
  EXPECT_FAULT .f
  mov ds, bx
  mov dword [ss:resume_eip], 0      ; DS may be null now: use SS
.f:
  mov ax, KDATA
  mov ds, ax
  mov dword [resume_eip], 0
  ret

try_ss:
  SHOW "sel", ebx
  NL
  EXPECT_FAULT .f
  mov ss, bx
  mov ax, KDATA
  mov ss, ax
.f:
  mov dword [resume_eip], 0
  ret

callgate0_body:
callgate2_body:
  retf

%include "lib/tail.inc"

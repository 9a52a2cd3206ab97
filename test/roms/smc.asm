; Code in RAM: self-modifying code (a store to the next instruction takes effect, SDM Vol. 3A
; 11.6), code modified through a second linear mapping of the same page, and instruction fetches
; that cross into a not-present page (#PF with CR2 = the second page, EIP = the instruction's
; first byte). Fetches past the CS limit are in corners.asm (QEMU does not check them).
%include "lib/rom.inc"
%include "lib/paging.inc"

%define RAMCODE 0x00205000          ; code page (PT0 entry 0x205)
%define ALIAS   0x00402000          ; second mapping of RAMCODE (PT1 entry 2)

test_main:
  call setup_paging
  mov dword [PAGE_TAB1 + 2 * 4], RAMCODE | PTE_P | PTE_W
  invlpg [ALIAS]

  ; ---- a store that rewrites the immediate of the next instruction ----
  mov esi, smc1
  mov ecx, smc1_end - smc1
  mov edi, RAMCODE
  rep movsb
  call RAMCODE
  SHOW "smc next insn", eax
  ; ---- the same, through the alias mapping ----
  mov esi, smc2
  mov ecx, smc2_end - smc2
  mov edi, RAMCODE + 0x100
  rep movsb
  call RAMCODE + 0x100
  SHOW "smc via alias", eax
  ; ---- run, modify, run again (a translation cache would have to notice) ----
  mov esi, loop3
  mov ecx, loop3_end - loop3
  mov edi, RAMCODE + 0x200
  rep movsb
  call RAMCODE + 0x200
  SHOW "first", eax
  mov byte [RAMCODE + 0x200 + (loop3.imm - loop3)], 0x44
  call RAMCODE + 0x200
  SHOW "after patch", eax
  mov byte [ALIAS + 0x200 + (loop3.imm - loop3)], 0x55
  call RAMCODE + 0x200
  SHOW "after alias patch", eax
  NL

  ; ---- an instruction straddling into a not-present page ----
  mov dword [PAGE_TAB0 + 0x206 * 4], 0      ; 0x206000 not present
  invlpg [0x00206000]
  mov edi, RAMCODE + 0xffd
  mov byte [edi], 0xb8                      ; mov eax, imm32: 5 bytes, 2 of them on the next page
  mov byte [edi + 1], 0x11
  mov byte [edi + 2], 0x22
  EXPECT_FAULT .c1
  jmp edi
.c1:
  PUTS "fetch checks done", 10
  ret

; copied to RAMCODE: patches the immediate of the following MOV before it runs
smc1:
  mov byte [RAMCODE + (.imm - smc1)], 0x99
  mov eax, 0x11111111
.imm equ $ - 4
  ret
smc1_end:

smc2:
  mov byte [ALIAS + 0x100 + (.imm - smc2)], 0x77
  mov eax, 0x22222222
.imm equ $ - 4
  ret
smc2_end:

loop3:
  mov eax, 0x33333333
.imm equ $ - 4
  ret
loop3_end:

callgate0_body:
callgate2_body:
  retf

%include "lib/tail.inc"

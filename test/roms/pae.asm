; PAE paging (SDM Vol. 3A 4.4): PDPTEs, 2 MiB pages and 4 KiB pages with 64-bit entries,
; accessed/dirty bits, reserved-bit page faults (error code RSVD), execute-disable with
; EFER.NXE (error code I/D), and CR2.
;
; Reference: Bochs. QEMU 7.2 reports a reserved-bit page fault with P=0 (error code 8 or 0xA);
; the SDM (Vol. 3A 4.7) says RSVD can be set only together with P.
%include "lib/rom.inc"

%define PDPT      0x00013000
%define PD0       0x00014000
%define PT1       0x00015000        ; 4 KiB pages for 2-4 MiB
%define P_P  1
%define P_W  2
%define P_PS 0x80

%macro SETQ 3 ; address, low dword, high dword
  mov dword [%1], %2
  mov dword [%1 + 4], %3
%endmacro
%macro PTE_LOW 1
  mov eax, [%1]
  and eax, 0xfff
  SHOW "low", eax
%endmacro

test_main:
  mov edi, PDPT
  xor eax, eax
  mov ecx, (PT1 + 0x1000 - PDPT) / 4
  rep stosd
  SETQ PDPT, PD0 | P_P, 0
  SETQ PD0, 0x00000000 | P_PS | P_W | P_P, 0                 ; 0-2 MiB
  SETQ PD0 + 8, PT1 | P_W | P_P, 0                           ; 2-4 MiB: 4 KiB pages
  SETQ PD0 + 16, 0x00400000 | P_PS | P_W | P_P, 0            ; 4-6 MiB
  SETQ PD0 + 24, 0x00400000 | P_PS | P_W | P_P, 0            ; 6-8 MiB: alias of 4-6 MiB
  xor ecx, ecx
.pt:
  mov eax, ecx
  shl eax, 12
  add eax, 0x00200000 | P_W | P_P
  mov [PT1 + ecx * 8], eax
  mov dword [PT1 + ecx * 8 + 4], 0
  inc ecx
  cmp ecx, 512
  jb .pt
  mov eax, cr4
  or eax, 0x20                      ; PAE
  mov cr4, eax
  mov eax, PDPT
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80010000
  mov cr0, eax
  jmp .on
.on:
  PUTS "pae on", 10

  ; ---- 2 MiB pages, alias, A/D ----
  mov dword [0x00400010], 0xabcd1234
  SHOW "alias", [0x00600010]
  mov eax, [PD0 + 16]
  and eax, 0xfff
  SHOW "pde2", eax
  mov eax, [PD0 + 24]
  and eax, 0xfff
  SHOW "pde3", eax
  mov dword [0x00600020], 1
  mov eax, [PD0 + 24]
  and eax, 0xfff
  SHOW "pde3 after write", eax
  NL
  ; ---- 4 KiB pages: A/D in the 64-bit PTE ----
  mov eax, [0x00201000]
  PTE_LOW PT1 + 8
  mov dword [0x00201000], eax
  PTE_LOW PT1 + 8
  NL

  ; ---- bit 63 with EFER.NXE=0: a reserved bit ----
  mov dword [PT1 + 2 * 8 + 4], 0x80000000
  invlpg [0x00202000]
  EXPECT_FAULT .r1
  mov eax, [0x00202000]             ; #PF err = P | RSVD
.r1:
  ; reserved bit 62
  mov dword [PT1 + 2 * 8 + 4], 0x40000000
  invlpg [0x00202000]
  EXPECT_FAULT .r2
  mov dword [0x00202000], 0         ; #PF err = P | W | RSVD
.r2:
  ; ---- execute-disable ----
  mov ecx, 0xc0000080               ; EFER
  rdmsr
  or eax, 0x800                     ; NXE
  wrmsr
  mov dword [PT1 + 2 * 8 + 4], 0x80000000
  invlpg [0x00202000]
  mov byte [0x00202000], 0xc3       ; ret (data writes to an XD page are fine)
  SHOW "xd page readable", [0x00202000]
  NL
  EXPECT_FAULT .x1
  call 0x00202000                   ; #PF err = P | I/D (on the fetch: the CALL has pushed)
.x1:
  add esp, 4
  mov dword [PT1 + 2 * 8 + 4], 0
  invlpg [0x00202000]
  call 0x00202000                   ; now executable
  PUTS "executed after clearing XD", 10
  ; Not present with XD: err = I/D only.
  mov dword [PT1 + 3 * 8], 0
  mov dword [PT1 + 3 * 8 + 4], 0x80000000
  invlpg [0x00203000]
  EXPECT_FAULT .x2
  call 0x00203000
.x2:
  add esp, 4
  ret

callgate0_body:
callgate2_body:
  retf

%include "lib/tail.inc"

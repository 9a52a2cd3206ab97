; Paging: accessed and dirty bits in PDEs and PTEs, #PF error codes and CR2 for every
; combination of present / write / user, CR0.WP, 4 MiB pages (CR4.PSE), INVLPG, and the partial
; progress of a REP MOVS that faults on its second page (SDM Vol. 3A 4.7, 4.8, 4.10.4; Vol. 2B
; REP: the registers reflect the iterations done).
%include "lib/rom.inc"
%include "lib/paging.inc"

%define TPAGE    0x00200000     ; test page (PT0 entry 0x200)
%define TPTE     PAGE_TAB0 + (TPAGE >> 12) * 4
%define NPPAGE   0x00201000     ; made not present
%define NPPTE    PAGE_TAB0 + (NPPAGE >> 12) * 4

%macro SET_PTE 2 ; pte address, value ; then INVLPG the page it maps
  mov dword [%1], %2
  invlpg [((%1 - PAGE_TAB0) / 4) << 12]
%endmacro
%macro PTE_FLAGS 1 ; print the low 12 bits of a PTE
  mov eax, [%1]
  and eax, 0xfff
  SHOW "pte", eax
%endmacro

test_main:
  call setup_paging
  ; ---- accessed / dirty ----
  SET_PTE TPTE, TPAGE | PTE_P | PTE_W
  and dword [PAGE_DIR], ~PTE_A
  mov eax, cr3
  mov cr3, eax
  PTE_FLAGS TPTE
  mov eax, [TPAGE]
  PTE_FLAGS TPTE
  mov eax, [PAGE_DIR]
  and eax, 0xfff
  SHOW "pde", eax
  mov dword [TPAGE], 0x1234
  PTE_FLAGS TPTE
  NL
  ; A write through a TLB entry filled by a read must still set D (SDM Vol. 3A 4.8).
  SET_PTE TPTE, TPAGE | PTE_P | PTE_W
  mov eax, [TPAGE + 4]
  mov dword [TPAGE + 8], eax
  PTE_FLAGS TPTE
  NL

  ; ---- supervisor faults ----
  SET_PTE NPPTE, NPPAGE | PTE_W             ; not present
  EXPECT_FAULT .s1
  mov eax, [NPPAGE + 0x10]                  ; err 0
.s1:
  EXPECT_FAULT .s2
  mov dword [NPPAGE + 0x20], 1              ; err 2
.s2:
  SET_PTE TPTE, TPAGE | PTE_P               ; read-only
  EXPECT_FAULT .s3
  mov dword [TPAGE + 0x30], 1               ; err 3 with CR0.WP=1
.s3:
  mov eax, cr0
  and eax, ~0x10000
  mov cr0, eax
  mov dword [TPAGE + 0x30], 2               ; WP=0: supervisor writes ignore R/W
  mov eax, cr0
  or eax, 0x10000
  mov cr0, eax
  SHOW "wp0 write", [TPAGE + 0x30]
  NL
  ; PDE not present: page table 1's PDE cleared.
  mov eax, [PAGE_DIR + 4]
  push eax
  mov dword [PAGE_DIR + 4], 0
  mov eax, cr3
  mov cr3, eax
  EXPECT_FAULT .s4
  mov eax, [0x00400ff0]
.s4:
  pop eax
  mov [PAGE_DIR + 4], eax
  mov eax, cr3
  mov cr3, eax
  ; PDE read-only, PTE writable: the combination is read-only (SDM Vol. 3A 4.6). Uses PDE 1
  ; (4-8 MiB), so the kernel's own stack stays writable.
  mov dword [PAGE_TAB1 + 2 * 4], 0x00202000 | PTE_P | PTE_W
  and dword [PAGE_DIR + 4], ~PTE_W
  mov eax, cr3
  mov cr3, eax
  mov eax, [0x00402000]                     ; reading is fine
  EXPECT_FAULT .s5
  mov dword [0x00402040], 1                 ; err 3
.s5:
  or dword [PAGE_DIR + 4], PTE_W
  mov eax, cr3
  mov cr3, eax
  mov dword [0x00402040], 1                 ; now allowed
  mov eax, [PAGE_TAB1 + 2 * 4]
  and eax, 0xfff
  SHOW "pt1 pte", eax
  NL
  mov dword [PAGE_TAB1 + 2 * 4], 0
  invlpg [0x00402000]
  ; Instruction fetch from a not-present page: a jump there faults with EIP = the target.
  SET_PTE NPPTE, NPPAGE | PTE_W
  EXPECT_FAULT .s6
  mov eax, NPPAGE + 0x100
  jmp eax
.s6:

  ; ---- user faults ----
  SET_PTE TPTE, TPAGE | PTE_P | PTE_W       ; supervisor page
  EXPECT_FAULT user_read_super.u1           ; the fault resumes in ring 3
  mov eax, user_read_super
  call run_user
  SET_PTE TPTE, TPAGE | PTE_P | PTE_U       ; user read-only
  EXPECT_FAULT user_write_ro.u2
  mov eax, user_write_ro
  call run_user
  SET_PTE NPPTE, NPPAGE | PTE_U | PTE_W     ; user, not present
  EXPECT_FAULT user_read_np.u3
  mov eax, user_read_np
  call run_user

  ; ---- 4 MiB page: PDE 2 (8-12 MiB) maps physical 4-8 MiB ----
  mov eax, cr4
  or eax, 0x10                              ; PSE
  mov cr4, eax
  mov dword [PAGE_DIR + 8], 0x00400000 | 0x80 | PTE_P | PTE_W
  mov dword [0x00800000 + 0x1234], 0xcafe
  mov eax, [PAGE_DIR + 8]
  and eax, 0xfff
  SHOW "4M pde", eax                        ; accessed and dirty set in the PDE itself
  mov dword [PAGE_DIR + 4], 0x00400000 | 0x80 | PTE_P | PTE_W  ; PDE 1 too: identity 4-8 MiB
  mov eax, cr3
  mov cr3, eax
  SHOW "phys", [0x00401234]
  NL
  mov dword [PAGE_DIR + 8], 0
  mov dword [PAGE_DIR + 4], PAGE_TAB1 | PTE_P | PTE_W | PTE_U
  mov eax, cr3
  mov cr3, eax

  ; ---- INVLPG makes a changed mapping visible ----
  mov dword [0x00203000], 0xaaaa
  mov dword [0x00204000], 0xbbbb
  mov eax, [0x00203000]
  mov dword [PAGE_TAB0 + 0x203 * 4], 0x00204000 | PTE_P | PTE_W
  invlpg [0x00203000]
  SHOW "remapped", [0x00203000]
  NL
  mov dword [PAGE_TAB0 + 0x203 * 4], 0x00203000 | PTE_P | PTE_W
  invlpg [0x00203000]

  ; ---- REP MOVSB faulting on its second page ----
  SET_PTE TPTE, TPAGE | PTE_P | PTE_W
  SET_PTE NPPTE, NPPAGE | PTE_W             ; 0x201000 not present
  mov esi, 0x00100000
  mov edi, NPPAGE - 6
  mov ecx, 16
  cld
  EXPECT_FAULT .r1
  rep movsb
.r1:
  SHOW "ecx", ecx
  SHOW "esi", esi
  SHOW "edi", edi
  NL
  ret

user_read_super:
  mov eax, [TPAGE]                          ; err 5
.u1:
  int 0x81
user_write_ro:
  mov eax, [TPAGE]                          ; allowed
  mov dword [TPAGE], 1                      ; err 7
.u2:
  int 0x81
user_read_np:
  mov eax, [NPPAGE]                         ; err 4
.u3:
  int 0x81

callgate0_body:
callgate2_body:
  retf

%include "lib/tail.inc"

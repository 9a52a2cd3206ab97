; Protected-mode corners where QEMU's TCG departs from the SDM, so this ROM's reference is Bochs
; (see test/cpu/system-diff/roms.test.ts):
;  - the accessed bit of a descriptor is set whenever a selector is loaded (SDM Vol. 3A 3.4.5,
;    "A" flag); QEMU does not set it when IRET or a far transfer loads CS;
;  - a memory reference through a null selector raises #GP(0) (SDM Vol. 3A 5.4.1); QEMU does not
;    check, for a segment register nulled by a return to an outer ring;
;  - segment limit checks (SDM Vol. 3A 5.3): beyond the limit of a byte-granular data segment,
;    inside the invalid range of an expand-down segment, and past the stack limit (#SS);
;  - code fetch limit checks: an instruction cut by the CS limit, and a far jump past it (#GP(0)).
%include "lib/rom.inc"

test_main:
  ; Accessed bits: clear them in the GDT copy, load, read back with LAR (bit 8).
  and byte [GDT_BASE + (UCODE & ~3) + 5], ~1
  and byte [GDT_BASE + (UDATA & ~3) + 5], ~1
  and byte [GDT_BASE + DATA_4K + 5], ~1
  and byte [GDT_BASE + CONFORM + 5], ~1
  mov ax, DATA_4K
  mov es, ax                                ; MOV ES sets A
  mov ax, KDATA
  mov es, ax
  call CONFORM:.conf                        ; far call sets A of the conforming segment
  mov ax, KDATA
  mov fs, ax
  EXPECT_FAULT user_main.null
  mov eax, user_main                        ; IRET to ring 3 sets A of UCODE and UDATA
  call run_user
  mov ebx, UCODE
  call show_access
  mov ebx, UDATA
  call show_access
  mov ebx, DATA_4K
  call show_access
  mov ebx, CONFORM
  call show_access
  NL
  ; Limit checks.
  mov ax, DATA_4K
  mov es, ax
  mov eax, [es:0xffc]                       ; last dword: fine
  EXPECT_FAULT .l1
  mov eax, [es:0xffd]                       ; crosses the limit: #GP(0)
.l1:
  EXPECT_FAULT .l2
  mov byte [es:0x1000], 1                   ; #GP(0)
.l2:
  mov ax, DATA_ED
  mov es, ax                                ; expand-down, limit 0xfff, B=0: valid 0x1000..0xffff
  mov eax, [es:0x1000]
  mov eax, [es:0xfffc]
  EXPECT_FAULT .l3
  mov eax, [es:0xffe]                       ; below the limit+1: #GP(0)
.l3:
  EXPECT_FAULT .l4
  mov eax, [es:0xfffe]                      ; beyond 0xffff (B=0): #GP(0)
.l4:
  mov ax, KDATA
  mov es, ax
  ; Stack limit: SS = DATA_4K (base 0x20000, limit 0xfff); a push below 0 wraps past the limit.
  mov ebx, esp
  mov ax, DATA_4K
  mov ss, ax
  mov esp, 0x800
  push eax                                  ; fine
  EXPECT_FAULT .l5
  mov eax, [ss:0x1000]                      ; #SS(0)
.l5:
  mov ax, KDATA
  mov ss, ax
  mov esp, ebx
  PUTS "limits done", 10
  ; Code segment 0x98: base 0x20000, byte limit 0xfff. At 0x20ffd: MOV EAX, imm32 (5 bytes).
  mov byte [0x20ffd], 0xb8
  mov dword [GDT_BASE + 0x98], 0x00000fff
  mov dword [GDT_BASE + 0x9c], 0x00409a02
  mov word [scratch], 0x9f
  mov dword [scratch + 2], GDT_BASE
  lgdt [scratch]
  EXPECT_FAULT_KCODE .c1
  jmp 0x98:0xffd                    ; the instruction crosses the limit: #GP(0) at CS:0xffd
.c1:
  EXPECT_FAULT .c2
  jmp 0x98:0x1000                   ; target past the limit: #GP(0) at the jump
.c2:
  PUTS "fetch limits done", 10
  ret
.conf:
  retf

; Print the access byte of the descriptor for bx (LAR bits 15:8).
show_access:
  lar eax, ebx
  shr eax, 8
  and eax, 0xff
  SHOW "access", eax
  ret

user_main:
  mov eax, fs
  USHOW "user fs", eax
  UPUTS 10
  mov eax, [fs:0]                           ; FS was nulled by the IRET to ring 3: #GP(0)
.null:
  int 0x81

callgate0_body:
callgate2_body:
  retf

%include "lib/tail.inc"

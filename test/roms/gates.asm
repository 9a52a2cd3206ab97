; Privilege transitions (SDM Vol. 3A 5.8, 6.12): ring 3 entered by IRET, call gates with and
; without parameter copying (stack switch through TSS0), conforming code, INT n against a DPL 0
; gate, privileged instructions and I/O in ring 3 (#GP(0)), data-segment checks on MOV Sreg,
; segment registers nulled on a return to an outer ring (the #GP on using one is in
; corners.asm), LAR/LSL/VERR/VERW from ring 3.
%include "lib/rom.inc"

%define saved scratch + 0

test_main:
  ; vector 0x40: DPL 0 interrupt gate; 0x41: DPL 3 interrupt gate (returns CPL and IF image)
  mov ecx, 0x40
  mov eax, int40_handler
  mov edx, KCODE
  mov ebx, 0x8e00
  call set_gate
  mov ecx, 0x41
  mov eax, int41_handler
  mov ebx, 0xee00
  call set_gate
  mov ax, KDATA
  mov fs, ax                                ; DPL 0: nulled when ring 3 is entered
  mov ax, UDATA
  mov gs, ax                                ; DPL 3: kept
  mov eax, user_main
  call run_user
  PUTS "kernel: back in ring 0", 10
  ; Faults in ring 3, one per run.
  USER_FAULT int 0x40                       ; DPL 0 gate: #GP(0x40 * 8 + 2)
  USER_FAULT cli                            ; IOPL 0: #GP(0)
  USER_FAULT in al, 0x80                    ; no I/O permission: #GP(0)
  USER_FAULT hlt                            ; #GP(0)
  USER_FAULT mov eax, cr0                   ; #GP(0)
  USER_FAULT mov ds, [sel_kdata]            ; DPL 0 < CPL 3: #GP(0x10)
  USER_FAULT mov es, [sel_kdata_ro_rpl3]    ; DPL 0 < RPL 3: #GP(0x80)
  USER_FAULT mov es, [sel_np_rpl3]          ; DPL check before presence: #GP(0x60)
  USER_FAULT mov ss, [sel_kdata]            ; #GP(0x10)
  USER_FAULT call CGATE0 & ~3 | 0:0         ; RPL 0 selector of a DPL 3 gate: allowed
  USER_FAULT call KCODE:0                   ; direct call to a DPL 0 non-conforming segment: #GP(0x08)
  USER_FAULT jmp TSS0_SEL:0                 ; TSS with DPL 0 from ring 3: #GP(0x28)
  USER_FAULT lgdt [0]                       ; #GP(0)
  USER_FAULT int3                           ; vector 3 gate is DPL 0 here: #GP(0x1a)
  ; Kernel-side checks of the gate descriptors' effect: the far call from ring 0 through a DPL 3
  ; call gate to ring 0 stays at ring 0 (no stack switch).
  mov ebx, esp
  mov eax, 7
  call CGATE0:0
  SHOW "ring-0 gate call eax", eax
  sub ebx, esp
  SHOW "esp delta", ebx
  NL
  ret

callgate0_body:
  ; Report CPL (CS.RPL), SS and whether the stack was switched (outer ESP/SS on the stack).
  mov eax, cs
  SHOW "gate0: cs", eax
  mov eax, ss
  SHOW "ss", eax
  mov eax, [esp + 4]
  SHOW "caller cs", eax
  test eax, 3
  jz .same
  SHOW "caller esp", [esp + 8]
  SHOW "caller ss", [esp + 12]
.same:
  NL
  mov eax, 0x1234
  retf

callgate2_body:
  ; Two dword parameters copied from the caller's stack (SDM Vol. 3A 5.8.5).
  push ebp
  mov ebp, esp
  SHOW "gate2: p1", [ebp + 12]
  SHOW "p0", [ebp + 16]
  SHOW "caller esp", [ebp + 20]
  mov eax, esp
  SHOW "ring0 esp", eax
  NL
  pop ebp
  retf 8

int40_handler:
  PUTS "int40 handler (must not run from ring 3)", 10
  iretd
int41_handler:
  SHOW "int41: caller cs", [esp + 4]
  mov eax, [esp + 8]
  and eax, 0x3200                           ; IF and IOPL in the pushed EFLAGS image
  SHOW "eflags bits", eax
  pushfd
  pop eax
  and eax, 0x200
  SHOW "IF in handler", eax
  NL
  iretd

sel_kdata: dw KDATA
sel_kdata_ro_rpl3: dw KDATA_RO | 3
sel_np_rpl3: dw DATA_NP | 3

conforming_target:
  mov eax, cs
  USHOW "conforming: cs", eax
  UPUTS 10
  retf

; ======================================================================================
user_main:
  mov eax, cs
  USHOW "user: cs", eax
  mov eax, ss
  USHOW "ss", eax
  mov eax, fs
  USHOW "fs", eax
  mov eax, gs
  USHOW "gs", eax
  UPUTS 10
  ; call gate without parameters: to ring 0 with a stack switch
  call CGATE0:0
  USHOW "user: gate0 returned", eax
  mov eax, esp
  USHOW "esp", eax
  UPUTS 10
  ; call gate with two parameters
  push dword 0x11111111
  push dword 0x22222222
  call CGATE2:0
  mov eax, esp
  USHOW "user: after gate2 esp", eax
  UPUTS 10
  ; conforming code segment: CPL stays 3
  call CONFORM:conforming_target
  ; INT 0x41 (DPL 3 gate)
  int 0x41
  ; LAR / LSL / VERR / VERW from ring 3
  mov bx, UCODE
  call probe
  mov bx, KCODE
  call probe
  mov bx, UDATA
  call probe
  mov bx, TSS0_SEL
  call probe
  mov bx, CGATE0
  call probe
  mov bx, 0x1000
  call probe
  int 0x81

; probe bx: print LAR (with ZF) and LSL (with ZF), VERR and VERW ZF
probe:
  USHOW "sel", ebx
  xor eax, eax
  lar eax, bx
  setz cl
  ; Bits 19:16 of the LAR result are undefined (SDM Vol. 2A LAR: mask 00FxFF00H); the accessed
  ; bit is checked in corners.asm (QEMU TCG does not set it when IRET loads CS).
  and eax, 0x00f0fe00
  USHOW "lar", eax
  movzx ecx, cl
  USHOW "zf", ecx
  xor eax, eax
  lsl eax, bx
  setz cl
  USHOW "lsl", eax
  movzx ecx, cl
  USHOW "zf", ecx
  verr bx
  setz cl
  movzx ecx, cl
  USHOW "verr", ecx
  verw bx
  setz cl
  movzx ecx, cl
  USHOW "verw", ecx
  UPUTS 10
  ret

%include "lib/tail.inc"

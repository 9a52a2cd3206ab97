; System Management Mode on the i440FX/PIIX4 PC (SDM Vol. 3C chapter 34 "System Management
; Mode"; 82371AB PIIX4 datasheet: APMC and the DEVACTB register of function 3; 82441FX datasheet
; 3.2.21 SMRAM):
; - firmware setup: APMC_EN (PIIX4 function 00:01.3, config dword 58h bit 25) so that a write to
;   the APM control port B2h raises SMI#, and the i440FX SMRAM register (00:00.0, 72h) = 4Ah
;   (D_OPEN | G_SMRAME | C_BASE_SEG = A0000h);
; - SMIs from real mode, from 32-bit protected mode with paging (distinctive GPRs, EFLAGS, CR0,
;   segments, LDTR, TR, CR4, DR6/DR7), from the HALT state, from ring 3 and from virtual-8086
;   mode, the last three raised by the 8259's INTR reaching the local APIC's LINT0 programmed in
;   SMI delivery mode (SDM Vol. 3A 10.5.1) while the program waits. The HLT runs with IF=1 (LINT0
;   is not in ExtINT mode: INTR is no interrupt) because `lab86 run` ends at HLT with IF=0;
; - an SMI raised in SMM (the handler writes APMC): held, and taken right after RSM;
; - the handler at SMBASE + 8000H records the SMM environment (SDM table 34-4 "Processor Register
;   Initialization in SMM": CR0, CR4, DR7, EFLAGS, the segment selectors, EIP through CALL/POP),
;   copies the state save map (SMBASE + FE00H..FFFFH) to normal RAM, and then, as asked:
;   relocates SMBASE (34.11), changes the saved EAX (RSM reloads the map), clears the auto HALT
;   restart flag (34.10) and executes RSM; a changed saved EIP moves the spinning ring-3 and V86
;   programs on;
; - after each RSM the ROM prints the map's architectural fields (SDM table 34-3 "SMRAM State Save
;   Map", processors without Intel 64) and the registers the interrupted program sees again.
;   The segment caches, GDTR/IDTR and CR4 are read at QEMU's offsets in the map's reserved area,
;   which lab86 uses on purpose (SeaBIOS reads them).
; - the relocated SMBASE (A0000h) takes effect at the next SMI, whose handler runs in SMRAM that
;   the ROM has closed (D_OPEN clear): only the CPU in SMM sees it.
;
; What is not compared: the GPRs and DR6 inside the handler (undefined in table 34-4), bits 15:1
; of the auto HALT restart field (reserved), the I/O restart field when the revision identifier
; does not announce I/O instruction restart (bit 16 clear: the field is then not defined), and
; segment cache attributes of real-mode segments (the SDM leaves them to the implementation).
;
; Reference: QEMU, run with -icount (so that the SMI an OUT to APMC raises is taken right after the
; OUT, not at the end of QEMU's translation block) and a VGA (which owns A0000h outside SMM).
; QEMU 7.2 departs from the SDM in three places; roms.test.ts replaces these texts of QEMU's log
; with the SDM's values before comparing (qemuDepartures):
; - it never writes the auto HALT restart field (34.10: bit 0 records whether the SMI came in
;   HLT). The ROM pre-fills the field of the next SMI's map, bit 0 set before SMIs 1, 2, 4 and
;   5, clear before SMI 3 (the one in HLT), so that not writing it shows;
; - its saved CS cache lacks the accessed bit, and its TR cache the busy bit that LTR sets.
; Bochs cannot stand in: the Debian build saves the Intel 64 map (revision 00020064h).

%define REAL_MODE_TESTS
%define V86_DS        0                   ; the V86 program's segments (run_v86, lib/v86.inc)
%define V86_SS        0x7000
%include "lib/rom.inc"
%include "lib/paging.inc"
%include "lib/v86.inc"

%define RV(x) ((x) - ROM_BASE)

; ---- this ROM's RAM ----
%define SMM_DATA      0x00004000
%define SMI_COUNT     SMM_DATA + 0x00     ; incremented by the handler
%define REQ_EAX       SMM_DATA + 0x04     ; nonzero: the handler writes it to the saved EAX
%define REQ_SMBASE    SMM_DATA + 0x08     ; nonzero: the handler relocates SMBASE there
%define REQ_EIP       SMM_DATA + 0x10     ; nonzero: the handler writes it to the saved EIP
%define REQ_APM       SMM_DATA + 0x14     ; nonzero: the handler writes APMC (a new SMI), once
%define ENV           SMM_DATA + 0x40     ; the SMM environment, as the handler saw it
%define ENV_CS        ENV + 0x00
%define ENV_DS        ENV + 0x04
%define ENV_ES        ENV + 0x08
%define ENV_SS        ENV + 0x0c
%define ENV_FS        ENV + 0x10
%define ENV_GS        ENV + 0x14
%define ENV_EFLAGS    ENV + 0x18
%define ENV_CR0       ENV + 0x1c
%define ENV_CR4       ENV + 0x20
%define ENV_DR7       ENV + 0x24
%define ENV_IP        ENV + 0x28
%define ENV_MARKER    ENV + 0x2c          ; the dword at SMRAM_MARKER, read in SMM
%define ENV_SIZE      0x30
%define SNAP_MAP      SMM_DATA + 0x200    ; copy of SMBASE + FE00H..FFFFH
%define MAPF(off)     (SNAP_MAP + (off) - 0x7e00)   ; a map field by its SDM offset
%define AFTER         SMM_DATA + 0x400    ; registers right after RSM
%define RM_STACK      0x7000
%define saved_esp     scratch

%define NEW_SMBASE    0x000a0000
%define SMRAM_MARKER  0x000af000          ; in SMRAM: written while D_OPEN, read back in SMM
%define PREFILL_SET   0xa5a5a5a5          ; auto HALT restart bit 0 set, as left in the map
%define PREFILL_CLEAR 0xa5a4a5a4          ; ... and clear

%define APMC          0xb2
%define APM_CMD       0x5a                ; any command but F0h/F1h (which QEMU keeps for ACPI)
%define PM_DEVACTB    0x80000b58          ; CONFIG_ADDRESS of 00:01.3 register 58h
%define HB_SMRAM      0x80000070          ; CONFIG_ADDRESS of 00:00.0 dword 70h (SMRAM is byte 72h)
%define APIC_BASE     0xfee00000

%macro FIELD 2   ; name, SDM offset of a dword in the map
  SHOW %1, [MAPF(%2)]
%endmacro
%macro SHOWW 2   ; name, address of a word
  movzx eax, word [%2]
  SHOW %1, eax
%endmacro

; Right after RSM: the GPRs, EFLAGS, the selectors and CR0 to AFTER (through segment %1), in
; the order show_after prints them. Uses 4 bytes of stack; changes EAX after storing it.
%macro SAVE_AFTER 1
  mov [%1:AFTER + 0x00], eax
  mov [%1:AFTER + 0x04], ecx
  mov [%1:AFTER + 0x08], edx
  mov [%1:AFTER + 0x0c], ebx
  mov [%1:AFTER + 0x10], esp
  mov [%1:AFTER + 0x14], ebp
  mov [%1:AFTER + 0x18], esi
  mov [%1:AFTER + 0x1c], edi
  pushfd
  pop dword [%1:AFTER + 0x20]
  mov [%1:AFTER + 0x24], es
  mov [%1:AFTER + 0x28], cs
  mov [%1:AFTER + 0x2c], ss
  mov [%1:AFTER + 0x30], ds
  mov [%1:AFTER + 0x34], fs
  mov [%1:AFTER + 0x38], gs
  mov eax, cr0
  mov [%1:AFTER + 0x3c], eax
%endmacro

; In the handler: if the dword at %1 is nonzero, write it to the map field at SDM offset %2 and
; clear the request.
%macro MAP_REQUEST 2
  mov eax, [dword %1]
  test eax, eax
  jz %%none
  mov [cs:0x8000 + %2], eax
  mov dword [dword %1], 0
%%none:
%endmacro

; ======================================================================================
; The SMM handler: 16-bit code copied to SMBASE + 8000H (both 30000h and A0000h). CS is SMBASE
; >> 4, so the map is at CS:FE00H whatever SMBASE is; data outside SMRAM is reached through DS
; = 0 and 32-bit addresses (the segment limits are 4 GiB in SMM).
; ======================================================================================
BITS 16
smm_handler:
  ; The environment first, before anything changes it (MOV to memory keeps the flags).
  mov [dword ENV_CS], cs
  mov [dword ENV_DS], ds
  mov [dword ENV_ES], es
  mov [dword ENV_SS], ss
  mov [dword ENV_FS], fs
  mov [dword ENV_GS], gs
  mov ax, cs
  mov ss, ax
  mov esp, 0x8000                    ; a private stack below the entry point, inside SMRAM
  pushfd
  pop dword [dword ENV_EFLAGS]
  mov eax, cr0
  mov [dword ENV_CR0], eax
  mov eax, cr4
  mov [dword ENV_CR4], eax
  mov eax, dr7
  mov [dword ENV_DR7], eax
  call .here
.here:
  pop ax                             ; IP of .here: 8000H + its offset in the handler
  mov [dword ENV_IP], ax
  cld
  ; The state save map to normal RAM, where the ROM prints it after RSM.
  mov ax, cs
  mov ds, ax
  xor ax, ax
  mov es, ax
  mov esi, 0xfe00
  mov edi, SNAP_MAP
  mov ecx, 0x200 / 4
  a32 rep movsd
  xor ax, ax
  mov ds, ax
  mov eax, [dword SMRAM_MARKER]
  mov [dword ENV_MARKER], eax
  inc dword [dword SMI_COUNT]
  ; Requests from the ROM: new values for map fields, which RSM loads.
  MAP_REQUEST REQ_EAX, 0x7fd0        ; saved EAX
  MAP_REQUEST REQ_SMBASE, 0x7ef8     ; SMBASE (relocation, 34.11)
  MAP_REQUEST REQ_EIP, 0x7ff0        ; saved EIP
  cmp dword [dword REQ_APM], 0
  je .noApm
  mov dword [dword REQ_APM], 0
  mov al, APM_CMD
  out APMC, al                       ; an SMI# while in SMM: held until RSM
.noApm:
  ; Resume after a HLT rather than halting again (34.10: clear the flag).
  and word [cs:0x8000 + 0x7f02], 0xfffe
  rsm
smm_handler_end:

; ======================================================================================
; Real mode: chipset setup, handler install, the first SMI (which relocates SMBASE).
; ======================================================================================
real_main:
  ; APMC_EN in the PIIX4 power management function.
  mov eax, PM_DEVACTB
  mov dx, 0xcf8
  out dx, eax
  mov dx, 0xcfc
  in eax, dx
  or eax, 1 << 25
  out dx, eax
  ; SMRAM: D_OPEN | G_SMRAME | C_BASE_SEG, as firmware does to install its handler.
  mov eax, HB_SMRAM
  mov dx, 0xcf8
  out dx, eax
  mov dx, 0xcfe
  mov al, 0x4a
  out dx, al
  ; The handler at 30000h + 8000h and at A0000h + 8000h (DRAM while D_OPEN).
  mov ax, 0x3800
  call copy_handler
  mov ax, 0xa800
  call copy_handler
  xor ax, ax
  mov es, ax
  mov di, SMM_DATA
  xor eax, eax
  mov cx, 0x600 / 4
  rep stosd
  mov ax, 0xa000
  mov es, ax
  mov dword [es:SMRAM_MARKER - 0xa0000], 0x11111111
  xor ax, ax
  mov es, ax
  ; The first SMI's map: restart fields pre-filled with bit 0 set (the SMI is not in HLT).
  mov eax, 0x3000
  mov fs, ax
  mov dword [fs:0xff00], PREFILL_SET
  mov dword [REQ_SMBASE], NEW_SMBASE
  ; Distinctive real-mode state, then the SMI.
  mov ax, 0x1234
  mov es, ax
  mov ax, 0x2345
  mov fs, ax
  mov ax, 0x3456
  mov gs, ax
  mov ax, 0x0040
  mov ds, ax
  mov ebx, 0xb1b2b3b4
  mov ecx, 0xc1c2c3c4
  mov edx, 0xd1d2d3d4
  mov esi, 0x51525354
  mov edi, 0x71727374
  mov ebp, 0x81828384
  mov esp, 0x00006ffa
  push word 0x08d5                   ; OF SF ZF AF PF CF
  popf
  mov eax, 0xa1a2a300 | APM_CMD
  out APMC, al
rm_after_out:
  ; Everything as it was (stores through SS = 0, which the test did not change).
  SAVE_AFTER ss
  ; Back to the runtime's real-mode state.
  xor ax, ax
  mov ds, ax
  mov es, ax
  mov fs, ax
  mov gs, ax
  mov esp, RM_STACK - 2              ; the runtime's stack, minus real_main's return address
  ret

; copy_handler: copy smm_handler to AX:0000 (AX = (SMBASE + 8000H) >> 4).
copy_handler:
  push ds
  mov es, ax
  mov ax, 0xf000
  mov ds, ax
  mov si, RV(smm_handler)
  xor di, di
  mov cx, smm_handler_end - smm_handler
  rep movsb
  pop ds
  ret

; ======================================================================================
; Protected mode
; ======================================================================================
BITS 32
test_main:
  PUTS "real-mode SMI (SMBASE 30000h, relocating to A0000h)", 10
  call show_smi
  PUTS "after RSM: "
  call show_after
  mov eax, rm_after_out - ROM_BASE
  SHOW "expected eip", eax
  NL

  ; Close SMRAM: from now on only the CPU in SMM sees the handler at A8000h.
  mov al, 0x0a
  call set_smram
  in al, dx
  movzx eax, al
  SHOW "SMRAM register", eax
  mov eax, PM_DEVACTB
  mov dx, 0xcf8
  out dx, eax
  mov dx, 0xcfc
  in eax, dx
  and eax, 1 << 25
  SHOW "APMC_EN", eax
  ; Outside SMM, A0000h is the VGA window again, whatever it holds: not the handler.
  mov eax, [NEW_SMBASE + 0x8000]
  cmp eax, [smm_handler]
  setne al
  movzx eax, al
  SHOW "handler hidden", eax
  NL
  mov dword [SMRAM_MARKER], 0x22222222   ; goes to the VGA side, not to SMRAM

  call pm_paging_smi
  call hlt_smi
  call ring3_smi
  call v86_smi
  call latched_smi
  ret

; ---- an SMI in protected mode with paging, distinctive registers, REQ_EAX ----
pm_paging_smi:
  call setup_paging
  mov eax, PAGE_DIR
  mov cr3, eax
  mov eax, cr4
  or eax, 0x98                       ; PGE PSE DE
  mov cr4, eax
  mov eax, cr0
  or eax, 0x8004002e                 ; PG AM NE TS EM MP (SMM clears EM and TS, RSM restores them)
  mov cr0, eax
  mov ax, LDT_SEL
  lldt ax
  mov eax, 0x00300000
  mov dr0, eax
  mov eax, 0x00000742                ; G0 (an execute breakpoint nothing reaches), L3, LE GE
  mov dr7, eax
  mov eax, 0xffff0ff2                ; B1 set
  mov dr6, eax
  mov dword [REQ_EAX], 0x5eadbeef
  mov eax, PREFILL_SET
  call prefill_map
  mov [saved_esp], esp
  mov ax, UDATA_DPL0
  mov es, ax
  mov ax, DATA_4K
  mov fs, ax
  mov ax, UDATA
  mov gs, ax
  mov ebx, 0x3b3b3b3b
  mov ecx, 0x1c1c1c1c
  mov edx, 0x2d2d2d2d
  mov esi, 0x6e6e6e6e
  mov edi, 0x7f7f7f7f
  mov ebp, 0x5a5b5c5d
  mov esp, 0x0009e7f2
  push dword 0x00247cd7              ; ID AC NT IOPL=3 OF DF SF ZF AF PF CF
  popfd
  mov eax, 0xe0e0e000 | APM_CMD
  out APMC, al
pm_after_out:
  SAVE_AFTER ds
  push dword 2
  popfd
  mov esp, [saved_esp]
  mov eax, cr3
  mov [AFTER + 0x40], eax
  mov eax, cr4
  mov [AFTER + 0x44], eax
  mov eax, dr6
  mov [AFTER + 0x48], eax
  mov eax, dr7
  mov [AFTER + 0x4c], eax
  sldt [AFTER + 0x50]
  str [AFTER + 0x54]
  mov eax, [fs:0]                    ; FS still has base 20000h
  mov [AFTER + 0x58], eax
  mov eax, [0x20000]
  mov [AFTER + 0x5c], eax
  xor eax, eax
  mov dr7, eax
  mov ax, KDATA
  mov es, ax
  mov fs, ax
  mov gs, ax
  PUTS "protected-mode SMI with paging (SMBASE A0000h, SMRAM closed)", 10
  call show_smi
  PUTS "after RSM: "
  call show_after
  SHOW "cr3", [AFTER + 0x40]
  SHOW "cr4", [AFTER + 0x44]
  SHOW "dr6", [AFTER + 0x48]
  SHOW "dr7", [AFTER + 0x4c]
  SHOWW "ldtr", AFTER + 0x50
  SHOWW "tr", AFTER + 0x54
  mov eax, [AFTER + 0x58]
  cmp eax, [AFTER + 0x5c]
  sete al
  movzx eax, al
  SHOW "fs base kept", eax
  mov eax, pm_after_out
  SHOW "expected eip", eax
  NL
  ; Paging off again (the local APIC is outside the identity map).
  mov eax, cr0
  and eax, ~0x8004002e
  mov cr0, eax
  mov eax, cr4
  and eax, ~0x98
  mov cr4, eax
  ret

; ---- an SMI while halted: the 8254 timer's IRQ 0 through the 8259 reaches LINT0, which the
; local APIC delivers as an SMI (LVT LINT0 in SMI mode, edge triggered); IF stays 0 ----
hlt_smi:
  mov eax, PREFILL_CLEAR
  call prefill_map
  mov ebx, 0x4b4b4b4b
  mov cx, 0xffff                     ; about 55 ms: well after the HLT is reached
  call arm_lint0_smi
  sti                                ; (LINT0 is not ExtINT: INTR is no interrupt for the CPU)
  hlt
hlt_after:
  cli
  mov [AFTER + 0x0c], ebx
  call disarm_lint0_smi
  PUTS "SMI in HLT", 10
  call show_smi
  SHOW "after RSM: ebx", [AFTER + 0x0c]
  mov eax, hlt_after
  SHOW "expected eip", eax
  SHOW "SMIs", [SMI_COUNT]
  NL
  ret

; arm_lint0_smi: an SMI in about cx / 1.19 µs: timer channel 0 in mode 0 (its output goes low
; now and rises at the terminal count), the 8259s initialised (old edges forgotten) with only
; IRQ 0 unmasked, the local APIC enabled with LINT0 in SMI delivery mode (edge triggered).
arm_lint0_smi:
  mov al, 0x30
  out 0x43, al
  mov al, cl
  out 0x40, al
  mov al, ch
  out 0x40, al
  call init_pics
  mov dword [APIC_BASE + 0xf0], 0x1ff
  mov dword [APIC_BASE + 0x350], 0x200
  mov al, 0xfe
  out 0x21, al                       ; IRQ 0's edge raises INTR, which reaches LINT0
  ret
disarm_lint0_smi:
  mov al, 0xff
  out 0x21, al
  mov dword [APIC_BASE + 0x350], 0x10000   ; LINT0 masked
  ret

; ---- an SMI in ring 3: the program spins on one instruction (so that where the asynchronous
; SMI lands is known), the handler moves the saved EIP past the loop, and RSM must return to CPL
; 3 (SDM 34.6: RSM restores the state as it was, the CPL with it), where CLI faults ----
ring3_smi:
  mov dword [REQ_EIP], user_resumed
  mov eax, PREFILL_SET
  call prefill_map
  mov cx, 0x2000                     ; about 7 ms
  call arm_lint0_smi
  EXPECT_FAULT user_done
  mov eax, user_spin
  call run_user
  mov dword [resume_eip], 0
  call disarm_lint0_smi
  PUTS "SMI in ring 3", 10
  call show_smi
  PUTS "after RSM (ring 3): "
  SHOW "eax", [AFTER + 0x00]
  SHOW "esi", [AFTER + 0x18]
  SHOWW "cs", AFTER + 0x28
  SHOWW "ss", AFTER + 0x2c
  SHOW "SMIs", [SMI_COUNT]
  NL
  ret

user_spin:
  mov eax, 0x33333333
  mov esi, 0x36363636
.spin:
  jmp .spin
user_resumed:
  mov [AFTER + 0x00], eax            ; paging is off: ring 3 reaches all memory
  mov [AFTER + 0x18], esi
  mov [AFTER + 0x28], cs
  mov [AFTER + 0x2c], ss
  cli                                ; CPL 3 > IOPL 0: #GP
user_done:
  int 0x81

; ---- an SMI in virtual-8086 mode (IOPL 3): the same spin, resumed past it by the handler; RSM
; must restore EFLAGS.VM and the real-mode-like segments ----
v86_smi:
  mov dword [REQ_EIP], RV(v86_resumed)
  mov eax, PREFILL_SET
  call prefill_map
  mov cx, 0x2000
  call arm_lint0_smi
  mov eax, RV(v86_spin)
  mov ebx, 0x00023002                ; VM, IOPL 3
  call run_v86
  call disarm_lint0_smi
  PUTS "SMI in virtual-8086 mode", 10
  call show_smi
  PUTS "after RSM (V86): "
  SHOW "eax", [AFTER + 0x00]
  SHOW "eflags image", [AFTER + 0x20]
  SHOWW "cs", AFTER + 0x28
  SHOWW "ss", AFTER + 0x2c
  SHOWW "ds", AFTER + 0x30
  SHOW "SMIs", [SMI_COUNT]
  NL
  ret

BITS 16
v86_spin:
  mov eax, 0x88888888
.spin:
  jmp .spin
v86_resumed:
  mov [AFTER + 0x00], eax            ; DS = 0
  pushfd                             ; IOPL 3: no fault; VM and RF read as 0 in the image
  pop dword [AFTER + 0x20]
  mov [AFTER + 0x28], cs
  mov [AFTER + 0x2c], ss
  mov [AFTER + 0x30], ds
  int 0x81
BITS 32

; ---- an SMI raised in SMM (the handler writes APMC once more): latched, and taken right after
; RSM, before the interrupted program executes anything (SDM 34.3.1: SMIs are blocked in SMM and
; the one that arrives is held) ----
latched_smi:
  mov dword [REQ_APM], 1
  mov eax, 0x77777700 | APM_CMD
  out APMC, al
latched_after:
  mov [AFTER + 0x00], eax
  PUTS "SMI raised in SMM, taken after RSM", 10
  call show_smi
  SHOW "after RSM: eax", [AFTER + 0x00]
  mov eax, latched_after
  SHOW "expected eip", eax
  SHOW "SMIs", [SMI_COUNT]
  NL
  ret

; prefill_map: eax to the I/O and auto HALT restart fields (7F00H, 7F02H) of the map at the
; relocated SMBASE, so that a processor that does not write them at the next SMI shows it. SMRAM
; is opened for the write and closed again, as firmware does.
prefill_map:
  push eax
  mov al, 0x4a
  call set_smram
  pop eax
  mov [NEW_SMBASE + 0xff00], eax
  mov al, 0x0a
  call set_smram
  ret

; set_smram: the i440FX SMRAM register (72h) = al; returns dx = its data port.
set_smram:
  push eax
  mov eax, HB_SMRAM
  mov dx, 0xcf8
  out dx, eax
  mov dx, 0xcfe
  pop eax
  out dx, al
  ret

; ---- printing ----

show_smi:
  ; SMM environment (table 34-4).
  PUTS "  smm env: "
  SHOWW "cs", ENV_CS
  SHOWW "ds", ENV_DS
  SHOWW "es", ENV_ES
  SHOWW "ss", ENV_SS
  SHOWW "fs", ENV_FS
  SHOWW "gs", ENV_GS
  NL
  PUTS "  smm env: "
  SHOW "eflags", [ENV_EFLAGS]
  SHOW "cr0", [ENV_CR0]
  SHOW "cr4", [ENV_CR4]
  SHOW "dr7", [ENV_DR7]
  SHOWW "ip", ENV_IP
  mov eax, smm_handler.here - smm_handler + 0x8000
  SHOW "expected", eax
  SHOW "smram marker", [ENV_MARKER]
  NL
  ; The architectural map (table 34-3).
  PUTS "  map: "
  FIELD "cr0", 0x7ffc
  FIELD "cr3", 0x7ff8
  FIELD "eflags", 0x7ff4
  FIELD "eip", 0x7ff0
  NL
  PUTS "  map: "
  FIELD "eax", 0x7fd0
  FIELD "ecx", 0x7fd4
  FIELD "edx", 0x7fd8
  FIELD "ebx", 0x7fdc
  FIELD "esp", 0x7fe0
  FIELD "ebp", 0x7fe4
  FIELD "esi", 0x7fe8
  FIELD "edi", 0x7fec
  NL
  PUTS "  map: "
  FIELD "dr6", 0x7fcc
  FIELD "dr7", 0x7fc8
  FIELD "tr", 0x7fc4
  FIELD "ldtr", 0x7fc0
  FIELD "gs", 0x7fbc
  FIELD "fs", 0x7fb8
  FIELD "ds", 0x7fb4
  FIELD "ss", 0x7fb0
  FIELD "cs", 0x7fac
  FIELD "es", 0x7fa8
  NL
  PUTS "  map: "
  FIELD "revision", 0x7efc
  FIELD "smbase", 0x7ef8
  test dword [MAPF(0x7efc)], 1 << 16
  jz .noIoRestart
  SHOWW "iorestart", MAPF(0x7f00)
  jmp .io
.noIoRestart:
  PUTS "iorestart n/a"
.io:
  NL
  ; Bit 0 of the auto HALT restart field on its own line, numbered: QEMU's value is replaced by
  ; the SDM's in roms.test.ts.
  PUTS "  map: auto HALT restart (SMI "
  mov eax, [SMI_COUNT]
  call puthex8
  movzx eax, word [MAPF(0x7f02)]
  and eax, 1
  SHOW ") bit 0", eax
  NL
  ; QEMU's offsets in the reserved area (lab86 follows them; SeaBIOS reads them).
  PUTS "  map (QEMU layout): "
  FIELD "cr4", 0x7f14
  FIELD "gdtr.base", 0x7f74
  FIELD "gdtr.limit", 0x7f70
  FIELD "idtr.base", 0x7f58
  FIELD "idtr.limit", 0x7f54
  NL
  ; Segment caches: attributes, limit, base. In real mode only the bases, which the mode defines
  ; (selector times 16, SDM Vol. 3A 20.1.1), of the six segment registers.
  PUTS "  caches: "
  mov esi, cache_table
  mov ecx, 8
  test dword [MAPF(0x7ffc)], 1
  jnz .c
  mov ecx, 6
.c:
  movzx ebx, word [esi]
  movzx eax, byte [esi + 2]
  call putc_al
  movzx eax, byte [esi + 3]
  call putc_al
  PUTS "="
  test dword [MAPF(0x7ffc)], 1
  jz .baseOnly
  PUTHEX [SNAP_MAP + ebx - 0x7e00]
  PUTS "/"
  PUTHEX [SNAP_MAP + ebx - 0x7e00 + 4]
  PUTS "/"
.baseOnly:
  PUTHEX [SNAP_MAP + ebx - 0x7e00 + 8]
  PUTS " "
  add esi, 4
  dec ecx
  jnz .c
  NL
  ret

putc_al:
  push edx
  mov dx, 0xe9
  out dx, al
  pop edx
  ret

; Map offset of each segment cache and its name.
cache_table:
  dw 0x7f84
  db "es"
  dw 0x7f90
  db "cs"
  dw 0x7f9c
  db "ss"
  dw 0x7f2c
  db "ds"
  dw 0x7f38
  db "fs"
  dw 0x7f44
  db "gs"
  dw 0x7f78
  db "ld"
  dw 0x7f5c
  db "tr"

show_after:
  SHOW "eax", [AFTER + 0x00]
  SHOW "ecx", [AFTER + 0x04]
  SHOW "edx", [AFTER + 0x08]
  SHOW "ebx", [AFTER + 0x0c]
  SHOW "esp", [AFTER + 0x10]
  SHOW "ebp", [AFTER + 0x14]
  SHOW "esi", [AFTER + 0x18]
  SHOW "edi", [AFTER + 0x1c]
  SHOW "eflags", [AFTER + 0x20]
  SHOWW "es", AFTER + 0x24
  SHOWW "cs", AFTER + 0x28
  SHOWW "ss", AFTER + 0x2c
  SHOWW "ds", AFTER + 0x30
  SHOWW "fs", AFTER + 0x34
  SHOWW "gs", AFTER + 0x38
  SHOW "cr0", [AFTER + 0x3c]
  ret

callgate0_body:
callgate2_body:
  retf

%include "lib/pic.inc"
%include "lib/tail.inc"

// The one description of lab86's WebAssembly linear memory.
//
// This file is compiled by AssemblyScript (into the CPU) and imported by TypeScript (the
// machine, the snapshot code, the tests). It may therefore contain only `export const NAME = <integer
// expression>;` lines: no types, no functions. Every offset is a byte offset into the one
// WebAssembly.Memory that holds the CPU state, the TLB and guest RAM.
//
//  0x0000_0000  null page, never used (catches stray zero pointers)
//  0x0000_1000  CPU_STATE     integer, segment, control, FPU and SSE state (one block)
//  0x0000_2000  HOST_XCHG     scratch buffer for host <-> CPU bulk transfers (string I/O)
//  0x0000_3000  AS_DATA       the AssemblyScript compiler's static data (asc --memoryBase)
//  0x0001_0000  TLB           4096 direct-mapped entries of {tag, addend}
//  0x0010_0000  PHYS_MAP      one u32 per 4 KiB physical page of the 4 GiB space
//  0x0050_0000  PAGE_FLAGS    one byte per 4 KiB physical page: dirty and code markers
//  0x0060_0000  ROM           firmware images (system BIOS, option ROMs)
//  0x0080_0000  RAM           guest physical RAM, then host regions such as VRAM

export const CPU_STATE = 0x1000;
export const CPU_STATE_SIZE = 0x1000;
export const AS_DATA = 0x3000; // must match --memoryBase in scripts/build-wasm.mjs; ends below TLB
export const HOST_XCHG = 0x2000;
export const HOST_XCHG_SIZE = 0x1000;

// ---- Integer registers, in x86 encoding order (EAX ECX EDX EBX ESP EBP ESI EDI) ----
export const REG32 = CPU_STATE + 0x00; // 8 x u32
export const EIP = CPU_STATE + 0x20;
// EFLAGS is kept half-lazy: FLAGS_BITS holds every bit, except that the bits named in
// FLAGS_LAZY (a subset of CF PF AF ZF SF OF) are to be recomputed from the last
// arithmetic operation (LAZY_OP, LAZY_SIZE, LAZY_DST/SRC/RES). See asm/cpu/flags.ts.
export const FLAGS_BITS = CPU_STATE + 0x24;
export const FLAGS_LAZY = CPU_STATE + 0x28;
export const LAZY_OP = CPU_STATE + 0x2c;
export const LAZY_DST = CPU_STATE + 0x30;
export const LAZY_SRC = CPU_STATE + 0x34;
export const LAZY_RES = CPU_STATE + 0x38;
export const LAZY_SIZE = CPU_STATE + 0x3c; // 8, 16 or 32

// ---- Segment registers: 8 x 16 bytes {selector, base, limit, attrs} ----
// Index order: ES CS SS DS FS GS (encoding order), then LDTR, TR.
// attrs holds bits 8..23 of the descriptor's high dword (type, S, DPL, P, AVL, L, D/B, G),
// i.e. `attrs = (hi >> 8) & 0xffff`; `limit` is the expanded byte limit.
export const SEGS = CPU_STATE + 0x40;
export const SEG_SIZE = 16;
export const SEG_SEL = 0;
export const SEG_BASE = 4;
export const SEG_LIMIT = 8;
export const SEG_ATTRS = 12;
export const SEG_ES = 0;
export const SEG_CS = 1;
export const SEG_SS = 2;
export const SEG_DS = 3;
export const SEG_FS = 4;
export const SEG_GS = 5;
export const SEG_LDTR = 6;
export const SEG_TR = 7;

export const GDTR_BASE = CPU_STATE + 0xc0;
export const GDTR_LIMIT = CPU_STATE + 0xc4;
export const IDTR_BASE = CPU_STATE + 0xc8;
export const IDTR_LIMIT = CPU_STATE + 0xcc;

// ---- Control and debug registers ----
export const CR0 = CPU_STATE + 0xd0;
export const CR2 = CPU_STATE + 0xd4;
export const CR3 = CPU_STATE + 0xd8;
export const CR4 = CPU_STATE + 0xdc;
export const DR = CPU_STATE + 0xe0; // DR0..DR7, 8 x u32 (DR4/DR5 alias DR6/DR7 unless CR4.DE)

// ---- Model-specific registers (u64 each) ----
export const MSR_TSC_OFFSET = CPU_STATE + 0x100; // TSC = virtual clock ticks + offset
export const MSR_SYSENTER_CS = CPU_STATE + 0x108;
export const MSR_SYSENTER_ESP = CPU_STATE + 0x110;
export const MSR_SYSENTER_EIP = CPU_STATE + 0x118;
export const MSR_APIC_BASE = CPU_STATE + 0x120;
export const MSR_EFER = CPU_STATE + 0x128;
export const MSR_PAT = CPU_STATE + 0x130;
export const MSR_MISC_ENABLE = CPU_STATE + 0x138;
export const MSR_MTRR_DEF_TYPE = CPU_STATE + 0x140;

// ---- Execution state (u32 each) ----
export const CPL = CPU_STATE + 0x180;
export const INHIBIT_IRQ = CPU_STATE + 0x184; // 1: interrupt shadow after MOV SS / POP SS / STI
export const HALTED = CPU_STATE + 0x188; // 1: in HLT, waiting for an interrupt
export const A20_MASK = CPU_STATE + 0x18c; // 0xffffffff, or 0xffefffff with A20 disabled
export const INTR_LINE = CPU_STATE + 0x190; // 1: the interrupt controller asserts INTR
export const NMI_PENDING = CPU_STATE + 0x194;
export const INSN_START_EIP = CPU_STATE + 0x198; // EIP of the instruction being executed
export const EXC_VECTOR = CPU_STATE + 0x19c; // pending exception (see asm/cpu/fault.ts)
export const EXC_ERRCODE = CPU_STATE + 0x1a0;
export const EXC_PENDING = CPU_STATE + 0x1a4;
export const INSN_COUNT = CPU_STATE + 0x1a8; // u64 instructions retired since reset
export const EXIT_REASON = CPU_STATE + 0x1b0;
export const VIRT_TICKS = CPU_STATE + 0x1b8; // u64 virtual clock, written by the host each slice
export const DOUBLE_FAULT_DEPTH = CPU_STATE + 0x1c0;
// System Management Mode (asm/cpu/system/smm.ts; SDM Vol. 3C "System Management Mode").
// SMBASE: the base of SMRAM (reset value 30000H; RSM reloads it from the state save map, which is
// how firmware relocates it).
export const SMBASE = CPU_STATE + 0x1c4;
export const RAM_SIZE = CPU_STATE + 0x1c8; // bytes of guest RAM
export const DEBUG_TRAP = CPU_STATE + 0x1cc; // DR6 bits to report after this instruction
export const RF_PENDING = CPU_STATE + 0x1d0;
// Platform configuration the CPU must reflect (bit 0: a local APIC is present, so CPUID.1:EDX.APIC
// is set; cleared by --no-apic). Written by the machine before reset.
export const CPU_CONFIG = CPU_STATE + 0x1d4;
export const CPU_CONFIG_APIC = 1;
// 1 while the x87 FERR# output is asserted (an unmasked exception is pending and CR0.NE=0);
// the machine turns it into IRQ 13 after each slice.
export const FPU_FERR = CPU_STATE + 0x1d8;
// Virtual nanoseconds per retired instruction, set by the host (the virtual clock's rate).
// RDTSC reads VIRT_TICKS + instructions retired in this slice * NS_PER_INSN + MSR_TSC_OFFSET:
// the TSC counts virtual nanoseconds (a 1 GHz TSC). See run.ts currentTicks().
export const NS_PER_INSN = CPU_STATE + 0x1dc;
// System unit (asm/cpu/system): 1 from NMI delivery until the next IRET (SDM Vol. 3A 6.7.1);
// an NMI arriving meanwhile stays in NMI_PENDING and is delivered after that IRET.
export const NMI_BLOCKED = CPU_STATE + 0x1e0;
// 1 while the processor is in SMM (from SMI entry until RSM).
export const IN_SMM = CPU_STATE + 0x1e4;
// 1 after a triple fault (shutdown): only NMI, INIT or RESET resume the processor.
export const SHUTDOWN = CPU_STATE + 0x1e8;
// 1: an SMI is latched. The host sets it (and calls requestExit()); run() enters SMM at the start
// of the next slice, or after RSM when it arrived in SMM.
export const SMI_PENDING = CPU_STATE + 0x1ec;
// NMI_BLOCKED as it was when the SMI arrived: RSM restores it (SMM itself blocks NMIs).
export const SMM_NMI_BLOCKED = CPU_STATE + 0x1f0;

// ---- x87 FPU ----
// ST registers are stored by physical index 0..7, 16 bytes each: u64 significand at +0,
// u16 sign|exponent at +8. ST(i) is physical (TOP + i) & 7.
export const FPU_REGS = CPU_STATE + 0x200;
export const FPU_CW = CPU_STATE + 0x280;
export const FPU_SW = CPU_STATE + 0x284; // TOP is kept in bits 11..13 of this word
export const FPU_TW = CPU_STATE + 0x288; // full 16-bit tag word, 2 bits per physical reg
export const FPU_IP = CPU_STATE + 0x28c;
export const FPU_CS = CPU_STATE + 0x290;
export const FPU_DP = CPU_STATE + 0x294;
export const FPU_DS = CPU_STATE + 0x298;
export const FPU_OPCODE = CPU_STATE + 0x29c;

// ---- SSE ----
export const XMM = CPU_STATE + 0x300; // 8 x 16 bytes
export const MXCSR = CPU_STATE + 0x380;

// ---- More model-specific registers (u64 each; asm/cpu/system/msr.ts) ----
export const MSR_MTRR_FIXED = CPU_STATE + 0x400; // 11: 64K_00000, 16K_80000/A0000, 4K_C0000..F8000
export const MSR_MTRR_VAR = CPU_STATE + 0x458; // 8 pairs PHYSBASEn, PHYSMASKn
export const MSR_PERFCTR = CPU_STATE + 0x4d8; // PERFCTR0, PERFCTR1 (stored, not counting)
export const MSR_EVNTSEL = CPU_STATE + 0x4e8; // PERFEVTSEL0, PERFEVTSEL1
// Machine-check architecture (P6: 5 banks; nothing ever reports an error).
export const MSR_MCG_STATUS = CPU_STATE + 0x4f8;
export const MSR_MCG_CTL = CPU_STATE + 0x500;
export const MSR_MC_CTL = CPU_STATE + 0x508; // MC0_CTL..MC4_CTL

export const CPU_STATE_USED = 0x540; // bytes of CPU_STATE that are architectural state

// ---- Exit reasons returned by run() ----
export const EXIT_BUDGET = 0; // instruction budget spent, or the host asked for an exit
export const EXIT_HLT = 1; // HLT executed; CPU waits for an interrupt
export const EXIT_HLT_NOIRQ = 2; // HLT with IF=0: nothing can wake the CPU but NMI/reset
export const EXIT_TRIPLE_FAULT = 3; // shutdown: the platform resets or stops
export const EXIT_INTERNAL_ERROR = 4; // a bug in lab86; details via the debug log
export const EXIT_HOST_REQUEST = 5; // the host called request_exit() during a slice

// ---- Software TLB ----
// Direct mapped on linear page number bits 0..11. Each entry is 8 bytes:
//   tag:    linear page address (bits 12..31) | permission bits below
//   addend: host offset of the page minus its linear page address (so host = lin + addend)
// A lookup succeeds when (tag & (0xfffff000 | NEED)) == (lin & 0xfffff000 | NEED).
export const TLB = 0x10000;
export const TLB_ENTRIES = 4096;
export const TLB_ENTRY_SIZE = 8;
export const TLB_READ_SUP = 1; // readable at CPL 0-2
export const TLB_WRITE_SUP = 2; // writable at CPL 0-2 (dirty bit already set, no code on page)
export const TLB_READ_USER = 4;
export const TLB_WRITE_USER = 8;
export const TLB_EXEC_SUP = 16; // executable (NX clear)
export const TLB_EXEC_USER = 32;
export const TLB_VALID = 64;
export const TLB_GLOBAL = 128; // survives CR3 reloads when CR4.PGE

// ---- Physical map ----
// One u32 per 4 KiB physical page. If the low 12 bits are zero, the page is RAM-like and the
// value is its host offset. Otherwise the low bits say why accesses leave the fast path.
export const PHYS_MAP = 0x100000;
export const PHYS_PAGES = 0x100000;
export const PHYS_READONLY = 1; // reads are direct (value & ~0xfff); writes go to mmio_write
export const PHYS_MMIO = 2; // all accesses go to the host's mmio_read / mmio_write

// ---- Per-physical-page flags, for snapshots and the JIT ----
export const PAGE_FLAGS = 0x500000;
export const PAGE_DIRTY = 1; // written since the host last cleared it
export const PAGE_CODE = 2; // holds code the JIT translated: writes must not bypass the slow path

export const ROM = 0x600000;
export const ROM_SIZE = 0x200000;
export const RAM = 0x800000;

// Power-on RESET and INIT (SDM Vol. 3A 9.1.1, Table 9-1).
//
// RESET puts every register in its documented power-up state. Fields that the host owns
// (RAM size, A20 gate, platform configuration, the virtual clock and its rate, the INTR line)
// are kept. INIT (initCpu) is the same except that, as Table 9-1 lists, the x87/SSE state, the
// MTRRs and other MSRs, the TSC, CR0.CD/NW and the APIC base survive.
import {
  CPU_STATE, CPU_STATE_USED, EIP, FLAGS_BITS, CR0, DR, GDTR_LIMIT, IDTR_LIMIT, A20_MASK, RAM_SIZE,
  SEG_CS, SEG_ES, SEG_GS, SEG_LDTR, SEG_TR, REG32, FPU_CW, FPU_TW, MXCSR, MSR_APIC_BASE, MSR_PAT,
  CPU_CONFIG, NS_PER_INSN, VIRT_TICKS, INTR_LINE, MSR_TSC_OFFSET, MSR_MISC_ENABLE, FPU_REGS,
  MSR_MTRR_FIXED, HALTED, SHUTDOWN, INHIBIT_IRQ, NMI_BLOCKED, NMI_PENDING, DEBUG_TRAP,
  RF_PENDING, DOUBLE_FAULT_DEPTH, FLAGS_LAZY, SMBASE,
} from "../layout";
import { setSegCache } from "./state";
import { setCpl, tlbFlushAll } from "./memory";
import { clearFault } from "./fault";
import { currentTicks } from "./run";
import { CPUID_SIGNATURE } from "./system/cpuid";
import { refreshBreakpoints } from "./system/debug";

// Scratch copy of what INIT preserves (outside the state block, so a snapshot never sees it).
const FPU_SSE_BYTES: u32 = 0x400 - 0x200; // FPU_REGS .. end of the SSE area
const MSR_LOW_BYTES: u32 = 0x48; // MSR_TSC_OFFSET .. MSR_MTRR_DEF_TYPE
const MSR_HIGH_BYTES: u32 = 0x140; // MTRRs, performance counters, machine-check registers
const saved = memory.data(0x200 + 0x48 + 0x140);

export function resetCpu(): void {
  const ram = load<u32>(RAM_SIZE);
  const a20 = load<u32>(A20_MASK);
  const config = load<u32>(CPU_CONFIG);
  const nsPerInsn = load<u32>(NS_PER_INSN);
  const ticks = load<u64>(VIRT_TICKS);
  const intr = load<u32>(INTR_LINE);
  memory.fill(CPU_STATE, 0, CPU_STATE_USED);
  store<u32>(RAM_SIZE, ram);
  store<u32>(A20_MASK, a20 == 0 ? 0xffffffff : a20);
  store<u32>(CPU_CONFIG, config);
  store<u32>(NS_PER_INSN, nsPerInsn);
  store<u64>(VIRT_TICKS, ticks);
  store<u32>(INTR_LINE, intr);
  architecturalReset();
  store<u32>(CR0, 0x60000010); // CD, NW, ET
  store<u32>(FPU_CW, 0x40);
  store<u32>(FPU_TW, 0x5555); // Table 9-1 gives 5555H after RESET (FINIT would make it FFFFH)
  store<u32>(MXCSR, 0x1f80);
  store<u64>(MSR_APIC_BASE, 0xfee00900); // enabled, BSP
  store<u64>(MSR_PAT, 0x0007040600070406);
  store<u64>(MSR_MISC_ENABLE, 1); // fast-string operation enabled
  // SMM: SMBASE 30000H, not in SMM, no SMI latched (INIT keeps all three, so they are set here).
  store<u32>(SMBASE, 0x30000);
  // The TSC restarts from 0.
  store<u64>(MSR_TSC_OFFSET, <u64>0 - currentTicks());
  finish();
}

// INIT: like RESET, but keeps the FPU/SSE state, the MSRs (TSC, MTRRs, PAT, SYSENTER, APIC base,
// EFER) and CR0.CD/NW.
export function initCpu(): void {
  memory.copy(saved, FPU_REGS, FPU_SSE_BYTES);
  memory.copy(saved + FPU_SSE_BYTES, MSR_TSC_OFFSET, MSR_LOW_BYTES);
  memory.copy(saved + FPU_SSE_BYTES + MSR_LOW_BYTES, MSR_MTRR_FIXED, MSR_HIGH_BYTES);
  const cdnw = load<u32>(CR0) & 0x60000000;
  architecturalReset();
  // The general registers, flags and segments are reset; everything else is kept as it was.
  memory.copy(FPU_REGS, saved, FPU_SSE_BYTES);
  memory.copy(MSR_TSC_OFFSET, saved + FPU_SSE_BYTES, MSR_LOW_BYTES);
  memory.copy(MSR_MTRR_FIXED, saved + FPU_SSE_BYTES + MSR_LOW_BYTES, MSR_HIGH_BYTES);
  store<u32>(CR0, 0x10 | cdnw);
  finish();
}

// The registers RESET and INIT set alike.
function architecturalReset(): void {
  for (let i = 0; i < 8; i++) store<u32>(REG32 + (i << 2), 0);
  store<u32>(REG32 + 2 * 4, CPUID_SIGNATURE); // EDX: processor signature, as CPUID leaf 1 EAX
  store<u32>(EIP, 0xfff0);
  store<u32>(FLAGS_BITS, 0x2);
  store<u32>(FLAGS_LAZY, 0);
  store<u32>(HALTED, 0);
  store<u32>(SHUTDOWN, 0);
  store<u32>(INHIBIT_IRQ, 0);
  store<u32>(NMI_BLOCKED, 0);
  store<u32>(NMI_PENDING, 0);
  store<u32>(DEBUG_TRAP, 0);
  store<u32>(RF_PENDING, 0);
  store<u32>(DOUBLE_FAULT_DEPTH, 0);
  store<u32>(CR0 + 4, 0); // CR2
  store<u32>(CR0 + 8, 0); // CR3
  store<u32>(CR0 + 12, 0); // CR4
  for (let i = 0; i < 4; i++) store<u32>(DR + (i << 2), 0);
  store<u32>(DR + 6 * 4, 0xffff0ff0);
  store<u32>(DR + 7 * 4, 0x400);
  store<u32>(GDTR_LIMIT, 0xffff);
  store<u32>(GDTR_LIMIT - 4, 0);
  store<u32>(IDTR_LIMIT, 0xffff);
  store<u32>(IDTR_LIMIT - 4, 0);
  for (let s = SEG_ES; s <= SEG_GS; s++) setSegCache(s, 0, 0, 0xffff, 0x93);
  setSegCache(SEG_CS, 0xf000, 0xffff0000, 0xffff, 0x93);
  setSegCache(SEG_LDTR, 0, 0, 0xffff, 0x82);
  setSegCache(SEG_TR, 0, 0, 0xffff, 0x8b);
}

function finish(): void {
  setCpl(0);
  clearFault();
  refreshBreakpoints();
  tlbFlushAll();
}


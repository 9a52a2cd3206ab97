// RDMSR, WRMSR, RDTSC and RDPMC (SDM Vol. 2 for the instructions; Vol. 4 for the P6-family MSR
// list; Vol. 3A 11.11 for MTRRs, 11.12 for the PAT). Every MSR that CPUID advertises exists;
// any other index raises #GP(0), as does a reserved bit set on write.
import {
  MSR_TSC_OFFSET, MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP, MSR_APIC_BASE, MSR_EFER, MSR_PAT,
  MSR_MISC_ENABLE, MSR_MTRR_DEF_TYPE, MSR_MTRR_FIXED, MSR_MTRR_VAR, MSR_PERFCTR, MSR_EVNTSEL,
  CPU_CONFIG, CPU_CONFIG_APIC, MSR_MCG_STATUS, MSR_MCG_CTL, MSR_MC_CTL,
} from "../../layout";
import { reg32, setReg32, cpl, cr4, EAX, ECX, EDX, CR4_TSD, CR4_PCE } from "../state";
import { raiseGP } from "../fault";
import { tlbFlushAll } from "../memory";
import { currentTicks, requestExit } from "../run";
import { protectedMode } from "./mode";

export const MSR_IA32_TSC: u32 = 0x10;
export const MSR_IA32_PLATFORM_ID: u32 = 0x17;
export const MSR_IA32_APIC_BASE: u32 = 0x1b;
export const MSR_EBL_CR_POWERON: u32 = 0x2a;
export const MSR_BIOS_UPDT_TRIG: u32 = 0x79;
export const MSR_BIOS_SIGN_ID: u32 = 0x8b;
export const MSR_PERFCTR0: u32 = 0xc1;
export const MSR_MTRRCAP: u32 = 0xfe;
export const MSR_IA32_SYSENTER_CS: u32 = 0x174;
export const MSR_IA32_SYSENTER_ESP: u32 = 0x175;
export const MSR_IA32_SYSENTER_EIP: u32 = 0x176;
export const MSR_EVNTSEL0: u32 = 0x186;
export const MSR_IA32_MISC_ENABLE: u32 = 0x1a0;
export const MSR_MTRR_PHYSBASE0: u32 = 0x200;
export const MSR_MTRR_FIX64K: u32 = 0x250;
export const MSR_MTRR_FIX16K_80000: u32 = 0x258;
export const MSR_MTRR_FIX16K_A0000: u32 = 0x259;
export const MSR_MTRR_FIX4K_C0000: u32 = 0x268;
export const MSR_IA32_PAT: u32 = 0x277;
export const MSR_MTRR_DEF_TYPE_IDX: u32 = 0x2ff;
export const MSR_IA32_EFER: u32 = 0xc0000080;
export const MSR_IA32_MCG_CAP: u32 = 0x179;
export const MSR_IA32_MCG_STATUS: u32 = 0x17a;
export const MSR_IA32_MCG_CTL: u32 = 0x17b;
export const MSR_IA32_MC0_CTL: u32 = 0x400;
// Machine-check architecture of the P6 family (SDM Vol. 3B 15.3): 5 error-reporting banks and an
// MCG_CTL register (MCG_CAP bit 8). No machine check is ever signalled, so the status, address
// and misc registers read as 0; as on P6 processors, only zeros may be written to them.
const MC_BANKS: u32 = 5;
const MCG_CAP_VALUE: u64 = 0x100 | MC_BANKS;

// MTRRcap: 8 variable ranges, fixed ranges supported, write-combining supported; no SMRR.
const MTRRCAP_VALUE: u64 = 0x508;
// Physical address width reported by CPUID (PAE): 36 bits.
const ADDR_BITS_36: u64 = 0x0000000ffffff000;
const EFER_NXE: u64 = 1 << 11;

// @ts-ignore: decorator
@inline function privileged(): bool { return !protectedMode() || cpl() == 0; }
function apicPresent(): bool { return (load<u32>(CPU_CONFIG) & CPU_CONFIG_APIC) != 0; }

// A memory type valid in MTRRs: UC, WC, WT, WP, WB.
function mtrrType(t: u32): bool { return t == 0 || t == 1 || t == 4 || t == 5 || t == 6; }
// PAT entries also allow UC- (7).
function patType(t: u32): bool { return mtrrType(t) || t == 7; }
function allBytes(v: u64, pat: bool): bool {
  for (let i: u64 = 0; i < 64; i += 8) {
    const t = <u32>((v >> i) & 0xff);
    if (pat ? !patType(t) : !mtrrType(t)) return false;
  }
  return true;
}
// Index of a fixed-range MTRR in MSR_MTRR_FIXED, or -1.
function fixedIndex(idx: u32): i32 {
  if (idx == MSR_MTRR_FIX64K) return 0;
  if (idx == MSR_MTRR_FIX16K_80000) return 1;
  if (idx == MSR_MTRR_FIX16K_A0000) return 2;
  if (idx >= MSR_MTRR_FIX4K_C0000 && idx <= MSR_MTRR_FIX4K_C0000 + 7) return <i32>(idx - MSR_MTRR_FIX4K_C0000) + 3;
  return -1;
}

export function tscNow(): u64 { return currentTicks() + load<u64>(MSR_TSC_OFFSET); }

// Returns false for an MSR that does not exist (the caller raises #GP(0)).
let msrValue: u64 = 0;
function readMsr(idx: u32): bool {
  let v: u64 = 0;
  if (idx == MSR_IA32_TSC) v = tscNow();
  else if (idx == MSR_IA32_PLATFORM_ID || idx == MSR_EBL_CR_POWERON || idx == MSR_BIOS_SIGN_ID) v = 0;
  else if (idx == MSR_IA32_APIC_BASE) { if (!apicPresent()) return false; v = load<u64>(MSR_APIC_BASE); }
  else if (idx == MSR_IA32_SYSENTER_CS) v = load<u64>(MSR_SYSENTER_CS);
  else if (idx == MSR_IA32_SYSENTER_ESP) v = load<u64>(MSR_SYSENTER_ESP);
  else if (idx == MSR_IA32_SYSENTER_EIP) v = load<u64>(MSR_SYSENTER_EIP);
  else if (idx == MSR_IA32_EFER) v = load<u64>(MSR_EFER);
  else if (idx == MSR_IA32_PAT) v = load<u64>(MSR_PAT);
  else if (idx == MSR_IA32_MISC_ENABLE) v = load<u64>(MSR_MISC_ENABLE);
  else if (idx == MSR_MTRRCAP) v = MTRRCAP_VALUE;
  else if (idx == MSR_MTRR_DEF_TYPE_IDX) v = load<u64>(MSR_MTRR_DEF_TYPE);
  else if (idx >= MSR_MTRR_PHYSBASE0 && idx < MSR_MTRR_PHYSBASE0 + 16) v = load<u64>(MSR_MTRR_VAR + ((idx - MSR_MTRR_PHYSBASE0) << 3));
  else if (fixedIndex(idx) >= 0) v = load<u64>(MSR_MTRR_FIXED + (fixedIndex(idx) << 3));
  else if (idx == MSR_PERFCTR0 || idx == MSR_PERFCTR0 + 1) v = load<u64>(MSR_PERFCTR + ((idx - MSR_PERFCTR0) << 3));
  else if (idx == MSR_EVNTSEL0 || idx == MSR_EVNTSEL0 + 1) v = load<u64>(MSR_EVNTSEL + ((idx - MSR_EVNTSEL0) << 3));
  else if (idx == MSR_IA32_MCG_CAP) v = MCG_CAP_VALUE;
  else if (idx == MSR_IA32_MCG_STATUS) v = load<u64>(MSR_MCG_STATUS);
  else if (idx == MSR_IA32_MCG_CTL) v = load<u64>(MSR_MCG_CTL);
  else if (idx >= MSR_IA32_MC0_CTL && idx < MSR_IA32_MC0_CTL + MC_BANKS * 4) {
    v = ((idx - MSR_IA32_MC0_CTL) & 3) == 0 ? load<u64>(MSR_MC_CTL + (((idx - MSR_IA32_MC0_CTL) >> 2) << 3)) : 0;
  } else return false;
  msrValue = v;
  return true;
}

// Returns false when the MSR does not exist or a reserved bit is set (#GP(0)).
function writeMsr(idx: u32, v: u64): bool {
  if (idx == MSR_IA32_TSC) {
    // P6 family: only the low 32 bits can be written; the high half becomes 0 (SDM Vol. 3B 17.17).
    store<u64>(MSR_TSC_OFFSET, (v & 0xffffffff) - currentTicks());
  } else if (idx == MSR_BIOS_SIGN_ID || idx == MSR_BIOS_UPDT_TRIG) {
    // Microcode signature/update trigger: accepted and ignored (no microcode to load).
  } else if (idx == MSR_IA32_APIC_BASE) {
    if (!apicPresent()) return false;
    // Writable: enable (bit 11) and the base (bits 12..35); BSP (bit 8) is read-only.
    if ((v & ~(ADDR_BITS_36 | 0x900)) != 0) return false;
    const old = load<u64>(MSR_APIC_BASE);
    const nv = (v & ~<u64>0x100) | (old & 0x100);
    store<u64>(MSR_APIC_BASE, nv);
    // The platform moves (or disables) the APIC between slices: end this one right after the
    // WRMSR so that no access reaches the old mapping (src/machine/pc.ts onSliceEnd).
    if (nv != old) requestExit();
  } else if (idx == MSR_IA32_SYSENTER_CS) store<u64>(MSR_SYSENTER_CS, v & 0xffffffff);
  else if (idx == MSR_IA32_SYSENTER_ESP) store<u64>(MSR_SYSENTER_ESP, v & 0xffffffff);
  else if (idx == MSR_IA32_SYSENTER_EIP) store<u64>(MSR_SYSENTER_EIP, v & 0xffffffff);
  else if (idx == MSR_IA32_EFER) {
    // Only NXE exists on this processor (no long mode; SYSCALL is not available in legacy mode).
    if ((v & ~EFER_NXE) != 0) return false;
    if (((load<u64>(MSR_EFER) ^ v) & EFER_NXE) != 0) tlbFlushAll();
    store<u64>(MSR_EFER, v);
  } else if (idx == MSR_IA32_PAT) {
    if (!allBytes(v, true)) return false;
    store<u64>(MSR_PAT, v);
  } else if (idx == MSR_IA32_MISC_ENABLE) store<u64>(MSR_MISC_ENABLE, v);
  else if (idx == MSR_MTRR_DEF_TYPE_IDX) {
    if ((v & ~<u64>0xcff) != 0 || !mtrrType(<u32>(v & 0xff))) return false;
    store<u64>(MSR_MTRR_DEF_TYPE, v);
  } else if (idx >= MSR_MTRR_PHYSBASE0 && idx < MSR_MTRR_PHYSBASE0 + 16) {
    if ((idx & 1) == 0) {
      if ((v & ~(ADDR_BITS_36 | 0xff)) != 0 || !mtrrType(<u32>(v & 0xff))) return false;
    } else if ((v & ~(ADDR_BITS_36 | 0x800)) != 0) return false;
    store<u64>(MSR_MTRR_VAR + ((idx - MSR_MTRR_PHYSBASE0) << 3), v);
  } else if (fixedIndex(idx) >= 0) {
    if (!allBytes(v, false)) return false;
    store<u64>(MSR_MTRR_FIXED + (fixedIndex(idx) << 3), v);
  } else if (idx == MSR_PERFCTR0 || idx == MSR_PERFCTR0 + 1) {
    // The P6 counters are 40 bits wide; a write sign-extends bit 31 into bits 32..39.
    const lo = v & 0xffffffff;
    store<u64>(MSR_PERFCTR + ((idx - MSR_PERFCTR0) << 3), (lo & 0x80000000) != 0 ? lo | 0xff00000000 : lo);
  } else if (idx == MSR_EVNTSEL0 || idx == MSR_EVNTSEL0 + 1) {
    store<u64>(MSR_EVNTSEL + ((idx - MSR_EVNTSEL0) << 3), v & 0xffffffff);
  } else if (idx == MSR_IA32_MCG_STATUS) {
    if ((v & ~<u64>7) != 0) return false; // RIPV, EIPV, MCIP
    store<u64>(MSR_MCG_STATUS, v);
  } else if (idx == MSR_IA32_MCG_CTL) store<u64>(MSR_MCG_CTL, v);
  else if (idx >= MSR_IA32_MC0_CTL && idx < MSR_IA32_MC0_CTL + MC_BANKS * 4) {
    const reg = (idx - MSR_IA32_MC0_CTL) & 3;
    if (reg == 0) store<u64>(MSR_MC_CTL + (((idx - MSR_IA32_MC0_CTL) >> 2) << 3), v);
    else if (v != 0) return false; // STATUS, ADDR, MISC: only zeros (SDM Vol. 3B 15.3.2)
  } else return false;
  return true;
}

export function opRdmsr(): void {
  if (!privileged()) { raiseGP(0); return; }
  if (!readMsr(reg32(ECX))) { raiseGP(0); return; }
  setReg32(EAX, <u32>msrValue);
  setReg32(EDX, <u32>(msrValue >> 32));
}
export function opWrmsr(): void {
  if (!privileged()) { raiseGP(0); return; }
  const v = (<u64>reg32(EDX) << 32) | <u64>reg32(EAX);
  if (!writeMsr(reg32(ECX), v)) { raiseGP(0); return; }
}

// RDTSC: CR4.TSD restricts it to CPL 0.
export function opRdtsc(): void {
  if ((cr4() & CR4_TSD) != 0 && protectedMode() && cpl() != 0) { raiseGP(0); return; }
  const t = tscNow();
  setReg32(EAX, <u32>t);
  setReg32(EDX, <u32>(t >> 32));
}
// RDPMC: counters 0 and 1 (P6 family); CR4.PCE allows it above CPL 0. The counters hold what
// software wrote: no events are counted.
export function opRdpmc(): void {
  if ((cr4() & CR4_PCE) == 0 && protectedMode() && cpl() != 0) { raiseGP(0); return; }
  const n = reg32(ECX);
  if (n > 1) { raiseGP(0); return; }
  const v = load<u64>(MSR_PERFCTR + (n << 3));
  setReg32(EAX, <u32>v);
  setReg32(EDX, <u32>(v >> 32) & 0xff);
}

// CPUID (SDM Vol. 2A CPUID). lab86 presents itself as a GenuineIntel family 6 model 8 stepping 3
// processor (a Pentium III "Coppermine"), reporting exactly the features it implements:
//
//   leaf 1 EDX: FPU VME DE PSE TSC MSR PAE MCE CX8 APIC(if the platform has one) SEP MTRR PGE MCA
//               CMOV PAT MMX FXSR SSE SSE2 (MCE/MCA: CR4.MCE and the P6 bank MSRs exist, msr.ts;
//               no machine check is ever raised)
//   not reported: PSE-36 (paging.ts treats PDE bits 13..20 as reserved), PSN, CLFSH, DS, ACPI,
//               SS, HTT, TM; ECX = 0 (no SSE3).
//   SSE2 on a family 6 model 8 part is not historical; it is reported because the SIMD unit
//   implements it and software tests the bit, not the model.
//   SEP: family 6 with model >= 3 is the range where software trusts the bit (SDM Vol. 2B
//   SYSENTER note), so model 8 keeps it meaningful.
//   leaf 2: the Coppermine cache/TLB descriptors (01h 02h 03h 04h 08h 0Ch 82h).
//   extended leaves up to 80000004h: 80000001h EDX.NX (bit 20, PAE paging with EFER.NXE is
//   implemented), and the brand string.
// Leaves above the maximum return the highest basic leaf, as Intel processors do.
import { CPU_CONFIG, CPU_CONFIG_APIC } from "../../layout";
import { reg32, setReg32, EAX, EBX, ECX, EDX } from "../state";

export const CPUID_SIGNATURE: u32 = 0x00000683; // family 6, model 8, stepping 3
const MAX_BASIC: u32 = 2;
const MAX_EXTENDED: u32 = 0x80000004;

const EDX_FPU: u32 = 1 << 0;
const EDX_VME: u32 = 1 << 1;
const EDX_DE: u32 = 1 << 2;
const EDX_PSE: u32 = 1 << 3;
const EDX_TSC: u32 = 1 << 4;
const EDX_MSR: u32 = 1 << 5;
const EDX_PAE: u32 = 1 << 6;
const EDX_MCE: u32 = 1 << 7;
const EDX_CX8: u32 = 1 << 8;
const EDX_APIC: u32 = 1 << 9;
const EDX_SEP: u32 = 1 << 11;
const EDX_MTRR: u32 = 1 << 12;
const EDX_PGE: u32 = 1 << 13;
const EDX_MCA: u32 = 1 << 14;
const EDX_CMOV: u32 = 1 << 15;
const EDX_PAT: u32 = 1 << 16;
const EDX_MMX: u32 = 1 << 23;
const EDX_FXSR: u32 = 1 << 24;
const EDX_SSE: u32 = 1 << 25;
const EDX_SSE2: u32 = 1 << 26;
const EXT_EDX_NX: u32 = 1 << 20;

export const LEAF1_EDX_BASE: u32 = EDX_FPU | EDX_VME | EDX_DE | EDX_PSE | EDX_TSC | EDX_MSR | EDX_PAE | EDX_MCE |
  EDX_CX8 | EDX_SEP | EDX_MTRR | EDX_PGE | EDX_MCA | EDX_CMOV | EDX_PAT | EDX_MMX | EDX_FXSR | EDX_SSE | EDX_SSE2;

// "lab86 Pentium III-class CPU" padded with NULs to 48 bytes, as 12 little-endian dwords.
function brandDword(i: u32): u32 {
  const s = "lab86 Pentium III-class CPU";
  let v: u32 = 0;
  for (let k: u32 = 0; k < 4; k++) {
    const pos = <i32>(i * 4 + k);
    const c: u32 = pos < s.length ? <u32>s.charCodeAt(pos) : 0;
    v |= c << (k * 8);
  }
  return v;
}

function leaf(n: u32): void {
  let a: u32 = 0, b: u32 = 0, c: u32 = 0, d: u32 = 0;
  if (n >= 0x80000000) {
    if (n > MAX_EXTENDED) { leaf(MAX_BASIC); return; }
    if (n == 0x80000000) a = MAX_EXTENDED;
    else if (n == 0x80000001) d = EXT_EDX_NX;
    else {
      const base = (n - 0x80000002) * 4;
      a = brandDword(base); b = brandDword(base + 1); c = brandDword(base + 2); d = brandDword(base + 3);
    }
  } else if (n > MAX_BASIC) { leaf(MAX_BASIC); return; }
  else if (n == 0) {
    a = MAX_BASIC;
    b = 0x756e6547; // "Genu"
    d = 0x49656e69; // "ineI"
    c = 0x6c65746e; // "ntel"
  } else if (n == 1) {
    a = CPUID_SIGNATURE;
    b = 0; // brand index 0, no CLFLUSH line size, one logical processor, initial APIC ID 0
    d = LEAF1_EDX_BASE | ((load<u32>(CPU_CONFIG) & CPU_CONFIG_APIC) != 0 ? EDX_APIC : 0);
  } else {
    // Leaf 2: AL=01 (one iteration); descriptors 01h (ITLB 4K), 02h (ITLB 4M), 03h (DTLB 4K),
    // 04h (DTLB 4M), 08h (16K L1I), 0Ch (16K L1D), 82h (256K 8-way L2).
    a = 0x03020101;
    d = 0x0c040882;
  }
  setReg32(EAX, a); setReg32(EBX, b); setReg32(ECX, c); setReg32(EDX, d);
}

export function opCpuid(): void { leaf(reg32(EAX)); }

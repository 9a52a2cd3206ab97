// MOV to and from control and debug registers (SDM Vol. 2 MOV-Move to/from Control Registers and
// Debug Registers; Vol. 3A 2.5 for the bits, 4.10.4 for the TLB rules, 17.2 for DR0-DR7).
import { CR0, CR2, CR3, CR4, DR } from "../../layout";
import {
  reg32, setReg32, cpl, cr0, cr4, CR0_PE, CR0_PG, CR0_WP, CR0_NW, CR0_CD, CR0_ET, CR0_MP, CR0_EM, CR0_TS,
  CR0_NE, CR0_AM, CR4_DE, CR4_PSE, CR4_PAE, CR4_PGE,
} from "../state";
import { raise, raiseGP, raiseUD, faulted, EXC_DB, NO_ERRCODE } from "../fault";
import { tlbFlushAll, tlbFlushNonGlobal, setCpl, refreshAlignCheck, physRead32 } from "../memory";
import { fetch8 } from "../decode";
import { protectedMode } from "./mode";
import { DR6_BD, refreshBreakpoints } from "./debug";

// Bits of CR0 that exist; writes to the others are ignored, and ET reads as 1 on P6-family
// processors (SDM Vol. 3A 2.5).
export const CR0_IMPLEMENTED: u32 = CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_ET | CR0_NE | CR0_WP | CR0_AM |
  CR0_NW | CR0_CD | CR0_PG;
// CR4 bits this processor has (VME PVI TSD DE PSE PAE MCE PGE PCE OSFXSR OSXMMEXCPT). Setting
// any other bit raises #GP(0).
export const CR4_IMPLEMENTED: u32 = 0x7ff;

// @ts-ignore: decorator
@inline function privileged(): bool { return !protectedMode() || cpl() == 0; }

// The ModRM byte of MOV CRn/DRn always names a register: the mod field is ignored and no
// displacement or SIB byte follows (SDM Vol. 2 MOV-Move to/from Control Registers), so the byte
// is fetched here rather than decoded as a memory operand.
let crReg: i32 = 0;
let gpReg: i32 = 0;
function fetchRegModrm(): void {
  const m = fetch8();
  crReg = <i32>((m >> 3) & 7);
  gpReg = <i32>(m & 7);
}

export function opMovCr(toCr: bool): void {
  fetchRegModrm();
  if (faulted) return;
  const n = crReg;
  if (n == 1 || n > 4) { raiseUD(); return; }
  if (!privileged()) { raiseGP(0); return; }
  if (!toCr) {
    const v = n == 0 ? cr0() : n == 2 ? load<u32>(CR2) : n == 3 ? load<u32>(CR3) : cr4();
    setReg32(gpReg, v);
    return;
  }
  const v = reg32(gpReg);
  switch (n) {
    case 0: writeCr0(v); return;
    case 2: store<u32>(CR2, v); return;
    case 3: writeCr3(v); return;
    default: writeCr4(v);
  }
}

// With PAE paging, MOV to CR3 (and enabling paging or PAE) loads the four PDPTEs; a present
// one with a reserved bit set (bits 1, 2, 5..8, 36..63) makes the MOV raise #GP(0) (SDM Vol. 3A
// 4.4.1). paging.ts reads the PDPTEs at each walk; this check gives the load-time fault.
function pdptesValid(cr3v: u32): bool {
  const base = cr3v & 0xffffffe0;
  for (let i: u32 = 0; i < 4; i++) {
    const lo = physRead32(base + (i << 3));
    const hi = physRead32(base + (i << 3) + 4);
    if ((lo & 1) != 0 && ((lo & 0x1e6) != 0 || (hi & 0xfffffff0) != 0)) return false;
  }
  return true;
}

export function writeCr0(value: u32): void {
  const v = (value & CR0_IMPLEMENTED) | CR0_ET;
  if ((v & CR0_PG) != 0 && (v & CR0_PE) == 0) { raiseGP(0); return; }
  if ((v & CR0_NW) != 0 && (v & CR0_CD) == 0) { raiseGP(0); return; }
  if ((v & CR0_PG) != 0 && (cr0() & CR0_PG) == 0 && (cr4() & CR4_PAE) != 0 && !pdptesValid(load<u32>(CR3))) {
    raiseGP(0); return;
  }
  const old = cr0();
  store<u32>(CR0, v);
  refreshAlignCheck();
  const changed = old ^ v;
  if ((changed & (CR0_PG | CR0_WP | CR0_PE)) != 0) tlbFlushAll();
  // Leaving protected mode makes CPL 0; entering it keeps CPL 0 until CS is reloaded.
  if ((changed & CR0_PE) != 0) setCpl(0);
}

// CR3: the page-directory base and PWT/PCD; a load flushes the non-global TLB entries.
export function writeCr3(v: u32): void {
  if ((cr0() & CR0_PG) != 0 && (cr4() & CR4_PAE) != 0 && !pdptesValid(v)) { raiseGP(0); return; }
  store<u32>(CR3, v);
  tlbFlushNonGlobal();
}

export function writeCr4(v: u32): void {
  if ((v & ~CR4_IMPLEMENTED) != 0) { raiseGP(0); return; }
  const old = cr4();
  if ((cr0() & CR0_PG) != 0 && (v & CR4_PAE) != 0 && ((old ^ v) & (CR4_PAE | CR4_PGE | CR4_PSE)) != 0 &&
      !pdptesValid(load<u32>(CR3))) {
    raiseGP(0); return;
  }
  store<u32>(CR4, v);
  if (((old ^ v) & (CR4_PGE | CR4_PAE | CR4_PSE)) != 0) tlbFlushAll();
}

// ---- debug registers ----

export function opMovDr(toDr: bool): void {
  fetchRegModrm();
  if (faulted) return;
  let n = crReg;
  if (!privileged()) { raiseGP(0); return; }
  if (n == 4 || n == 5) {
    // DR4/DR5 alias DR6/DR7 unless debug extensions are on (SDM Vol. 3A 17.2.2).
    if ((cr4() & CR4_DE) != 0) { raiseUD(); return; }
    n += 2;
  }
  const dr7 = load<u32>(DR + 28);
  if ((dr7 & DR7_GD) != 0) {
    // General detect: #DB fault before the access, with BD set; entering the handler clears GD
    // (interrupts.ts) so that it can use the debug registers (SDM Vol. 3A 17.2.4, 17.3.1.2).
    store<u32>(DR + 24, load<u32>(DR + 24) | DR6_BD);
    raise(EXC_DB, NO_ERRCODE);
    return;
  }
  if (!toDr) { setReg32(gpReg, load<u32>(DR + (n << 2))); return; }
  const v = reg32(gpReg);
  if (n == 6) store<u32>(DR + 24, (v & 0xe00f) | 0xffff0ff0);
  else if (n == 7) {
    // Bit 10 reads as 1; bits 11, 12, 14 and 15 as 0.
    store<u32>(DR + 28, (v & 0xffff23ff) | 0x400);
    refreshBreakpoints();
  } else {
    store<u32>(DR + (n << 2), v);
    refreshBreakpoints();
  }
}
export const DR7_GD: u32 = 1 << 13;

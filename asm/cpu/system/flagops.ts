// IOPL-sensitive one-byte instructions: HLT, CLI, STI, PUSHF, POPF, and the I/O permission check
// used by IN/OUT/INS/OUTS (SDM Vol. 1 19.5; Vol. 2 CLI, STI, PUSHF, POPF; Vol. 3A 20.2.7 and
// 20.4 for virtual-8086 mode with and without CR4.VME/PVI).
import { FLAGS_BITS, HALTED, INHIBIT_IRQ, EXIT_HLT, EXIT_HLT_NOIRQ, SEG_TR } from "../../layout";
import {
  cpl, cr4, segAttrs, segBase, segLimit, CR4_VME, CR4_PVI, FLAG_IF, FLAG_TF, FLAG_IOPL, FLAG_VM, FLAG_RF,
  FLAG_VIF, FLAG_VIP, FLAG_NT, FLAG_AC, FLAG_ID, FLAGS_ARITH, FLAG_DF, ATTR_P,
} from "../state";
import { raiseGP, faulted } from "../fault";
import { getEflags, setEflagsMasked } from "../flags";
import { pushOp, popOp, peek16 } from "../stack";
import { readLin16, readLin8, beginSupervisor, endSupervisor, refreshAlignCheck } from "../memory";
import { endSlice } from "../run";
import { protectedMode, v86Mode, iopl } from "./mode";
import { ioWatchMask, ioWatchAccess } from "./watch";
import { opsize32 } from "../decode";

// The bits POPF and IRET may ever change (bit 1 always reads 1; bits 3, 5, 15, 22..31 are 0).
export const EFLAGS_WRITABLE: u32 = FLAGS_ARITH | FLAG_TF | FLAG_IF | FLAG_DF | FLAG_IOPL | FLAG_NT |
  FLAG_RF | FLAG_VM | FLAG_AC | FLAG_VIF | FLAG_VIP | FLAG_ID;

export function opHlt(): void {
  // HLT is privileged: CPL 0 only (virtual-8086 mode runs at CPL 3).
  if (protectedMode() && cpl() != 0) { raiseGP(0); return; }
  store<u32>(HALTED, 1);
  endSlice((load<u32>(FLAGS_BITS) & FLAG_IF) != 0 ? EXIT_HLT : EXIT_HLT_NOIRQ);
}

// CLI/STI: IOPL decides in protected and virtual-8086 mode; with CR4.PVI at CPL 3 or CR4.VME in
// virtual-8086 mode the virtual flag VIF is used instead (SDM Vol. 2 CLI/STI decision tables).
export function opCli(): void {
  if (protectedMode()) {
    if (iopl() < (v86Mode() ? 3 : cpl())) {
      const vme = v86Mode() ? (cr4() & CR4_VME) != 0 : cpl() == 3 && (cr4() & CR4_PVI) != 0;
      if (!vme) { raiseGP(0); return; }
      setEflagsMasked(0, FLAG_VIF);
      return;
    }
  }
  setEflagsMasked(0, FLAG_IF);
}
export function opSti(): void {
  const f = load<u32>(FLAGS_BITS);
  if (protectedMode()) {
    if (iopl() < (v86Mode() ? 3 : cpl())) {
      const vme = v86Mode() ? (cr4() & CR4_VME) != 0 : cpl() == 3 && (cr4() & CR4_PVI) != 0;
      if (!vme || (f & FLAG_VIP) != 0) { raiseGP(0); return; }
      setEflagsMasked(FLAG_VIF, FLAG_VIF);
      return;
    }
  }
  // Interrupts stay blocked until after the next instruction, but only when STI changed IF
  // from 0 to 1 (SDM Vol. 2 STI).
  if ((f & FLAG_IF) == 0) store<u32>(INHIBIT_IRQ, 1);
  setEflagsMasked(FLAG_IF, FLAG_IF);
}

// PUSHF/PUSHFD: VM and RF read as 0 in the pushed image (SDM Vol. 2 PUSHF). In virtual-8086 mode
// with IOPL < 3, only the 16-bit form with CR4.VME works: it pushes VIF in place of IF and
// IOPL as 3.
export function opPushf(): void {
  const op32 = opsize32;
  let f = getEflags();
  if (v86Mode() && iopl() < 3) {
    if (op32 || (cr4() & CR4_VME) == 0) { raiseGP(0); return; }
    f = (f & ~FLAG_IF) | ((f & FLAG_VIF) != 0 ? FLAG_IF : 0) | FLAG_IOPL;
    pushOp(f & 0xffff, false);
    return;
  }
  pushOp(op32 ? f & 0x00fcffff : f & 0xffff, op32);
}

// POPF/POPFD (SDM Vol. 2 POPF operation).
export function opPopf(): void {
  const op32 = opsize32;
  const cur = getEflags();
  if (v86Mode() && iopl() < 3) {
    if (op32 || (cr4() & CR4_VME) == 0) { raiseGP(0); return; }
    const v = peek16(0);
    if (faulted) return;
    // With VME: a set TF, or IF set while a virtual interrupt is pending, is refused.
    if ((v & FLAG_TF) != 0 || ((v & FLAG_IF) != 0 && (cur & FLAG_VIP) != 0)) { raiseGP(0); return; }
    popOp(false);
    const mask: u32 = 0xffff & ~(FLAG_IOPL | FLAG_IF);
    setEflagsMasked((v & mask) | ((v & FLAG_IF) != 0 ? FLAG_VIF : 0), mask | FLAG_VIF);
    return;
  }
  const v = popOp(op32);
  if (faulted) return;
  // VM, VIP and VIF never change through POPF; RF is cleared.
  let mask: u32 = EFLAGS_WRITABLE & ~(FLAG_VM | FLAG_VIP | FLAG_VIF);
  if (protectedMode()) {
    if (v86Mode()) mask &= ~FLAG_IOPL; // IOPL 3 here: IOPL itself is protected
    else {
      if (cpl() > 0) mask &= ~FLAG_IOPL;
      if (cpl() > iopl()) mask &= ~FLAG_IF;
    }
  }
  if (!op32) mask &= 0xffff;
  setEflagsMasked(v & ~FLAG_RF, mask);
  refreshAlignCheck(); // EFLAGS.AC
}

// Port access: allowed in real mode, and in protected mode when CPL <= IOPL; otherwise (and always
// in virtual-8086 mode) every bit of the TSS I/O permission bitmap covering the `size` ports must
// be clear (SDM Vol. 1 19.5.2). Needs a present 32-bit TSS whose limit covers the bitmap bytes.
// Also the point where I/O breakpoints (DR7 R/W = 10 with CR4.DE) see every port access.
export function ioAllowed(port: u32, size: u32): bool {
  if (ioWatchMask != 0) ioWatchAccess(port, size);
  if (!protectedMode()) return true;
  if (!v86Mode() && cpl() <= iopl()) return true;
  const tr = segAttrs(SEG_TR);
  const type = tr & 0xf;
  if ((tr & ATTR_P) == 0 || (type != 9 && type != 11) || segLimit(SEG_TR) < 103) { raiseGP(0); return false; }
  const base = segBase(SEG_TR);
  beginSupervisor();
  const mapOff = readLin16(base + 102);
  if (faulted) { endSupervisor(); return false; }
  const byteOff = mapOff + (port >>> 3);
  // The two bytes holding the bits are read together, so both must lie inside the TSS limit.
  if (byteOff + 1 > segLimit(SEG_TR)) { endSupervisor(); raiseGP(0); return false; }
  const bits = readLin8(base + byteOff) | (readLin8(base + byteOff + 1) << 8);
  endSupervisor();
  if (faulted) return false;
  const mask: u32 = ((1 << size) - 1) << (port & 7);
  if ((bits & mask) != 0) { raiseGP(0); return false; }
  return true;
}

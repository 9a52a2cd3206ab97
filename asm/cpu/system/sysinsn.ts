// Descriptor-table and segment-inspection instructions: 0F 00 (SLDT STR LLDT LTR VERR VERW),
// 0F 01 (SGDT SIDT LGDT LIDT SMSW LMSW INVLPG), LAR, LSL, ARPL, CLTS, INVD/WBINVD
// (SDM Vol. 2 for each; privilege rules in Vol. 3A 2.8 and 5.10).
import {
  GDTR_BASE, GDTR_LIMIT, IDTR_BASE, IDTR_LIMIT, CR0, SEG_LDTR, SEG_TR,
} from "../../layout";
import {
  segSel, segBase, cpl, cr0, setSegCache, CR0_PE, CR0_MP, CR0_EM, CR0_TS, FLAG_ZF,
} from "../state";
import { raise, raiseGP, raiseUD, faulted, EXC_NP } from "../fault";
import { setFlag } from "../flags";
import { tlbFlushPage, tlbFlushAll } from "../memory";
import { probeSegWrite } from "../segaccess";
import { fetchModrm, modrmReg, eaIsReg, eaSeg, eaOff, eaOffPlus, opsize32 } from "../decode";
import { readRm, writeRm, readRegOp, writeRegOp, readMem, writeMem, readRmRmw, writeRmRmw } from "../ops/operand";
import { protectedMode, v86Mode, selErr } from "./mode";
import {
  fetchDescriptor, descHi, descType, descDpl, descPresent, descIsCodeData, descIsCode, descIsConforming,
  descRW, descBase, descLimit, descAttrs, setDescBits, selIsNull, selRpl,
  DT_LDT, DT_TSS16_AVAIL, DT_TSS32_AVAIL, DT_TSS16_BUSY, DT_TSS32_BUSY, DT_CALLGATE16, DT_CALLGATE32, DT_TASKGATE,
} from "./descriptors";

// CPL 0 in protected mode, or real mode (virtual-8086 mode runs at CPL 3).
// @ts-ignore: decorator
@inline function privileged(): bool { return !protectedMode() || cpl() == 0; }

// Store a selector-sized result: 16 bits to memory; a 32-bit register is zero-extended (P6 and
// later processors clear the upper half, SDM Vol. 2 SLDT/STR/SMSW).
function storeSelectorResult(v: u32): void {
  if (eaIsReg) writeRm(opsize32 ? 32 : 16, v);
  else writeMem(eaSeg, eaOff, 16, v);
}

export function op0F00(): void {
  fetchModrm();
  if (faulted) return;
  // All of 0F 00 is unavailable in real-address and virtual-8086 mode.
  if (!protectedMode() || v86Mode()) { raiseUD(); return; }
  switch (modrmReg) {
    case 0: storeSelectorResult(segSel(SEG_LDTR)); return; // SLDT
    case 1: storeSelectorResult(segSel(SEG_TR)); return; // STR
    case 2: { // LLDT
      if (cpl() != 0) { raiseGP(0); return; }
      const sel = readRm(16);
      if (faulted) return;
      lldt(sel);
      return;
    }
    case 3: { // LTR
      if (cpl() != 0) { raiseGP(0); return; }
      const sel = readRm(16);
      if (faulted) return;
      ltr(sel);
      return;
    }
    case 4: case 5: { // VERR, VERW
      const sel = readRm(16);
      if (faulted) return;
      setFlag(FLAG_ZF, verify(sel, modrmReg == 5));
      return;
    }
    default: raiseUD();
  }
}

function lldt(sel: u32): void {
  if (selIsNull(sel)) { setSegCache(SEG_LDTR, sel, 0, 0, 0); return; }
  if ((sel & 4) != 0) { raiseGP(selErr(sel)); return; }
  if (!fetchDescriptor(sel)) { if (!faulted) raiseGP(selErr(sel)); return; }
  if (descType() != DT_LDT) { raiseGP(selErr(sel)); return; }
  if (!descPresent()) { raise(EXC_NP, selErr(sel)); return; }
  setSegCache(SEG_LDTR, sel, descBase(), descLimit(), descAttrs());
}

function ltr(sel: u32): void {
  if (selIsNull(sel)) { raiseGP(0); return; }
  if ((sel & 4) != 0) { raiseGP(selErr(sel)); return; }
  if (!fetchDescriptor(sel)) { if (!faulted) raiseGP(selErr(sel)); return; }
  const t = descType();
  if (t != DT_TSS16_AVAIL && t != DT_TSS32_AVAIL) { raiseGP(selErr(sel)); return; }
  if (!descPresent()) { raise(EXC_NP, selErr(sel)); return; }
  setDescBits(0x200); // busy
  if (faulted) return;
  setSegCache(SEG_TR, sel, descBase(), descLimit(), descAttrs());
}

// VERR/VERW: ZF=1 when the segment is readable / writable at the current CPL and the
// selector's RPL (conforming code is readable from any level).
function verify(sel: u32, write: bool): bool {
  if (selIsNull(sel)) return false;
  if (!fetchDescriptor(sel)) return false; // a page fault on the table read stays raised
  if (!descIsCodeData()) return false;
  if (write) {
    if (descIsCode() || !descRW()) return false;
  } else if (descIsCode() && !descRW()) return false;
  if (!(descIsCode() && descIsConforming() && !write)) {
    const dpl = descDpl();
    if (dpl < cpl() || dpl < selRpl(sel)) return false;
  }
  return true;
}

export function op0F01(): void {
  fetchModrm();
  if (faulted) return;
  const r = modrmReg;
  switch (r) {
    case 0: case 1: { // SGDT, SIDT: limit then the full 32-bit base (SDM Vol. 2 SGDT)
      if (eaIsReg) { raiseUD(); return; }
      const lim = load<u32>(r == 0 ? GDTR_LIMIT : IDTR_LIMIT);
      const base = load<u32>(r == 0 ? GDTR_BASE : IDTR_BASE);
      // Both parts are checked before either is written.
      probeTableRegStore();
      if (faulted) return;
      writeMem(eaSeg, eaOff, 16, lim);
      writeMem(eaSeg, eaOffPlus(2), 32, base);
      return;
    }
    case 2: case 3: { // LGDT, LIDT: a 16-bit operand size keeps only 24 bits of the base
      if (eaIsReg) { raiseUD(); return; }
      if (!privileged()) { raiseGP(0); return; }
      const lim = readMem(eaSeg, eaOff, 16);
      if (faulted) return;
      let base = readMem(eaSeg, eaOffPlus(2), 32);
      if (faulted) return;
      if (!opsize32) base &= 0xffffff;
      store<u32>(r == 2 ? GDTR_LIMIT : IDTR_LIMIT, lim);
      store<u32>(r == 2 ? GDTR_BASE : IDTR_BASE, base);
      return;
    }
    case 4: // SMSW: the low word of CR0 to memory, all of CR0 to a 32-bit register
      if (eaIsReg) writeRm(opsize32 ? 32 : 16, opsize32 ? cr0() : cr0() & 0xffff);
      else writeMem(eaSeg, eaOff, 16, cr0() & 0xffff);
      return;
    case 6: { // LMSW: PE, MP, EM, TS only; PE can be set but not cleared
      if (!privileged()) { raiseGP(0); return; }
      const v = readRm(16);
      if (faulted) return;
      const old = cr0();
      const bits: u32 = CR0_PE | CR0_MP | CR0_EM | CR0_TS;
      const nv = (old & ~(CR0_MP | CR0_EM | CR0_TS)) | (v & bits) | (old & CR0_PE);
      store<u32>(CR0, nv);
      if (((nv ^ old) & CR0_PE) != 0) tlbFlushAll();
      return;
    }
    case 7: { // INVLPG
      if (eaIsReg) { raiseUD(); return; }
      if (!privileged()) { raiseGP(0); return; }
      tlbFlushPage(segBase(eaSeg) + eaOff);
      return;
    }
    default: raiseUD();
  }
}
// A 6-byte store destination must be writable as a whole before the first part is stored.
function probeTableRegStore(): void {
  probeSegWrite(eaSeg, eaOff, 2);
  if (faulted) return;
  probeSegWrite(eaSeg, eaOffPlus(2), 4);
}

// LAR and LSL: ZF=1 and the access rights / limit when the descriptor is of a type the
// instruction accepts and visible at CPL and RPL (conforming code is always visible).
function inspect(forLimit: bool): bool {
  const sel = readRm(16);
  if (faulted) return false;
  if (selIsNull(sel)) return false;
  if (!fetchDescriptor(sel)) return false;
  if (descIsCodeData()) {
    if (!(descIsCode() && descIsConforming())) {
      const dpl = descDpl();
      if (dpl < cpl() || dpl < selRpl(sel)) return false;
    }
    return true;
  }
  const t = descType();
  let ok = t == DT_LDT || t == DT_TSS16_AVAIL || t == DT_TSS16_BUSY || t == DT_TSS32_AVAIL || t == DT_TSS32_BUSY;
  if (!forLimit) ok = ok || t == DT_CALLGATE16 || t == DT_CALLGATE32 || t == DT_TASKGATE;
  if (!ok) return false;
  const dpl = descDpl();
  return dpl >= cpl() && dpl >= selRpl(sel);
}

export function opLar(): void {
  fetchModrm();
  if (faulted) return;
  if (!protectedMode() || v86Mode()) { raiseUD(); return; }
  const ok = inspect(false);
  if (faulted) return;
  if (ok) writeRegOp(opsize32 ? 32 : 16, opsize32 ? descHi & 0x00f0ff00 : descHi & 0xff00);
  setFlag(FLAG_ZF, ok);
}
export function opLsl(): void {
  fetchModrm();
  if (faulted) return;
  if (!protectedMode() || v86Mode()) { raiseUD(); return; }
  const ok = inspect(true);
  if (faulted) return;
  if (ok) writeRegOp(opsize32 ? 32 : 16, descLimit());
  setFlag(FLAG_ZF, ok);
}

// ARPL r/m16, r16: raise the RPL of the destination to that of the source (protected mode only).
export function opArpl(): void {
  fetchModrm();
  if (faulted) return;
  if (!protectedMode() || v86Mode()) { raiseUD(); return; }
  const dst = readRmRmw(16);
  if (faulted) return;
  const src = readRegOp(16);
  if ((dst & 3) < (src & 3)) {
    writeRmRmw(16, (dst & 0xfffc) | (src & 3));
    if (faulted) return;
    setFlag(FLAG_ZF, true);
  } else setFlag(FLAG_ZF, false);
}

export function opClts(): void {
  if (!privileged()) { raiseGP(0); return; }
  store<u32>(CR0, cr0() & ~CR0_TS);
}
// INVD and WBINVD: there is no cache to model; both are privileged.
export function opInvd(): void {
  if (!privileged()) { raiseGP(0); return; }
}

// Segment register loads: MOV Sreg, POP Sreg, LDS/LES/LFS/LGS/LSS, and the data-segment part of
// far transfers (SDM Vol. 3A 3.4, 5.4 to 5.6; Vol. 2 MOV and POP pseudocode).
import { SEG_CS, SEG_SS, SEG_DS, SEG_ES, SEG_FS, SEG_GS } from "../../layout";
import { setSegCache, segBase, segLimit, segAttrs, segSel, cpl, ATTR_P, ATTR_DB, ATTR_G, ATTR_CODE, ATTR_DC } from "../state";
import { raise, faulted, EXC_GP, EXC_SS, EXC_NP } from "../fault";
import { protectedMode, v86Mode, selErr } from "./mode";
import { noteSsLoad } from "./debug";
import {
  fetchDescriptor, descHi, descDpl, descPresent, descIsCodeData, descIsCode, descIsConforming, descRW,
  descBase, descLimit, descAttrs, setAccessedBit, selIsNull, selRpl,
} from "./descriptors";

// Attributes of a real-mode load: present, DPL 0, read/write data, accessed. The limit and the
// G and D/B bits are left as they were, which is what "unreal mode" relies on (a limit loaded in
// protected mode survives the return to real mode; SDM Vol. 3A 9.9.2 asks software to reload
// 64 KiB segments before leaving protected mode for exactly that reason).
const REAL_ATTRS_LOW: u32 = 0x93;
// Virtual-8086 mode: every load sets a 64 KiB, DPL 3, read/write data segment (SDM Vol. 3A 20.1.1).
export const V86_ATTRS: u32 = 0xf3;

export function loadSegReal(seg: i32, sel: u32): void {
  setSegCache(seg, sel, (sel & 0xffff) << 4, segLimit(seg), (segAttrs(seg) & (ATTR_DB | ATTR_G)) | REAL_ATTRS_LOW);
}
export function loadSegV86(seg: i32, sel: u32): void {
  setSegCache(seg, sel, (sel & 0xffff) << 4, 0xffff, V86_ATTRS);
}
// A null selector in DS/ES/FS/GS: the register holds it, and the cache is marked unusable by
// clearing P so that segaccess.ts raises #GP(0) on any use (SDM Vol. 3A 5.4.1). Base and limit
// are left as they were, so a later real-mode load (which keeps the limit) finds a sane one.
export function loadSegNull(seg: i32, sel: u32): void {
  setSegCache(seg, sel, segBase(seg), segLimit(seg), segAttrs(seg) & ~ATTR_P);
}
// Load the cache from the descriptor in descLo/descHi.
export function loadSegFromDesc(seg: i32, sel: u32): void {
  setSegCache(seg, sel, descBase(), descLimit(), descAttrs());
}

// Protected-mode checks for SS (SDM Vol. 2 MOV: "IF SS is loaded").
// Raises the exception and returns false on failure; on success the descriptor is in descLo/Hi
// (the caller sets its accessed bit once nothing else can fault).
export function checkSsDescriptor(sel: u32, newCpl: u32, errVec: i32): bool {
  if (selIsNull(sel)) { raise(errVec, 0); return false; }
  if (!fetchDescriptor(sel)) { if (!faulted) raise(errVec, selErr(sel)); return false; }
  if (selRpl(sel) != newCpl || !descIsCodeData() || descIsCode() || !descRW() || descDpl() != newCpl) {
    raise(errVec, selErr(sel)); return false;
  }
  if (!descPresent()) { raise(EXC_SS, selErr(sel)); return false; }
  return true;
}

// Protected-mode checks for DS/ES/FS/GS. Returns false (after raising) on failure; returns true
// with `nullLoaded` set when sel is null.
export let nullLoaded: bool = false;
export function checkDataDescriptor(sel: u32, curCpl: u32): bool {
  nullLoaded = false;
  if (selIsNull(sel)) { nullLoaded = true; return true; }
  if (!fetchDescriptor(sel)) { if (!faulted) raise(EXC_GP, selErr(sel)); return false; }
  // Data, or readable code.
  if (!descIsCodeData() || (descIsCode() && !descRW())) { raise(EXC_GP, selErr(sel)); return false; }
  // Data and non-conforming code: RPL and CPL must both be <= DPL.
  if (!descIsConforming()) {
    const dpl = descDpl();
    if (selRpl(sel) > dpl || curCpl > dpl) { raise(EXC_GP, selErr(sel)); return false; }
  }
  if (!descPresent()) { raise(EXC_NP, selErr(sel)); return false; }
  return true;
}

export function loadSeg(seg: i32, sel: u32): void {
  sel &= 0xffff;
  if (seg == SEG_SS) noteSsLoad();
  if (!protectedMode()) { loadSegReal(seg, sel); return; }
  if (v86Mode()) { loadSegV86(seg, sel); return; }
  if (seg == SEG_SS) {
    if (!checkSsDescriptor(sel, cpl(), EXC_GP)) return;
    setAccessedBit();
    if (faulted) return;
    loadSegFromDesc(SEG_SS, sel);
    return;
  }
  if (!checkDataDescriptor(sel, cpl())) return;
  if (nullLoaded) { loadSegNull(seg, sel); return; }
  setAccessedBit();
  if (faulted) return;
  loadSegFromDesc(seg, sel);
}

// On a return to an outer privilege level (RET, IRET), data segment registers that the new CPL
// may not use are nulled (SDM Vol. 2 RET "RETURN-TO-OUTER-PRIVILEGE-LEVEL"): a register whose
// cached descriptor is data or non-conforming code with DPL < new CPL.
export function nullInaccessibleDataSegs(newCpl: u32): void {
  nullIfInaccessible(SEG_ES, newCpl);
  nullIfInaccessible(SEG_DS, newCpl);
  nullIfInaccessible(SEG_FS, newCpl);
  nullIfInaccessible(SEG_GS, newCpl);
}
function nullIfInaccessible(seg: i32, newCpl: u32): void {
  const a = segAttrs(seg);
  if ((a & ATTR_P) == 0) return;
  const conformingCode = (a & (ATTR_CODE | ATTR_DC)) == (ATTR_CODE | ATTR_DC);
  const dpl = (a >>> 5) & 3;
  if (!conformingCode && dpl < newCpl) loadSegNull(seg, 0);
}

// Small accessors for the far-transfer code.
export function currentSsIs32(): bool { return (segAttrs(SEG_SS) & ATTR_DB) != 0; }
export function csSelector(): u32 { return segSel(SEG_CS); }

// Protected-mode far JMP, far CALL and far RET (SDM Vol. 2 JMP, CALL and RET pseudocode;
// Vol. 3A 5.8): direct transfers to conforming and non-conforming code segments, call gates
// (with the stack switch and parameter copy of an inner-privilege CALL), task gates and TSS
// descriptors (task switches, tasks.ts), and returns to the same or an outer privilege level.
import { EIP, SEG_CS, SEG_SS } from "../../layout";
import { reg32, setReg32, segSel, segAttrs, cpl, setSegCache, ESP, ATTR_DB } from "../state";
import { raise, raiseGP, faulted, EXC_GP, EXC_NP, EXC_SS, NO_ERRCODE } from "../fault";
import { setCpl } from "../memory";
import { selErr } from "./mode";
import {
  fetchDescriptor, descLo, descHi, descType, descDpl, descPresent, descIsCodeData, descIsCode,
  descIsConforming, descRW, descBase, descLimit, descAttrs, setAccessedBit, selIsNull, selRpl,
  restoreDescriptor, gateSelector, gateOffset, gateParamCount,
  DT_TSS16_AVAIL, DT_TSS32_AVAIL, DT_CALLGATE16, DT_CALLGATE32, DT_TASKGATE,
} from "./descriptors";
import { nullInaccessibleDataSegs } from "./segments";
import { frameOnStack, frameOnCurrentStack, framePush, frameSp, stackRead } from "./auxstack";
import { readInnerStack, innerSs, innerEsp, checkInnerSs, taskSwitch, SWITCH_JMP, SWITCH_CALL } from "./tasks";

// Load CS from the descriptor in descLo/descHi with RPL = the given privilege.
function commitCs(sel: u32, rpl: u32, off: u32): void {
  setSegCache(SEG_CS, (sel & 0xfffc) | rpl, descBase(), descLimit(), descAttrs());
  store<u32>(EIP, off);
}

// Privilege checks on a directly named code segment (JMP/CALL ptr16:xx): conforming needs
// DPL <= CPL; non-conforming needs RPL <= CPL and DPL = CPL.
function directCodeOk(sel: u32): bool {
  const c = cpl();
  if (descIsConforming()) { if (descDpl() > c) { raiseGP(selErr(sel)); return false; } }
  else if (selRpl(sel) > c || descDpl() != c) { raiseGP(selErr(sel)); return false; }
  if (!descPresent()) { raise(EXC_NP, selErr(sel)); return false; }
  return true;
}

// The gate (call or task) or TSS descriptor itself: DPL >= CPL and DPL >= RPL, present.
function gateOk(sel: u32): bool {
  const dpl = descDpl();
  if (dpl < cpl() || dpl < selRpl(sel)) { raiseGP(selErr(sel)); return false; }
  if (!descPresent()) { raise(EXC_NP, selErr(sel)); return false; }
  return true;
}

// Target of a call gate: a present code segment with DPL <= CPL (JMP also needs a
// non-conforming target to have DPL = CPL).
function gateTargetOk(codeSel: u32, isJmp: bool): bool {
  if (selIsNull(codeSel)) { raiseGP(0); return false; }
  if (!fetchDescriptor(codeSel)) { if (!faulted) raiseGP(selErr(codeSel)); return false; }
  if (!descIsCode() || descDpl() > cpl()) { raiseGP(selErr(codeSel)); return false; }
  if (isJmp && !descIsConforming() && descDpl() != cpl()) { raiseGP(selErr(codeSel)); return false; }
  if (!descPresent()) { raise(EXC_NP, selErr(codeSel)); return false; }
  return true;
}

function taskTarget(sel: u32, type: u32, source: i32): void {
  if (!gateOk(sel)) return;
  let tssSel = sel;
  if (type == DT_TASKGATE) tssSel = gateSelector();
  taskSwitch(tssSel, source, NO_ERRCODE);
}

// Common front: fetch the descriptor named by a far pointer.
function fetchTarget(sel: u32): bool {
  if (selIsNull(sel)) { raiseGP(0); return false; }
  if (!fetchDescriptor(sel)) { if (!faulted) raiseGP(selErr(sel)); return false; }
  return true;
}

export function pmFarJump(sel: u32, off: u32, op32: bool): void {
  if (!fetchTarget(sel)) return;
  if (descIsCodeData()) {
    if (!descIsCode()) { raiseGP(selErr(sel)); return; }
    if (!directCodeOk(sel)) return;
    const ip = op32 ? off : off & 0xffff;
    if (ip > descLimit()) { raiseGP(0); return; }
    setAccessedBit();
    if (faulted) return;
    commitCs(sel, cpl(), ip);
    return;
  }
  const type = descType();
  if (type == DT_CALLGATE16 || type == DT_CALLGATE32) {
    if (!gateOk(sel)) return;
    const ip = gateOffset(type == DT_CALLGATE32);
    const codeSel = gateSelector();
    if (!gateTargetOk(codeSel, true)) return;
    if (ip > descLimit()) { raiseGP(0); return; }
    setAccessedBit();
    if (faulted) return;
    commitCs(codeSel, cpl(), ip);
    return;
  }
  if (type == DT_TASKGATE || type == DT_TSS16_AVAIL || type == DT_TSS32_AVAIL) {
    taskTarget(sel, type, SWITCH_JMP);
    return;
  }
  raiseGP(selErr(sel));
}

export function pmFarCall(sel: u32, off: u32, op32: bool): void {
  if (!fetchTarget(sel)) return;
  if (descIsCodeData()) {
    if (!descIsCode()) { raiseGP(selErr(sel)); return; }
    if (!directCodeOk(sel)) return;
    const ip = op32 ? off : off & 0xffff;
    const size: u32 = op32 ? 4 : 2;
    frameOnCurrentStack(0);
    framePush(segSel(SEG_CS), size);
    framePush(load<u32>(EIP), size);
    if (faulted) return;
    if (ip > descLimit()) { raiseGP(0); return; }
    setAccessedBit();
    if (faulted) return;
    setReg32(ESP, frameSp());
    commitCs(sel, cpl(), ip);
    return;
  }
  const type = descType();
  if (type == DT_CALLGATE16 || type == DT_CALLGATE32) {
    if (!gateOk(sel)) return;
    const is32 = type == DT_CALLGATE32;
    const ip = gateOffset(is32);
    const params = gateParamCount();
    const codeSel = gateSelector();
    if (!gateTargetOk(codeSel, false)) return;
    const dpl = descDpl();
    if (!descIsConforming() && dpl < cpl()) callGateInner(codeSel, dpl, ip, is32, params);
    else callGateSame(codeSel, ip, is32);
    return;
  }
  if (type == DT_TASKGATE || type == DT_TSS16_AVAIL || type == DT_TSS32_AVAIL) {
    taskTarget(sel, type, SWITCH_CALL);
    return;
  }
  raiseGP(selErr(sel));
}

function callGateSame(codeSel: u32, ip: u32, is32: bool): void {
  const size: u32 = is32 ? 4 : 2;
  frameOnCurrentStack(0);
  framePush(segSel(SEG_CS), size);
  framePush(load<u32>(EIP), size);
  if (faulted) return;
  if (ip > descLimit()) { raiseGP(0); return; }
  setAccessedBit();
  if (faulted) return;
  setReg32(ESP, frameSp());
  commitCs(codeSel, cpl(), ip);
}

// CALL through a gate to a more privileged non-conforming segment: switch to the stack for the
// new CPL from the TSS, push the caller's SS:ESP, copy `params` words or dwords from the
// caller's stack, then push CS:EIP (SDM Vol. 3A 5.8.5, Figure 5-13).
function callGateInner(codeSel: u32, dpl: u32, ip: u32, is32: bool, params: u32): void {
  const csLo = descLo, csHi = descHi;
  const size: u32 = is32 ? 4 : 2;
  if (!readInnerStack(dpl)) return;
  const ssSel = innerSs, sp = innerEsp;
  if (!checkInnerSs(ssSel, dpl)) return;
  const ssLo = descLo, ssHi = descHi;
  const ssBase = descBase(), ssLimit = descLimit(), ssAttrs = descAttrs();
  // The code segment limit is checked before anything is pushed.
  restoreDescriptor(csLo, csHi, codeSel);
  if (ip > descLimit()) { raiseGP(0); return; }
  frameOnStack(ssBase, ssLimit, ssAttrs, (ssAttrs & ATTR_DB) != 0 ? sp : sp & 0xffff, selErr(ssSel), true);
  framePush(segSel(SEG_SS), size);
  framePush(reg32(ESP), size);
  for (let i: i32 = <i32>params - 1; i >= 0; i--) {
    const v = stackRead(<u32>i * size, size, 0);
    if (faulted) return;
    framePush(v, size);
  }
  framePush(segSel(SEG_CS), size);
  framePush(load<u32>(EIP), size);
  if (faulted) return;
  restoreDescriptor(ssLo, ssHi, ssSel);
  setAccessedBit();
  if (faulted) return;
  restoreDescriptor(csLo, csHi, codeSel);
  setAccessedBit();
  if (faulted) return;
  setSegCache(SEG_SS, ssSel, ssBase, ssLimit, ssAttrs);
  setReg32(ESP, frameSp());
  commitCs(codeSel, dpl, ip);
  setCpl(dpl);
}

// Checks on the code segment a RET or IRET returns to (SDM Vol. 2 RET "PROTECTED-MODE"):
// RPL >= CPL, conforming DPL <= RPL, non-conforming DPL = RPL, present.
export function returnCsOk(sel: u32): bool {
  if (selIsNull(sel)) { raiseGP(0); return false; }
  if (!fetchDescriptor(sel)) { if (!faulted) raiseGP(selErr(sel)); return false; }
  if (!descIsCode()) { raiseGP(selErr(sel)); return false; }
  const rpl = selRpl(sel);
  if (rpl < cpl()) { raiseGP(selErr(sel)); return false; }
  if (descIsConforming() ? descDpl() > rpl : descDpl() != rpl) { raiseGP(selErr(sel)); return false; }
  if (!descPresent()) { raise(EXC_NP, selErr(sel)); return false; }
  return true;
}
// Checks on the SS a return to an outer level loads: RPL = return CS RPL, writable data with
// DPL = that RPL, present (else #SS).
export function returnSsOk(sel: u32, rpl: u32): bool {
  if (selIsNull(sel)) { raiseGP(0); return false; }
  if (!fetchDescriptor(sel)) { if (!faulted) raiseGP(selErr(sel)); return false; }
  if (selRpl(sel) != rpl || !descIsCodeData() || descIsCode() || !descRW() || descDpl() != rpl) {
    raiseGP(selErr(sel)); return false;
  }
  if (!descPresent()) { raise(EXC_SS, selErr(sel)); return false; }
  return true;
}

export function pmFarReturn(op32: bool, popBytes: u32): void {
  const size: u32 = op32 ? 4 : 2;
  const ip = stackRead(0, size, 0);
  if (faulted) return;
  const sel = stackRead(size, size, 0) & 0xffff; // a whole slot: the limit check covers it all
  if (faulted) return;
  if (!returnCsOk(sel)) return;
  const csLo = descLo, csHi = descHi;
  const rpl = selRpl(sel);
  if (rpl == cpl()) {
    if (ip > descLimit()) { raiseGP(0); return; }
    setAccessedBit();
    if (faulted) return;
    setReg32(ESP, spAfter(reg32(ESP), size * 2 + popBytes, (segAttrs(SEG_SS) & ATTR_DB) != 0));
    commitCs(sel, rpl, ip);
    return;
  }
  // Return to an outer privilege level: the caller's SS:ESP sits above the parameters.
  const retSp = stackRead(size * 2 + popBytes, size, 0);
  if (faulted) return;
  const retSs = stackRead(size * 3 + popBytes, size, 0) & 0xffff;
  if (faulted) return;
  if (!returnSsOk(retSs, rpl)) return;
  const ssLo = descLo, ssHi = descHi;
  const ssBase = descBase(), ssLimit = descLimit(), ssAttrs = descAttrs();
  restoreDescriptor(csLo, csHi, sel);
  if (ip > descLimit()) { raiseGP(0); return; }
  setAccessedBit();
  if (faulted) return;
  restoreDescriptor(ssLo, ssHi, retSs);
  setAccessedBit();
  if (faulted) return;
  restoreDescriptor(csLo, csHi, sel);
  commitCs(sel, rpl, ip);
  setSegCache(SEG_SS, retSs, ssBase, ssLimit, ssAttrs);
  // The imm16 also releases the parameters on the caller's stack.
  const big = (ssAttrs & ATTR_DB) != 0;
  const newSp = big ? retSp : (reg32(ESP) & 0xffff0000) | (retSp & 0xffff);
  setReg32(ESP, spAfter(newSp, popBytes, big));
  setCpl(rpl);
  nullInaccessibleDataSegs(rpl);
}

// ESP moved by delta, wrapped to 16 bits for a 16-bit stack.
export function spAfter(sp: u32, delta: u32, big: bool): u32 {
  return big ? sp + delta : (sp & 0xffff0000) | ((sp + delta) & 0xffff);
}

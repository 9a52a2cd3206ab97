// Protected-mode IRET/IRETD (SDM Vol. 2 IRET "PROTECTED-MODE"): nested-task return through the
// back link when NT=1, return to virtual-8086 mode (CPL 0, VM set in the popped EFLAGS), and
// returns to the same or an outer privilege level.
import { EIP, SEG_CS, SEG_SS, SEG_ES, SEG_DS, SEG_FS, SEG_GS, SEG_TR } from "../../layout";
import {
  reg32, setReg32, segAttrs, segBase, cpl, setSegCache, ESP, ATTR_DB, FLAG_NT, FLAG_VM, FLAG_IF, FLAG_IOPL,
  FLAG_RF, FLAG_AC, FLAG_ID, FLAG_VIF, FLAG_VIP, FLAGS_ARITH, FLAG_TF, FLAG_DF,
} from "../state";
import { raiseGP, faulted, NO_ERRCODE } from "../fault";
import { getEflags, setEflags, setEflagsMasked } from "../flags";
import { readLin16, beginSupervisor, endSupervisor, setCpl } from "../memory";
import { iopl } from "./mode";
import { descLo, descHi, descBase, descLimit, descAttrs, setAccessedBit, selRpl, restoreDescriptor } from "./descriptors";
import { loadSegV86, nullInaccessibleDataSegs } from "./segments";
import { stackRead } from "./auxstack";
import { taskSwitch, SWITCH_IRET } from "./tasks";
import { returnCsOk, returnSsOk, spAfter } from "./protxfer";

export function pmIret(op32: bool): void {
  if ((getEflags() & FLAG_NT) != 0) {
    // Nested task: return to the task named by the back link of the current TSS.
    beginSupervisor();
    const link = readLin16(segBase(SEG_TR));
    endSupervisor();
    if (faulted) return;
    taskSwitch(link, SWITCH_IRET, NO_ERRCODE);
    return;
  }
  const size: u32 = op32 ? 4 : 2;
  const ip = stackRead(0, size, 0);
  if (faulted) return;
  const sel = stackRead(size, size, 0) & 0xffff; // a whole slot: the limit check covers it all
  if (faulted) return;
  const fl = stackRead(size * 2, size, 0);
  if (faulted) return;
  if (op32 && (fl & FLAG_VM) != 0 && cpl() == 0) { returnToV86(ip, sel, fl); return; }
  if (!returnCsOk(sel)) return;
  const csLo = descLo, csHi = descHi;
  const rpl = selRpl(sel);
  const oldCpl = cpl();
  if (rpl == oldCpl) {
    if (ip > descLimit()) { raiseGP(0); return; }
    setAccessedBit();
    if (faulted) return;
    setReg32(ESP, spAfter(reg32(ESP), size * 3, (segAttrs(SEG_SS) & ATTR_DB) != 0));
    setSegCache(SEG_CS, sel, descBase(), descLimit(), descAttrs());
    store<u32>(EIP, ip);
    loadIretFlags(fl, op32, oldCpl);
    return;
  }
  const retSp = stackRead(size * 3, size, 0);
  if (faulted) return;
  const retSs = stackRead(size * 4, size, 0) & 0xffff;
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
  setSegCache(SEG_CS, sel, descBase(), descLimit(), descAttrs());
  store<u32>(EIP, ip);
  loadIretFlags(fl, op32, oldCpl);
  setSegCache(SEG_SS, retSs, ssBase, ssLimit, ssAttrs);
  const big = (ssAttrs & ATTR_DB) != 0;
  setReg32(ESP, big ? retSp : (reg32(ESP) & 0xffff0000) | (retSp & 0xffff));
  setCpl(rpl);
  nullInaccessibleDataSegs(rpl);
}

// EFLAGS from an IRET frame, by the privilege of the IRET itself (SDM Vol. 2 IRET:
// "RETURN-TO-SAME-PRIVILEGE-LEVEL"): RF, AC and ID only with a 32-bit operand; IF only when
// CPL <= IOPL; IOPL, and with a 32-bit operand VIF and VIP, only at CPL 0; VM never here.
function loadIretFlags(fl: u32, op32: bool, oldCpl: u32): void {
  let mask: u32 = FLAGS_ARITH | FLAG_TF | FLAG_DF | FLAG_NT;
  if (op32) mask |= FLAG_RF | FLAG_AC | FLAG_ID;
  if (oldCpl <= iopl()) mask |= FLAG_IF;
  if (oldCpl == 0) {
    mask |= FLAG_IOPL;
    if (op32) mask |= FLAG_VIF | FLAG_VIP;
  }
  setEflagsMasked(fl, mask);
}

// IRETD at CPL 0 with VM set in the image: the frame continues with ESP, SS, ES, DS, FS, GS
// (SDM Vol. 2 IRET "RETURN-TO-VIRTUAL-8086-MODE"; Vol. 3A 20.2.5).
function returnToV86(ip: u32, sel: u32, fl: u32): void {
  const sp = stackRead(12, 4, 0);
  const ss = faulted ? <u32>0 : stackRead(16, 4, 0);
  const es = faulted ? <u32>0 : stackRead(20, 4, 0);
  const ds = faulted ? <u32>0 : stackRead(24, 4, 0);
  const fs = faulted ? <u32>0 : stackRead(28, 4, 0);
  const gs = faulted ? <u32>0 : stackRead(32, 4, 0);
  if (faulted) return;
  if ((ip & 0xffff0000) != 0) { raiseGP(0); return; }
  setEflags(fl);
  loadSegV86(SEG_CS, sel);
  store<u32>(EIP, ip);
  loadSegV86(SEG_ES, es);
  loadSegV86(SEG_DS, ds);
  loadSegV86(SEG_FS, fs);
  loadSegV86(SEG_GS, gs);
  loadSegV86(SEG_SS, ss);
  setReg32(ESP, sp);
  setCpl(3);
}

// Hardware task switching with 16- and 32-bit TSSs (SDM Vol. 3A 7.3, Table 7-1), and the
// privilege-stack fields of the current TSS used by inter-privilege calls and interrupts.
import {
  EIP, INSN_START_EIP, CR0, CR3, DR, DEBUG_TRAP, SEG_CS, SEG_SS, SEG_DS, SEG_ES, SEG_FS, SEG_GS,
  SEG_LDTR, SEG_TR,
} from "../../layout";
import {
  reg32, setReg32, segSel, segBase, segLimit, segAttrs, setSegCache, cr0, CR0_TS, CR0_PG, FLAG_NT, FLAG_VM,
  FLAG_RF,
} from "../state";
import { raise, faulted, EXC_GP, EXC_TS, EXC_NP, EXC_SS, NO_ERRCODE } from "../fault";
import { getEflags, setEflags } from "../flags";
import {
  readLin16, readLin32, writeLin16, writeLin32, probeWrite, beginSupervisor, endSupervisor, setCpl,
  tlbFlushNonGlobal,
} from "../memory";
import { selErr, extBit } from "./mode";
import {
  fetchDescriptor, descLo, descHi, descType, descDpl, descPresent, descIsCodeData, descIsCode,
  descIsConforming, descRW, descBase, descLimit, descAttrs, descAddr, setAccessedBit, selIsNull, selRpl,
  DT_TSS16_AVAIL, DT_TSS16_BUSY, DT_TSS32_AVAIL, DT_TSS32_BUSY, DT_LDT,
} from "./descriptors";
import { loadSegFromDesc, loadSegV86 } from "./segments";
import { frameOnCurrentStack, framePush, frameSp } from "./auxstack";
import { eflagsForPush } from "./interrupts";
import { DR6_BT, refreshBreakpoints, keepRfForNextInstruction } from "./debug";

export const SWITCH_JMP = 0;
export const SWITCH_CALL = 1;
export const SWITCH_INT = 2; // interrupt or exception through a task gate
export const SWITCH_IRET = 3;

// ---- privilege-level stacks of the current TSS ----
export let innerSs: u32 = 0;
export let innerEsp: u32 = 0;

// SS:ESP for privilege level `dpl` from the current TSS (SDM Vol. 2 CALL/INT "inter-privilege":
// the fields must lie inside the TSS limit, else #TS(current TSS selector)).
export function readInnerStack(dpl: u32): bool {
  const is32 = (segAttrs(SEG_TR) & 8) != 0;
  const base = segBase(SEG_TR);
  const off: u32 = is32 ? 4 + (dpl << 3) : 2 + (dpl << 2);
  if (off + (is32 ? 5 : 3) > segLimit(SEG_TR)) { raise(EXC_TS, selErr(segSel(SEG_TR))); return false; }
  beginSupervisor();
  if (is32) {
    innerEsp = readLin32(base + off);
    innerSs = faulted ? <u32>0 : readLin16(base + off + 4);
  } else {
    innerEsp = readLin16(base + off);
    innerSs = faulted ? <u32>0 : readLin16(base + off + 2);
  }
  endSupervisor();
  return !faulted;
}

// Checks on the inner stack segment named by the TSS (SDM Vol. 2 CALL and INT n): #TS(SS) for
// a null or out-of-table selector, RPL or DPL different from the new CPL, or a segment that is
// not writable data; #SS(SS) if not present. Leaves the descriptor in descLo/descHi.
export function checkInnerSs(ssSel: u32, dpl: u32): bool {
  if (selIsNull(ssSel)) { raise(EXC_TS, <i32>extBit); return false; }
  if (!fetchDescriptor(ssSel)) { if (!faulted) raise(EXC_TS, selErr(ssSel)); return false; }
  if (selRpl(ssSel) != dpl || descDpl() != dpl || !descIsCodeData() || descIsCode() || !descRW()) {
    raise(EXC_TS, selErr(ssSel)); return false;
  }
  if (!descPresent()) { raise(EXC_SS, selErr(ssSel)); return false; }
  return true;
}

// ---- the task switch ----

// The new task's state, read completely before anything is committed.
const newRegs = memory.data(32);
const newSegs = memory.data(24); // ES CS SS DS FS GS selectors
let newEip: u32 = 0;
let newFlags: u32 = 0;
let newCr3: u32 = 0;
let newLdt: u32 = 0;
let newTrap: bool = false;

function tssWriteTarget(base: u32, first: u32, last: u32): void {
  beginSupervisor();
  probeWrite(base + first, last - first + 1);
  endSupervisor();
}

// Switch to the task whose TSS descriptor `sel` names. The caller has done the gate or
// descriptor privilege checks. `errcode` is pushed on the new task's stack for exceptions.
export function taskSwitch(sel: u32, source: i32, errcode: i32): void {
  // New TSS descriptor: GDT only, right type and busy state, present, large enough.
  const errVec = source == SWITCH_IRET ? EXC_TS : EXC_GP;
  if ((sel & 4) != 0) { raise(errVec, selErr(sel)); return; }
  if (!fetchDescriptor(sel)) { if (!faulted) raise(errVec, selErr(sel)); return; }
  const type = descType();
  const wantBusy = source == SWITCH_IRET;
  const okType = wantBusy ? type == DT_TSS16_BUSY || type == DT_TSS32_BUSY
    : type == DT_TSS16_AVAIL || type == DT_TSS32_AVAIL;
  if (!okType) { raise(errVec, selErr(sel)); return; }
  if (!descPresent()) { raise(EXC_NP, selErr(sel)); return; }
  const newIs32 = (type & 8) != 0;
  const nBase = descBase(), nLimit = descLimit();
  const nHi = descHi, nAddr = descAddr;
  const minLimit: u32 = newIs32 ? 0x67 : 0x2b;
  if (nLimit < minLimit) { raise(EXC_TS, selErr(sel)); return; }

  // Read the new task's state (in the old address space).
  beginSupervisor();
  if (newIs32) {
    newCr3 = readLin32(nBase + 28);
    newEip = readLin32(nBase + 32);
    newFlags = readLin32(nBase + 36);
    for (let i: u32 = 0; i < 8; i++) store<u32>(newRegs + (i << 2), readLin32(nBase + 40 + (i << 2)));
    for (let i: u32 = 0; i < 6; i++) store<u32>(newSegs + (i << 2), readLin16(nBase + 72 + (i << 2)));
    newLdt = readLin16(nBase + 96);
    newTrap = (readLin16(nBase + 100) & 1) != 0;
  } else {
    newEip = readLin16(nBase + 14);
    newFlags = readLin16(nBase + 16);
    for (let i: u32 = 0; i < 8; i++) store<u32>(newRegs + (i << 2), readLin16(nBase + 18 + (i << 1)));
    for (let i: u32 = 0; i < 4; i++) store<u32>(newSegs + (i << 2), readLin16(nBase + 34 + (i << 1)));
    store<u32>(newSegs + 16, 0);
    store<u32>(newSegs + 20, 0);
    newLdt = readLin16(nBase + 42);
    newTrap = false;
  }
  endSupervisor();
  if (faulted) return;

  // The old TSS must take the dynamic fields, and the new one the back link.
  const oldSel = segSel(SEG_TR), oBase = segBase(SEG_TR);
  const oldIs32 = (segAttrs(SEG_TR) & 8) != 0;
  if (oldIs32) tssWriteTarget(oBase, 32, 95); else tssWriteTarget(oBase, 14, 41);
  if (faulted) return;
  const nested = source == SWITCH_CALL || source == SWITCH_INT;
  if (nested) { tssWriteTarget(nBase, 0, 1); if (faulted) return; }

  // Old TSS descriptor (its busy bit is cleared by JMP and IRET).
  let oHi: u32 = 0, oAddr: u32 = 0;
  if (source == SWITCH_JMP || source == SWITCH_IRET) {
    if (!fetchDescriptor(oldSel)) { if (!faulted) raise(EXC_TS, selErr(oldSel)); return; }
    oHi = descHi; oAddr = descAddr;
  }

  // ---- commit: save the outgoing task ----
  let flags = source == SWITCH_INT ? eflagsForPush() : getEflags();
  if (source == SWITCH_IRET) flags &= ~FLAG_NT;
  beginSupervisor();
  if (oldIs32) {
    writeLin32(oBase + 32, load<u32>(EIP));
    writeLin32(oBase + 36, flags);
    for (let i: i32 = 0; i < 8; i++) writeLin32(oBase + 40 + (i << 2), reg32(i));
    for (let i: i32 = 0; i < 6; i++) writeLin16(oBase + 72 + (i << 2), segSel(i));
  } else {
    writeLin16(oBase + 14, load<u32>(EIP));
    writeLin16(oBase + 16, flags);
    for (let i: i32 = 0; i < 8; i++) writeLin16(oBase + 18 + (i << 1), reg32(i));
    for (let i: i32 = 0; i < 4; i++) writeLin16(oBase + 34 + (i << 1), segSel(i));
  }
  if (source == SWITCH_JMP || source == SWITCH_IRET) writeLin32(oAddr + 4, oHi & ~0x200);
  let inFlags = newFlags;
  if (nested) {
    writeLin16(nBase, oldSel);
    inFlags |= FLAG_NT;
  }
  let trHi = nHi;
  if (source != SWITCH_IRET) { trHi = nHi | 0x200; writeLin32(nAddr + 4, trHi); }
  endSupervisor();

  // ---- load the incoming task ----
  setSegCache(SEG_TR, sel, nBase, nLimit, (trHi >>> 8) & 0xf0ff);
  store<u32>(CR0, cr0() | CR0_TS);
  if (newIs32 && (cr0() & CR0_PG) != 0) {
    store<u32>(CR3, newCr3);
    tlbFlushNonGlobal();
  }
  store<u32>(EIP, newEip);
  // The new task's faults report its first instruction (see deliverPendingException).
  store<u32>(INSN_START_EIP, newEip);
  setEflags(newIs32 ? inFlags : (getEflags() & 0xffff0000 & ~FLAG_VM) | (inFlags & 0xffff));
  // RF loaded by a JMP/CALL/IRET task switch holds for the new task's first instruction.
  if (source != SWITCH_INT && (getEflags() & FLAG_RF) != 0) keepRfForNextInstruction();
  for (let i: i32 = 0; i < 8; i++) {
    const v = load<u32>(newRegs + (i << 2));
    setReg32(i, newIs32 ? v : (reg32(i) & 0xffff0000) | v);
  }
  // Local breakpoint enables are task-local (SDM Vol. 3A 17.2.4).
  const dr7 = load<u32>(DR + 28);
  if ((dr7 & 0x155) != 0) {
    store<u32>(DR + 28, dr7 & ~0x155);
    refreshBreakpoints();
  }
  if (newTrap) store<u32>(DEBUG_TRAP, load<u32>(DEBUG_TRAP) | DR6_BT);

  // Selectors first; descriptors follow with the checks of Table 7-1, whose faults belong to
  // the new task.
  for (let s: i32 = SEG_ES; s <= SEG_GS; s++) setSegCache(s, load<u32>(newSegs + (s << 2)), 0, 0, 0);
  setSegCache(SEG_LDTR, newLdt, 0, 0, 0);
  const v86 = (getEflags() & FLAG_VM) != 0;
  const csSel = load<u32>(newSegs + (SEG_CS << 2));
  setCpl(v86 ? 3 : selRpl(csSel));
  loadTaskLdt(newLdt);
  if (faulted) return;
  if (v86) {
    for (let s: i32 = SEG_ES; s <= SEG_GS; s++) loadSegV86(s, load<u32>(newSegs + (s << 2)));
  } else {
    loadTaskCs(csSel);
    if (faulted) return;
    loadTaskSs(load<u32>(newSegs + (SEG_SS << 2)));
    if (faulted) return;
    loadTaskData(SEG_DS); if (faulted) return;
    loadTaskData(SEG_ES); if (faulted) return;
    loadTaskData(SEG_FS); if (faulted) return;
    loadTaskData(SEG_GS); if (faulted) return;
  }
  // An exception's error code goes on the new task's stack (SDM Vol. 3A 6.11.3).
  if (errcode != NO_ERRCODE) {
    frameOnCurrentStack(<i32>extBit);
    framePush(<u32>errcode, newIs32 ? 4 : 2);
    if (faulted) return;
    setReg32(4, frameSp());
  }
  if (newEip > segLimit(SEG_CS)) { raise(EXC_GP, <i32>extBit); return; }
}

function loadTaskLdt(ldtSel: u32): void {
  if (selIsNull(ldtSel)) { setSegCache(SEG_LDTR, ldtSel, 0, 0, 0); return; }
  if ((ldtSel & 4) != 0) { raise(EXC_TS, selErr(ldtSel)); return; }
  if (!fetchDescriptor(ldtSel)) { if (!faulted) raise(EXC_TS, selErr(ldtSel)); return; }
  if (descType() != DT_LDT || !descPresent()) { raise(EXC_TS, selErr(ldtSel)); return; }
  setSegCache(SEG_LDTR, ldtSel, descBase(), descLimit(), descAttrs());
}

function loadTaskCs(sel: u32): void {
  if (selIsNull(sel)) { raise(EXC_TS, selErr(sel)); return; }
  if (!fetchDescriptor(sel)) { if (!faulted) raise(EXC_TS, selErr(sel)); return; }
  if (!descIsCode()) { raise(EXC_TS, selErr(sel)); return; }
  const dpl = descDpl(), rpl = selRpl(sel);
  if (descIsConforming() ? dpl > rpl : dpl != rpl) { raise(EXC_TS, selErr(sel)); return; }
  if (!descPresent()) { raise(EXC_NP, selErr(sel)); return; }
  setAccessedBit();
  if (faulted) return;
  loadSegFromDesc(SEG_CS, sel);
}

function loadTaskSs(sel: u32): void {
  const cplNow = selRpl(segSel(SEG_CS));
  if (selIsNull(sel)) { raise(EXC_TS, selErr(sel)); return; }
  if (!fetchDescriptor(sel)) { if (!faulted) raise(EXC_TS, selErr(sel)); return; }
  if (!descIsCodeData() || descIsCode() || !descRW() || descDpl() != cplNow || selRpl(sel) != cplNow) {
    raise(EXC_TS, selErr(sel)); return;
  }
  if (!descPresent()) { raise(EXC_SS, selErr(sel)); return; }
  setAccessedBit();
  if (faulted) return;
  loadSegFromDesc(SEG_SS, sel);
}

function loadTaskData(seg: i32): void {
  const sel = segSel(seg);
  if (selIsNull(sel)) return; // stays unusable
  const cplNow = selRpl(segSel(SEG_CS));
  if (!fetchDescriptor(sel)) { if (!faulted) raise(EXC_TS, selErr(sel)); return; }
  if (!descIsCodeData() || (descIsCode() && !descRW())) { raise(EXC_TS, selErr(sel)); return; }
  if (!descIsConforming()) {
    const dpl = descDpl();
    if (dpl < cplNow || dpl < selRpl(sel)) { raise(EXC_TS, selErr(sel)); return; }
  }
  if (!descPresent()) { raise(EXC_NP, selErr(sel)); return; }
  setAccessedBit();
  if (faulted) return;
  loadSegFromDesc(seg, sel);
}

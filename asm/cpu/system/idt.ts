// Protected-mode and virtual-8086-mode event delivery through the IDT (SDM Vol. 3A 6.10 to 6.12,
// 20.3; Vol. 2 INT n/INTO/INT3/INT1 "PROTECTED-MODE" and following pseudocode).
import {
  EIP, IDTR_BASE, IDTR_LIMIT, SEG_CS, SEG_SS, SEG_DS, SEG_ES, SEG_FS, SEG_GS, SEG_TR,
} from "../../layout";
import {
  reg32, setReg32, segSel, segLimit, segBase, cpl, cr4, ESP, CR4_VME, FLAG_IF, FLAG_TF, FLAG_NT,
  FLAG_VM, FLAG_RF, FLAG_IOPL, FLAG_VIF,
} from "../state";
import { raise, faulted, EXC_GP, EXC_NP, NO_ERRCODE } from "../fault";
import { setEflagsMasked, getEflags } from "../flags";
import { readLin32, readLin16, readLin8, beginSupervisor, endSupervisor } from "../memory";
import { setCpl } from "../memory";
import { push16 } from "../stack";
import { v86Mode, iopl, selErr, extBit } from "./mode";
import {
  fetchDescriptor, descLo, descHi, descType, descDpl, descPresent, descIsCode, descIsConforming,
  descLimit, descBase, descAttrs, setAccessedBit, selIsNull, restoreDescriptor,
  DT_TASKGATE, DT_INTGATE16, DT_TRAPGATE16, DT_INTGATE32, DT_TRAPGATE32,
} from "./descriptors";
import { loadSegNull, loadSegV86 } from "./segments";
import { frameOnStack, frameOnCurrentStack, framePush, frameSp } from "./auxstack";
import { readInnerStack, innerSs, innerEsp, checkInnerSs, taskSwitch, SWITCH_INT } from "./tasks";
import { EV_INTN, EV_INT1, eflagsForPush } from "./interrupts";
import { setSegCache } from "../state";

// @ts-ignore: decorator
@inline function idtErr(vector: u32): i32 { return <i32>((vector << 3) | 2 | extBit); }

export function protectedModeEvent(vector: u32, errcode: i32, kind: i32): void {
  // INT n in virtual-8086 mode: IOPL-sensitive, and with CR4.VME possibly redirected to the
  // virtual-8086 program's own vector table (SDM Vol. 3A 20.3.3, Table 20-2).
  if (kind == EV_INTN && v86Mode()) {
    if ((cr4() & CR4_VME) != 0 && !redirectionBitSet(vector)) {
      if (faulted) return;
      v86RedirectedInterrupt(vector);
      return;
    }
    if (faulted) return;
    if (iopl() < 3) { raise(EXC_GP, 0); return; }
  }
  if ((vector << 3) + 7 > load<u32>(IDTR_LIMIT)) { raise(EXC_GP, idtErr(vector)); return; }
  const gateAddr = load<u32>(IDTR_BASE) + (vector << 3);
  beginSupervisor();
  const lo = readLin32(gateAddr);
  const hi = faulted ? <u32>0 : readLin32(gateAddr + 4);
  endSupervisor();
  if (faulted) return;
  const type = (hi >>> 8) & 0x1f;
  if (type != DT_TASKGATE && type != DT_INTGATE16 && type != DT_TRAPGATE16 &&
      type != DT_INTGATE32 && type != DT_TRAPGATE32) {
    raise(EXC_GP, idtErr(vector)); return;
  }
  // Software interrupts (not INT1, not hardware events) must pass the gate's DPL check.
  const software = kind >= EV_INTN && kind != EV_INT1;
  if (software && ((hi >>> 13) & 3) < cpl()) { raise(EXC_GP, idtErr(vector)); return; }
  if ((hi & 0x8000) == 0) { raise(EXC_NP, idtErr(vector)); return; }
  if (type == DT_TASKGATE) {
    taskGateEvent(lo >>> 16, errcode);
    return;
  }
  const is32 = (type & 8) != 0;
  const trapGate = (type & 1) != 0;
  const offset = is32 ? (lo & 0xffff) | (hi & 0xffff0000) : lo & 0xffff;
  const csSel = lo >>> 16;
  // The handler's code segment.
  if (selIsNull(csSel)) { raise(EXC_GP, <i32>extBit); return; }
  if (!fetchDescriptor(csSel)) { if (!faulted) raise(EXC_GP, selErr(csSel)); return; }
  const dpl = descDpl();
  if (!descIsCode() || dpl > cpl()) { raise(EXC_GP, selErr(csSel)); return; }
  if (!descPresent()) { raise(EXC_NP, selErr(csSel)); return; }
  const csHi = descHi, csLo = descLo;
  if (!descIsConforming() && dpl < cpl()) {
    if (v86Mode()) {
      if (dpl != 0) { raise(EXC_GP, selErr(csSel)); return; }
      interPrivilege(csSel, csLo, csHi, 0, offset, is32, trapGate, errcode, true);
    } else interPrivilege(csSel, csLo, csHi, dpl, offset, is32, trapGate, errcode, false);
    return;
  }
  if (v86Mode()) { raise(EXC_GP, selErr(csSel)); return; }
  intraPrivilege(csSel, csLo, csHi, offset, is32, trapGate, errcode);
}

// EFLAGS changes on entering a handler: TF, NT, VM and RF cleared; IF too for interrupt gates.
function clearFlagsOnEntry(trapGate: bool): void {
  setEflagsMasked(0, FLAG_TF | FLAG_NT | FLAG_VM | FLAG_RF | (trapGate ? 0 : FLAG_IF));
}

function intraPrivilege(csSel: u32, csLo: u32, csHi: u32, offset: u32, is32: bool, trapGate: bool, errcode: i32): void {
  const size: u32 = is32 ? 4 : 2;
  // Back to the code descriptor fetched by the caller (the accessed-bit write below needs it).
  restoreDescriptor(csLo, csHi, csSel);
  if (offset > descLimit()) { raise(EXC_GP, <i32>extBit); return; }
  frameOnCurrentStack(<i32>extBit);
  framePush(eflagsForPush(), size);
  framePush(segSel(SEG_CS), size);
  framePush(load<u32>(EIP), size);
  if (errcode != NO_ERRCODE) framePush(<u32>errcode, size);
  if (faulted) return;
  setAccessedBit();
  if (faulted) return;
  const newSp = frameSp();
  setReg32(ESP, newSp);
  setSegCache(SEG_CS, (csSel & 0xfffc) | cpl(), descBase(), descLimit(), descAttrs());
  store<u32>(EIP, offset);
  clearFlagsOnEntry(trapGate);
}

function interPrivilege(csSel: u32, csLo: u32, csHi: u32, dpl: u32, offset: u32, is32: bool, trapGate: bool, errcode: i32, fromV86: bool): void {
  const size: u32 = is32 ? 4 : 2;
  if (!readInnerStack(dpl)) return;
  const ssSel = innerSs, sp = innerEsp;
  if (!checkInnerSs(ssSel, dpl)) return;
  const ssLo = descLo, ssHi = descHi;
  const ssBase = descBase(), ssLimit = descLimit(), ssAttrs = descAttrs();
  restoreDescriptor(csLo, csHi, csSel);
  if (offset > descLimit()) { raise(EXC_GP, <i32>extBit); return; }
  frameOnStack(ssBase, ssLimit, ssAttrs, sp, selErr(ssSel), true);
  if (fromV86) {
    framePush(segSel(SEG_GS), size);
    framePush(segSel(SEG_FS), size);
    framePush(segSel(SEG_DS), size);
    framePush(segSel(SEG_ES), size);
  }
  framePush(segSel(SEG_SS), size);
  framePush(reg32(ESP), size);
  framePush(eflagsForPush(), size);
  framePush(segSel(SEG_CS), size);
  framePush(load<u32>(EIP), size);
  if (errcode != NO_ERRCODE) framePush(<u32>errcode, size);
  if (faulted) return;
  // Accessed bits of the new SS and CS descriptors.
  restoreDescriptor(ssLo, ssHi, ssSel);
  setAccessedBit();
  if (faulted) return;
  restoreDescriptor(csLo, csHi, csSel);
  setAccessedBit();
  if (faulted) return;
  // Commit.
  const newSp = frameSp();
  if (fromV86) {
    loadSegNull(SEG_GS, 0); loadSegNull(SEG_FS, 0); loadSegNull(SEG_DS, 0); loadSegNull(SEG_ES, 0);
  }
  setSegCache(SEG_SS, ssSel, ssBase, ssLimit, ssAttrs);
  setReg32(ESP, newSp);
  setSegCache(SEG_CS, (csSel & 0xfffc) | dpl, descBase(), descLimit(), descAttrs());
  store<u32>(EIP, offset);
  clearFlagsOnEntry(trapGate);
  setCpl(dpl);
}


// An event through a task gate: switch tasks (nested), then push the error code, if any, on the
// new task's stack (SDM Vol. 3A 6.11.3, 7.3).
function taskGateEvent(tssSel: u32, errcode: i32): void {
  taskSwitch(tssSel, SWITCH_INT, errcode);
}

// ---- virtual-8086 mode with CR4.VME ----

// The interrupt redirection bitmap: the 32 bytes below the I/O permission bitmap in the TSS
// (SDM Vol. 3A 20.3.3.4). A clear bit redirects INT n to the virtual-8086 program's vector table.
function redirectionBitSet(vector: u32): bool {
  const base = segBase(SEG_TR);
  beginSupervisor();
  const mapBase = readLin16(base + 102);
  if (faulted) { endSupervisor(); return true; }
  const off = mapBase - 32 + (vector >>> 3);
  if (mapBase < 32 || off > segLimit(SEG_TR)) { endSupervisor(); return true; }
  const b = readLin8(base + off);
  endSupervisor();
  if (faulted) return true;
  return ((b >>> (vector & 7)) & 1) != 0;
}

// Redirected INT n (methods 4 and 5 of SDM Vol. 3A 20.3.3.5): like real mode, through the
// vector table at linear address 0 of the virtual-8086 task. With IOPL < 3 the pushed FLAGS carry
// IOPL=3 and IF taken from VIF, and VIF is cleared instead of IF.
function v86RedirectedInterrupt(vector: u32): void {
  const ptr = readLin32(vector << 2);
  if (faulted) return;
  let flags = getEflags();
  const virtualIf = iopl() < 3;
  if (virtualIf) flags = (flags & ~FLAG_IF) | ((flags & FLAG_VIF) != 0 ? FLAG_IF : 0) | FLAG_IOPL;
  const sp0 = reg32(ESP);
  push16(flags);
  push16(segSel(SEG_CS));
  push16(load<u32>(EIP));
  if (faulted) { setReg32(ESP, sp0); return; }
  setEflagsMasked(0, FLAG_TF | FLAG_RF | (virtualIf ? FLAG_VIF : FLAG_IF));
  loadSegV86(SEG_CS, ptr >>> 16);
  store<u32>(EIP, ptr & 0xffff);
}

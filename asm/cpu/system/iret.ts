// IRET/IRETD (SDM Vol. 2 IRET): real-address mode, virtual-8086 mode (IOPL 3, or CR4.VME with
// IOPL < 3), and protected mode (pmIret in protxfer.ts / tasks.ts).
import { EIP, SEG_CS } from "../../layout";
import {
  reg32, setReg32, segLimit, cr4, ESP, CR4_VME, FLAG_IF, FLAG_TF, FLAG_IOPL, FLAG_VIF, FLAG_VIP, FLAG_RF,
  FLAG_VM,
} from "../state";
import { raiseGP, faulted } from "../fault";
import { getEflags, setEflagsMasked } from "../flags";
import { peek16, peek32, spAdd } from "../stack";
import { protectedMode, v86Mode, iopl } from "./mode";
import { loadSegReal, loadSegV86 } from "./segments";
import { nmiUnblockOnIret } from "./nmi";
import { keepRfForNextInstruction } from "./debug";
import { pmIret } from "./protiret";
import { refreshAlignCheck } from "../memory";

export function iret(op32: bool): void {
  if (protectedMode() && !v86Mode()) { pmIret(op32); }
  else if (!protectedMode()) realIret(op32);
  else v86Iret(op32);
  if (faulted) return;
  refreshAlignCheck(); // EFLAGS.AC
  nmiUnblockOnIret();
  if ((getEflags() & FLAG_RF) != 0) keepRfForNextInstruction();
}

function popFrame(op32: bool): bool {
  const size: u32 = op32 ? 4 : 2;
  frameIp = op32 ? peek32(0) : peek16(0);
  if (faulted) return false;
  frameCs = peek16(size);
  if (faulted) return false;
  frameFlags = op32 ? peek32(size * 2) : peek16(size * 2);
  return !faulted;
}
let frameIp: u32 = 0;
let frameCs: u32 = 0;
let frameFlags: u32 = 0;

// Real mode: IRETD loads EFLAGS except VM, VIF and VIP (mask 0x257FD5 of the SDM pseudocode);
// IRET loads the low 16 bits.
function realIret(op32: bool): void {
  if (!popFrame(op32)) return;
  if (frameIp > segLimit(SEG_CS)) { raiseGP(0); return; }
  setReg32(ESP, spAdd(reg32(ESP), op32 ? 12 : 6));
  loadSegReal(SEG_CS, frameCs);
  store<u32>(EIP, frameIp);
  setEflagsMasked(frameFlags, op32 ? 0x257fd5 : 0xffff);
}

// Virtual-8086 mode (SDM Vol. 2 IRET "IF EFLAGS.VM = 1"; Vol. 3A 20.4.4).
function v86Iret(op32: bool): void {
  if (iopl() == 3) {
    if (!popFrame(op32)) return;
    if (frameIp > 0xffff) { raiseGP(0); return; }
    setReg32(ESP, spAdd(reg32(ESP), op32 ? 12 : 6));
    loadSegV86(SEG_CS, frameCs);
    store<u32>(EIP, frameIp);
    // VM, IOPL, VIP and VIF are not modified.
    const mask: u32 = 0x257fd5 & ~(FLAG_IOPL | FLAG_VM | FLAG_VIP | FLAG_VIF);
    setEflagsMasked(frameFlags, op32 ? mask : mask & 0xffff);
    return;
  }
  if (op32 || (cr4() & CR4_VME) == 0) { raiseGP(0); return; }
  if (!popFrame(false)) return;
  // With VME, IRET emulates IF through VIF; it faults when it would enable interrupts while
  // one is pending (VIP), or set TF.
  if (((frameFlags & FLAG_IF) != 0 && (getEflags() & FLAG_VIP) != 0) || (frameFlags & FLAG_TF) != 0) {
    raiseGP(0); return;
  }
  setReg32(ESP, spAdd(reg32(ESP), 6));
  loadSegV86(SEG_CS, frameCs);
  store<u32>(EIP, frameIp);
  const mask: u32 = 0xffff & ~(FLAG_IOPL | FLAG_IF);
  setEflagsMasked((frameFlags & mask) | ((frameFlags & FLAG_IF) != 0 ? FLAG_VIF : 0), mask | FLAG_VIF);
}

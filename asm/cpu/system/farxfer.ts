// Far JMP, far CALL and far RET (SDM Vol. 2 JMP, CALL, RET). Real-address and virtual-8086
// mode are handled here; protected mode (code segments, call gates, task gates and TSSs) in
// protxfer.ts.
import { EIP, SEG_CS } from "../../layout";
import { reg32, setReg32, segLimit, segSel, ESP } from "../state";
import { raiseGP, faulted } from "../fault";
import { pushOp, peek16, peek32, spAdd } from "../stack";
import { protectedMode, v86Mode } from "./mode";
import { loadSegReal, loadSegV86 } from "./segments";
import { pmFarJump, pmFarCall, pmFarReturn } from "./protxfer";

function loadCsRealOrV86(sel: u32): void {
  if (v86Mode()) loadSegV86(SEG_CS, sel);
  else loadSegReal(SEG_CS, sel);
}
// The CS limit a real/V86-mode far transfer checks the new EIP against (the limit stays as
// it was in real mode; it is 64 KiB in virtual-8086 mode).
function realCsLimit(): u32 { return v86Mode() ? 0xffff : segLimit(SEG_CS); }

export function farJump(sel: u32, off: u32, op32: bool): void {
  sel &= 0xffff;
  if (protectedMode() && !v86Mode()) { pmFarJump(sel, off, op32); return; }
  const ip = op32 ? off : off & 0xffff;
  if (ip > realCsLimit()) { raiseGP(0); return; }
  loadCsRealOrV86(sel);
  store<u32>(EIP, ip);
}

export function farCall(sel: u32, off: u32, op32: bool): void {
  sel &= 0xffff;
  if (protectedMode() && !v86Mode()) { pmFarCall(sel, off, op32); return; }
  const ip = op32 ? off : off & 0xffff;
  if (ip > realCsLimit()) { raiseGP(0); return; }
  const sp0 = reg32(ESP);
  pushOp(segSel(SEG_CS), op32);
  pushOp(load<u32>(EIP), op32);
  if (faulted) { setReg32(ESP, sp0); return; }
  loadCsRealOrV86(sel);
  store<u32>(EIP, ip);
}

export function farReturn(op32: bool, popBytes: u32): void {
  if (protectedMode() && !v86Mode()) { pmFarReturn(op32, popBytes); return; }
  const size: u32 = op32 ? 4 : 2;
  const ip = op32 ? peek32(0) : peek16(0);
  if (faulted) return;
  const sel = peek16(size);
  if (faulted) return;
  if (ip > realCsLimit()) { raiseGP(0); return; }
  setReg32(ESP, spAdd(reg32(ESP), size * 2 + popBytes));
  loadCsRealOrV86(sel);
  store<u32>(EIP, ip);
}

// SYSENTER and SYSEXIT (SDM Vol. 2B): fast transitions between CPL 3 and CPL 0 with flat
// segments derived from IA32_SYSENTER_CS; the descriptors are not read from the GDT.
import { EIP, SEG_CS, SEG_SS, MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP } from "../../layout";
import { reg32, setReg32, setSegCache, cpl, ESP, ECX, EDX, FLAG_VM, FLAG_IF, FLAG_RF } from "../state";
import { raiseGP } from "../fault";
import { setEflagsMasked } from "../flags";
import { setCpl } from "../memory";
import { protectedMode } from "./mode";

// Flat 4 GiB segments: code execute/read accessed, data read/write accessed, G=1, D/B=1.
const CODE0_ATTRS: u32 = 0xc09b;
const DATA0_ATTRS: u32 = 0xc093;
const CODE3_ATTRS: u32 = 0xc0fb;
const DATA3_ATTRS: u32 = 0xc0f3;

export function opSysenter(): void {
  const cs = <u32>load<u64>(MSR_SYSENTER_CS) & 0xffff;
  if (!protectedMode() || (cs & 0xfffc) == 0) { raiseGP(0); return; }
  setEflagsMasked(0, FLAG_VM | FLAG_IF | FLAG_RF);
  setSegCache(SEG_CS, cs & 0xfffc, 0, 0xffffffff, CODE0_ATTRS);
  setSegCache(SEG_SS, (cs & 0xfffc) + 8, 0, 0xffffffff, DATA0_ATTRS);
  setReg32(ESP, <u32>load<u64>(MSR_SYSENTER_ESP));
  store<u32>(EIP, <u32>load<u64>(MSR_SYSENTER_EIP));
  setCpl(0);
}

export function opSysexit(): void {
  const cs = <u32>load<u64>(MSR_SYSENTER_CS) & 0xffff;
  if (!protectedMode() || cpl() != 0 || (cs & 0xfffc) == 0) { raiseGP(0); return; }
  setSegCache(SEG_CS, ((cs + 16) & 0xfffc) | 3, 0, 0xffffffff, CODE3_ATTRS);
  setSegCache(SEG_SS, ((cs + 24) & 0xfffc) | 3, 0, 0xffffffff, DATA3_ATTRS);
  setReg32(ESP, reg32(ECX));
  store<u32>(EIP, reg32(EDX));
  setCpl(3);
}

// Decimal adjust (DAA DAS AAA AAS AAM AAD), XLAT, LAHF/SAHF, BOUND, SALC, XCHG and port I/O.
// SDM Vol. 2A/2B, the page of each instruction.
import { FLAGS_BITS, SEG_DS } from "../../layout";
import {
  reg8, setReg8, reg16, setReg16, reg32, EAX, EBX,
  FLAG_CF, FLAG_AF, FLAG_OF, FLAG_SF, FLAG_ZF, FLAG_PF,
} from "../state";

const AH_REG = 4; // AH in the 8-bit register encoding
import { faulted, raise, raiseUD, EXC_DE, EXC_BR, NO_ERRCODE } from "../fault";
import {
  getCF, getAF, setLazy, setLazyResult, materializeFlags, LAZY_ADD,
} from "../flags";
import {
  fetchModrm, fetch8, eaIsReg, eaSeg, eaOff, eaOffPlus, modrmReg, opsize32, addrsize32,
  segOverride, lockPrefix,
} from "../decode";
import { readMem, readRmRmw, writeRmRmw, getReg, setReg } from "./operand";
import { ioAllowed } from "../system/api";
import { hostIoRead, hostIoWrite } from "../host";

export function daa(): void {
  const al = reg8(EAX);
  const oldCf = getCF();
  let cf = false;
  let af = false;
  let r = al;
  if ((al & 0xf) > 9 || getAF()) {
    r = (r + 6) & 0xff;
    cf = oldCf || al > 0xf9;
    af = true;
  }
  if (al > 0x99 || oldCf) {
    r = (r + 0x60) & 0xff;
    cf = true;
  }
  setReg8(EAX, r);
  // OF is undefined; P6 reports the signed overflow of the whole adjustment as an addition.
  const ovf = ((~al & r) & 0x80) != 0;
  setLazyResult(r, 8, (cf ? FLAG_CF : 0) | (af ? FLAG_AF : 0) | (ovf ? FLAG_OF : 0));
}
export function das(): void {
  const al = reg8(EAX);
  const oldCf = getCF();
  let cf = false;
  let af = false;
  let r = al;
  if ((al & 0xf) > 9 || getAF()) {
    r = (r - 6) & 0xff;
    cf = oldCf || al < 6;
    af = true;
  }
  if (al > 0x99 || oldCf) {
    r = (r - 0x60) & 0xff;
    cf = true;
  }
  setReg8(EAX, r);
  const ovf = ((al & ~r) & 0x80) != 0;
  setLazyResult(r, 8, (cf ? FLAG_CF : 0) | (af ? FLAG_AF : 0) | (ovf ? FLAG_OF : 0));
}
// AAA/AAS: OF SF ZF PF are undefined; we give SF ZF PF of the final AL and clear OF.
export function aaa(): void {
  let ax = reg16(EAX);
  let adj = false;
  if ((ax & 0xf) > 9 || getAF()) { ax = (ax + 0x106) & 0xffff; adj = true; }
  ax &= 0xff0f;
  setReg16(EAX, ax);
  setLazyResult(ax & 0xff, 8, adj ? FLAG_CF | FLAG_AF : 0);
}
export function aas(): void {
  let ax = reg16(EAX);
  let adj = false;
  if ((ax & 0xf) > 9 || getAF()) {
    // SDM AAS: AX <- AX - 6, then AH <- AH - 1 (a borrow out of AL also reaches AH, the
    // counterpart of AAA's AX + 106H on P6-family processors).
    ax = (ax - 6) & 0xffff;
    ax = (((ax >> 8) - 1) & 0xff) << 8 | (ax & 0xff);
    adj = true;
  }
  ax &= 0xff0f;
  setReg16(EAX, ax);
  setLazyResult(ax & 0xff, 8, adj ? FLAG_CF | FLAG_AF : 0);
}
// AAM imm8: a zero base raises #DE (SDM AAM). OF AF CF are undefined (cleared here).
export function aam(): void {
  const base = fetch8();
  if (faulted) return;
  if (base == 0) { raise(EXC_DE, NO_ERRCODE); return; }
  const al = reg8(EAX);
  const r = al % base;
  setReg16(EAX, ((al / base) << 8) | r);
  setLazyResult(r, 8, 0);
}
// AAD imm8: AL = AL + AH * base, AH = 0. The undefined CF OF AF are those of that 8-bit addition.
export function aad(): void {
  const base = fetch8();
  if (faulted) return;
  const al = reg8(EAX);
  const prod = (reg8(AH_REG) * base) & 0xff;
  const r = (al + prod) & 0xff;
  setReg16(EAX, r);
  setLazy(LAZY_ADD, al, prod, r, 8);
}

// XLAT (D7): AL <- [seg:(E)BX + zero-extended AL]
export function xlat(): void {
  const base = addrsize32 ? reg32(EBX) : reg16(EBX);
  let off = base + reg8(EAX);
  if (!addrsize32) off &= 0xffff;
  const v = readMem(segOverride >= 0 ? segOverride : SEG_DS, off, 8);
  if (faulted) return;
  setReg8(EAX, v);
}

// LAHF (9F): AH <- SF ZF 0 AF 0 PF 1 CF
export function lahf(): void {
  materializeFlags();
  setReg8(AH_REG, (load<u32>(FLAGS_BITS) & 0xd5) | 2);
}
// SAHF (9E): SF ZF AF PF CF <- AH
export function sahf(): void {
  materializeFlags();
  const mask = FLAG_SF | FLAG_ZF | FLAG_AF | FLAG_PF | FLAG_CF;
  store<u32>(FLAGS_BITS, (load<u32>(FLAGS_BITS) & ~mask) | (reg8(AH_REG) & mask));
}

// BOUND r, m16&16 / m32&32 (62): #BR when the signed index lies outside [lower, upper].
export function bound(): void {
  if (lockPrefix) { raiseUD(); return; }
  fetchModrm();
  if (faulted) return;
  if (eaIsReg) { raiseUD(); return; }
  const size = opsize32 ? 32 : 16;
  const lo = readMem(eaSeg, eaOff, size);
  if (faulted) return;
  const hi = readMem(eaSeg, eaOffPlus(opsize32 ? 4 : 2), size);
  if (faulted) return;
  const idx = getReg(modrmReg, size);
  let out: bool;
  if (opsize32) out = <i32>idx < <i32>lo || <i32>idx > <i32>hi;
  else out = <i32><i16>idx < <i32><i16>lo || <i32><i16>idx > <i32><i16>hi;
  if (out) raise(EXC_BR, NO_ERRCODE);
}

// XCHG r/m, reg (86, 87): LOCK is implicit; an explicit LOCK needs a memory operand.
export function xchgModrm(size: i32): void {
  fetchModrm();
  if (faulted) return;
  if (lockPrefix && eaIsReg) { raiseUD(); return; }
  const a = readRmRmw(size);
  if (faulted) return;
  const b = getReg(modrmReg, size);
  writeRmRmw(size, b);
  if (faulted) return;
  setReg(modrmReg, size, a);
}

// IN/OUT. The permission check (CPL/IOPL, then the TSS bitmap) comes first (SDM Vol. 1 19.5).
export function inPort(port: u32, size: i32): void {
  if (lockPrefix) { raiseUD(); return; }
  const bytes = size >> 3;
  if (!ioAllowed(port, <u32>bytes) || faulted) return;
  const v = <u32>hostIoRead(<i32>port, bytes);
  setReg(EAX, size, size == 32 ? v : v & (size == 16 ? 0xffff : 0xff));
}
export function outPort(port: u32, size: i32): void {
  if (lockPrefix) { raiseUD(); return; }
  const bytes = size >> 3;
  if (!ioAllowed(port, <u32>bytes) || faulted) return;
  hostIoWrite(<i32>port, bytes, <i32>getReg(EAX, size));
}

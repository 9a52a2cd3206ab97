// x87 register file, status/control words, tags and the exception reporting of one instruction.
//
// FPU_REGS holds the 8 physical registers in the exact 80-bit format (u64 significand, u16
// sign|exponent). FPU_TW always holds the full tag word (SDM Vol. 1 8.1.7): every register write
// recomputes the register's tag, so FSTENV/FSAVE can store it as is.
import {
  FPU_REGS, FPU_CW, FPU_SW, FPU_TW, FPU_IP, FPU_CS, FPU_DP, FPU_DS, FPU_OPCODE, FPU_FERR,
  INSN_START_EIP, SEG_CS,
} from "../../layout";
import { segSel } from "../state";

// ---- status word bits (SDM Vol. 1 8.1.3) ----
export const SW_IE: u32 = 0x0001;
export const SW_DE: u32 = 0x0002;
export const SW_ZE: u32 = 0x0004;
export const SW_OE: u32 = 0x0008;
export const SW_UE: u32 = 0x0010;
export const SW_PE: u32 = 0x0020;
export const SW_SF: u32 = 0x0040;
export const SW_ES: u32 = 0x0080;
export const SW_C0: u32 = 0x0100;
export const SW_C1: u32 = 0x0200;
export const SW_C2: u32 = 0x0400;
export const SW_TOP: u32 = 0x3800;
export const SW_C3: u32 = 0x4000;
export const SW_B: u32 = 0x8000;
export const SW_EXC: u32 = 0x3f; // the six exception flags (SF comes with IE)
export const SW_CC: u32 = SW_C0 | SW_C1 | SW_C2 | SW_C3;

// ---- control word (SDM Vol. 1 8.1.5) ----
export const CW_PC_SHIFT = 8;
export const CW_RC_SHIFT = 10;
export const RC_NEAREST = 0;
export const RC_DOWN = 1;
export const RC_UP = 2;
export const RC_ZERO = 3;

// ---- tags (SDM Vol. 1 8.1.7) ----
export const TAG_VALID: u32 = 0;
export const TAG_ZERO: u32 = 1;
export const TAG_SPECIAL: u32 = 2;
export const TAG_EMPTY: u32 = 3;

// @ts-ignore: decorator
@inline export function fpuCw(): u32 { return load<u16>(FPU_CW); }
// @ts-ignore: decorator
@inline export function fpuSw(): u32 { return load<u16>(FPU_SW); }
// @ts-ignore: decorator
@inline export function setFpuSw(v: u32): void { store<u32>(FPU_SW, v & 0xffff); }
// @ts-ignore: decorator
@inline export function fpuTop(): i32 { return <i32>((load<u32>(FPU_SW) >> 11) & 7); }
export function setFpuTop(t: i32): void {
  store<u32>(FPU_SW, (load<u32>(FPU_SW) & ~SW_TOP) | ((<u32>t & 7) << 11));
}
export function rc(): i32 { return <i32>((fpuCw() >> CW_RC_SHIFT) & 3); }
// Precision control in significand bits: 00 single, 10 double, 11 extended. The reserved 01
// encoding behaves as extended here (the SDM leaves it reserved).
export function precisionBits(): i32 {
  const pc = (fpuCw() >> CW_PC_SHIFT) & 3;
  return pc == 0 ? 24 : pc == 2 ? 53 : 64;
}

// ---- registers, by physical index ----
// @ts-ignore: decorator
@inline export function physSig(p: i32): u64 { return load<u64>(FPU_REGS + ((p & 7) << 4)); }
// @ts-ignore: decorator
@inline export function physSe(p: i32): u32 { return load<u16>(FPU_REGS + ((p & 7) << 4), 8); }
// @ts-ignore: decorator
@inline export function stPhys(i: i32): i32 { return (fpuTop() + i) & 7; }
export function tagOf(p: i32): u32 { return (load<u32>(FPU_TW) >> (<u32>(p & 7) << 1)) & 3; }
export function setTag(p: i32, t: u32): void {
  const sh = <u32>(p & 7) << 1;
  store<u32>(FPU_TW, (load<u32>(FPU_TW) & ~(3 << sh) & 0xffff) | (t << sh));
}
// The tag a value gets when written (SDM Vol. 1 Figure 8-7): zero, special (NaN, infinity,
// denormal, unsupported) or valid.
export function tagFor(se: u32, sig: u64): u32 {
  const e = se & 0x7fff;
  if (e == 0x7fff) return TAG_SPECIAL;
  if (e == 0) return sig == 0 ? TAG_ZERO : TAG_SPECIAL;
  return (sig >> 63) != 0 ? TAG_VALID : TAG_SPECIAL;
}
export function writePhys(p: i32, se: u32, sig: u64): void {
  const a = FPU_REGS + ((p & 7) << 4);
  store<u64>(a, sig);
  store<u16>(a, <u16>se, 8);
  setTag(p, tagFor(se, sig));
}
// @ts-ignore: decorator
@inline export function stEmpty(i: i32): bool { return tagOf(stPhys(i)) == TAG_EMPTY; }
// @ts-ignore: decorator
@inline export function stSig(i: i32): u64 { return physSig(stPhys(i)); }
// @ts-ignore: decorator
@inline export function stSe(i: i32): u32 { return physSe(stPhys(i)); }
export function writeSt(i: i32, se: u32, sig: u64): void { writePhys(stPhys(i), se, sig); }
export function freeSt(i: i32): void { setTag(stPhys(i), TAG_EMPTY); }
export function pop(): void {
  const t = fpuTop();
  setTag(t, TAG_EMPTY);
  setFpuTop(t + 1);
}
// Push: TOP is decremented, then the value written to the new ST(0).
export function push(se: u32, sig: u64): void {
  const t = (fpuTop() - 1) & 7;
  setFpuTop(t);
  writePhys(t, se, sig);
}

// ---- the real indefinite and other canned values (SDM Vol. 1 4.8.3.7, Table 8-10) ----
export const INDEF_SE: u32 = 0xffff;
export const INDEF_SIG: u64 = 0xc000000000000000;

// ---- exception accumulation for the current instruction ----
// Flags raised while computing (SW bit positions IE..PE, SF) and whether the delivered result was
// rounded away from zero (C1, SDM Vol. 1 8.1.3.3).
export let excFlags: u32 = 0;
export let roundedUp: bool = false;
export function beginOp(): void { excFlags = 0; roundedUp = false; }
export function signal(f: u32): void { excFlags |= f; }
export function clearSignal(f: u32): void { excFlags &= ~f; }
export function setRoundedUp(v: bool): void { roundedUp = v; }
// True when one of `f` is raised and unmasked: the instruction then delivers no result
// (pre-computation exceptions: invalid, denormal, divide by zero; SDM Vol. 1 8.5).
export function unmaskedPending(f: u32): bool { return (excFlags & f & ~fpuCw() & SW_EXC) != 0; }
export function isMasked(f: u32): bool { return (fpuCw() & f) != 0; }

// Fold the instruction's flags into the status word: sticky exception flags, C1, and ES/B when
// any raised exception is unmasked (SDM Vol. 1 8.1.3.1). `setC1` selects whether C1 is written
// (arithmetic instructions write it; comparisons set it themselves).
export function commitFlags(setC1: bool): void {
  // An unmasked pre-computation exception (IE, DE, ZE) aborts the instruction before any result
  // exists: the post-computation flags of the abandoned result are not reported.
  if (unmaskedPending(SW_IE | SW_DE | SW_ZE)) { excFlags &= ~(SW_OE | SW_UE | SW_PE); roundedUp = false; }
  let sw = fpuSw() | (excFlags & (SW_EXC | SW_SF));
  if (setC1) {
    sw &= ~SW_C1;
    // Stack overflow reports C1=1, underflow C1=0; otherwise C1 says "rounded up".
    if ((excFlags & SW_SF) != 0) { if (stackOverflowC1) sw |= SW_C1; } else if (roundedUp) sw |= SW_C1;
  }
  if ((sw & ~fpuCw() & SW_EXC) != 0) sw |= SW_ES | SW_B;
  setFpuSw(sw);
}
let stackOverflowC1: bool = false;
// Stack fault: IE|SF with C1 = 1 for overflow, 0 for underflow (SDM Vol. 1 8.5.1.1).
export function stackFault(overflow: bool): void {
  excFlags |= SW_IE | SW_SF;
  stackOverflowC1 = overflow;
}

// Recompute ES and B after the status word was loaded or exceptions unmasked (FLDCW, FLDENV):
// an exception flag whose mask is clear sets ES (SDM Vol. 1 8.1.3.1).
export function refreshEs(): void {
  let sw = fpuSw();
  if ((sw & ~fpuCw() & SW_EXC) != 0) sw |= SW_ES | SW_B;
  else { sw &= ~(SW_ES | SW_B); store<u32>(FPU_FERR, 0); }
  setFpuSw(sw);
}

// ---- last-instruction pointers (SDM Vol. 1 8.1.8, 8.1.9) ----
// Non-control instructions record CS:EIP of the instruction (prefixes included), its opcode
// (the low 3 bits of the first byte and the ModRM byte) and, with a memory operand, DS:offset.
export function recordInstruction(op: u32, modrm: u32): void {
  store<u32>(FPU_IP, load<u32>(INSN_START_EIP));
  store<u32>(FPU_CS, segSel(SEG_CS));
  store<u32>(FPU_OPCODE, ((op & 7) << 8) | (modrm & 0xff));
}
export function recordOperand(seg: i32, off: u32): void {
  store<u32>(FPU_DP, off);
  store<u32>(FPU_DS, segSel(seg));
}

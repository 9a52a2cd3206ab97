// SSE/SSE2 floating-point instructions on XMM registers: arithmetic, compares, COMIS/UCOMIS,
// bitwise logic and the RCP/RSQRT approximations. The mandatory prefix selects the form
// (SDM Vol. 2 2.1.2 / Vol. 1 11.4): none = PS, 66 = PD, F3 = SS, F2 = SD.
//
// MXCSR exception handling (SDM Vol. 1 11.5.2): flags of all elements are gathered first. If a
// pre-computation exception (IE DE ZE) is unmasked in any element, only the pre-computation
// flags are recorded and #XM (or #UD without CR4.OSXMMEXCPT) is raised; otherwise every flag is
// recorded and an unmasked post-computation exception (OE UE PE) raises #XM. In both cases the
// destination is left unchanged.
import { repPrefix, prefix66, modrmReg, fetch8 } from "../decode";
import { faulted, raiseUD } from "../fault";
import { setEflagsMasked, FLAG_CF, FLAG_PF, FLAG_ZF, FLAG_SF, FLAG_OF, FLAG_AF } from "../flags";
import {
  SRC, DST, TMP, xmmPtr, copy16, mxcsr, setMxcsr, checkSse, raiseSimdFp, fetchXmmSrc128,
  fetchXmmSrc64, fetchXmmSrc32,
} from "./regs";
import { F32, F64, setMode, elPre, elPost } from "./fpcore";
import { fpArith, fpCompare, fpOrder, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MIN, OP_MAX, OP_SQRT } from "./fparith";
import { approx } from "./fpconv";

export const FORM_PS = 0; export const FORM_PD = 1; export const FORM_SS = 2; export const FORM_SD = 3;
// F2/F3 take precedence over 66 when both are present (the last REP-class prefix counts).
export function sseForm(): i32 {
  if (repPrefix == 0xf3) return FORM_SS;
  if (repPrefix == 0xf2) return FORM_SD;
  return prefix66 ? FORM_PD : FORM_PS;
}
// @ts-ignore: decorator
@inline export function formFmt(form: i32): i32 { return form == FORM_PD || form == FORM_SD ? F64 : F32; }
// @ts-ignore: decorator
@inline export function formCount(form: i32): i32 { return form == FORM_PS ? 4 : form == FORM_PD ? 2 : 1; }

// Lane access on the scratch buffers.
export function lane(p: usize, i: i32, fmt: i32): u64 {
  return fmt == F32 ? <u64>load<u32>(p + (i << 2)) : load<u64>(p + (i << 3));
}
export function setLane(p: usize, i: i32, fmt: i32, v: u64): void {
  if (fmt == F32) store<u32>(p + (i << 2), <u32>v);
  else store<u64>(p + (i << 3), v);
}

// Flags gathered over the elements of the current instruction.
export let insnPre: u32 = 0;
export let insnPost: u32 = 0;
export function beginFp(): void { setMode(mxcsr()); insnPre = 0; insnPost = 0; }
// @ts-ignore: decorator
@inline export function gather(): void { insnPre |= elPre; insnPost |= elPost; }
// Records the flags in MXCSR; returns false (having raised the exception) when one is unmasked.
export function finishFp(): bool {
  const m = mxcsr();
  const masks = (m >> 7) & 0x3f;
  if ((insnPre & ~masks) != 0) { setMxcsr(m | insnPre); raiseSimdFp(); return false; }
  const all = insnPre | insnPost;
  setMxcsr(m | all);
  if ((all & ~masks) != 0) { raiseSimdFp(); return false; }
  return true;
}

// Source operand of the form: m128 (aligned) for packed, m32/m64 for scalar.
export function fetchFormSrc(form: i32): void {
  if (form == FORM_SS) fetchXmmSrc32();
  else if (form == FORM_SD) fetchXmmSrc64();
  else fetchXmmSrc128(true);
}

// 0F 51 SQRT, 58 ADD, 59 MUL, 5C SUB, 5D MIN, 5E DIV, 5F MAX.
export function sseArith(op: u32): void {
  let kind: i32;
  switch (op) {
    case 0x51: kind = OP_SQRT; break;
    case 0x58: kind = OP_ADD; break;
    case 0x59: kind = OP_MUL; break;
    case 0x5c: kind = OP_SUB; break;
    case 0x5d: kind = OP_MIN; break;
    case 0x5e: kind = OP_DIV; break;
    default: kind = OP_MAX; break;
  }
  const form = sseForm();
  if (!checkSse()) return;
  fetchFormSrc(form);
  if (faulted) return;
  const fmt = formFmt(form), n = formCount(form);
  copy16(DST, xmmPtr(modrmReg));
  copy16(TMP, DST);
  beginFp();
  for (let i = 0; i < n; i++) {
    setLane(TMP, i, fmt, fpArith(kind, lane(DST, i, fmt), lane(SRC, i, fmt), fmt));
    gather();
  }
  if (!finishFp()) return;
  copy16(xmmPtr(modrmReg), TMP);
}

// 0F C2 CMPPS/CMPPD/CMPSS/CMPSD xmm, xmm/m, imm8.
export function sseCmp(): void {
  const form = sseForm();
  const pred = fetch8(); // the whole instruction is fetched before any other check
  if (faulted) return;
  if (!checkSse()) return;
  fetchFormSrc(form);
  if (faulted) return;
  const fmt = formFmt(form), n = formCount(form);
  copy16(DST, xmmPtr(modrmReg));
  copy16(TMP, DST);
  beginFp();
  for (let i = 0; i < n; i++) {
    const t = fpCompare(pred, lane(DST, i, fmt), lane(SRC, i, fmt), fmt);
    setLane(TMP, i, fmt, t ? 0xffffffffffffffff : 0);
    gather();
  }
  if (!finishFp()) return;
  copy16(xmmPtr(modrmReg), TMP);
}

// 0F 2E UCOMISS/UCOMISD, 0F 2F COMISS/COMISD: ZF PF CF from the order, OF SF AF cleared.
export function sseComi(signalQuiet: bool): void {
  if (repPrefix != 0) { raiseUD(); return; }
  const fmt = prefix66 ? F64 : F32;
  if (!checkSse()) return;
  if (fmt == F64) fetchXmmSrc64(); else fetchXmmSrc32();
  if (faulted) return;
  beginFp();
  const order = fpOrder(lane(xmmPtr(modrmReg), 0, fmt), lane(SRC, 0, fmt), fmt, signalQuiet);
  gather();
  if (!finishFp()) return;
  const f: u32 = order == 3 ? FLAG_ZF | FLAG_PF | FLAG_CF : order == 1 ? FLAG_ZF : order == 0 ? FLAG_CF : 0;
  setEflagsMasked(f, FLAG_ZF | FLAG_PF | FLAG_CF | FLAG_OF | FLAG_SF | FLAG_AF);
}

// 0F 54 AND, 55 ANDN, 56 OR, 57 XOR (PS and PD forms are the same bitwise operation).
export function sseLogic(op: u32): void {
  if (repPrefix != 0) { raiseUD(); return; }
  if (!checkSse()) return;
  fetchXmmSrc128(true);
  if (faulted) return;
  const d = xmmPtr(modrmReg);
  for (let i = 0; i < 16; i += 8) {
    const a = load<u64>(d + i), b = load<u64>(SRC + i);
    store<u64>(d + i, op == 0x54 ? a & b : op == 0x55 ? ~a & b : op == 0x56 ? a | b : a ^ b);
  }
}

// 0F 52 RSQRTPS/RSQRTSS, 0F 53 RCPPS/RCPSS: no exceptions, MXCSR untouched.
export function sseApprox(op: u32): void {
  const form = sseForm();
  if (form == FORM_PD || form == FORM_SD) { raiseUD(); return; }
  if (!checkSse()) return;
  fetchFormSrc(form);
  if (faulted) return;
  const n = formCount(form);
  const d = xmmPtr(modrmReg);
  for (let i = 0; i < n; i++) setLane(d, i, F32, approx(lane(SRC, i, F32), op == 0x52));
}

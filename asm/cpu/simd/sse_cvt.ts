// SSE/SSE2 conversions between single, double, 32-bit integers in XMM, MMX and general
// registers (SDM Vol. 2 CVTxx2yy). Each conversion reads `count` lanes of one type from SRC and
// writes them as another type into TMP, which starts as the untouched bits of the destination
// (or zeros where the instruction clears them).
import { modrmReg, modrmRm, eaIsReg } from "../decode";
import { faulted, raiseUD } from "../fault";
import { setReg32, reg32 } from "../state";
import {
  SRC, TMP, xmmPtr, copy16, checkSse, checkSseMmx, fetchXmmSrc128, fetchXmmSrc64, fetchXmmSrc32,
  readMem64, readMem32, mmx, setMmx, mmxEnter,
} from "./regs";
import { F32, F64 } from "./fpcore";
import { cvtToInt32, cvtFromInt32, cvtF32toF64, cvtF64toF32 } from "./fpconv";
import { beginFp, gather, finishFp, sseForm, FORM_PS, FORM_PD, FORM_SS, FORM_SD } from "./sse_fp";

const T_I32 = 0; const T_F32 = 1; const T_F64 = 2;
// @ts-ignore: decorator
@inline function typeBytes(t: i32): i32 { return t == T_F64 ? 8 : 4; }

// Convert `count` lanes from SRC into TMP; returns false if an unmasked exception was raised.
// truncate selects the CVTT forms for float-to-integer conversions.
function convert(from: i32, to: i32, count: i32, truncate: bool): bool {
  beginFp();
  for (let i = 0; i < count; i++) {
    const v = from == T_F64 ? load<u64>(SRC + (i << 3)) : <u64>load<u32>(SRC + (i << 2));
    let r: u64;
    if (from == T_I32) r = cvtFromInt32(<i32><u32>v, to == T_F64 ? F64 : F32);
    else if (to == T_I32) r = <u64>cvtToInt32(v, from == T_F64 ? F64 : F32, truncate);
    else if (to == T_F64) r = cvtF32toF64(v);
    else r = cvtF64toF32(v);
    if (typeBytes(to) == 8) store<u64>(TMP + (i << 3), r);
    else store<u32>(TMP + (i << 2), <u32>r);
    gather();
  }
  return finishFp();
}

// 0F 5A: CVTPS2PD, 66 CVTPD2PS, F3 CVTSS2SD, F2 CVTSD2SS.
export function cvt5A(): void {
  const form = sseForm();
  if (!checkSse()) return;
  const d = xmmPtr(modrmReg);
  if (form == FORM_PS) { fetchXmmSrc64(); if (faulted) return; if (!convert(T_F32, T_F64, 2, false)) return; }
  else if (form == FORM_PD) {
    fetchXmmSrc128(true); if (faulted) return;
    if (!convert(T_F64, T_F32, 2, false)) return;
    store<u64>(TMP, 0, 8);
  } else if (form == FORM_SS) {
    fetchXmmSrc32(); if (faulted) return;
    copy16(TMP, d);
    if (!convert(T_F32, T_F64, 1, false)) return;
  } else {
    fetchXmmSrc64(); if (faulted) return;
    copy16(TMP, d);
    if (!convert(T_F64, T_F32, 1, false)) return;
  }
  copy16(d, TMP);
}

// 0F 5B: CVTDQ2PS, 66 CVTPS2DQ, F3 CVTTPS2DQ.
export function cvt5B(): void {
  const form = sseForm();
  if (form == FORM_SD) { raiseUD(); return; }
  if (!checkSse()) return;
  fetchXmmSrc128(true);
  if (faulted) return;
  if (form == FORM_PS) { if (!convert(T_I32, T_F32, 4, false)) return; }
  else if (!convert(T_F32, T_I32, 4, form == FORM_SS)) return;
  copy16(xmmPtr(modrmReg), TMP);
}

// 0F E6: 66 CVTTPD2DQ, F3 CVTDQ2PD, F2 CVTPD2DQ.
export function cvtE6(): void {
  const form = sseForm();
  if (form == FORM_PS) { raiseUD(); return; }
  if (!checkSse()) return;
  if (form == FORM_SS) {
    fetchXmmSrc64(); if (faulted) return;
    if (!convert(T_I32, T_F64, 2, false)) return;
  } else {
    fetchXmmSrc128(true); if (faulted) return;
    if (!convert(T_F64, T_I32, 2, form == FORM_PD)) return;
    store<u64>(TMP, 0, 8);
  }
  copy16(xmmPtr(modrmReg), TMP);
}

// 0F 2A: CVTPI2PS xmm, mm/m64; 66 CVTPI2PD xmm, mm/m64; F3 CVTSI2SS / F2 CVTSI2SD xmm, r/m32.
// An MMX register source puts the x87 unit in MMX state (SDM Vol. 2 CVTPI2PS).
export function cvt2A(): void {
  const form = sseForm();
  const d = xmmPtr(modrmReg);
  if (form == FORM_SS || form == FORM_SD) {
    if (!checkSse()) return;
    const v = eaIsReg ? reg32(modrmRm) : readMem32();
    if (faulted) return;
    store<u32>(SRC, v);
    copy16(TMP, d);
    if (!convert(T_I32, form == FORM_SS ? T_F32 : T_F64, 1, false)) return;
    copy16(d, TMP);
    return;
  }
  if (eaIsReg ? !checkSseMmx() : !checkSse()) return;
  const v = eaIsReg ? mmx(modrmRm) : readMem64();
  if (faulted) return;
  store<u64>(SRC, v);
  copy16(TMP, d);
  if (!convert(T_I32, form == FORM_PS ? T_F32 : T_F64, 2, false)) return;
  if (eaIsReg) mmxEnter();
  copy16(d, TMP);
}

// 0F 2C (truncating) / 0F 2D: CVT(T)PS2PI mm, xmm/m64; 66 CVT(T)PD2PI mm, xmm/m128;
// F3 CVT(T)SS2SI r32, xmm/m32; F2 CVT(T)SD2SI r32, xmm/m64.
export function cvtToInt(truncate: bool): void {
  const form = sseForm();
  if (form == FORM_SS || form == FORM_SD) {
    if (!checkSse()) return;
    if (form == FORM_SS) fetchXmmSrc32(); else fetchXmmSrc64();
    if (faulted) return;
    if (!convert(form == FORM_SS ? T_F32 : T_F64, T_I32, 1, truncate)) return;
    setReg32(modrmReg, load<u32>(TMP));
    return;
  }
  if (!checkSseMmx()) return;
  if (form == FORM_PS) fetchXmmSrc64(); else fetchXmmSrc128(true);
  if (faulted) return;
  if (!convert(form == FORM_PS ? T_F32 : T_F64, T_I32, 2, truncate)) return;
  setMmx(modrmReg, load<u64>(TMP));
}

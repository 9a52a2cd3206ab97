// SSE/SSE2 data movement and shuffles on XMM registers (SDM Vol. 2: MOVAPS MOVUPS MOVSS MOVSD
// MOVLPS MOVHPS MOVLHPS MOVHLPS MOVLPD MOVHPD MOVNTPS MOVNTPD MOVMSKPS MOVMSKPD UNPCKLPS
// UNPCKHPS UNPCKLPD UNPCKHPD SHUFPS SHUFPD). Non-temporal hints have no effect on the result.
import { modrmReg, modrmRm, eaIsReg, fetch8 } from "../decode";
import { faulted, raiseUD } from "../fault";
import { setReg32 } from "../state";
import {
  SRC, TMP, xmmPtr, xmmLo, xmmHi, setXmmLo, setXmmHi, copy16, checkSse, fetchXmmSrc128,
  writeMem128, readMem64, readMem32, writeMem64, writeMem32,
} from "./regs";
import { sseForm, FORM_PS, FORM_PD, FORM_SS, FORM_SD } from "./sse_fp";

// 0F 10 / 0F 11: MOVUPS MOVUPD (unaligned 128), MOVSS, MOVSD.
export function movUps(toMem: bool): void {
  const form = sseForm();
  if (!checkSse()) return;
  const r = modrmReg;
  if (form == FORM_PS || form == FORM_PD) { move128(toMem, false); return; }
  const dword = form == FORM_SS;
  if (eaIsReg) {
    // Register to register: only the low element moves, the rest of the destination stays.
    const src = toMem ? r : modrmRm, dst = toMem ? modrmRm : r;
    if (dword) store<u32>(xmmPtr(dst), load<u32>(xmmPtr(src)));
    else setXmmLo(dst, xmmLo(src));
    return;
  }
  if (toMem) {
    if (dword) writeMem32(load<u32>(xmmPtr(r))); else writeMem64(xmmLo(r));
    return;
  }
  // Load from memory: the upper elements are cleared.
  const v: u64 = dword ? <u64>readMem32() : readMem64();
  if (faulted) return;
  setXmmLo(r, v);
  setXmmHi(r, 0);
}

// MOVAPS/MOVAPD/MOVDQA (aligned) and MOVUPS/MOVUPD/MOVDQU: xmm <- xmm/m128 or xmm/m128 <- xmm.
export function move128(toRm: bool, aligned: bool): void {
  const r = modrmReg;
  if (toRm) {
    if (eaIsReg) copy16(xmmPtr(modrmRm), xmmPtr(r));
    else writeMem128(xmmPtr(r), aligned);
    return;
  }
  fetchXmmSrc128(aligned);
  if (faulted) return;
  copy16(xmmPtr(r), SRC);
}
export function movAps(toRm: bool): void {
  if (!checkPsPd()) return;
  move128(toRm, true);
}
// MOVNTPS/MOVNTPD m128, xmm (0F 2B) and MOVNTDQ (66 0F E7): memory destination only.
export function movNt128(): void {
  if (!eaIsReg) { if (!checkSse()) return; writeMem128(xmmPtr(modrmReg), true); return; }
  raiseUD();
}
// Forms that exist only without a REP-class prefix (PS, and PD with 66).
function checkPsPd(): bool {
  const f = sseForm();
  if (f == FORM_SS || f == FORM_SD) { raiseUD(); return false; }
  return checkSse();
}

// 0F 12 MOVLPS xmm, m64 / MOVHLPS xmm, xmm; 66 MOVLPD xmm, m64. 0F 13 stores the low quadword.
export function movLow(toMem: bool): void {
  if (!checkPsPd()) return;
  const r = modrmReg;
  if (eaIsReg) {
    if (toMem || sseForm() == FORM_PD) { raiseUD(); return; }
    setXmmLo(r, xmmHi(modrmRm)); // MOVHLPS
    return;
  }
  if (toMem) { writeMem64(xmmLo(r)); return; }
  const v = readMem64();
  if (faulted) return;
  setXmmLo(r, v);
}
// 0F 16 MOVHPS xmm, m64 / MOVLHPS xmm, xmm; 66 MOVHPD xmm, m64. 0F 17 stores the high quadword.
export function movHigh(toMem: bool): void {
  if (!checkPsPd()) return;
  const r = modrmReg;
  if (eaIsReg) {
    if (toMem || sseForm() == FORM_PD) { raiseUD(); return; }
    setXmmHi(r, xmmLo(modrmRm)); // MOVLHPS
    return;
  }
  if (toMem) { writeMem64(xmmHi(r)); return; }
  const v = readMem64();
  if (faulted) return;
  setXmmHi(r, v);
}

// 0F 50 MOVMSKPS / 66 MOVMSKPD r32, xmm: the sign bits.
export function movMsk(): void {
  if (!checkPsPd()) return;
  if (!eaIsReg) { raiseUD(); return; }
  const p = xmmPtr(modrmRm);
  let m: u32 = 0;
  if (sseForm() == FORM_PD) m = <u32>(load<u64>(p) >>> 63) | (<u32>(load<u64>(p, 8) >>> 63) << 1);
  else for (let i = 0; i < 4; i++) m |= (load<u32>(p + (i << 2)) >>> 31) << i;
  setReg32(modrmReg, m);
}

// 0F 14 UNPCKLPS/PD, 0F 15 UNPCKHPS/PD.
export function unpckPs(high: bool): void {
  if (!checkPsPd()) return;
  fetchXmmSrc128(true);
  if (faulted) return;
  const d = xmmPtr(modrmReg);
  if (sseForm() == FORM_PD) {
    const off = high ? 8 : 0;
    store<u64>(TMP, load<u64>(d + off));
    store<u64>(TMP, load<u64>(SRC + off), 8);
  } else {
    const off = high ? 8 : 0;
    store<u32>(TMP, load<u32>(d + off));
    store<u32>(TMP, load<u32>(SRC + off), 4);
    store<u32>(TMP, load<u32>(d + off + 4), 8);
    store<u32>(TMP, load<u32>(SRC + off + 4), 12);
  }
  copy16(d, TMP);
}

// 0F C6 SHUFPS / 66 SHUFPD xmm, xmm/m128, imm8: low half from the destination, high half from
// the source.
export function shufPs(): void {
  const imm = fetch8(); // the whole instruction is fetched before any other check
  if (faulted) return;
  if (!checkPsPd()) return;
  fetchXmmSrc128(true);
  if (faulted) return;
  const d = xmmPtr(modrmReg);
  if (sseForm() == FORM_PD) {
    store<u64>(TMP, load<u64>(d + ((imm & 1) << 3)));
    store<u64>(TMP, load<u64>(SRC + (((imm >> 1) & 1) << 3)), 8);
  } else {
    store<u32>(TMP, load<u32>(d + ((imm & 3) << 2)));
    store<u32>(TMP, load<u32>(d + (((imm >> 2) & 3) << 2)), 4);
    store<u32>(TMP, load<u32>(SRC + (((imm >> 4) & 3) << 2)), 8);
    store<u32>(TMP, load<u32>(SRC + (((imm >> 6) & 3) << 2)), 12);
  }
  copy16(d, TMP);
}

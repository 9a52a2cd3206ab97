// The D9 E0..FF group: operations on ST(0) (and ST(1)) without a memory operand
// (SDM Vol. 2A Table A-10): FCHS FABS FTST FXAM, the transcendentals, FXTRACT, FPREM/FPREM1,
// FSQRT, FRNDINT, FSCALE.
import {
  stackFault, commitFlags, unmaskedPending, isMasked, stEmpty, stSe, stSig, writeSt, push, pop,
  fpuSw, setFpuSw, SW_IE, SW_DE, SW_ZE, SW_C0, SW_C1, SW_C2, SW_C3, INDEF_SE, INDEF_SIG,
} from "./regs";
import { resSe, resSig, INT_BIT, BIAS } from "./f80";
import { f80Sqrt } from "./arith";
import {
  f80Compare, fxamClass, f80Rem, remQuotient, remIncomplete, remValid, f80RoundInt, f80Scale, f80Extract,
  xtExpSe, xtExpSig, CMP_GT, CMP_LT, CMP_EQ,
} from "./misc";
import {
  f80Sin, f80Cos, f80Tan, f80F2xm1, f80Yl2x, f80Yl2xp1, f80Patan, trigOutOfRange,
} from "./transcend";
import { rcm, prec, deliver, underflow, setCc } from "./ops";

export function unaryOp(m: i32): void {
  switch (m) {
    case 0xe0: case 0xe1: signFlip(m == 0xe0); return;
    case 0xe4: ftst(); return;
    case 0xe5: fxam(); return;
    case 0xf0: one(F2XM1); return;
    case 0xf1: two(FYL2X); return;
    case 0xf2: fptan(); return;
    case 0xf3: two(FPATAN); return;
    case 0xf4: fxtract(); return;
    case 0xf5: fprem(true); return;
    case 0xf8: fprem(false); return;
    case 0xf9: two(FYL2XP1); return;
    case 0xfa: one(FSQRT); return;
    case 0xfb: fsincos(); return;
    case 0xfc: one(FRNDINT); return;
    case 0xfd: fscale(); return;
    case 0xfe: one(FSIN); return;
    default: one(FCOS); return; // 0xff
  }
}

// FCHS/FABS change only the sign bit, whatever the operand (no exceptions but underflow).
function signFlip(chs: bool): void {
  if (stEmpty(0)) { underflow(0, false); return; }
  const se = stSe(0);
  writeSt(0, chs ? se ^ 0x8000 : se & 0x7fff, stSig(0));
  commitFlags(true);
}
function ftst(): void {
  if (stEmpty(0)) {
    stackFault(false);
    setCc(SW_C0 | SW_C2 | SW_C3);
    commitFlags(true);
    return;
  }
  // Written even when IE or DE is unmasked (checked against hardware).
  const r = f80Compare(stSe(0), stSig(0), 0, 0, false);
  setCc(r == CMP_GT ? 0 : r == CMP_LT ? SW_C0 : r == CMP_EQ ? SW_C3 : SW_C0 | SW_C2 | SW_C3);
  commitFlags(true);
}
// FXAM: class in C3 C2 C0, sign in C1, also for an empty register (SDM Vol. 2A FXAM).
function fxam(): void {
  const se = stSe(0);
  let cc = fxamClass(se, stSig(0), stEmpty(0));
  if ((se & 0x8000) != 0) cc |= SW_C1;
  setCc(cc);
}

const F2XM1 = 0, FSQRT = 1, FRNDINT = 2, FSIN = 3, FCOS = 4;
function one(kind: i32): void {
  if (stEmpty(0)) { underflow(0, false); return; }
  const se = stSe(0), sig = stSig(0);
  if (kind == FSIN || kind == FCOS) {
    // Out of range (|x| >= 2^63): C2=1 and ST(0) unchanged (SDM Vol. 2A FSIN).
    if (trigOutOfRange(se, sig)) { setFpuSw((fpuSw() & ~(SW_C1 | SW_C2)) | SW_C2); return; }
    setFpuSw(fpuSw() & ~SW_C2);
  }
  switch (kind) {
    case F2XM1: f80F2xm1(se, sig, rcm); break;
    case FSQRT: f80Sqrt(se, sig, prec, rcm); break;
    case FRNDINT: f80RoundInt(se, sig, rcm); break;
    case FSIN: f80Sin(se, sig, rcm); break;
    default: f80Cos(se, sig, rcm); break;
  }
  deliver(0, false);
}

// ST(1) = f(ST(0), ST(1)), then pop.
const FYL2X = 0, FPATAN = 1, FYL2XP1 = 2;
function two(kind: i32): void {
  if (stEmpty(0) || stEmpty(1)) { underflow(1, true); return; }
  const xSe = stSe(0), xSig = stSig(0), ySe = stSe(1), ySig = stSig(1);
  switch (kind) {
    case FYL2X: f80Yl2x(xSe, xSig, ySe, ySig, rcm); break;
    case FPATAN: f80Patan(xSe, xSig, ySe, ySig, rcm); break;
    default: f80Yl2xp1(xSe, xSig, ySe, ySig, rcm); break;
  }
  deliver(1, true);
}

// Instructions that replace ST(0) and push a second result need ST(0) full and ST(7) empty.
function twoResultStackCheck(): bool {
  if (stEmpty(0)) {
    stackFault(false);
  } else if (!stEmpty(-1)) {
    stackFault(true);
  } else return true;
  if (isMasked(SW_IE)) {
    writeSt(0, INDEF_SE, INDEF_SIG);
    push(INDEF_SE, INDEF_SIG);
  }
  commitFlags(true);
  return false;
}

// FPTAN: ST(0) = tan(ST(0)), then push 1.0.
function fptan(): void {
  // The stack check comes first (checked against hardware), then the range check.
  if (!twoResultStackCheck()) return;
  if (trigOutOfRange(stSe(0), stSig(0))) { setFpuSw((fpuSw() & ~(SW_C1 | SW_C2)) | SW_C2); return; }
  setFpuSw(fpuSw() & ~SW_C2);
  f80Tan(stSe(0), stSig(0), rcm);
  if (unmaskedPending(SW_IE | SW_DE)) { commitFlags(true); return; }
  const nan = (resSe & 0x7fff) == 0x7fff;
  writeSt(0, resSe, resSig);
  // A NaN result pushes the NaN again instead of 1.0.
  if (nan) push(resSe, resSig); else push(<u32>BIAS, INT_BIT);
  commitFlags(true);
}
// FSINCOS: ST(0) = sin, then push cos (ST(1) = sin, ST(0) = cos).
function fsincos(): void {
  if (!twoResultStackCheck()) return;
  if (trigOutOfRange(stSe(0), stSig(0))) { setFpuSw((fpuSw() & ~(SW_C1 | SW_C2)) | SW_C2); return; }
  setFpuSw(fpuSw() & ~SW_C2);
  const se = stSe(0), sig = stSig(0);
  f80Sin(se, sig, rcm);
  const sSe = resSe, sSig = resSig;
  f80Cos(se, sig, rcm);
  if (unmaskedPending(SW_IE | SW_DE)) { commitFlags(true); return; }
  writeSt(0, sSe, sSig);
  push(resSe, resSig);
  commitFlags(true);
}
// FXTRACT: ST(0) = exponent, then push the significand.
function fxtract(): void {
  if (!twoResultStackCheck()) return;
  f80Extract(stSe(0), stSig(0));
  if (unmaskedPending(SW_IE | SW_DE | SW_ZE)) { commitFlags(true); return; }
  writeSt(0, xtExpSe, xtExpSig);
  push(resSe, resSig);
  commitFlags(true);
}
// FPREM/FPREM1: C2 = incomplete; complete: C0 = Q2, C3 = Q1, C1 = Q0 (SDM Vol. 2A FPREM).
// Without a remainder (stack underflow, NaN or invalid operands) C2 and C1 clear and C0, C3 keep
// their values (checked against hardware).
function fprem(nearest: bool): void {
  if (stEmpty(0) || stEmpty(1)) {
    setFpuSw(fpuSw() & ~SW_C2);
    underflow(0, false);
    return;
  }
  f80Rem(stSe(0), stSig(0), stSe(1), stSig(1), nearest, rcm);
  if (!unmaskedPending(SW_IE | SW_DE)) writeSt(0, resSe, resSig);
  commitFlags(true);
  let sw = fpuSw() & ~(SW_C1 | SW_C2);
  if (remValid && !unmaskedPending(SW_IE | SW_DE)) {
    sw &= ~(SW_C0 | SW_C3);
    if (remIncomplete) sw |= SW_C2;
    else {
      if ((remQuotient & 4) != 0) sw |= SW_C0;
      if ((remQuotient & 2) != 0) sw |= SW_C3;
      if ((remQuotient & 1) != 0) sw |= SW_C1;
    }
  }
  setFpuSw(sw);
}
function fscale(): void {
  if (stEmpty(0) || stEmpty(1)) { underflow(0, false); return; }
  f80Scale(stSe(0), stSig(0), stSe(1), stSig(1), rcm);
  deliver(0, false);
}

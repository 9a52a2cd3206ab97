// Entry point of the MMX/SSE/SSE2 unit: the integer interpreter hands over every two-byte
// opcode 0F xx of this space after the prefixes (decode.ts: prefix66, repPrefix). The opcode map
// is SDM Vol. 2 Appendix A, Table A-3; the mandatory prefix (none/66/F3/F2) selects the form.
//
// Where lab86 can still differ from hardware (everything else is compared bit for bit, MXCSR
// included, against the host CPU by test/cpu/simd/*_reference.test.ts):
//  - RCPPS/RCPSS/RSQRTPS/RSQRTSS return the exact result rounded to nearest at 12 significant
//    bits (relative error <= 2^-12, inside Intel's documented 1.5 * 2^-12); Intel's and AMD's
//    table-driven values differ from this and from each other in the low 11 significand bits.
//    Specials (zeros, denormal inputs read as zero, infinities, NaNs, tiny results flushed to
//    zero) match hardware; for RCP inputs just below 2^126, where the SDM leaves flushing to
//    the implementation, lab86 returns the smallest normal instead of zero.
//  - Exception precedence inside one element follows the SDM (Vol. 3A Table 6-8) as observed on
//    the reference host: an invalid operation or divide-by-zero hides a denormal-operand flag of
//    the same element, and an unmasked overflow/underflow reports PE only when the result
//    rounded with an unbounded exponent was inexact. Other processor generations may differ in
//    these corners.
//  - MXCSR_MASK is 0xffff (DAZ supported, as on the Pentium 4; an early Pentium III reports
//    0xffbf and rejects DAZ).
//  - FXSAVE always stores XMM0-7 and MXCSR, even with CR4.OSFXSR clear (implementation
//    dependent on hardware).
//  - The SSE integer instructions on MMX registers (PAVGB mm, PSHUFW, ...) follow their Vol. 2
//    exception tables (CR0.EM/TS and pending x87 exceptions) and ignore CR4.OSFXSR.
//  - Caches are not modelled: non-temporal stores, PREFETCHh, fences and CLFLUSH have only their
//    architectural effects (stores and faults). Misaligned operands never raise #AC.
import { fetchModrm, repPrefix } from "./decode";
import { faulted, raiseUD } from "./fault";
import { sseArith, sseCmp, sseComi, sseLogic, sseApprox } from "./simd/sse_fp";
import { cvt5A, cvt5B, cvtE6, cvt2A, cvtToInt } from "./simd/sse_cvt";
import { movUps, movAps, movNt128, movLow, movHigh, movMsk, unpckPs, shufPs } from "./simd/sse_mov";
import {
  intOp, shiftImm, movdLoad, movdStore, movq, opD6, pshuf, pinsrw, pextrw, pmovmskb, movntq,
  maskmov, emms, movnti,
} from "./simd/packed_int";
import { op0FAE, hintNop } from "./simd/state_ops";

export function simdExec0F(op: u32): void {
  if (op == 0x77) { emms(); return; }
  fetchModrm();
  if (faulted) return;
  if (op >= 0x18 && op <= 0x1f) { hintNop(); return; }
  switch (op) {
    case 0x10: movUps(false); return;
    case 0x11: movUps(true); return;
    case 0x12: movLow(false); return;
    case 0x13: movLow(true); return;
    case 0x14: unpckPs(false); return;
    case 0x15: unpckPs(true); return;
    case 0x16: movHigh(false); return;
    case 0x17: movHigh(true); return;
    case 0x28: movAps(false); return;
    case 0x29: movAps(true); return;
    case 0x2a: cvt2A(); return;
    case 0x2b: if (repPrefix != 0) raiseUD(); else movNt128(); return;
    case 0x2c: cvtToInt(true); return;
    case 0x2d: cvtToInt(false); return;
    case 0x2e: sseComi(false); return;
    case 0x2f: sseComi(true); return;
    case 0x50: movMsk(); return;
    case 0x51: case 0x58: case 0x59: case 0x5c: case 0x5d: case 0x5e: case 0x5f: sseArith(op); return;
    case 0x52: case 0x53: sseApprox(op); return;
    case 0x54: case 0x55: case 0x56: case 0x57: sseLogic(op); return;
    case 0x5a: cvt5A(); return;
    case 0x5b: cvt5B(); return;
    case 0x6e: movdLoad(); return;
    case 0x6f: movq(false); return;
    case 0x70: pshuf(); return;
    case 0x71: case 0x72: case 0x73: shiftImm(op); return;
    case 0x7e: movdStore(); return;
    case 0x7f: movq(true); return;
    case 0xae: op0FAE(); return;
    case 0xc2: sseCmp(); return;
    case 0xc3: movnti(); return;
    case 0xc4: pinsrw(); return;
    case 0xc5: pextrw(); return;
    case 0xc6: shufPs(); return;
    case 0xd6: opD6(); return;
    case 0xd7: pmovmskb(); return;
    case 0xe6: cvtE6(); return;
    case 0xe7: movntq(); return;
    case 0xf7: maskmov(); return;
  }
  // The remaining opcodes of the D1-FE block are D0 and F0 (SSE3) and FF: #UD below.
  if ((op >= 0x60 && op <= 0x6d) || (op >= 0x74 && op <= 0x76) || (op >= 0xd1 && op <= 0xfe && op != 0xf0)) {
    intOp(op);
    return;
  }
  raiseUD();
}

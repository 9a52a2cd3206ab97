// One element of the SSE/SSE2 conversions and of the RCP/RSQRT approximations
// (SDM Vol. 2 CVTxx2yy, RCPPS, RSQRTPS; Vol. 1 4.8.3.7 for out-of-range integer results).
import {
  F32, F64, C_ZERO, C_INF, C_QNAN, C_SNAN, classOf, isNeg, quiet, defaultNaN, infinity, zero,
  toF64, roundValue, exponentOf, scalb, roundingControl, RC_NEAREST, RC_DOWN, RC_UP,
  isDenormal, daz, flagPre, flagPost, resetElFlags,
} from "./fpcore";
import { MX_IE, MX_DE, MX_PE } from "./regs";

// The integer indefinite value returned for NaNs and out-of-range results (IE).
export const INT32_INDEFINITE: u32 = 0x80000000;

// CVTSS2SI, CVTSD2SI, CVTPS2PI, CVTPS2DQ, ... (truncate: the CVTT forms round toward zero).
export function cvtToInt32(b: u64, fmt: i32, truncate: bool): u32 {
  resetElFlags();
  const c = classOf(b, fmt);
  if (c >= C_INF) { flagPre(MX_IE); return INT32_INDEFINITE; }
  if (c == C_ZERO) return 0; // a zero, or a denormal under DAZ
  const v = toF64(b, fmt);
  let r: f64;
  const rc = truncate ? 3 : roundingControl();
  if (rc == RC_NEAREST) r = nearest<f64>(v);
  else if (rc == RC_DOWN) r = Math.floor(v);
  else if (rc == RC_UP) r = Math.ceil(v);
  else r = Math.trunc(v);
  if (r < -2147483648.0 || r > 2147483647.0) { flagPre(MX_IE); return INT32_INDEFINITE; }
  if (r != v) flagPost(MX_PE);
  return <u32><i32>r;
}
// CVTSI2SS, CVTDQ2PS, CVTPI2PS: rounded by MXCSR.RC (PE); to double: always exact.
export function cvtFromInt32(v: i32, fmt: i32): u64 {
  resetElFlags();
  if (fmt == F64) return reinterpret<u64>(<f64>v);
  return roundValue(<f64>v, F32);
}

// CVTSS2SD, CVTPS2PD: exact widening; SNaN signals IE and is quietened, denormals signal DE.
export function cvtF32toF64(b: u64): u64 {
  resetElFlags();
  const c = classOf(b, F32);
  const neg = isNeg(b, F32);
  if (c >= C_QNAN) {
    if (c == C_SNAN) flagPre(MX_IE);
    return (neg ? 0x8000000000000000 : 0) | 0x7ff8000000000000 | ((b & 0x3fffff) << 29);
  }
  if (isDenormal(b, F32) && !daz()) flagPre(MX_DE);
  if (c == C_ZERO) return zero(F64, neg);
  if (c == C_INF) return infinity(F64, neg);
  return reinterpret<u64>(toF64(b, F32));
}

// CVTSD2SS, CVTPD2PS: narrowing under MXCSR.RC with OE/UE/PE, FTZ; NaNs keep their top
// significand bits.
export function cvtF64toF32(b: u64): u64 {
  resetElFlags();
  const c = classOf(b, F64);
  const neg = isNeg(b, F64);
  if (c >= C_QNAN) {
    if (c == C_SNAN) flagPre(MX_IE);
    return (neg ? 0x80000000 : 0) | 0x7fc00000 | ((b >> 29) & 0x3fffff);
  }
  if (isDenormal(b, F64) && !daz()) flagPre(MX_DE);
  if (c == C_ZERO) return zero(F32, neg);
  if (c == C_INF) return infinity(F32, neg);
  return roundValue(toF64(b, F64), F32);
}

// RCPSS/RCPPS and RSQRTSS/RSQRTPS. Intel documents only a bound, |relative error| <= 1.5 * 2^-12,
// and its table-driven results are not reproduced here: lab86 returns the exact reciprocal
// (reciprocal square root) rounded to nearest at 12 significant bits, which is within that bound
// but can differ from hardware in the low 11 significand bits. As on hardware, these instructions
// raise no exceptions, read denormal sources as zeros (result: infinity of the same sign) and
// return zero for results below the normal range; NaNs are quietened.
export function approx(b: u64, rsqrt: bool): u64 {
  resetElFlags();
  const e = b & 0x7f800000;
  const neg = isNeg(b, F32);
  if (e == 0x7f800000) {
    if ((b & 0x7fffff) != 0) return quiet(b, F32);
    if (rsqrt && neg) return defaultNaN(F32);
    return zero(F32, neg);
  }
  if (e == 0) return infinity(F32, neg); // zero or denormal
  if (rsqrt && neg) return defaultNaN(F32);
  // RCP of |x| >= 2^126 is "guaranteed to produce a tiny result", flushed to zero (SDM Vol. 2
  // RCPSS); just below that bound hardware may go either way, and lab86 keeps the normal result.
  if (!rsqrt && e >= 0x7e800000) return zero(F32, neg);
  const x = toF64(b, F32);
  let r = rsqrt ? 1.0 / Math.sqrt(Math.abs(x)) : 1.0 / Math.abs(x);
  const ex = exponentOf(r);
  r = scalb(nearest<f64>(scalb(r, 11 - ex)), ex - 11); // 12 significant bits
  if (r < 1.1754943508222875e-38) return zero(F32, neg);
  const f = <u64>reinterpret<u32>(<f32>r);
  return neg ? f | 0x80000000 : f;
}

// x87 and SSE/SSE2/MMX smoke coverage. The FPU and SIMD units have their own deep host-reference
// suites (test/cpu/fpu, test/cpu/simd); these few snippets check the seams those suites do not:
// results that land in EFLAGS (FCOMI, COMISS, FNSTSW+SAHF), in general registers (FNSTSW AX,
// CVTTSS2SI, MOVMSKPS, PMOVMSKB, MOVD, PEXTRW), FCMOVcc reading EFLAGS, memory operands reached
// through the integer unit's addressing forms, and #GP for misaligned MOVAPS.
import type { Spec } from "../harness";
import { BUF_ADDR } from "../layout";
import { ESI, EAX, ECX, EDX, type CaseBuilder } from "./builder";
import { le, rmInstr } from "./forms";
import type { Rng } from "./rng";

const NICE_F64 = [0, -0, 1, -1, 0.5, 2, 3, 10, 1e-310, 1.5, -2.25, 1e300, Infinity, -Infinity, NaN, 123456789, 0.1, -7];

function f64Bytes(rng: Rng): number[] {
  const dv = new DataView(new ArrayBuffer(8));
  if (rng.chance(0.6)) dv.setFloat64(0, rng.pick(NICE_F64) * (rng.chance(0.3) ? rng.below(1000) : 1), true);
  else {
    dv.setUint32(0, rng.u32(), true);
    dv.setUint32(4, rng.u32(), true);
  }
  return [...new Uint8Array(dv.buffer)];
}
function f32Bytes(rng: Rng): number[] {
  const dv = new DataView(new ArrayBuffer(4));
  if (rng.chance(0.6)) dv.setFloat32(0, rng.pick(NICE_F64) * (rng.chance(0.3) ? rng.below(1000) : 1), true);
  else dv.setUint32(0, rng.value(32), true);
  return [...new Uint8Array(dv.buffer)];
}

/** ESI -> a 16-byte aligned block of the buffer holding 32 bytes of operands: [esi], [esi+16]. */
function operands(b: CaseBuilder, kind: "f64" | "f32" | "int"): void {
  const rng = b.rng;
  const off = rng.below(0x80) * 16;
  b.setReg(ESI, BUF_ADDR + off);
  const bytes: number[] = [];
  while (bytes.length < 32) bytes.push(...(kind === "f64" ? f64Bytes(rng) : kind === "f32" ? f32Bytes(rng) : le(rng.value(32), 4)));
  b.patch = { off, bytes };
}

// x87 encodings used below (SDM Vol. 2, FPU opcode tables).
const FLD_M64_ESI = [0xdd, 0x06]; // fld qword [esi]
const FLD_M64_ESI8 = [0xdd, 0x46, 0x08]; // fld qword [esi+8]
const FSTP_M64_ESI16 = [0xdd, 0x5e, 0x10]; // fstp qword [esi+16]
const FNSTSW_AX = [0xdf, 0xe0];

export const x87Specs: Spec[] = [
  {
    name: "x87: FLD m64 x2, arith, FSTP m64, FNSTSW AX", owner: "fpu", count: 96,
    gen: (b, rng) => {
      operands(b, "f64");
      // DE C1/E1/E9/C9/F1/F9: FADDP FSUBRP FSUBP FMULP FDIVRP FDIVP st(1),st
      b.emit(...FLD_M64_ESI, ...FLD_M64_ESI8, 0xde, rng.pick([0xc1, 0xe1, 0xe9, 0xc9, 0xf1, 0xf9]), ...FSTP_M64_ESI16, ...FNSTSW_AX);
    },
  },
  {
    name: "x87: FCOMI/FUCOMI/FCOMIP -> EFLAGS", owner: "fpu", count: 64,
    gen: (b, rng) => {
      operands(b, "f64");
      // DB F0+i FCOMI, DB E8+i FUCOMI, DF F0+i FCOMIP, DF E8+i FUCOMIP (with st1)
      b.emit(...FLD_M64_ESI, ...FLD_M64_ESI8, ...rng.pick([[0xdb, 0xf1], [0xdb, 0xe9], [0xdf, 0xf1], [0xdf, 0xe9]]), ...FNSTSW_AX);
    },
  },
  {
    name: "x87: FCOM, FNSTSW AX, SAHF", owner: "fpu", count: 48,
    gen: (b, rng) => {
      operands(b, "f64");
      b.emit(...FLD_M64_ESI, rng.pick([0xdc, 0xdc]), rng.pick([0x56, 0x5e]), 0x08, ...FNSTSW_AX, 0x9e); // fcom/fcomp qword [esi+8]
    },
  },
  {
    name: "x87: FCMOVcc reads EFLAGS", owner: "fpu", count: 64,
    gen: (b, rng) => {
      operands(b, "f64");
      // DA C0/C8/D0/D8 FCMOVB/E/BE/U, DB C0/C8/D0/D8 FCMOVNB/NE/NBE/NU st0,st1
      b.emit(...FLD_M64_ESI, ...FLD_M64_ESI8, rng.pick([0xda, 0xdb]), 0xc1 | (rng.below(4) << 3), ...FSTP_M64_ESI16);
    },
  },
  {
    name: "x87: FILD/FISTP m16/m32/m64 and rounding control", owner: "fpu", count: 96,
    gen: (b, rng) => {
      operands(b, "f64");
      // FLDCW [esi+24] with RC from the case; FLD m64; FRNDINT?; FISTP m16/m32/m64 [esi+16]
      const cw = 0x37f | (rng.below(4) << 10);
      (b.patch!.bytes as number[]).splice(24, 2, ...le(cw, 2));
      b.emit(0xd9, 0x6e, 0x18, ...FLD_M64_ESI);
      if (rng.chance(0.3)) b.emit(0xd9, 0xfc); // FRNDINT
      b.emit(...rng.pick([[0xdf, 0x5e, 0x10], [0xdb, 0x5e, 0x10], [0xdf, 0x7e, 0x10]]), ...FNSTSW_AX);
      if (rng.chance(0.3)) b.emit(0xdb, 0x46, 0x10, 0xdd, 0x5e, 0x08); // FILD m32 [esi+16]; FSTP [esi+8]
    },
  },
  {
    name: "x87: FSQRT FABS FCHS FXCH constants", owner: "fpu", count: 48,
    gen: (b, rng) => {
      operands(b, "f64");
      b.emit(...FLD_M64_ESI, ...rng.pick([[0xd9, 0xfa], [0xd9, 0xe1], [0xd9, 0xe0], [0xd9, 0xe8, 0xd9, 0xc9], [0xd9, 0xeb, 0xde, 0xc9], [0xd9, 0xee, 0xde, 0xc1]]), ...FSTP_M64_ESI16, ...FNSTSW_AX);
    },
  },
];

// SSE/SSE2: load [esi] and [esi+16] into xmm0/xmm1, operate, store to [esi+32], STMXCSR [esi+48].
const LOAD2 = [0x0f, 0x10, 0x06, 0x0f, 0x10, 0x4e, 0x10]; // movups xmm0,[esi]; movups xmm1,[esi+16]
const STORE = [0x0f, 0x11, 0x46, 0x20, 0x0f, 0xae, 0x5e, 0x30]; // movups [esi+32],xmm0; stmxcsr [esi+48]
const PACKED_OPS: [string, number[]][] = [
  ["ADDPS", [0x0f, 0x58]], ["MULPS", [0x0f, 0x59]], ["SUBPS", [0x0f, 0x5c]], ["DIVPS", [0x0f, 0x5e]],
  ["MINPS", [0x0f, 0x5d]], ["MAXPS", [0x0f, 0x5f]], ["SQRTPS", [0x0f, 0x51]], ["XORPS", [0x0f, 0x57]],
  ["ADDSS", [0xf3, 0x0f, 0x58]], ["ADDPD", [0x66, 0x0f, 0x58]], ["MULSD", [0xf2, 0x0f, 0x59]], ["CVTPS2PD", [0x0f, 0x5a]],
  ["PADDB", [0x66, 0x0f, 0xfc]], ["PSUBW", [0x66, 0x0f, 0xf9]], ["PMULLW", [0x66, 0x0f, 0xd5]], ["PMULUDQ", [0x66, 0x0f, 0xf4]],
  ["PSADBW", [0x66, 0x0f, 0xf6]], ["PACKSSWB", [0x66, 0x0f, 0x63]], ["PUNPCKLBW", [0x66, 0x0f, 0x60]], ["PAVGB", [0x66, 0x0f, 0xe0]],
];

export const sseSpecs: Spec[] = [
  {
    name: "SSE/SSE2: packed and scalar ops via memory, STMXCSR", owner: "simd", count: 160,
    gen: (b, rng) => {
      const [name, op] = rng.pick(PACKED_OPS);
      operands(b, name.startsWith("P") ? "int" : name.endsWith("PD") || name.endsWith("SD") ? "f64" : "f32");
      b.emit(...LOAD2, ...op, 0xc1, ...STORE);
    },
  },
  {
    name: "SSE/SSE2: COMISS/UCOMISS/COMISD -> EFLAGS", owner: "simd", count: 64,
    gen: (b, rng) => {
      const d = rng.chance(0.5);
      operands(b, d ? "f64" : "f32");
      b.emit(...LOAD2, ...(d ? [0x66] : []), 0x0f, rng.pick([0x2e, 0x2f]), 0xc1, 0x0f, 0xae, 0x5e, 0x30);
    },
  },
  {
    name: "SSE/SSE2: conversions to and from GPRs", owner: "simd", count: 96,
    gen: (b, rng) => {
      const d = rng.chance(0.5);
      operands(b, d ? "f64" : "f32");
      b.pin(EAX);
      // CVTTSS2SI/CVTSS2SI eax,[esi] (F3 0F 2C/2D), CVTTSD2SI (F2), then CVTSI2SS/SD xmm2,ecx.
      b.emit(d ? 0xf2 : 0xf3, 0x0f, rng.pick([0x2c, 0x2d]), 0x06);
      b.emit(d ? 0xf2 : 0xf3, 0x0f, 0x2a, 0xd1, 0x0f, 0x11, 0x56, 0x20, 0x0f, 0xae, 0x5e, 0x30); // movups [esi+32],xmm2
    },
  },
  {
    name: "SSE/SSE2: MOVMSKPS PMOVMSKB MOVD PEXTRW PINSRW", owner: "simd", count: 64,
    gen: (b, rng) => {
      operands(b, "int");
      b.pin(EAX); b.pin(ECX); b.pin(EDX);
      b.emit(...LOAD2, 0x0f, 0x50, 0xc0, 0x66, 0x0f, 0xd7, 0xc9, 0x66, 0x0f, 0x7e, 0xca); // movmskps eax,xmm0; pmovmskb ecx,xmm1; movd edx,xmm1
      b.emit(0x66, 0x0f, 0xc5, 0xd8 | 0, rng.below(8)); // pextrw ebx,xmm0,imm
      b.emit(0x66, 0x0f, 0xc4, 0xc2, rng.below(8), ...STORE); // pinsrw xmm0,edx,imm
    },
  },
  {
    name: "MMX: MOVQ, PADDSW, PSRLQ, EMMS", owner: "simd", count: 48,
    gen: (b, rng) => {
      operands(b, "int");
      // movq mm0,[esi]; paddsw mm0,[esi+8]; psrlq mm0,imm; movq [esi+16],mm0; emms
      b.emit(0x0f, 0x6f, 0x06, 0x0f, 0xed, 0x46, 0x08, 0x0f, 0x73, 0xd0, rng.below(70), 0x0f, 0x7f, 0x46, 0x10, 0x0f, 0x77);
    },
  },
  {
    // 16-byte alignment of MOVAPS/MOVDQA memory operands (SDM Vol. 2B MOVAPS: #GP(0)).
    name: "SSE: MOVAPS/MOVDQA alignment (#GP)", owner: "simd", count: 48,
    gen: (b, rng) => {
      rmInstr(b, { op: rng.pick([[0x0f, 0x28], [0x66, 0x0f, 0x6f], [0x0f, 0x29]]), size: 32, mem: "only", addr16: false, writesRm: true });
    },
  },
];

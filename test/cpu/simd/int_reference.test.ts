// MMX and SSE/SSE2 integer, logic, shuffle and register-move instructions against the host CPU
// (see native.ts): every 64-bit form on mm0/mm1 and every 128-bit form on xmm0/xmm1.
import { describe, it, expect, beforeAll } from "vitest";
import type { Cpu } from "../../../src/machine/cpu";
import { flatCpu, hex, toolsMissing } from "./support";
import { runNative, loadOps, runLab86, type Outcome } from "./native";
import { Rng, makeCases } from "./cases";

// Two-operand integer instructions that exist in both the MMX and the 66-prefixed XMM form.
const BINARY = [
  "punpcklbw", "punpcklwd", "punpckldq", "packsswb", "pcmpgtb", "pcmpgtw", "pcmpgtd", "packuswb",
  "punpckhbw", "punpckhwd", "punpckhdq", "packssdw", "pcmpeqb", "pcmpeqw", "pcmpeqd",
  "psrlw", "psrld", "psrlq", "paddq", "pmullw", "psubusb", "psubusw", "pminub", "pand", "paddusb",
  "paddusw", "pmaxub", "pandn", "pavgb", "psraw", "psrad", "pavgw", "pmulhuw", "pmulhw", "psubsb",
  "psubsw", "pminsw", "por", "paddsb", "paddsw", "pmaxsw", "pxor", "psllw", "pslld", "psllq",
  "pmuludq", "pmaddwd", "psadbw", "psubb", "psubw", "psubd", "psubq", "paddb", "paddw", "paddd",
];
const IMM_SHIFTS = ["psrlw", "psraw", "psllw", "psrld", "psrad", "pslld", "psrlq", "psllq"];
const OPS: string[] = [
  ...BINARY.map((m) => `${m} mm0, mm1`),
  ...BINARY.map((m) => `${m} xmm0, xmm1`),
  "punpcklqdq xmm0, xmm1", "punpckhqdq xmm0, xmm1",
  ...IMM_SHIFTS.flatMap((m) => [0, 1, 7, 15, 16, 31, 32, 63, 64, 200].flatMap((n) => [`${m} mm0, ${n}`, `${m} xmm0, ${n}`])),
  ...[0, 1, 5, 8, 15, 16, 255].flatMap((n) => [`pslldq xmm0, ${n}`, `psrldq xmm0, ${n}`]),
  ...[0x1b, 0xe4, 0x00, 0xff, 0x4e, 0xb1].flatMap((n) => [
    `pshufw mm0, mm1, ${n}`, `pshufd xmm0, xmm1, ${n}`, `pshufhw xmm0, xmm1, ${n}`, `pshuflw xmm0, xmm1, ${n}`,
    `shufps xmm0, xmm1, ${n}`, `shufpd xmm0, xmm1, ${n & 3}`,
  ]),
  "pmovmskb eax, mm1", "pmovmskb eax, xmm1", "movmskps eax, xmm1", "movmskpd eax, xmm1",
  ...[0, 1, 2, 3, 5, 7].flatMap((n) => [`pextrw eax, mm1, ${n}`, `pextrw eax, xmm1, ${n}`, `pinsrw mm0, eax, ${n}`, `pinsrw xmm0, eax, ${n}`]),
  "movd mm0, eax", "movd xmm0, eax", "movd eax, mm1", "movd eax, xmm1", "movq mm0, mm1",
  "movq xmm0, xmm1", "movq2dq xmm0, mm1", "movdq2q mm0, xmm1", "movdqa xmm0, xmm1", "movdqu xmm0, xmm1",
  "movaps xmm0, xmm1", "movups xmm0, xmm1", "movapd xmm0, xmm1", "movupd xmm0, xmm1",
  "movss xmm0, xmm1", "movsd xmm0, xmm1", "movhlps xmm0, xmm1", "movlhps xmm0, xmm1",
  "andps xmm0, xmm1", "andnps xmm0, xmm1", "orps xmm0, xmm1", "xorps xmm0, xmm1",
  "andpd xmm0, xmm1", "andnpd xmm0, xmm1", "orpd xmm0, xmm1", "xorpd xmm0, xmm1",
  "unpcklps xmm0, xmm1", "unpckhps xmm0, xmm1", "unpcklpd xmm0, xmm1", "unpckhpd xmm0, xmm1",
  "emms",
];
const PER_OP = 150;

function show(o: Outcome): string {
  return `xmm0=${hex(o.xmm0)} mm0=${hex(o.mm0)} eax=${o.eax.toString(16)} mxcsr=${o.mxcsr.toString(16)}`;
}

describe.skipIf(toolsMissing(true))("MMX and SSE/SSE2 integer and data movement vs the host CPU", () => {
  let cpu: Cpu;
  beforeAll(async () => {
    cpu = await flatCpu();
    loadOps(cpu, OPS);
  });
  it.each(OPS.map((op, i) => [op, i] as const))("%s", (_name, i) => {
    const cases = makeCases(new Rng(0x51d0 + i * 104729), i, "bytes", PER_OP, [0x1f80]);
    const ref = runNative(OPS, cases);
    const bad: string[] = [];
    cases.forEach((k, j) => {
      const got = runLab86(cpu, k), want = ref[j];
      if (show(got) !== show(want) && bad.length < 6)
        bad.push(`${OPS[i]} a=${hex(k.a)} b=${hex(k.b)} eax=${(k.eax >>> 0).toString(16)}\n   lab86 ${show(got)}\n   host  ${show(want)}`);
    });
    expect(bad.join("\n")).toBe("");
  });
});

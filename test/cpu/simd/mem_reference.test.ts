// Memory-operand forms against the host CPU (see native.ts): operand sizes of loads, which
// part of a register a store writes, and the same results as the register forms. ESI points to
// A (bytes 0-15) and B (bytes 16-31); ops that store read the memory back into xmm0.
import { describe, it, expect, beforeAll } from "vitest";
import type { Cpu } from "../../../src/machine/cpu";
import { flatCpu, hex, toolsMissing } from "./support";
import { runNative, loadOps, runLab86, type Outcome } from "./native";
import { Rng, makeCases, type LaneKind } from "./cases";

const back = "\nmovups xmm0, [esi]";
const OPS: { insn: string; kind: LaneKind }[] = [
  { insn: "addps xmm0, [esi+16]", kind: "f32" }, { insn: "addss xmm0, [esi+20]", kind: "f32" },
  { insn: "mulsd xmm0, [esi+24]", kind: "f64" }, { insn: "divpd xmm0, [esi+16]", kind: "f64" },
  { insn: "sqrtss xmm0, [esi+28]", kind: "f32" }, { insn: "maxsd xmm0, [esi+16]", kind: "f64" },
  { insn: "cmpss xmm0, [esi+16], 1", kind: "f32" }, { insn: "cmppd xmm0, [esi+16], 6", kind: "f64" },
  { insn: "comiss xmm0, [esi+20]", kind: "f32" }, { insn: "ucomisd xmm0, [esi+24]", kind: "f64" },
  { insn: "cvtps2pd xmm0, [esi+24]", kind: "f32" }, { insn: "cvtss2sd xmm0, [esi+28]", kind: "f32" },
  { insn: "cvtsd2ss xmm0, [esi+24]", kind: "f64" }, { insn: "cvtpd2ps xmm0, [esi+16]", kind: "f64" },
  { insn: "cvtdq2pd xmm0, [esi+24]", kind: "i32" }, { insn: "cvtdq2ps xmm0, [esi+16]", kind: "i32" },
  { insn: "cvtsi2ss xmm0, dword [esi+20]", kind: "i32" }, { insn: "cvtsi2sd xmm0, dword [esi+28]", kind: "i32" },
  { insn: "cvtpi2ps xmm0, [esi+24]", kind: "i32" }, { insn: "cvtpi2pd xmm0, [esi+16]", kind: "i32" },
  { insn: "cvttss2si eax, [esi+20]", kind: "f32" }, { insn: "cvtsd2si eax, [esi+24]", kind: "f64" },
  { insn: "cvtps2pi mm0, [esi+24]", kind: "f32" }, { insn: "cvttpd2pi mm0, [esi+16]", kind: "f64" },
  { insn: "rsqrtss xmm0, [esi+20]", kind: "f32" },
  { insn: "movss xmm0, [esi+20]", kind: "bytes" }, { insn: "movsd xmm0, [esi+24]", kind: "bytes" },
  { insn: "movlps xmm0, [esi+24]", kind: "bytes" }, { insn: "movhps xmm0, [esi+20]", kind: "bytes" },
  { insn: "movlpd xmm0, [esi+17]", kind: "bytes" }, { insn: "movhpd xmm0, [esi+19]", kind: "bytes" },
  { insn: "movq xmm0, [esi+21]", kind: "bytes" }, { insn: "movd xmm0, [esi+22]", kind: "bytes" },
  { insn: "movd mm0, [esi+23]", kind: "bytes" }, { insn: "movq mm0, [esi+17]", kind: "bytes" },
  { insn: "movups xmm0, [esi+3]", kind: "bytes" }, { insn: "movdqu xmm0, [esi+9]", kind: "bytes" },
  { insn: "movapd xmm0, [esi+16]", kind: "bytes" }, { insn: "movdqa xmm0, [esi+16]", kind: "bytes" },
  { insn: "pinsrw xmm0, word [esi+27], 5", kind: "bytes" }, { insn: "pinsrw mm0, word [esi+19], 2", kind: "bytes" },
  { insn: "unpckhps xmm0, [esi+16]", kind: "bytes" }, { insn: "shufps xmm0, [esi+16], 0x9c", kind: "bytes" },
  { insn: "pshufd xmm0, [esi+16], 0x39", kind: "bytes" }, { insn: "pshufw mm0, [esi+19], 0x39", kind: "bytes" },
  { insn: "paddusb xmm0, [esi+16]", kind: "bytes" }, { insn: "pmaddwd mm0, [esi+21]", kind: "bytes" },
  { insn: "psllw xmm0, [esi+16]", kind: "bytes" }, { insn: "psrad mm0, [esi+16]", kind: "bytes" },
  { insn: "punpcklbw mm0, [esi+18]", kind: "bytes" }, { insn: "packuswb xmm0, [esi+16]", kind: "bytes" },
  { insn: "andnpd xmm0, [esi+16]", kind: "bytes" }, { insn: "pxor mm0, [esi+25]", kind: "bytes" },
  { insn: `movss [esi+5], xmm1${back}`, kind: "bytes" }, { insn: `movsd [esi+3], xmm1${back}`, kind: "bytes" },
  { insn: `movlps [esi+2], xmm1${back}`, kind: "bytes" }, { insn: `movhpd [esi+6], xmm1${back}`, kind: "bytes" },
  { insn: `movq [esi+1], xmm1${back}`, kind: "bytes" }, { insn: `movd [esi+7], xmm1${back}`, kind: "bytes" },
  { insn: `movd [esi+9], mm1${back}`, kind: "bytes" }, { insn: `movq [esi+4], mm1${back}`, kind: "bytes" },
  { insn: `movups [esi+1], xmm1${back}`, kind: "bytes" }, { insn: `movaps [esi], xmm1${back}`, kind: "bytes" },
  { insn: `movntdq [esi], xmm1${back}`, kind: "bytes" }, { insn: `movntq [esi+8], mm1${back}`, kind: "bytes" },
  { insn: `movnti [esi+3], eax${back}`, kind: "bytes" }, { insn: `stmxcsr [esi+2]${back}`, kind: "bytes" },
  { insn: `mov edi, esi\nmaskmovq mm1, mm0${back}`, kind: "bytes" },
  { insn: `mov edi, esi\nmaskmovdqu xmm1, xmm0${back}`, kind: "bytes" },
];

function show(o: Outcome): string {
  return `xmm0=${hex(o.xmm0)} mm0=${hex(o.mm0)} eax=${o.eax.toString(16)} fl=${o.flags.toString(16)} mxcsr=${o.mxcsr.toString(16)}${o.fault ? " #XM" : ""}`;
}

describe.skipIf(toolsMissing(true))("SIMD memory operands vs the host CPU", () => {
  let cpu: Cpu;
  const insns = OPS.map((o) => o.insn);
  beforeAll(async () => {
    cpu = await flatCpu();
    loadOps(cpu, insns);
  });
  it("every memory form reads and writes what the host does", () => {
    const cases = OPS.flatMap((op, i) => makeCases(new Rng(0xa11 + i * 7877), i, op.kind, 60, [0x1f80, 0x3f80, 0x1fc0, 0x1d00]));
    const ref = runNative(insns, cases);
    const bad: string[] = [];
    cases.forEach((k, j) => {
      const got = runLab86(cpu, k), want = ref[j];
      const approx = insns[k.op].startsWith("rsqrt");
      if ((approx ? got.mxcsr !== want.mxcsr : show(got) !== show(want)) && bad.length < 10)
        bad.push(`${insns[k.op].replace(/\n/g, "; ")} mx=${k.mxcsr.toString(16)} a=${hex(k.a)} b=${hex(k.b)}\n   lab86 ${show(got)}\n   host  ${show(want)}`);
    });
    expect(bad.join("\n")).toBe("");
  });
});

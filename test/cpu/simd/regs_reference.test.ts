// Register encodings other than xmm0/xmm1: every op below moves A and B into other registers
// first (including the same register for both operands, where in-place updates could corrupt a
// source), runs, and moves the result back into xmm0/mm0 for the comparison with the host CPU.
import { describe, it, expect, beforeAll } from "vitest";
import type { Cpu } from "../../../src/machine/cpu";
import { flatCpu, hex, toolsMissing } from "./support";
import { runNative, loadOps, runLab86, type Outcome } from "./native";
import { Rng, makeCases, type LaneKind } from "./cases";

const X = (d: number, s: number, insn: string) =>
  `movaps xmm${s}, xmm1\nmovaps xmm${d}, xmm0\n${insn}\nmovaps xmm0, xmm${d}`;
const M = (d: number, s: number, insn: string) =>
  `movq mm${s}, mm1\nmovq mm${d}, mm0\n${insn}\nmovq mm0, mm${d}`;
const OPS: { insn: string; kind: LaneKind }[] = [];
for (const [d, s] of [[5, 3], [7, 6], [2, 4], [4, 4]]) {
  for (const m of ["addps", "subps", "mulpd", "divsd", "maxss", "minpd", "sqrtps", "cmpltps", "cvtps2pd", "cvtpd2ps",
    "cvtdq2ps", "cvttps2dq", "rcpps", "andnps", "unpckhps", "unpcklpd", "movhlps", "movlhps", "movss", "movsd"])
    OPS.push({ insn: X(d, s, `${m} xmm${d}, xmm${s}`), kind: m.endsWith("d") || m.includes("pd") ? "f64" : "f32" });
  for (const m of ["shufps", "shufpd", "pshufd", "pshufhw", "pshuflw"])
    OPS.push({ insn: X(d, s, `${m} xmm${d}, xmm${s}, 0x1b`), kind: "bytes" });
  for (const m of ["punpcklbw", "punpckhqdq", "packsswb", "packssdw", "pmaddwd", "psadbw", "pmuludq", "psubq", "pavgw", "pcmpgtd", "psraw", "psllq"])
    OPS.push({ insn: X(d, s, `${m} xmm${d}, xmm${s}`), kind: "bytes" });
  for (const m of ["punpckhbw", "packuswb", "pmulhuw", "psadbw", "pandn", "psrlq", "paddsb"])
    OPS.push({ insn: M(d, s, `${m} mm${d}, mm${s}`), kind: "bytes" });
  OPS.push({ insn: M(d, s, `pshufw mm${d}, mm${s}, 0x4e`), kind: "bytes" });
  OPS.push({ insn: `movaps xmm${s}, xmm1\nmovdq2q mm${d}, xmm${s}\nmovq mm0, mm${d}`, kind: "bytes" });
  OPS.push({ insn: `movq mm${s}, mm1\nmovq2dq xmm${d}, mm${s}\nmovaps xmm0, xmm${d}`, kind: "bytes" });
  OPS.push({ insn: `movaps xmm${s}, xmm1\npmovmskb ebx, xmm${s}\nmov eax, ebx`, kind: "bytes" });
  OPS.push({ insn: `movaps xmm${d}, xmm0\npsrldq xmm${d}, 3\nmovaps xmm0, xmm${d}`, kind: "bytes" });
  OPS.push({ insn: `movq mm${d}, mm0\npsrlw mm${d}, 3\nmovq mm0, mm${d}`, kind: "bytes" });
}

function show(o: Outcome): string {
  return `xmm0=${hex(o.xmm0)} mm0=${hex(o.mm0)} eax=${o.eax.toString(16)} mxcsr=${o.mxcsr.toString(16)}${o.fault ? " #XM" : ""}`;
}

describe.skipIf(toolsMissing(true))("SIMD register encodings vs the host CPU", () => {
  let cpu: Cpu;
  const insns = OPS.map((o) => o.insn);
  beforeAll(async () => {
    cpu = await flatCpu();
    loadOps(cpu, insns);
  });
  it("every register pair computes what the host computes", () => {
    const bad: string[] = [];
    const cases = OPS.flatMap((op, i) => makeCases(new Rng(0x7e57 + i * 31337), i, op.kind, 40, [0x1f80, 0x7f80, 0x9fc0]));
    const ref = runNative(insns, cases);
    cases.forEach((k, j) => {
      const got = runLab86(cpu, k), want = ref[j];
      const approx = insns[k.op].includes("rcpps");
      const same = approx ? got.mxcsr === want.mxcsr : show(got) === show(want);
      if (!same && bad.length < 10) bad.push(`${insns[k.op].replace(/\n/g, "; ")} a=${hex(k.a)} b=${hex(k.b)}\n   lab86 ${show(got)}\n   host  ${show(want)}`);
    });
    expect(bad.join("\n")).toBe("");
  });
});

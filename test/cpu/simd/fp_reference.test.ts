// SSE/SSE2 floating point against the host CPU: bit-exact results, MXCSR flags and #XM under
// every rounding mode, FTZ, DAZ and unmasked exceptions (see native.ts for the method).
import { describe, it, expect, beforeAll } from "vitest";
import type { Cpu } from "../../../src/machine/cpu";
import { flatCpu, hex, toolsMissing } from "./support";
import { runNative, loadOps, runLab86, type Case, type Outcome } from "./native";
import { Rng, makeCases, type LaneKind } from "./cases";

interface Op { insn: string; kind: LaneKind; approx?: boolean }
const CMP = ["eq", "lt", "le", "unord", "neq", "nlt", "nle", "ord"];
const OPS: Op[] = [
  ...["add", "sub", "mul", "div", "max", "min", "sqrt"].flatMap((m) => [
    { insn: `${m}ps xmm0, xmm1`, kind: "f32" as LaneKind }, { insn: `${m}ss xmm0, xmm1`, kind: "f32" as LaneKind },
    { insn: `${m}pd xmm0, xmm1`, kind: "f64" as LaneKind }, { insn: `${m}sd xmm0, xmm1`, kind: "f64" as LaneKind },
  ]),
  ...CMP.flatMap((_, p) => [
    { insn: `cmpps xmm0, xmm1, ${p}`, kind: "f32" as LaneKind }, { insn: `cmpss xmm0, xmm1, ${p}`, kind: "f32" as LaneKind },
    { insn: `cmppd xmm0, xmm1, ${p}`, kind: "f64" as LaneKind }, { insn: `cmpsd xmm0, xmm1, ${p}`, kind: "f64" as LaneKind },
  ]),
  { insn: "comiss xmm0, xmm1", kind: "f32" }, { insn: "ucomiss xmm0, xmm1", kind: "f32" },
  { insn: "comisd xmm0, xmm1", kind: "f64" }, { insn: "ucomisd xmm0, xmm1", kind: "f64" },
  { insn: "cvtps2pd xmm0, xmm1", kind: "f32" }, { insn: "cvtss2sd xmm0, xmm1", kind: "f32" },
  { insn: "cvtpd2ps xmm0, xmm1", kind: "f64" }, { insn: "cvtsd2ss xmm0, xmm1", kind: "f64" },
  { insn: "cvtps2dq xmm0, xmm1", kind: "f32" }, { insn: "cvttps2dq xmm0, xmm1", kind: "f32" },
  { insn: "cvtpd2dq xmm0, xmm1", kind: "f64" }, { insn: "cvttpd2dq xmm0, xmm1", kind: "f64" },
  { insn: "cvtss2si eax, xmm1", kind: "f32" }, { insn: "cvttss2si eax, xmm1", kind: "f32" },
  { insn: "cvtsd2si eax, xmm1", kind: "f64" }, { insn: "cvttsd2si eax, xmm1", kind: "f64" },
  { insn: "cvtps2pi mm0, xmm1", kind: "f32" }, { insn: "cvttps2pi mm0, xmm1", kind: "f32" },
  { insn: "cvtpd2pi mm0, xmm1", kind: "f64" }, { insn: "cvttpd2pi mm0, xmm1", kind: "f64" },
  { insn: "cvtdq2ps xmm0, xmm1", kind: "i32" }, { insn: "cvtdq2pd xmm0, xmm1", kind: "i32" },
  { insn: "cvtsi2ss xmm0, eax", kind: "i32" }, { insn: "cvtsi2sd xmm0, eax", kind: "i32" },
  { insn: "cvtpi2ps xmm0, mm1", kind: "i32" }, { insn: "cvtpi2pd xmm0, mm1", kind: "i32" },
  { insn: "rcpps xmm0, xmm1", kind: "f32", approx: true }, { insn: "rcpss xmm0, xmm1", kind: "f32", approx: true },
  { insn: "rsqrtps xmm0, xmm1", kind: "f32", approx: true }, { insn: "rsqrtss xmm0, xmm1", kind: "f32", approx: true },
];
const PER_OP = 600;

function describeCase(op: Op, k: Case): string {
  return `${op.insn} mxcsr=${k.mxcsr.toString(16)} a=${hex(k.a)} b=${hex(k.b)} eax=${(k.eax >>> 0).toString(16)}`;
}
function describeOutcome(o: Outcome): string {
  return `xmm0=${hex(o.xmm0)} mm0=${hex(o.mm0)} eax=${o.eax.toString(16)} fl=${o.flags.toString(16)} mxcsr=${o.mxcsr.toString(16)}${o.fault ? " #XM" : ""}`;
}

// RCP/RSQRT: the architecture fixes only |relative error| <= 1.5 * 2^-12 for normal results;
// special inputs and outputs (zeros, infinities, NaNs, flushed results) must match exactly.
function approxEqual(a: Uint8Array, b: Uint8Array): boolean {
  const da = new DataView(a.buffer, a.byteOffset), db = new DataView(b.buffer, b.byteOffset);
  for (let i = 0; i < 16; i += 4) {
    const x = da.getUint32(i, true), y = db.getUint32(i, true);
    if (x === y) continue;
    const ex = (x >>> 23) & 0xff, ey = (y >>> 23) & 0xff;
    if (ex === 0 || ex === 255 || ey === 0 || ey === 255 || (x >>> 31) !== (y >>> 31)) return false;
    const fx = da.getFloat32(i, true), fy = db.getFloat32(i, true);
    if (Math.abs(fx - fy) / Math.abs(fy) > 1.5 * 2 ** -12 * 2) return false; // both within the bound of the truth
  }
  return true;
}

// Hand-picked operands at the tininess boundary (results that round to the smallest normal),
// exact quotients and products, and cancellations, for the single and double forms.
const EDGE32: [number, number][] = [
  [0x3f7fffff, 0x80800000], [0x3f800001, 0x00800000], [0x00800000, 0x3f800000], [0x00ffffff, 0x3f000000],
  [0x00800001, 0x3f7fffff], [0x01000000, 0x40000000], [0x3f800000, 0x7e800000], [0x7f7fffff, 0x3f800001],
  [0x40400000, 0x40400000], [0x3f800000, 0x3f800000], [0x00800000, 0x80800000], [0x3fc00000, 0x3f000000],
];
const EDGE64: [number, number][] = [ // high dwords; the low dwords are 0, 1 or all ones
  [0x3fefffff, 0x80100000], [0x3ff00000, 0x00100000], [0x00100000, 0x3fe00000], [0x001fffff, 0x3fe00000],
  [0x20000000, 0x20000000], [0x1ff00000, 0x20000000], [0x3ff00000, 0x7fe00000], [0x7fefffff, 0x3ff00000],
  [0x40080000, 0x40080000], [0x3ff80000, 0x3fe00000], [0x00100000, 0x80100000], [0x43300000, 0x3ca00000],
];
function edgeCases(op: number, kind: LaneKind): Case[] {
  const out: Case[] = [];
  for (const mx of [0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x9f80, 0x1fc0, 0x1780, 0x0f80, 0x1e80]) {
    const a = new Uint8Array(16), b = new Uint8Array(16);
    const da = new DataView(a.buffer), db = new DataView(b.buffer);
    if (kind === "f32") {
      for (let i = 0; i < EDGE32.length; i += 4)
        for (let l = 0; l < 4; l++) { da.setUint32(4 * l, EDGE32[i + l][0], true); db.setUint32(4 * l, EDGE32[i + l][1], true); }
      for (let i = 0; i < EDGE32.length; i++) {
        const x = new Uint8Array(16), y = new Uint8Array(16);
        new DataView(x.buffer).setUint32(0, EDGE32[i][0], true); new DataView(y.buffer).setUint32(0, EDGE32[i][1], true);
        out.push({ op, mxcsr: mx, a: x, b: y, eax: 0 }, { op, mxcsr: mx, a: y, b: x, eax: 0 });
      }
    } else {
      for (const lo of [0, 1, 0xffffffff]) for (const [hx, hy] of EDGE64) {
        const x = new Uint8Array(16), y = new Uint8Array(16);
        const dx = new DataView(x.buffer), dy = new DataView(y.buffer);
        dx.setUint32(0, lo, true); dx.setUint32(4, hx, true); dy.setUint32(0, 0, true); dy.setUint32(4, hy, true);
        out.push({ op, mxcsr: mx, a: x, b: y, eax: 0 }, { op, mxcsr: mx, a: y, b: x, eax: 0 });
      }
    }
    out.push({ op, mxcsr: mx, a, b, eax: 0 });
  }
  return out;
}

describe.skipIf(toolsMissing(true))("SSE/SSE2 floating point vs the host CPU", () => {
  let cpu: Cpu;
  beforeAll(async () => {
    cpu = await flatCpu();
    loadOps(cpu, OPS.map((o) => o.insn));
  });
  const insns = OPS.map((o) => o.insn);
  it.each(OPS.map((op, i) => [op.insn, i] as const))("%s", (_name, i) => {
    const op = OPS[i];
    const cases = [...edgeCases(i, op.kind), ...makeCases(new Rng(0x9e3779b9 ^ (i * 7919)), i, op.kind, PER_OP)];
    const ref = runNative(insns, cases);
    const bad: string[] = [];
    cases.forEach((k, j) => {
      const got = runLab86(cpu, k);
      const want = ref[j];
      const sameRegs = op.approx ? approxEqual(got.xmm0, want.xmm0) : hex(got.xmm0) === hex(want.xmm0);
      const same = sameRegs && hex(got.mm0) === hex(want.mm0) && got.eax === want.eax &&
        got.flags === want.flags && got.mxcsr === want.mxcsr && got.fault === want.fault;
      if (!same && bad.length < 8) bad.push(`${describeCase(op, k)}\n   lab86 ${describeOutcome(got)}\n   host  ${describeOutcome(want)}`);
    });
    expect(bad.join("\n")).toBe("");
  });
});

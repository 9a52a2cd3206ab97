// Transcendental instructions against the host CPU. lab86 rounds a double-double evaluation
// once (asm/cpu/fpu/transcend.ts), the hardware guarantees less than 1 ulp: results are compared
// within 1 unit of the last place of the 64-bit significand, and C1 (which follows the rounding
// direction) is not compared; special operands, flags (IE DE ZE UE PE ...), C2 for out-of-range
// arguments, stack effects and tags are compared exactly.
import { describe, it } from "vitest";
import { toolsMissing } from "./support";
import { kernelList, type Case } from "./native";
import { Rng, genF80, genCw, mkCase, compareWithHost, f80, INT, SCALE } from "./cases";

const { kernels, groups, add } = kernelList();
add("trig", "fsin", "fld tword [A]\nfsin");
add("trig", "fcos", "fld tword [A]\nfcos");
add("trig", "fsincos", "fld tword [A]\nfsincos");
add("trig", "fptan", "fld tword [A]\nfptan");
add("f2xm1", "f2xm1", "fld tword [A]\nf2xm1");
add("yl2x", "fyl2x", "fld tword [B]\nfld tword [A]\nfyl2x");
add("yl2xp1", "fyl2xp1", "fld tword [B]\nfld tword [A]\nfyl2xp1");
add("patan", "fpatan", "fld tword [B]\nfld tword [A]\nfpatan");

const OPTS = { ulps: 1, swMask: 0xffff & ~0x200 };
const skip = toolsMissing(true);
describe.skipIf(skip)("x87 transcendentals match the host CPU within 1 ulp", () => {
  const check = compareWithHost(kernels, { compare: OPTS });
  const sgn = (r: Rng) => (r.bool() ? 0x8000 : 0);
  const val = (r: Rng, lo: number, hi: number) => f80(0, 0n).fill(0) && f80(sgn(r) | (0x3fff + lo + r.int(hi - lo + 1)), INT | (r.u64() >> 1n));

  it("FSIN FCOS FSINCOS FPTAN over |x| < 2^63, and C2 beyond", () => {
    const r = new Rng(31);
    const cases: Case[] = [];
    for (let n = 0; n < 4000 * SCALE; n++) {
      const k = r.pick(groups.trig);
      const a = r.int(8) === 0 ? genF80(r) : r.int(10) === 0 ? val(r, 63, 70) : val(r, -30, 20);
      cases.push(mkCase(k, genCw(r), a));
    }
    check(cases);
  });
  it("F2XM1 on [-1, 1]", () => {
    const r = new Rng(32);
    const cases: Case[] = [];
    for (let n = 0; n < 2000 * SCALE; n++) cases.push(mkCase(groups.f2xm1[0], genCw(r), r.int(8) === 0 ? genF80(r) : val(r, -40, -1)));
    check(cases);
  });
  it("FYL2X and FYL2XP1", () => {
    const r = new Rng(33);
    const cases: Case[] = [];
    for (let n = 0; n < 3000 * SCALE; n++) {
      if (r.bool()) {
        const x = r.int(6) === 0 ? genF80(r) : f80(0x3fff - 300 + r.int(600), INT | (r.u64() >> 1n));
        cases.push(mkCase(groups.yl2x[0], genCw(r), x, r.int(6) === 0 ? genF80(r) : val(r, -20, 20)));
      } else {
        const x = r.int(6) === 0 ? genF80(r) : val(r, -60, -3);
        cases.push(mkCase(groups.yl2xp1[0], genCw(r), x, r.int(6) === 0 ? genF80(r) : val(r, -20, 20)));
      }
    }
    check(cases);
  });
  it("FPATAN in every quadrant and on special operands", () => {
    const r = new Rng(34);
    const cases: Case[] = [];
    for (let n = 0; n < 2000 * SCALE; n++) {
      const a = r.int(5) === 0 ? genF80(r) : val(r, -40, 40);
      const b = r.int(5) === 0 ? genF80(r) : val(r, -40, 40);
      cases.push(mkCase(groups.patan[0], genCw(r), a, b));
    }
    check(cases);
  });
});

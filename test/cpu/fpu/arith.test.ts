// Basic arithmetic against the host CPU, bit-exact: FADD FSUB FSUBR FMUL FDIV FDIVR in every
// operand form (ST(0),ST(i) / ST(i),ST(0) / P / m32 / m64 / m16int / m32int) and FSQRT, under all
// rounding and precision controls, with random and edge-case operands.
import { describe, it } from "vitest";
import { toolsMissing } from "./support";
import { kernelList, type Case } from "./native";
import { Rng, genF80, genF64, genF32, genInt, genCw, mkCase, compareWithHost, f80, INT, SCALE } from "./cases";

const OPS = ["fadd", "fsub", "fsubr", "fmul", "fdiv", "fdivr"];
const { kernels, groups, add } = kernelList();
for (const op of OPS) {
  add("reg", `${op} st0,st1`, `fld tword [B]\nfld tword [A]\n${op} st0, st1`);
  add("reg", `${op} st1,st0`, `fld tword [B]\nfld tword [A]\n${op} st1, st0`);
  add("reg", `${op}p st1,st0`, `fld tword [B]\nfld tword [A]\n${op}p st1, st0`);
  add("m32", `${op} m32`, `fld tword [A]\n${op} dword [B]`);
  add("m64", `${op} m64`, `fld tword [A]\n${op} qword [B]`);
  add("int", `fi${op.slice(1)} m32`, `fld tword [A]\nfi${op.slice(1)} dword [B]`);
  add("int", `fi${op.slice(1)} m16`, `fld tword [A]\nfi${op.slice(1)} word [B]`);
}
add("sqrt", "fsqrt", "fld tword [A]\nfsqrt");
add("under", "fadd empty", "fld tword [A]\nfadd st0, st3");
add("under", "faddp empty", "faddp st1, st0");

const skip = toolsMissing(true);
describe.skipIf(skip)("x87 arithmetic matches the host CPU", () => {
  const check = compareWithHost(kernels);

  it("register forms on random and special operands, all RC/PC", () => {
    const r = new Rng(1);
    const cases: Case[] = [];
    for (let n = 0; n < 12000 * SCALE; n++) {
      const a = genF80(r), b = r.int(5) === 0 ? nearby(r, a) : genF80(r);
      cases.push(mkCase(r.pick(groups.reg), genCw(r), a, b));
    }
    check(cases);
  });
  it("single, double and integer memory operands", () => {
    const r = new Rng(2);
    const cases: Case[] = [];
    for (let n = 0; n < 9000 * SCALE; n++) {
      const g = r.pick(["m32", "m64", "int"]);
      const k = r.pick(groups[g]);
      const b = g === "m32" ? genF32(r) : g === "m64" ? genF64(r) : genInt(r, kernels[k].name.endsWith("m16") ? 16 : 32);
      cases.push(mkCase(k, genCw(r), genF80(r), b));
    }
    check(cases);
  });
  it("square root", () => {
    const r = new Rng(3);
    const cases: Case[] = [];
    for (let n = 0; n < 4000 * SCALE; n++) {
      let a = genF80(r);
      if (r.bool()) {
        // exact squares (k^2, and (k + 1/2)^2), and their neighbours one ulp away
        const k = (r.u64() >> BigInt(r.int(40))) | 1n;
        const sq = r.bool() ? k * k : (2n * k + 1n) * (2n * k + 1n);
        const sh = 63 - (sq.toString(2).length - 1);
        let sig = sh >= 0 ? sq << BigInt(sh) : sq >> BigInt(-sh);
        sig = (sig + BigInt(r.int(3) - 1)) & ((1n << 64n) - 1n);
        if (sig < INT) sig = INT;
        a = f80(0x3fff + 63 - sh + r.int(7) - 3, sig);
      }
      cases.push(mkCase(groups.sqrt[0], genCw(r), a));
    }
    check(cases);
  });
  it("results in the denormal range and overflow, all RC/PC", () => {
    const r = new Rng(4);
    const cases: Case[] = [];
    for (let n = 0; n < 6000 * SCALE; n++) {
      const k = r.pick(groups.reg);
      const big = r.bool();
      const e1 = big ? 0x3fff + 8000 + r.int(400) : 0x3fff - 8000 - r.int(400);
      const e2 = 0x3fff + (big ? 1 : -1) * (8100 + r.int(300) - 150) * (kernels[k].name.startsWith("fdiv") ? -1 : 1);
      const a = f80((r.bool() ? 0x8000 : 0) | e1, INT | (r.u64() >> 1n));
      const b = f80((r.bool() ? 0x8000 : 0) | Math.max(1, Math.min(0x7ffe, e2)), r.bool() ? INT | (r.u64() >> 1n) : INT);
      cases.push(mkCase(k, genCw(r), a, b));
    }
    check(cases);
  });
  it("precision control 01 (reserved) behaves as the hardware does", () => {
    const r = new Rng(5);
    const cases: Case[] = [];
    for (let n = 0; n < 2000 * SCALE; n++) {
      const k = r.pick(groups.reg.concat(groups.sqrt));
      cases.push(mkCase(k, (genCw(r) & ~0x300) | 0x100, genF80(r, "normal"), genF80(r, "normal")));
    }
    check(cases);
  });
  it("stack underflow gives the masked response", () => {
    const cases = groups.under.map((k) => mkCase(k, 0x37f, f80(0x3fff, INT)));
    check(cases);
  });
});

/** An operand close to `a` (same or adjacent exponent): cancellation and tie cases. */
function nearby(r: Rng, a: Uint8Array): Uint8Array {
  const dv = new DataView(a.buffer);
  const se = dv.getUint16(8, true);
  const sig = dv.getBigUint64(0, true);
  const delta = BigInt(r.int(1 << 12)) << BigInt(r.int(52));
  const s2 = r.bool() ? (sig + delta) & ((1n << 64n) - 1n) : (sig - delta) & ((1n << 64n) - 1n);
  return f80((se ^ (r.bool() ? 0x8000 : 0)) + (r.int(3) === 0 ? 1 : 0), s2 | (sig & INT));
}

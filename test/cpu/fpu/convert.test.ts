// Loads and stores against the host CPU, bit-exact: FLD m32/m64/m80, FILD m16/m32/m64, FBLD,
// FST/FSTP m32/m64/m80, FIST/FISTP m16/m32/m64, FBSTP, under all rounding modes, including
// overflow/underflow to the narrower formats, NaN quieting, integer and BCD indefinites.
import { describe, it } from "vitest";
import { toolsMissing } from "./support";
import { kernelList, type Case } from "./native";
import { Rng, genF80, genF64, genF32, genInt, genBcd, genCw, mkCase, compareWithHost, f80, INT, SCALE } from "./cases";

const { kernels, groups, add } = kernelList();
add("ld32", "fld m32", "fld dword [A]");
add("ld64", "fld m64", "fld qword [A]");
add("ld80", "fld m80", "fld tword [A]");
add("ildw", "fild m16", "fild word [A]");
add("ildd", "fild m32", "fild dword [A]");
add("ildq", "fild m64", "fild qword [A]");
add("bld", "fbld", "fbld [A]");
add("st", "fst m32", "fld tword [A]\nfst dword [MEM]");
add("st", "fstp m32", "fld tword [A]\nfstp dword [MEM]");
add("st", "fst m64", "fld tword [A]\nfst qword [MEM]");
add("st", "fstp m64", "fld tword [A]\nfstp qword [MEM]");
add("st", "fstp m80", "fld tword [A]\nfstp tword [MEM]");
add("ist", "fist m16", "fld tword [A]\nfist word [MEM]");
add("ist", "fistp m16", "fld tword [A]\nfistp word [MEM]");
add("ist", "fist m32", "fld tword [A]\nfist dword [MEM]");
add("ist", "fistp m32", "fld tword [A]\nfistp dword [MEM]");
add("ist", "fistp m64", "fld tword [A]\nfistp qword [MEM]");
add("ist", "fbstp", "fld tword [A]\nfbstp [MEM]");
add("empty", "fst m32 empty", "fst dword [MEM]");
add("empty", "fstp m64 empty", "fstp qword [MEM]");
add("empty", "fstp m80 empty", "fstp tword [MEM]");
add("empty", "fistp m16 empty", "fistp word [MEM]");
add("empty", "fist m32 empty", "fist dword [MEM]");
add("empty", "fistp m64 empty", "fistp qword [MEM]");
add("empty", "fbstp empty", "fbstp [MEM]");
add("over", "fld 9 deep", "fld tword [A]\nfld st0\nfld st0\nfld st0\nfld st0\nfld st0\nfld st0\nfld st0\nfld tword [B]");

const skip = toolsMissing(true);
describe.skipIf(skip)("x87 loads and stores match the host CPU", () => {
  const check = compareWithHost(kernels);

  it("loads every format exactly (DE for single/double denormals, IE for their SNaNs)", () => {
    const r = new Rng(11);
    const cases: Case[] = [];
    for (let n = 0; n < 4000 * SCALE; n++) {
      const g = r.pick(["ld32", "ld64", "ld80", "ildw", "ildd", "ildq", "bld"]);
      const a = g === "ld32" ? genF32(r) : g === "ld64" ? genF64(r) : g === "ld80" ? genF80(r)
        : g === "ildw" ? genInt(r, 16) : g === "ildd" ? genInt(r, 32) : g === "ildq" ? genInt(r, 64) : genBcd(r);
      // DM stays set: unmasked DE on a load is where the AMD host departs from the SDM (see
      // exceptions.test.ts)
      cases.push(mkCase(groups[g][0], genCw(r) | 2, a));
    }
    check(cases);
  });
  it("FBLD with invalid digit nibbles and sign bytes (undefined in the SDM) as the hardware does", () => {
    const r = new Rng(13);
    const cases: Case[] = [];
    for (let n = 0; n < 500 * SCALE; n++) {
      const a = new Uint8Array(16);
      for (let i = 0; i < 10; i++) a[i] = r.u32() & 0xff;
      cases.push(mkCase(groups.bld[0], genCw(r), a));
    }
    check(cases);
  });
  it("stores round by RC to single, double, integers and BCD", () => {
    const r = new Rng(12);
    const cases: Case[] = [];
    for (let n = 0; n < 12000 * SCALE; n++) {
      const k = r.pick(groups.st.concat(groups.ist));
      const name = kernels[k].name;
      let a: Uint8Array;
      const s = r.bool() ? 0x8000 : 0;
      const pick = r.int(4);
      if (pick === 0) a = genF80(r);
      else if (name.includes("m32") && name.startsWith("fst")) a = f80(s | (0x3fff - 127 + r.int(260) - 20), INT | (r.u64() >> BigInt(1 + r.int(3))) | INT);
      else if (name.includes("m64") && name.startsWith("fst")) a = f80(s | (0x3fff - 1023 + r.int(2100) - 60), INT | (r.u64() >> 1n));
      else if (name.includes("m16")) a = f80(s | (0x3fff + r.int(17) - 1), INT | (r.u64() >> 1n));
      else if (name.includes("m32")) a = f80(s | (0x3fff + r.int(33) - 1), INT | (r.u64() >> 1n));
      else if (name.includes("fbstp")) a = f80(s | (0x3fff + r.int(62) - 1), INT | (r.u64() >> 1n));
      else a = f80(s | (0x3fff + r.int(66) - 2), pick === 1 ? INT | (BigInt(r.int(16)) << 58n) : INT | (r.u64() >> 1n));
      cases.push(mkCase(k, genCw(r), a));
    }
    check(cases);
  });
  it("single and double stores: halfway and near-halfway tails at every rounding position", () => {
    const r = new Rng(14);
    const cases: Case[] = [];
    const st32 = groups.st.filter((k) => kernels[k].name.includes("m32"));
    const st64 = groups.st.filter((k) => kernels[k].name.includes("m64"));
    for (let n = 0; n < 6000 * SCALE; n++) {
      const single = r.bool();
      const k = r.pick(single ? st32 : st64);
      const [minE, maxE, fracBits] = single ? [-126, 127, 23] : [-1022, 1023, 52];
      const e = r.pick([minE - r.int(fracBits + 3), minE + r.int(3) - 1, maxE - r.int(2), maxE + 1, r.int(20) - 10]);
      const pos = r.bool() ? 63 - fracBits + Math.max(0, minE - e) : 1 + r.int(63); // the rounding position
      const p = BigInt(Math.min(63, Math.max(1, pos)));
      const half = 1n << (p - 1n);
      const tail = r.pick([0n, half, half - 1n, half + 1n, (1n << p) - 1n]);
      const top = (INT | (r.u64() >> 1n)) & ~((1n << p) - 1n);
      cases.push(mkCase(k, genCw(r), f80((r.bool() ? 0x8000 : 0) | (0x3fff + e), top | tail)));
    }
    check(cases);
  });
  it("integer and BCD stores at the edges of their ranges, under every RC", () => {
    // Exact binary values v + d for the boundaries v, with d in {-1, -1/2, -1/4, 0, 1/4, 1/2, 1}.
    const edges = [32767n, 32768n, 2147483647n, 2147483648n, (1n << 63n) - 1n, 1n << 63n, 999999999999999999n, 10n ** 18n];
    const cases: Case[] = [];
    for (const v of edges) {
      for (const quarters of [-4n, -2n, -1n, 0n, 1n, 2n, 4n]) {
        const q = v * 4n + quarters; // value * 4
        if (q <= 0n) continue;
        const bits = q.toString(2).length;
        const sig = bits <= 64 ? q << BigInt(64 - bits) : q >> BigInt(bits - 64);
        for (const sign of [0, 0x8000]) {
          const a = f80(sign | (0x3fff + bits - 1 - 2), sig);
          for (const k of groups.ist) for (const cw of [0x037f, 0x077f, 0x0b7f, 0x0f7f]) cases.push(mkCase(k, cw, a));
        }
      }
    }
    check(cases);
  });
  it("stores from an empty register deliver the indefinites; a full stack overflows on push", () => {
    const cases: Case[] = [];
    for (const k of groups.empty) for (const cw of [0x37f, 0xf7f]) cases.push(mkCase(k, cw, f80(0x3fff, INT)));
    for (const cw of [0x37f, 0xb7f]) cases.push(mkCase(groups.over[0], cw, f80(0x4000, INT), f80(0x3fff, INT)));
    check(cases);
  });
});
